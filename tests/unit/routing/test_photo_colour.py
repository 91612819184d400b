"""Colours stay true: a photo's ICC profile is applied (to sRGB) before the metadata is dropped."""

import io

import numpy as np
import pytest
from photo_samples import D50_WHITE, DISPLAY_P3_D50, P3_GAMMA, jpeg_with_profile, wide_gamut_icc
from PIL import Image, ImageCms

from phananh.routing.photos import check_photo

# sRGB's primaries adapted to D50 (what LittleCMS's built-in sRGB profile holds), columns R, G, B.
SRGB_D50 = np.array(
    [[0.4360747, 0.3850649, 0.1430804], [0.2225045, 0.7168786, 0.0606169], [0.0139322, 0.0971045, 0.7141733]]
)
P3_RED_ISH = (220, 60, 60)
# JPEG's chroma rounding, twice (the sample and the checked copy).
TOLERANCE = 4


def expected_srgb(colour):
    """The sRGB value of a Display-P3 colour, by the colourimetry rather than by LittleCMS."""
    linear = (np.array(colour) / 255) ** P3_GAMMA
    srgb_linear = np.clip(np.linalg.solve(SRGB_D50, np.array(DISPLAY_P3_D50).T @ linear), 0, 1)
    encoded = np.where(srgb_linear <= 0.0031308, 12.92 * srgb_linear, 1.055 * srgb_linear ** (1 / 2.4) - 0.055)
    return encoded * 255


def centre(data):
    image = Image.open(io.BytesIO(data))
    return np.array(image.getpixel((image.width // 2, image.height // 2)))


def test_the_hand_built_profile_is_the_white_it_says():
    profile = ImageCms.ImageCmsProfile(io.BytesIO(wide_gamut_icc()))
    assert profile.profile.xcolor_space.strip() == "RGB"
    assert profile.profile.media_white_point[0] == pytest.approx(D50_WHITE, abs=1e-3)


def test_a_wide_gamut_photo_is_converted_to_srgb():
    checked = check_photo(jpeg_with_profile(P3_RED_ISH, wide_gamut_icc()))
    expected = expected_srgb(P3_RED_ISH)
    assert checked.colour_profile == "converted"
    for output in (checked.image, checked.thumbnail):
        assert np.abs(centre(output) - expected).max() <= TOLERANCE
        # The shift is real: read as sRGB, the pixels would be off by far more than the tolerance.
        assert np.abs(np.array(P3_RED_ISH) - expected).max() > 5 * TOLERANCE
        assert "icc_profile" not in Image.open(io.BytesIO(output)).info


def test_an_srgb_photo_keeps_its_colours():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    checked = check_photo(jpeg_with_profile(P3_RED_ISH, srgb))
    assert checked.colour_profile == "converted"
    assert np.abs(centre(checked.image) - np.array(P3_RED_ISH)).max() <= TOLERANCE


def test_an_untagged_photo_is_taken_as_srgb():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), P3_RED_ISH).save(buffer, "JPEG", quality=95)
    checked = check_photo(buffer.getvalue())
    assert checked.colour_profile == "none"
    assert np.abs(centre(checked.image) - np.array(P3_RED_ISH)).max() <= TOLERANCE


@pytest.mark.parametrize(
    "profile",
    [
        b"not an icc profile at all",
        wide_gamut_icc()[:140],
        ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes(),
    ],
)
def test_an_unusable_profile_keeps_the_pixels(profile):
    checked = check_photo(jpeg_with_profile(P3_RED_ISH, profile))
    assert checked.colour_profile == "unusable"
    assert np.abs(centre(checked.image) - np.array(P3_RED_ISH)).max() <= TOLERANCE
