import io
import random
import struct
import zipfile
import zlib

import piexif
import pillow_heif
import pytest
from import_probe import modules_loaded_by
from PIL import Image, ImageCms, ImageDraw, ImageFile

from phananh.routing.photos import (
    MAX_DECODED_BYTES,
    PhotoRejected,
    check_photo,
    decoding_cost,
    hash_distance,
    perceptual_hash,
    sniff_type,
)

HA_NOI = (21.028511, 105.804817)
CAMERA_SERIAL = "SN-7731-CAMERA-SERIAL"
# Segments a bare re-encoded JPEG may hold: JFIF header, tables, frame, scan. No APP1..APP15
# (EXIF, XMP, ICC, maker data) and no comment.
PIXEL_ONLY_MARKERS = {0xE0, 0xDB, 0xC4, 0xC0, 0xC2, 0xDD, 0xDA}


def scene(size=(640, 480), seed=0):
    """A picture with structure (a perceptual hash of a flat image is noise)."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(12):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(width // 8, width // 2), y0 + rng.randrange(height // 8, height // 2)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        else:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
    return image


def encode(image, image_format="JPEG", **params):
    out = io.BytesIO()
    image.save(out, image_format, **params)
    return out.getvalue()


def heic(image, exif=None):
    heif_file = pillow_heif.from_pillow(image)
    if exif is not None:
        heif_file.info["exif"] = exif
    out = io.BytesIO()
    heif_file.save(out, quality=80)
    return out.getvalue()


def dms(value):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 10_000)
    return ((degrees, 1), (minutes, 1), (seconds, 10_000))


def exif_bytes(lat=None, lon=None, *, orientation=None, gps=None):
    zeroth = {piexif.ImageIFD.Make: b"PhoneMaker", piexif.ImageIFD.Model: b"Phone 15 Pro"}
    if orientation is not None:
        zeroth[piexif.ImageIFD.Orientation] = orientation
    if gps is None and lat is not None:
        gps = {
            piexif.GPSIFD.GPSLatitudeRef: b"N" if lat >= 0 else b"S",
            piexif.GPSIFD.GPSLatitude: dms(abs(lat)),
            piexif.GPSIFD.GPSLongitudeRef: b"E" if lon >= 0 else b"W",
            piexif.GPSIFD.GPSLongitude: dms(abs(lon)),
        }
    exif = {
        piexif.ExifIFD.DateTimeOriginal: b"2025:07:01 08:30:00",
        piexif.ExifIFD.BodySerialNumber: CAMERA_SERIAL.encode(),
    }
    return piexif.dump({"0th": zeroth, "Exif": exif, "GPS": gps or {}})


def jpeg_markers(data):
    """The marker codes of a JPEG's segments, from the start of the image up to its first scan."""
    assert data[:2] == b"\xff\xd8"
    markers, offset = [], 2
    while True:
        assert data[offset] == 0xFF
        marker = data[offset + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        offset += 2 + length


def png_declaring(width, height):
    """A real 1-bit PNG of the given size: all zeros, so it compresses to almost nothing."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = bytes(1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def opened(data):
    return Image.open(io.BytesIO(data))


def rejection(data, **limits):
    with pytest.raises(PhotoRejected) as caught:
        check_photo(data, **limits)
    return caught.value


@pytest.fixture(scope="module")
def camera_jpeg():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(
        scene(),
        exif=exif_bytes(*HA_NOI),
        icc_profile=srgb,
        comment=b"taken at home",
        quality=92,
    )


class TestSniffType:
    @pytest.mark.parametrize(
        ("head", "expected"),
        [
            (b"\xff\xd8\xff\xe0" + bytes(20), "jpeg"),
            (b"\x89PNG\r\n\x1a\n" + bytes(20), "png"),
            (b"RIFF\x00\x10\x00\x00WEBPVP8 ", "webp"),
            (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heic"),
            (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heicmiaf", "heic"),
            # The HEIF brand only among the compatible brands.
            (b"\x00\x00\x00\x18ftypxxxx\x00\x00\x00\x00isomheix", "heic"),
            # AVIF carries mif1 too, but is not HEIC.
            (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", None),
            (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41", None),
            (b"RIFF\x00\x10\x00\x00WAVEfmt ", None),
            (b"GIF89a" + bytes(20), None),
            (b"%PDF-1.7\n", None),
            (b"", None),
        ],
    )
    def test_by_magic_bytes(self, head, expected):
        assert sniff_type(head) == expected

    def test_brands_past_the_ftyp_box_are_not_read(self):
        # The box is 16 bytes long: "heic" after it belongs to the next box.
        assert sniff_type(b"\x00\x00\x00\x10ftypisom\x00\x00\x00\x00heic") is None


class TestMetadataIsStripped:
    def test_gps_is_read_before_stripping(self, camera_jpeg):
        latitude, longitude = check_photo(camera_jpeg).gps
        assert latitude == pytest.approx(HA_NOI[0], abs=1e-6)
        assert longitude == pytest.approx(HA_NOI[1], abs=1e-6)

    @pytest.mark.parametrize("position", [(-33.8688, 151.2093), (40.7128, -74.006), (-22.9068, -43.1729)])
    def test_southern_and_western_positions_are_negative(self, position):
        photo = check_photo(encode(scene(), exif=exif_bytes(*position)))
        assert photo.gps == pytest.approx(position, abs=1e-6)

    def test_output_has_no_exif(self, camera_jpeg):
        photo = check_photo(camera_jpeg)
        for output in (photo.image, photo.thumbnail):
            assert not opened(output).getexif()
            assert not any(piexif.load(output)[ifd] for ifd in ("0th", "Exif", "GPS", "Interop", "1st"))
            assert CAMERA_SERIAL.encode() not in output
            assert b"PhoneMaker" not in output
            assert b"Exif" not in output

    def test_output_holds_nothing_but_pixels(self, camera_jpeg):
        photo = check_photo(camera_jpeg)
        for output in (photo.image, photo.thumbnail):
            assert set(jpeg_markers(output)) <= PIXEL_ONLY_MARKERS
            assert "icc_profile" not in opened(output).info
            assert "comment" not in opened(output).info

    def test_appended_zip_is_dropped(self):
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("payload.html", "<script>alert(1)</script>")
        polyglot = encode(scene()) + archive.getvalue()
        assert zipfile.is_zipfile(io.BytesIO(polyglot))

        photo = check_photo(polyglot)

        assert b"PK\x03\x04" not in photo.image
        assert not zipfile.is_zipfile(io.BytesIO(photo.image))
        assert photo.image.endswith(b"\xff\xd9")

    @pytest.mark.parametrize(
        "gps",
        [
            {piexif.GPSIFD.GPSLatitude: dms(21.0), piexif.GPSIFD.GPSLongitude: dms(105.8)},  # no N/S, E/W
            {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((21, 0), (1, 1), (0, 1)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: dms(105.8),
            },
            {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((21, 1), (75, 1), (0, 1)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: dms(105.8),
            },
            {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((95, 1), (0, 1), (0, 1)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: dms(105.8),
            },
            {
                piexif.GPSIFD.GPSLatitudeRef: b"Q",
                piexif.GPSIFD.GPSLatitude: dms(21.0),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: dms(105.8),
            },
            {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: dms(0.0),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: dms(0.0),
            },
        ],
        ids=["no-refs", "zero-denominator", "minutes-over-60", "latitude-over-90", "bad-ref", "no-fix-zeros"],
    )
    def test_malformed_gps_is_ignored_and_the_photo_kept(self, gps):
        photo = check_photo(encode(scene(), exif=exif_bytes(gps=gps)))
        assert photo.gps is None
        assert photo.width == 640

    def test_photo_without_exif_has_no_gps(self):
        assert check_photo(encode(scene())).gps is None


class TestOrientation:
    @staticmethod
    def red_left_blue_right():
        image = Image.new("RGB", (400, 200), (220, 0, 0))
        image.paste((0, 0, 220), (200, 0, 400, 200))
        return image

    def test_exif_orientation_is_applied(self):
        photo = check_photo(encode(self.red_left_blue_right(), exif=exif_bytes(orientation=6)))

        assert (photo.width, photo.height) == (200, 400)
        upright = opened(photo.image)
        assert upright.size == (200, 400)
        # Orientation 6: turn 90° clockwise to view, so the left half ends up on top.
        red, _, blue = upright.getpixel((100, 50))
        assert red > 200 > 20 > blue
        red, _, blue = upright.getpixel((100, 350))
        assert blue > 200 > 20 > red
        assert opened(photo.thumbnail).size == (160, 320)

    def test_heic_orientation_is_applied_once(self):
        photo = check_photo(heic(self.red_left_blue_right(), exif=exif_bytes(orientation=6)))
        assert (photo.width, photo.height) == (200, 400)
        red, _, blue = opened(photo.image).getpixel((100, 50))
        assert red > 200 > 20 > blue


class TestFormats:
    def test_png_where_a_jpeg_is_expected_is_handled_as_png(self):
        uploaded_as_photo_jpg = encode(scene(), "PNG")
        photo = check_photo(uploaded_as_photo_jpg)
        assert photo.source_type == "png"
        assert photo.image.startswith(b"\xff\xd8\xff")
        assert opened(photo.image).format == "JPEG"

    def test_heic_is_accepted(self):
        latitude, longitude = HA_NOI
        photo = check_photo(heic(scene(), exif=exif_bytes(latitude, longitude)))
        assert photo.source_type == "heic"
        assert (photo.width, photo.height) == (640, 480)
        assert photo.gps == pytest.approx(HA_NOI, abs=1e-6)
        assert set(jpeg_markers(photo.image)) <= PIXEL_ONLY_MARKERS
        assert CAMERA_SERIAL.encode() not in photo.image

    def test_webp_is_accepted(self):
        photo = check_photo(encode(scene(), "WEBP", quality=80))
        assert photo.source_type == "webp"
        assert (photo.width, photo.height) == (640, 480)
        assert opened(photo.image).format == "JPEG"

    def test_png_alpha_is_flattened_on_white(self):
        image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
        image.paste((200, 0, 0, 255), (50, 0, 100, 100))
        photo = check_photo(encode(image, "PNG"))
        flattened = opened(photo.image)
        assert flattened.mode == "RGB"
        assert all(channel > 245 for channel in flattened.getpixel((10, 50)))
        red, green, blue = flattened.getpixel((90, 50))
        assert red > 180 and green < 20 and blue < 20

    def test_palette_transparency_is_flattened_on_white(self):
        image = Image.new("P", (64, 64), 0)
        image.putpalette([0, 0, 0, 0, 0, 200])
        image.paste(1, (32, 0, 64, 64))
        flattened = opened(check_photo(encode(image, "PNG", transparency=0)).image)
        assert all(channel > 245 for channel in flattened.getpixel((8, 32)))
        assert flattened.getpixel((56, 32))[2] > 180

    def test_16_bit_greyscale_keeps_its_tones(self):
        image = Image.new("I;16", (64, 64), 32_768)
        grey = opened(check_photo(encode(image, "PNG")).image).getpixel((32, 32))
        assert all(120 <= channel <= 136 for channel in grey)

    @pytest.mark.parametrize(
        "data",
        [
            b"this is not a photo at all" * 10,
            encode(scene(), "GIF"),
            encode(scene(), "BMP"),
            encode(scene(), "TIFF"),
        ],
        ids=["garbage", "gif", "bmp", "tiff"],
    )
    def test_other_types_are_unsupported(self, data):
        assert rejection(data).reason == "unsupported_type"


class TestRejections:
    def test_empty(self):
        error = rejection(b"")
        assert error.reason == "empty"
        assert set(error.message) == {"vi", "en"}

    def test_too_large_is_refused_before_looking_inside(self):
        assert rejection(b"\x00" * 2001, max_bytes=2000).reason == "too_large"
        assert rejection(encode(scene()), max_bytes=1000).reason == "too_large"

    def test_message_is_bilingual(self):
        error = rejection(b"\x00" * 2001, max_bytes=2000)
        assert "MB" in error.message["vi"] and "MB" in error.message["en"]
        assert error.message["vi"] != error.message["en"]
        assert str(error) == error.message["en"]

    @pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "HEIC"])
    def test_truncated_photo_is_corrupt(self, image_format):
        data = heic(scene()) if image_format == "HEIC" else encode(scene(), image_format)
        assert rejection(data[: len(data) // 2]).reason == "corrupt"

    @pytest.mark.parametrize("head", [b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBP"])
    def test_right_magic_then_garbage_is_corrupt(self, head):
        assert rejection(head + b"\x13\x37" * 200).reason == "corrupt"

    @pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "HEIC"])
    def test_damaged_bytes_never_escape_as_anything_but_a_rejection(self, image_format):
        original = heic(scene((96, 64))) if image_format == "HEIC" else encode(scene((96, 64)), image_format)
        rng = random.Random(image_format)
        for _ in range(40):
            damaged = bytearray(original)
            for _ in range(rng.randrange(1, 8)):
                damaged[rng.randrange(16, len(damaged))] = rng.randrange(256)
            try:
                check_photo(bytes(damaged))
            except PhotoRejected as error:
                assert error.reason in {"corrupt", "pixel_bomb"}


class TestPixelBombs:
    @pytest.fixture
    def no_decoding(self, monkeypatch):
        def refuse(_self):
            raise AssertionError("the pixels were decoded")

        monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)

    def test_huge_dimensions_in_a_tiny_png(self, no_decoding):
        bomb = png_declaring(30_000, 30_000)
        assert len(bomb) < 200_000
        error = rejection(bomb)
        assert error.reason == "pixel_bomb"
        assert "50" in error.message["en"]

    def test_over_our_limit_but_under_pillows(self, no_decoding):
        assert rejection(png_declaring(8_000, 8_000)).reason == "pixel_bomb"

    def test_pillows_warning_is_a_rejection_too(self, no_decoding):
        # 100 MP: over Pillow's warning threshold, let through by the caller's own limit.
        assert rejection(png_declaring(10_000, 10_000), max_pixels=150_000_000).reason == "pixel_bomb"

    def test_a_caller_limit_applies(self, no_decoding):
        assert rejection(encode(scene()), max_pixels=640 * 480 - 1).reason == "pixel_bomb"


def first_scan_of_one_component(jpeg):
    """The same JPEG with its first scan holding only the first component, as a non-interleaved
    (multi-scan) baseline JPEG starts: libjpeg then buffers the whole picture's coefficients."""
    start = jpeg.index(b"\xff\xda")
    one_component = bytes([0xFF, 0xDA, 0x00, 0x08, 0x01, jpeg[start + 5], jpeg[start + 6], 0x00, 0x3F, 0x00])
    return jpeg[:start] + one_component + b"\x00" * 64 + b"\xff\xd9"


class TestDecodedSizeBudget:
    """Pixels alone do not bound memory: each kind of photo is refused from its header when
    decoding it would hold more than MAX_DECODED_BYTES (the check's peak memory is measured by
    benchmarks/photo_memory.py)."""

    @pytest.fixture
    def no_decoding(self, monkeypatch):
        def refuse(_self):
            raise AssertionError("the pixels were decoded")

        monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)

    @staticmethod
    def allowed_megapixels(error):
        return float(error.message["en"].split("at most ")[1].split(" megapixels")[0])

    def test_webp_under_the_pixel_limit_but_over_the_memory_budget(self, no_decoding):
        # 16 MP with alpha: libwebp's canvases and Pillow's copy hold 16 bytes a pixel, the
        # flattened RGB copy 4 more: 320 MB.
        error = rejection(encode(Image.new("RGBA", (4000, 4000), (9, 9, 9, 128)), "WEBP", lossless=True))
        assert error.reason == "pixel_bomb"
        assert self.allowed_megapixels(error) == pytest.approx(MAX_DECODED_BYTES / 20 / 1e6, abs=0.05)
        assert set(error.message) == {"vi", "en"}

    def test_a_nine_megapixel_webp_is_decoded(self, no_decoding):
        with pytest.raises(AssertionError, match="decoded"):
            check_photo(encode(Image.new("RGB", (4000, 2250), (9, 9, 9)), "WEBP", lossless=True))

    def test_progressive_jpeg_is_refused_by_its_coefficient_buffer(self, no_decoding):
        # 36 MP, 4:4:4: a baseline decode at half scale holds 36 MB, a progressive one 216 MB more.
        picture = Image.new("RGB", (6000, 6000), (200, 90, 40))
        with pytest.raises(AssertionError, match="decoded"):
            check_photo(encode(picture, subsampling=0))
        error = rejection(encode(picture, subsampling=0, progressive=True))
        assert error.reason == "pixel_bomb"
        assert self.allowed_megapixels(error) < 36

    def test_multi_scan_baseline_jpeg_counts_its_coefficient_buffer_too(self, no_decoding):
        baseline = encode(Image.new("RGB", (6000, 6000), (200, 90, 40)), subsampling=0)
        assert rejection(first_scan_of_one_component(baseline)).reason == "pixel_bomb"

    def test_a_phone_sized_progressive_jpeg_is_decoded(self, no_decoding):
        with pytest.raises(AssertionError, match="decoded"):
            check_photo(encode(Image.new("RGB", (4032, 3024), (200, 90, 40)), progressive=True))

    @pytest.mark.parametrize(
        ("mode", "stored_bytes"), [("RGBA", 4), ("RGB", 4), ("P", 1), ("L", 1), ("I;16", 2), ("LA", 4)]
    )
    def test_png_by_the_bytes_of_its_decoded_mode(self, no_decoding, mode, stored_bytes):
        # Decoded in its own mode, then (but for RGB) converted to RGB at 4 bytes a pixel.
        data = encode(Image.new(mode, (500, 400)), "PNG")
        budget = 500 * 400 * (stored_bytes + (0 if mode == "RGB" else 4))
        assert rejection(data, max_decoded_bytes=budget - 1).reason == "pixel_bomb"
        with pytest.raises(AssertionError, match="decoded"):
            check_photo(data, max_decoded_bytes=budget)

    def test_heic_counts_the_decoders_buffers(self, no_decoding):
        # Pillow's 4 bytes a pixel, and libheif's YUV planes and interleaved RGB beside them.
        data = heic(scene((256, 256)))
        assert rejection(data, max_decoded_bytes=256 * 256 * 8).reason == "pixel_bomb"
        with pytest.raises(AssertionError, match="decoded"):
            check_photo(data, max_decoded_bytes=256 * 256 * 9)

    def test_an_iphone_heic_fits_the_budget(self):
        # 24 MP, the iPhone's default since the 15 (too slow to encode here): reduced by 2 after decoding.
        assert decoding_cost("heic", "RGB", (5712, 4284)) <= MAX_DECODED_BYTES


