"""The photo check: decide whether an uploaded photo may be shown, and re-encode it so that
nothing but its pixels survives (no EXIF, GPS, camera serial, ICC, XMP or comment, and no bytes
appended after the image).

Bytes in, bytes out: nothing here knows about S3 or HTTP. Pillow (and pillow_heif, for the
HEIC photos iPhones take by default) are imported on first use only, so that the API functions
that import this layer do not pay for them at cold start.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from phananh.errors import Text, bilingual

if TYPE_CHECKING:
    from PIL import Image

JPEG_QUALITY = 85

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
# AVIF files are HEIF containers too and list mif1 among their brands, but hold AV1, not HEVC.
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_PILLOW_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heic": "HEIF"}

_GPS_IFD = 0x8825
_GPS_LATITUDE_REF, _GPS_LATITUDE, _GPS_LONGITUDE_REF, _GPS_LONGITUDE = 1, 2, 3, 4

# What Pillow and its plugins raise for bytes they cannot decode. MemoryError is left out on
# purpose: with the pixel limit in place it means the function is too small, not the photo bad.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    TypeError,
    EOFError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    RuntimeError,
    struct.error,
)


class PhotoRejected(Exception):
    """The photo cannot be shown; `reason` is a stable code, `message` says why in both languages."""

    def __init__(self, reason: str, message: Text):
        super().__init__(message["en"])
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class CheckedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    source_type: str
    perceptual_hash: str
    # Read before stripping, only to fill in a report's missing location; never kept with the photo.
    gps: tuple[float, float] | None


def sniff_type(data: bytes) -> str | None:
    """The photo's type from its leading bytes; what the uploader declared is never consulted."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(_PNG_SIGNATURE):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if _is_heic(data):
        return "heic"
    return None


def _is_heic(data: bytes) -> bool:
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    box_end = min(int.from_bytes(data[:4], "big"), len(data))
    # Major brand at 8, minor version at 12, then the compatible brands up to the end of the box.
    brands = {data[8:12]} | {data[offset : offset + 4] for offset in range(16, box_end - 3, 4)}
    return not brands & _AVIF_BRANDS and bool(brands & _HEIF_BRANDS)


def check_photo(
    data: bytes,
    *,
    max_bytes: int = 10 * 1024 * 1024,
    max_pixels: int = 50_000_000,
    long_edge: int = 2048,
    thumb_edge: int = 320,
) -> CheckedPhoto:
    if not data:
        raise PhotoRejected("empty", bilingual("Tệp ảnh rỗng.", "The photo file is empty."))
    if len(data) > max_bytes:
        megabytes = f"{max_bytes / (1024 * 1024):.3g}"
        raise PhotoRejected(
            "too_large",
            bilingual(f"Ảnh quá lớn (tối đa {megabytes} MB).", f"The photo is too large (at most {megabytes} MB)."),
        )
    source_type = sniff_type(data)
    if source_type is None:
        raise PhotoRejected(
            "unsupported_type",
            bilingual(
                "Định dạng ảnh không được hỗ trợ (chỉ nhận JPEG, PNG, WebP, HEIC).",
                "Unsupported photo format (JPEG, PNG, WebP and HEIC are accepted).",
            ),
        )
    pil = _pillow()
    if source_type == "heic":
        _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pil.Image.DecompressionBombWarning)
            with pil.Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[source_type]]) as image:
                return _process(pil, image, source_type, max_pixels, long_edge, thumb_edge)
    except (pil.Image.DecompressionBombError, pil.Image.DecompressionBombWarning) as exc:
        raise _pixel_bomb(max_pixels) from exc
    except _DECODE_ERRORS as exc:
        raise PhotoRejected(
            "corrupt",
            bilingual("Tệp ảnh bị hỏng hoặc không đọc được.", "The photo file is damaged or unreadable."),
        ) from exc


