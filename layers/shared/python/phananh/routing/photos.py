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

from phananh.routing.redaction import redacted
from phananh.shared.errors import Text, bilingual

if TYPE_CHECKING:
    from PIL import Image

JPEG_QUALITY = 85
MAX_PIXELS = 50_000_000
# What decoding one photo may hold in memory at once. With the interpreter and Pillow (~25 MB), the
# 10 MB upload and the small working copies, a check stays under 300 MB (benchmarks/photo_memory.py),
# so one hostile photo cannot take down the function and with it the other reports of its batch.
MAX_DECODED_BYTES = 224 * 1024 * 1024

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
# AVIF files are HEIF containers too and list mif1 among their brands, but hold AV1, not HEVC.
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_PILLOW_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heic": "HEIF"}

# Bytes a pixel of Pillow's own picture by mode: 1, 2 or (every other mode, RGB included) 4.
_STORED_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2, "RGB": 4}
# Bytes a pixel the decoders hold at full size beside Pillow's picture, as measured by
# benchmarks/photo_memory.py: libwebp's canvas and previous frame and the copy it hands over;
# libheif's YUV planes (and alpha plane) and the interleaved picture it hands over.
_DECODER_BYTES = {"webp": {"": 12.0}, "heic": {"RGBA": 6.5, "": 4.5}}
# A JPEG decoded from a whole-image coefficient buffer keeps 64 two-byte coefficients per 8×8 block.
_COEFFICIENT_BYTES = 2
_JPEG_SCALES = (8, 4, 2, 1)
# The converted picture is made a band of rows at a time, so that only one full-size copy (the
# decoded picture) is ever held.
_BAND_PIXELS = 1_000_000
_ORIENTATION = 0x0112
# EXIF orientation → the turn that makes the picture upright (EXIF 2.3, tag 0x0112).
_UPRIGHTING = {
    2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE", 6: "ROTATE_270", 7: "TRANSVERSE",
    8: "ROTATE_90",
}

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
    # The copies anyone may see: faces and plates pixelated (phananh.routing.redaction).
    image: bytes
    thumbnail: bytes
    # The same picture unblurred, for the owner unit's evidence only; None when nothing was blurred.
    evidence: bytes | None
    # How many faces and plates were pixelated.
    redacted: int
    width: int
    height: int
    source_type: str
    perceptual_hash: str
    # What became of the colour profile: "none" (untagged, taken as sRGB), "converted" to sRGB, or
    # "unusable" (broken or not an RGB profile: the pixels are kept as decoded).
    colour_profile: str
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
    max_pixels: int = MAX_PIXELS,
    max_decoded_bytes: int = MAX_DECODED_BYTES,
    long_edge: int = 2048,
    thumb_edge: int = 320,
    redact: bool = True,
) -> CheckedPhoto:
    """The checked copies of an upload, or PhotoRejected. `redact=False` skips the face and plate
    blur, for benchmarks/photo_blur.py's baseline only: every published copy is made with it."""
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
                limits = _Limits(max_pixels, max_decoded_bytes, long_edge, thumb_edge, redact)
                return _process(pil, image, data, source_type, limits)
    except (pil.Image.DecompressionBombError, pil.Image.DecompressionBombWarning) as exc:
        raise _pixel_bomb(max_pixels) from exc
    except _DECODE_ERRORS as exc:
        raise PhotoRejected(
            "corrupt",
            bilingual("Tệp ảnh bị hỏng hoặc không đọc được.", "The photo file is damaged or unreadable."),
        ) from exc


@dataclass(frozen=True)
class _Limits:
    max_pixels: int
    max_decoded_bytes: int
    long_edge: int
    thumb_edge: int
    redact: bool