class TestConversionWithoutFullSizeCopies:
    """Large photos are flattened and reduced a band at a time: the result must be what a
    whole-picture conversion gives."""

    def test_large_rgba_png_is_flattened_on_white_and_reduced(self):
        image = Image.new("RGBA", (5000, 3000), (0, 0, 0, 0))
        image.paste((200, 0, 0, 255), (2500, 0, 5000, 3000))
        image.paste((0, 0, 200, 128), (0, 2000, 2500, 3000))
        photo = check_photo(encode(image, "PNG"))
        assert (photo.width, photo.height) == (2048, 1229)
        flattened = opened(photo.image)
        assert all(channel > 245 for channel in flattened.getpixel((200, 200)))
        red, green, blue = flattened.getpixel((1800, 600))
        assert red > 180 and green < 20 and blue < 20
        red, green, blue = flattened.getpixel((200, 1100))  # half-transparent blue on white
        assert 110 < red < 145 and 110 < green < 145 and blue > 215

    def test_large_palette_png_with_transparency(self):
        image = Image.new("P", (6000, 2500), 0)
        image.putpalette([0, 0, 0, 0, 0, 200])
        image.paste(1, (3000, 0, 6000, 2500))
        flattened = opened(check_photo(encode(image, "PNG", transparency=0)).image)
        assert flattened.size == (2048, 853)
        assert all(channel > 245 for channel in flattened.getpixel((300, 400)))
        assert flattened.getpixel((1800, 400))[2] > 180

    def test_large_16_bit_greyscale_keeps_its_tones(self):
        grey = opened(check_photo(encode(Image.new("I;16", (4500, 2300), 32_768), "PNG")).image)
        assert grey.size == (2048, 1047)
        assert all(120 <= channel <= 136 for channel in grey.getpixel((1000, 500)))

    def test_orientation_is_applied_after_reducing(self):
        image = Image.new("RGB", (5000, 3000), (220, 0, 0))
        image.paste((0, 0, 220), (2500, 0, 5000, 3000))
        photo = check_photo(encode(image, "PNG", exif=exif_bytes(orientation=6)))
        assert (photo.width, photo.height) == (1229, 2048)
        upright = opened(photo.image)
        red, _, blue = upright.getpixel((600, 300))
        assert red > 200 > 20 > blue
        red, _, blue = upright.getpixel((600, 1700))
        assert blue > 200 > 20 > red


