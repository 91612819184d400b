"""Faces and licence plates pixelated in the copies of a photo that anyone but the owner unit sees.

The detectors are the Haar cascades that opencv-python-headless ships (no model is fetched at run
time): frontal faces, and one-line plates. They run on a grey copy reduced to DETECT_EDGE, which
bounds the time and memory a photo costs whatever its size; what they find is pixelated on the
picture itself. What they miss (faces in profile or turned away, two-line motorbike plates, small or
blurred ones) is said in docs/security.md and measured by benchmarks/photo_blur.py.

OpenCV and numpy are imported on first use: only the photos function pays for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

# Long edge of the grey copy the detectors search. A face 40 px wide in a 2048 px published copy is
# 25 px here, at the face cascade's 24 px window; the search's buffers and time grow with the square
# of the edge (1600 px: +45 MB and +35 ms per photo for the same recall, benchmarks/photo_blur.py).
DETECT_EDGE = 1280
FACE_CASCADE = "haarcascade_frontalface_default.xml"
# The plate cascade that finds drawn and real one-line plates; licence_plate_rus_16stages finds
# neither of the plates benchmarks/photo_blur.py draws.
PLATE_CASCADE = "haarcascade_russian_plate_number.xml"
# The only cascades the photos layer keeps of the ones OpenCV ships (phananh_cdk.layer).
CASCADES = (FACE_CASCADE, PLATE_CASCADE)
# Detection settings: the scale step between searched sizes, the neighbouring hits a detection
# needs (lower values find more, and more false alarms, which only cost a blurred patch), and the
# smallest size searched, in the picture's own pixels: the smallest windows are the most numerous,
# and a face under ~36 px or a plate under ~72 px wide identifies no one.
_FACE = {"scaleFactor": 1.15, "minNeighbors": 4}
_PLATE = {"scaleFactor": 1.15, "minNeighbors": 3}
MIN_FACE = 36
MIN_PLATE = (72, 24)
# A margin around each region (a share of its size): the cascades' boxes hug the eyes and mouth,
# leaving the hairline, ears and chin, which identify too.
_MARGIN = 0.2
# Blocks across a region's short side: a face 8 blocks wide cannot be recognised, and still reads
# as a blurred face rather than a hole in the photo.
_BLOCKS = 8


class DetectorMissing(Exception):
    """OpenCV's cascades are not where the package puts them: no photo may be published unblurred."""


@dataclass(frozen=True)
class Region:
    kind: str  # "face" or "plate"
    box: tuple[int, int, int, int]  # left, top, right, bottom in the picture's pixels


def find_regions(image: Image.Image) -> list[Region]:
    """The faces and plates the cascades find in an RGB picture, in its own pixels."""
    _, numpy = _opencv()
    from PIL import Image as PILImage

    scale = min(1.0, DETECT_EDGE / max(image.size))
    grey = image.convert("L")
    if scale < 1:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        grey = grey.resize(size, PILImage.Resampling.BILINEAR, reducing_gap=2.0)
    # Not equalised: on a photo with large flat areas, equalising costs the face cascade its faces.
    pixels = numpy.asarray(grey)
    found = []
    for kind, name, settings, smallest in (
        ("face", FACE_CASCADE, _FACE, (MIN_FACE, MIN_FACE)),
        ("plate", PLATE_CASCADE, _PLATE, MIN_PLATE),
    ):
        # A classifier keeps the search buffers of the last picture it ran on (60–120 MB for a
        # 1600 px copy): one loaded per search (a few ms) is freed with them before the next.
        cascade = _cascade(name)
        min_size = tuple(round(side * scale) for side in smallest)
        for left, top, width, height in cascade.detectMultiScale(pixels, minSize=min_size, **settings):
            found.append(Region(kind, _expanded((left, top, width, height), scale, image.size)))
        del cascade
    return found


def _expanded(box: Any, scale: float, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A detection box back in the picture's pixels, with the margin, inside the picture."""
    left, top, width, height = (float(value) / scale for value in box)
    margin_x, margin_y = width * _MARGIN, height * _MARGIN
    return (
        max(0, int(left - margin_x)),
        max(0, int(top - margin_y)),
        min(size[0], int(left + width + margin_x + 1)),
        min(size[1], int(top + height + margin_y + 1)),
    )


def pixelated(image: Image.Image, regions: list[Region]) -> Image.Image:
    """A copy of the picture with each region replaced by large flat blocks (a blur can be partly
    undone; averaged blocks cannot)."""
    from PIL import Image as PILImage

    out = image.copy()
    for region in regions:
        patch = out.crop(region.box)
        block = max(2, min(patch.size) // _BLOCKS)
        small = patch.resize((max(1, patch.width // block), max(1, patch.height // block)), PILImage.Resampling.BOX)
        out.paste(small.resize(patch.size, PILImage.Resampling.NEAREST), region.box[:2])
    return out


def redacted(image: Image.Image) -> tuple[Image.Image, list[Region]]:
    """The picture as it may be published, and the regions pixelated in it (none: the picture itself)."""
    regions = find_regions(image)
    return (pixelated(image, regions) if regions else image), regions


def _cascade(name: str) -> Any:
    cv2, _ = _opencv()
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    if classifier.empty():
        # Not a rejection of the photo: the check fails and is retried, and no face goes out unblurred.
        raise DetectorMissing(f"OpenCV cascade {name} is missing")
    return classifier


@cache
def _opencv() -> tuple[Any, Any]:
    import cv2
    import numpy

    return cv2, numpy