def _process(pil: ModuleType, image: Image.Image, data: bytes, source_type: str, limits: _Limits) -> CheckedPhoto:
    """Refuse bombs from the header alone, decode, and re-encode the upright pixels.

    Only the decoded picture is ever held at full size: it is shrunk and flattened to RGB a band
    at a time, and turned upright once small."""
    width, height = image.size
    if width * height > limits.max_pixels:
        raise _pixel_bomb(limits.max_pixels)
    sampling = _whole_image_sampling(image, data) if source_type == "jpeg" else None
    cost = decoding_cost(source_type, image.mode, image.size, has_transparency=image.has_transparency_data,
                         long_edge=limits.long_edge, whole_image_sampling=sampling)
    if cost > limits.max_decoded_bytes:
        raise _pixel_bomb(min(limits.max_pixels, width * height * limits.max_decoded_bytes // cost))
    if source_type == "jpeg":
        # Let libjpeg scale down by 1/2, 1/4 or 1/8 while decoding, never below the long edge.
        scale = _jpeg_scale(image.size, limits.long_edge)
        if scale > 1:
            # Asking for the floor of each edge makes Pillow pick exactly this scale.
            image.draft("RGB", (width // scale, height // scale))
    image.load()
    exif = _read_exif(image)
    gps = _gps_position(exif) if exif is not None else None
    profile = image.info.get("icc_profile")
    shrunk = _shrunk_rgb(pil, image, limits.long_edge)
    if shrunk is not image:
        image.close()  # the full-size picture is no longer needed: let the rest run beside the small one
    # Converted on the small copy (the same colours, a fraction of the work) and before the profile
    # is dropped with the rest of the metadata, which would leave wide-gamut pixels read as sRGB.
    shrunk, colour_profile = _to_srgb(shrunk, profile)
    rgb = _fit(pil, _upright(pil, shrunk, exif), limits.long_edge)
    # Found and pixelated on the upright, published size: the thumbnail is made from the blurred copy.
    published, regions = redacted(rgb) if limits.redact else (rgb, [])
    thumbnail = _fit(pil, published, limits.thumb_edge)
    return CheckedPhoto(
        image=_encode_jpeg(published),
        thumbnail=_encode_jpeg(thumbnail),
        evidence=_encode_jpeg(rgb) if regions else None,
        redacted=len(regions),
        width=rgb.width,
        height=rgb.height,
        source_type=source_type,
        perceptual_hash=perceptual_hash(thumbnail),
        colour_profile=colour_profile,
        gps=gps,
    )


def decoding_cost(
    source_type: str,
    mode: str,
    size: tuple[int, int],
    *,
    has_transparency: bool = False,
    long_edge: int = 2048,
    whole_image_sampling: tuple[tuple[int, int], ...] | None = None,
) -> int:
    """The bytes checking a photo holds at its peak, known from its header: Pillow's decoded
    picture in its mode (a JPEG at the reduced scale libjpeg decodes it), the decoder's own
    full-size buffers, for a progressive or multi-scan JPEG the coefficients of the whole picture
    (`whole_image_sampling`: each component's horizontal and vertical sampling factors), and the
    reduced RGB copy when the decoded picture cannot be used as it is."""
    width, height = size
    if source_type == "jpeg":
        scale = _jpeg_scale(size, long_edge)
        width, height = math.ceil(width / scale), math.ceil(height / scale)
    decoder = _DECODER_BYTES.get(source_type, {})
    per_pixel = _STORED_BYTES.get(mode, 4) + decoder.get(mode, decoder.get("", 0.0))
    cost = math.ceil(width * height * per_pixel)
    if whole_image_sampling:
        cost += _coefficient_bytes(size, whole_image_sampling)
    factor = _reduction((width, height), long_edge)
    if factor > 1 or mode != "RGB" or has_transparency:
        cost += math.ceil(width / factor) * math.ceil(height / factor) * _STORED_BYTES["RGB"]
    return cost


def _reduction(size: tuple[int, int], long_edge: int) -> int:
    """The largest whole factor a picture is reduced by that keeps its long edge at or above `long_edge`."""
    return max(1, max(size) // long_edge)


def _jpeg_scale(size: tuple[int, int], long_edge: int) -> int:
    """The denominator libjpeg decodes at (as Pillow's draft picks it): the largest of 8, 4, 2, 1
    that keeps the long edge at or above `long_edge`."""
    width, height = size
    ratio = long_edge / max(width, height)
    if ratio >= 1:
        return 1
    wanted = (max(1, math.ceil(width * ratio)), max(1, math.ceil(height * ratio)))
    room = min(width // wanted[0], height // wanted[1])
    return next(scale for scale in _JPEG_SCALES if room >= scale)


def _coefficient_bytes(size: tuple[int, int], sampling: tuple[tuple[int, int], ...]) -> int:
    width, height = size
    most_horizontal = max(horizontal for horizontal, _ in sampling)
    most_vertical = max(vertical for _, vertical in sampling)
    blocks = sum(
        math.ceil(width * horizontal / most_horizontal / 8) * math.ceil(height * vertical / most_vertical / 8)
        for horizontal, vertical in sampling
    )
    return blocks * 64 * _COEFFICIENT_BYTES


def _whole_image_sampling(image: Image.Image, data: bytes) -> tuple[tuple[int, int], ...] | None:
    """The components' sampling factors if libjpeg must buffer the whole picture's coefficients:
    a progressive JPEG, or one whose first scan leaves components for later scans."""
    sampling = tuple((horizontal, vertical) for _, horizontal, vertical, _ in getattr(image, "layer", ()))
    if not sampling:
        return None
    if image.info.get("progressive") or image.info.get("progression"):
        return sampling
    first_scan_components = _first_scan_components(data)
    if first_scan_components is not None and first_scan_components < len(sampling):
        return sampling
    return None


def _first_scan_components(data: bytes) -> int | None:
    """How many components the JPEG's first scan (SOS) holds; None if the segments end before it."""
    offset = 2
    while offset + 4 < len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker == 0xDA:
            return data[offset + 4]
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        offset += 2 + length
    return None


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


def _shrunk_rgb(pil: ModuleType, image: Image.Image, long_edge: int) -> Image.Image:
    """The picture as RGB, flattened on white, and reduced by the largest whole factor that keeps
    its long edge at or above `long_edge`; made a band of rows at a time beside the decoded picture."""
    factor = _reduction(image.size, long_edge)
    if factor == 1 and image.mode == "RGB" and not image.has_transparency_data:
        return image
    width, height = image.size
    shrunk = pil.Image.new("RGB", (math.ceil(width / factor), math.ceil(height / factor)))
    # Bands a whole number of blocks high reduce exactly as the whole picture would.
    band_height = factor * max(1, _BAND_PIXELS // (width * factor))
    for top in range(0, height, band_height):
        band = _flat_rgb(pil, image.crop((0, top, width, min(height, top + band_height))))
        shrunk.paste(band.reduce(factor) if factor > 1 else band, (0, top // factor))
    return shrunk


def _flat_rgb(pil: ModuleType, image: Image.Image) -> Image.Image:
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        flattened = pil.Image.new("RGB", rgba.size, "white")
        flattened.paste(rgba, mask=rgba)  # blends by the alpha band, onto white
        return flattened
    if image.mode in ("I", "I;16", "I;16B", "I;16L"):
        # 16-bit greyscale: a plain conversion would clip everything above 255 to white.
        return image.convert("I").point(lambda value: value / 256).convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def _to_srgb(image: Image.Image, profile: bytes | None) -> tuple[Image.Image, str]:
    """The RGB picture with its embedded ICC profile applied (an iPhone's Display P3, Adobe RGB...),
    as sRGB, which is what every browser assumes of an untagged JPEG."""
    if not profile:
        return image, "none"
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        # The picture is RGB by now: a CMYK or grey profile no longer describes its pixels.
        if source.profile.xcolor_space.strip() != "RGB":
            return image, "unusable"
        converted = ImageCms.profileToProfile(image, source, _srgb_profile(), outputMode="RGB")
    except (ImageCms.PyCMSError, *_DECODE_ERRORS):
        # A broken profile costs the colours their accuracy, never the photo.
        return image, "unusable"
    return converted, "converted"


@cache
def _srgb_profile() -> Any:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _upright(pil: ModuleType, image: Image.Image, exif: Image.Exif | None) -> Image.Image:
    """The picture turned as its EXIF orientation says (a failed EXIF read: shown as stored)."""
    turn = _UPRIGHTING.get(exif.get(_ORIENTATION)) if exif is not None else None
    return image if turn is None else image.transpose(pil.Image.Transpose[turn])


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
    """The PIL package with Image loaded."""
    import PIL.Image

    return PIL


@cache
def _register_heif() -> None:
    import pillow_heif

    # Only the primary image is shown; embedded thumbnails, depth maps and the like are skipped.
    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