class TestResizing:
    def test_large_photo_is_scaled_to_the_long_edge(self):
        photo = check_photo(encode(scene((4000, 3000))))
        assert (photo.width, photo.height) == (2048, 1536)
        assert opened(photo.image).size == (2048, 1536)
        assert opened(photo.thumbnail).size == (320, 240)

    @pytest.mark.parametrize(
        ("size", "expected"),
        [
            ((4100, 3000), (2048, 1499)),  # decoded at half scale: 2050 × 1500, then resized
            ((5000, 2000), (2048, 819)),
            ((3000, 4100), (1499, 2048)),
        ],
    )
    def test_reduced_scale_decoding_never_goes_below_the_long_edge(self, size, expected):
        photo = check_photo(encode(scene(size)))
        assert (photo.width, photo.height) == expected

    def test_small_photo_is_not_upscaled(self):
        photo = check_photo(encode(scene((300, 200))))
        assert (photo.width, photo.height) == (300, 200)
        assert opened(photo.thumbnail).size == (300, 200)

    def test_custom_edges(self):
        photo = check_photo(encode(scene((1000, 500))), long_edge=800, thumb_edge=100)
        assert (photo.width, photo.height) == (800, 400)
        assert opened(photo.thumbnail).size == (100, 50)


class TestPerceptualHash:
    def test_hash_is_16_hex_digits(self):
        photo = check_photo(encode(scene()))
        assert len(photo.perceptual_hash) == 16
        int(photo.perceptual_hash, 16)
        assert photo.perceptual_hash == perceptual_hash(opened(photo.thumbnail))

    def test_resized_and_recompressed_copy_is_near(self):
        original = scene((1600, 1200), seed=3)
        copy = original.resize((800, 600)).convert("RGB")
        first = check_photo(encode(original, quality=95)).perceptual_hash
        second = check_photo(encode(copy, "WEBP", quality=40)).perceptual_hash
        third = check_photo(encode(copy, quality=30)).perceptual_hash
        assert hash_distance(first, second) <= 6
        assert hash_distance(first, third) <= 6

    @pytest.mark.parametrize("other_seed", [1, 2, 4, 5])
    def test_different_picture_is_far(self, other_seed):
        first = check_photo(encode(scene(seed=0))).perceptual_hash
        other = check_photo(encode(scene(seed=other_seed))).perceptual_hash
        assert hash_distance(first, other) >= 16

    def test_hash_distance(self):
        assert hash_distance("0123456789abcdef", "0123456789abcdef") == 0
        assert hash_distance("0000000000000000", "ffffffffffffffff") == 64
        assert hash_distance("0000000000000000", "0000000000000003") == 2
        with pytest.raises(ValueError):
            hash_distance("abc", "0000000000000000")


def test_importing_the_module_does_not_load_pillow_or_opencv():
    heavy = ("PIL", "PIL.Image", "pillow_heif", "cv2", "numpy")
    assert modules_loaded_by("import phananh.routing.photos", heavy) == set()
