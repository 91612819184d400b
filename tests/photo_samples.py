"""Photos made by the tests: what a phone sends, metadata and all."""

import io

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