def _process(
    pil: ModuleType, image: Image.Image, source_type: str, max_pixels: int, long_edge: int, thumb_edge: int
) -> CheckedPhoto:
    """Refuse bombs from the header alone, decode, and re-encode the upright pixels.

    Works on the opened image itself where it can: a decoded 12-megapixel photo is 48 MB in
    Pillow, and every avoidable full-size copy counts against the function's memory."""
    width, height = image.size
    if width * height > max_pixels:
        raise _pixel_bomb(max_pixels)
    if source_type == "jpeg":
        # Let libjpeg scale down by 1/2, 1/4 or 1/8 while decoding, never below the long edge.
        scale = long_edge / max(width, height)
        if scale < 1:
            image.draft("RGB", (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))))
    image.load()
    exif = _read_exif(image)
    gps = _gps_position(exif) if exif is not None else None
    # A failed EXIF read means unreadable metadata, not unreadable pixels: show the photo as stored.
    if exif is not None:
        pil.ImageOps.exif_transpose(image, in_place=True)
    rgb = _fit(pil, _to_rgb(pil, image), long_edge)
    thumbnail = _fit(pil, rgb, thumb_edge)
    return CheckedPhoto(
        image=_encode_jpeg(rgb),
        thumbnail=_encode_jpeg(thumbnail),
        width=rgb.width,
        height=rgb.height,
        source_type=source_type,
        perceptual_hash=perceptual_hash(thumbnail),
        gps=gps,
    )


def _pixel_bomb(max_pixels: int) -> PhotoRejected:
    megapixels = f"{max_pixels / 1_000_000:.3g}"
    return PhotoRejected(
        "pixel_bomb",
        bilingual(
            f"Ảnh có quá nhiều điểm ảnh (tối đa {megapixels} megapixel).",
            f"The photo has too many pixels (at most {megapixels} megapixels).",
        ),
    )


def _read_exif(image: Image.Image) -> Image.Exif | None:
    try:
        return image.getexif()
    except _DECODE_ERRORS:
        return None


def _gps_position(exif: Image.Exif) -> tuple[float, float] | None:
    try:
        gps = exif.get_ifd(_GPS_IFD)
    except _DECODE_ERRORS:
        return None
    latitude = _signed_degrees(gps.get(_GPS_LATITUDE), gps.get(_GPS_LATITUDE_REF), "N", "S", 90)
    longitude = _signed_degrees(gps.get(_GPS_LONGITUDE), gps.get(_GPS_LONGITUDE_REF), "E", "W", 180)
    if latitude is None or longitude is None:
        return None
    # Receivers without a fix often write zeros; a point in the Gulf of Guinea is no location.
    if latitude == 0 and longitude == 0:
        return None
    return latitude, longitude


def _signed_degrees(value: Any, ref: Any, positive: str, negative: str, limit: float) -> float | None:
    """EXIF degrees/minutes/seconds rationals and an N/S or E/W reference as signed decimal degrees."""
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    hemisphere = ref.strip("\x00 ").upper() if isinstance(ref, str) else None
    if hemisphere not in (positive, negative):
        return None
    if not isinstance(value, tuple) or len(value) != 3:
        return None
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not all(math.isfinite(part) and part >= 0 for part in (degrees, minutes, seconds)):
        return None
    if minutes >= 60 or seconds >= 60:
        return None
    decimal = degrees + minutes / 60 + seconds / 3600
    if decimal > limit:
        return None
    return -decimal if hemisphere == negative else decimal


def _to_rgb(pil: ModuleType, image: Image.Image) -> Image.Image:
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        background = pil.Image.new("RGBA", rgba.size, "white")
        return pil.Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode in ("I", "I;16", "I;16B", "I;16L"):
        # 16-bit greyscale: a plain conversion would clip everything above 255 to white.
        return image.convert("I").point(lambda value: value / 256).convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def _fit(pil: ModuleType, image: Image.Image, edge: int) -> Image.Image:
    """Scale down so the long edge is at most `edge`; never scale up."""
    scale = edge / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, pil.Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode_jpeg(image: Image.Image) -> bytes:
    # Pillow's JPEG writer falls back to image.info for some markers (the comment, for one).
    image.info.clear()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def perceptual_hash(image: Image.Image) -> str:
    """A 64-bit difference hash as 16 hex digits: shrink to 9×8 grey, one bit per pair of
    horizontal neighbours (is the left one brighter?). Survives resizing and recompression."""
    pil = _pillow()
    small = image.convert("L").resize((9, 8), pil.Image.Resampling.LANCZOS)
    pixels = small.tobytes()
    bits = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


def hash_distance(a: str, b: str) -> int:
    """Hamming distance between two perceptual hashes: 0 for the same picture, ~32 for unrelated."""
    if len(a) != 16 or len(b) != 16:
        raise ValueError("perceptual hashes are 16 hex digits")
    return (int(a, 16) ^ int(b, 16)).bit_count()


@cache
def _pillow() -> ModuleType:
    """The PIL package with Image and ImageOps loaded."""
    import PIL.Image
    import PIL.ImageOps

    return PIL


@cache
def _register_heif() -> None:
    import pillow_heif

    # Only the primary image is shown; embedded thumbnails, depth maps and the like are skipped.
    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
