"""Photos made by the tests: what a phone sends, metadata and all."""

import io
import struct

import piexif
from PIL import Image

CAMERA_SERIAL = "SERIAL-CANARY-7731"


def jpeg_with_gps(lat=9.7791, lon=105.4702, size=(1600, 1200), colour=(180, 90, 40)) -> bytes:
    def rational(value):
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
        return ((degrees, 1), (minutes, 1), (seconds, 100))

    exif = piexif.dump({
        "0th": {piexif.ImageIFD.Make: b"PhoneMaker", piexif.ImageIFD.Model: b"Model X"},
        "Exif": {piexif.ExifIFD.BodySerialNumber: CAMERA_SERIAL.encode(),
                 piexif.ExifIFD.DateTimeOriginal: b"2026:11:20 08:15:00"},
        "GPS": {piexif.GPSIFD.GPSLatitudeRef: b"N", piexif.GPSIFD.GPSLatitude: rational(lat),
                piexif.GPSIFD.GPSLongitudeRef: b"E", piexif.GPSIFD.GPSLongitude: rational(lon)},
    })
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 40):
        image.paste((x % 255, 200, 255 - x % 255), (x, 0, x + 20, size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


# Display P3's primaries and white (D65), adapted to the ICC's D50 as Apple's profile has them.
DISPLAY_P3_D50 = ((0.5151, 0.2412, -0.0011), (0.2920, 0.6922, 0.0419), (0.1571, 0.0666, 0.7841))
D50_WHITE = (0.9642, 1.0, 0.8249)
P3_GAMMA = 2.2


def wide_gamut_icc(primaries=DISPLAY_P3_D50, gamma=P3_GAMMA) -> bytes:
    """A display ICC v2 profile of the matrix/TRC kind, written by hand (ImageCms can make only sRGB,
    LAB and XYZ): Display P3's primaries with a plain gamma curve, like the profile an iPhone embeds."""

    def s15(value):
        return struct.pack(">i", round(value * 65536))

    def xyz(values):
        return b"XYZ \0\0\0\0" + b"".join(s15(value) for value in values)

    description = b"Test wide gamut\0"
    tags = [
        (b"desc", b"desc\0\0\0\0" + struct.pack(">I", len(description)) + description
         + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\0" * 67),
        (b"wtpt", xyz(D50_WHITE)),
        (b"rXYZ", xyz(primaries[0])), (b"gXYZ", xyz(primaries[1])), (b"bXYZ", xyz(primaries[2])),
    ]
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"
    tags += [(b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    table_size = 4 + 12 * len(tags)
    offset, entries, body = 128 + table_size, b"", b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        entries += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = 128 + table_size + len(body)
    header = (
        struct.pack(">I", size) + b"lcms" + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
        + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp" + b"APPL" + b"\0" * 4 + b"\0" * 8 + b"\0" * 8
        + struct.pack(">I", 0) + b"".join(s15(value) for value in D50_WHITE) + b"\0" * 4 + b"\0" * 16 + b"\0" * 28
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + entries + body


def jpeg_with_profile(colour, profile: bytes, size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=95, icc_profile=profile)
    return buffer.getvalue()


def astronaut_face(width: int) -> Image.Image:
    """Eileen Collins's face from scikit-image's astronaut picture (the one face a package ships),
    cropped with her hair and shoulders and scaled so her face is about `width` px wide."""
    from skimage import data

    # The face the frontal cascade finds in the 512 × 512 picture is at (177, 66), 95 px wide.
    portrait = Image.fromarray(data.astronaut()).crop((130, 10, 320, 220))
    scale = width / 95
    return portrait.resize((round(portrait.width * scale), round(portrait.height * scale)), Image.Resampling.LANCZOS)


# The face in astronaut_face(95): left, top, width, height (the crop starts at 130, 10).
ASTRONAUT_FACE_IN_CROP = (47, 56, 95, 95)


def licence_plate(width: int, text: str = "51F 123.45") -> Image.Image:
    """A one-line car plate as the cascades see one: dark characters on white in a dark border."""
    from PIL import ImageDraw, ImageFont

    height = round(width * 0.22)
    plate = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(plate)
    draw.rectangle((0, 0, width - 1, height - 1), outline="black", width=max(1, width // 60))
    draw.text((width * 0.06, height * 0.1), text, fill="black", font=ImageFont.load_default(size=round(height * 0.75)))
    return plate
