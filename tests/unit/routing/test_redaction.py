"""Faces and licence plates pixelated in every published copy (routing.redaction, through check_photo);
the unblurred checked copy kept apart as the owner unit's evidence."""

import io

import numpy as np
import pytest
from photo_samples import ASTRONAUT_FACE_IN_CROP, astronaut_face, licence_plate
from PIL import Image

from phananh.routing import redaction
from phananh.routing.photos import check_photo

FACE_AT, PLATE_AT = (300, 200), (800, 700)


def street(face_width=None, plate_width=None, size=(1400, 1000)):
    """A plain scene with texture, and a face and/or a plate at known places."""
    rng = np.random.default_rng(7)
    scene = Image.fromarray(rng.integers(90, 150, (size[1], size[0], 3), dtype=np.uint8))
    boxes = {}
    if face_width:
        scene.paste(astronaut_face(face_width), FACE_AT)
        left, top, width, _ = (value * face_width / 95 for value in ASTRONAUT_FACE_IN_CROP)
        boxes["face"] = tuple(
            round(value)
            for value in (FACE_AT[0] + left, FACE_AT[1] + top, FACE_AT[0] + left + width, FACE_AT[1] + top + width)
        )
    if plate_width:
        plate = licence_plate(plate_width)
        scene.paste(plate, PLATE_AT)
        boxes["plate"] = (*PLATE_AT, PLATE_AT[0] + plate.width, PLATE_AT[1] + plate.height)
    return scene, boxes


def jpeg(image):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def pixels(data, box=None):
    image = Image.open(io.BytesIO(data)).convert("L")
    return np.asarray(image.crop(box) if box else image, dtype=float)


def detail(patch):
    """How much neighbouring pixels differ: high for a face, near nothing inside flat blocks."""
    return np.abs(np.diff(patch, axis=1)).mean() + np.abs(np.diff(patch, axis=0)).mean()


def test_a_face_is_pixelated_in_the_published_copy_and_kept_in_the_evidence():
    scene, boxes = street(face_width=120)
    checked = check_photo(jpeg(scene))
    assert checked.redacted >= 1 and checked.evidence is not None
    face = boxes["face"]
    published, evidence = pixels(checked.image, face), pixels(checked.evidence, face)
    assert detail(published) < 0.5 * detail(evidence)
    assert np.abs(published - evidence).mean() > 5
    # The evidence is the picture as checked, unblurred.
    assert np.abs(evidence - pixels(jpeg(scene), face)).mean() < 3


def test_a_plate_is_pixelated():
    scene, boxes = street(plate_width=200)
    checked = check_photo(jpeg(scene))
    plate = boxes["plate"]
    assert any(region.kind == "plate" for region in redaction.find_regions(scene))
    assert detail(pixels(checked.image, plate)) < 0.5 * detail(pixels(checked.evidence, plate))


def test_the_thumbnail_is_made_from_the_blurred_copy():
    scene, boxes = street(face_width=200)
    checked = check_photo(jpeg(scene), thumb_edge=700)  # half size: the face still ~100 px
    scale = 700 / scene.width
    face = tuple(round(value * scale) for value in boxes["face"])
    thumbnail = pixels(checked.thumbnail, face)
    from_published = np.asarray(Image.open(io.BytesIO(checked.image)).convert("L").resize((700, 500)).crop(face), float)
    from_evidence = np.asarray(
        Image.open(io.BytesIO(checked.evidence)).convert("L").resize((700, 500)).crop(face), float
    )
    assert np.abs(thumbnail - from_published).mean() < np.abs(thumbnail - from_evidence).mean()


def test_the_rest_of_the_picture_is_untouched():
    scene, boxes = street(face_width=120)
    checked = check_photo(jpeg(scene))
    left_of_face = (0, 0, boxes["face"][0] - 60, scene.height)
    assert np.abs(pixels(checked.image, left_of_face) - pixels(checked.evidence, left_of_face)).mean() < 1


def test_a_photo_without_faces_or_plates_has_no_evidence_copy():
    scene, _ = street()
    checked = check_photo(jpeg(scene))
    assert checked.redacted == 0 and checked.evidence is None


def test_the_baseline_without_redaction_publishes_the_face():
    scene, boxes = street(face_width=120)
    checked = check_photo(jpeg(scene), redact=False)
    assert checked.evidence is None
    face = boxes["face"]
    assert np.abs(pixels(checked.image, face) - pixels(jpeg(scene), face)).mean() < 3


def test_detection_runs_on_a_bounded_copy_and_maps_back():
    """A 4000 px picture is searched at DETECT_EDGE, and the box comes back in its own pixels."""
    scene, boxes = street(face_width=400, size=(4000, 3000))
    [face] = [region for region in redaction.find_regions(scene) if region.kind == "face"]
    left, top, right, bottom = face.box
    true_left, true_top, true_right, true_bottom = boxes["face"]
    # The box holds the face, with the margin around it.
    assert left <= true_left + 40 and true_right - 40 <= right <= true_right + 200
    assert top <= true_top + 40 and true_bottom - 40 <= bottom <= true_bottom + 200


def test_a_missing_cascade_fails_the_check_rather_than_publishing(monkeypatch):
    monkeypatch.setattr(redaction, "FACE_CASCADE", "no_such_cascade.xml")
    with pytest.raises(redaction.DetectorMissing):
        check_photo(jpeg(street(face_width=120)[0]))
