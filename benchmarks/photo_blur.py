"""Faces and licence plates blurred by the photo check (phananh.routing.redaction): recall on a set of
12 MP photos built here with faces and plates at known boxes, and the time the blur adds per photo,
against the same pipeline without it (check_photo(redact=False)) on the same photos in the same run.

The set, the same every run: SCENES photo-like 4032 × 3024 scenes (gradients, shapes, sensor noise),
each with four faces (scikit-image's astronaut, the one face a package ships: as shot, mirrored,
darker, brighter) and three one-line plates (drawn, different numbers), at the sizes below, measured
in the published copy (long edge 2048 px), and one two-line motorbike plate, which the cascade is
not made for (reported, not in the target).

An object counts as found when the regions the check pixelated cover at least COVERED of its box
(for a face, the box the face cascade gives on the astronaut picture: eyes to mouth). False alarms
(pixelated regions touching no object) are counted too: they cost only a blurred patch.

    python -m benchmarks.photo_blur [--runs 3] [--opencv-threads 1]

(--opencv-threads 1: OpenCV on one thread, as on a Lambda of 1,024 MB, which has under one vCPU.)
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from dataclasses import dataclass

from benchmarks.common import LAYER_DIR, REPO_ROOT, heading, median, verdict

WIDTH, HEIGHT = 4032, 3024  # 12.2 MP, a phone camera's 4:3 frame
PUBLISHED_EDGE = 2048
SCENES = 6
# Sizes in the published copy: a face's width (the face box, not the hair), a plate's width.
FACE_WIDTHS = (40, 48, 60, 75, 100, 130, 170, 220)
PLATE_WIDTHS = (60, 80, 100, 130, 170, 220, 300)
# The target's sets: frontal faces and plates of at least 40 px, a plate by its characters' line,
# which is 40 px high on a one-line plate 180 px wide and cannot be read below ~80 px wide.
TARGET_FACE_WIDTH, TARGET_PLATE_WIDTH = 40, 80
COVERED = 0.6
TARGET_RECALL = 0.8
TARGET_ADDED_MS = 300


@dataclass(frozen=True)
class Placed:
    kind: str  # "face", "plate" or "two_line_plate"
    size: int  # published px (width)
    box: tuple[float, float, float, float]  # in the 12 MP original


def make_scene(seed: int) -> tuple[bytes, list[Placed]]:
    from photo_samples import ASTRONAUT_FACE_IN_CROP, astronaut_face, licence_plate
    from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

    rng = random.Random(seed)
    sky = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    scene = Image.merge("RGB", (sky, sky.rotate(90).resize((WIDTH, HEIGHT)), Image.new("L", (WIDTH, HEIGHT), 90)))
    draw = ImageDraw.Draw(scene)
    for _ in range(40):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x, y, x + rng.randrange(100, 700), y + rng.randrange(80, 500)), fill=colour)
    noise = Image.effect_noise((WIDTH, HEIGHT), 40).filter(ImageFilter.GaussianBlur(0.6))
    scene = Image.blend(scene, Image.merge("RGB", (noise, noise, noise)), 0.18)

    up = WIDTH / PUBLISHED_EDGE  # published px → original px
    cells = [(column * 1008, row * 1008) for row in range(3) for column in range(4)]
    rng.shuffle(cells)
    placed = []
    looks = (lambda face: face, ImageOps.mirror, lambda face: ImageEnhance.Brightness(face).enhance(0.6),
             lambda face: ImageEnhance.Brightness(face).enhance(1.3))
    for index, look in enumerate(looks):
        width = FACE_WIDTHS[(seed * 4 + index) % len(FACE_WIDTHS)]
        face = look(astronaut_face(round(width * up)))
        x, y = cells.pop()
        x, y = x + rng.randrange(0, max(1, 1008 - face.width)), y + rng.randrange(0, max(1, 1008 - face.height))
        scene.paste(face, (x, y))
        left, top, side, _ = (value * width * up / 95 for value in ASTRONAUT_FACE_IN_CROP)
        placed.append(Placed("face", width, (x + left, y + top, x + left + side, y + top + side)))
    for index in range(3):
        width = PLATE_WIDTHS[(seed * 3 + index) % len(PLATE_WIDTHS)]
        number = f"{rng.randrange(11, 99)}A {rng.randrange(100, 999)}.{rng.randrange(10, 99)}"
        plate = licence_plate(round(width * up), number)
        x, y = cells.pop()
        x, y = x + rng.randrange(0, 1008 - plate.width), y + rng.randrange(0, 1008 - plate.height)
        scene.paste(plate, (x, y))
        placed.append(Placed("plate", width, (x, y, x + plate.width, y + plate.height)))
    two_line = _two_line_plate(round(140 * up))
    x, y = cells.pop()
    scene.paste(two_line, (x + 100, y + 100))
    box = (x + 100, y + 100, x + 100 + two_line.width, y + 100 + two_line.height)
    placed.append(Placed("two_line_plate", 140, box))
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=92)
    return buffer.getvalue(), placed


def _two_line_plate(width: int):
    """A Vietnamese motorbike plate: two lines on a near-square plate."""
    from PIL import Image, ImageDraw, ImageFont

    height = round(width * 0.73)
    plate = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(plate)
    draw.rectangle((0, 0, width - 1, height - 1), outline="black", width=max(1, width // 40))
    font = ImageFont.load_default(size=round(height * 0.36))
    draw.text((width * 0.12, height * 0.08), "59-H1", fill="black", font=font)
    draw.text((width * 0.08, height * 0.52), "123.45", fill="black", font=font)
    return plate


def _coverage(box, regions, scale) -> float:
    """The share of `box` (original px) inside the union of pixelated regions (published px)."""
    import numpy

    left, top, right, bottom = (round(value * scale) for value in box)
    mask = numpy.zeros((max(1, bottom - top), max(1, right - left)), dtype=bool)
    for region in regions:
        r_left, r_top, r_right, r_bottom = region.box
        mask[max(0, r_top - top):max(0, r_bottom - top), max(0, r_left - left):max(0, r_right - left)] = True
    return float(mask.mean())


def _overlaps(region, placed, scale) -> bool:
    r_left, r_top, r_right, r_bottom = region.box
    for item in placed:
        left, top, right, bottom = (value * scale for value in item.box)
        if r_left < right and left < r_right and r_top < bottom and top < r_bottom:
            return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--opencv-threads", type=int, default=1, help="0: OpenCV's default (every core)")
    arguments = parser.parse_args()
    sys.path[:0] = [str(LAYER_DIR), str(REPO_ROOT / "tests")]
    if arguments.opencv_threads:
        import cv2

        cv2.setNumThreads(arguments.opencv_threads)
    from phananh.routing import photos

    # Records what the check pixelated, as it pixelated it (the same call, the same picture).
    seen = []
    blur = photos.redacted

    def recording(image):
        published, regions = blur(image)
        seen.append(regions)
        return published, regions

    photos.redacted = recording
    dataset = [make_scene(seed) for seed in range(SCENES)]
    photos.check_photo(dataset[0][0])  # warm: Pillow and OpenCV loaded, cascades read, as on a warm Lambda
    heading(f"Photo blur: {SCENES} scenes of {WIDTH}×{HEIGHT} JPEG, {sum(len(p) for _, p in dataset)} objects, "
            f"median of {arguments.runs} runs each, OpenCV threads {arguments.opencv_threads or 'default'}")
    with_blur, without_blur, found, false_alarms = [], [], [], 0
    for data, placed in dataset:
        for _ in range(arguments.runs):
            started = time.perf_counter()
            photos.check_photo(data, redact=False)
            without_blur.append(time.perf_counter() - started)
            seen.clear()
            started = time.perf_counter()
            checked = photos.check_photo(data)
            with_blur.append(time.perf_counter() - started)
        [regions] = seen
        scale = checked.width / WIDTH
        found += [(item, _coverage(item.box, regions, scale) >= COVERED) for item in placed]
        false_alarms += sum(not _overlaps(region, placed, scale) for region in regions)

    def recall(kind, smallest=0):
        hits = [hit for item, hit in found if item.kind == kind and item.size >= smallest]
        return sum(hits) / len(hits), len(hits)

    added_ms = (median(with_blur) - median(without_blur)) * 1000
    face_recall, faces = recall("face", TARGET_FACE_WIDTH)
    plate_recall, plates = recall("plate", TARGET_PLATE_WIDTH)
    print(f"  faces ≥ {TARGET_FACE_WIDTH} px wide: recall {face_recall:.2f} of {faces}  target ≥ {TARGET_RECALL}: "
          f"{verdict(face_recall >= TARGET_RECALL)}")
    print(f"  one-line plates ≥ {TARGET_PLATE_WIDTH} px wide: recall {plate_recall:.2f} of {plates}  "
          f"target ≥ {TARGET_RECALL}: {verdict(plate_recall >= TARGET_RECALL)}")
    for kind, sizes in (("face", FACE_WIDTHS), ("plate", PLATE_WIDTHS)):
        by_size = []
        for size in sizes:
            hits = [hit for item, hit in found if item.kind == kind and item.size == size]
            if hits:
                by_size.append(f"{size} px {sum(hits)}/{len(hits)}")
        print(f"    {kind}s by width: " + ", ".join(by_size))
    two_line, count = recall("two_line_plate")
    print(f"  two-line motorbike plates (140 px wide, not in the target): recall {two_line:.2f} of {count}")
    print(f"  false alarms: {false_alarms} pixelated regions on no object in {SCENES} photos")
    print(f"  check without blur {median(without_blur) * 1000:.0f} ms, with {median(with_blur) * 1000:.0f} ms "
          f"(median per 12 MP photo; spread ±{statistics.pstdev(with_blur) * 1000:.0f} ms)")
    print(f"  added per 12 MP photo: {added_ms:+.0f} ms  target ≤ +{TARGET_ADDED_MS} ms: "
          f"{verdict(added_ms <= TARGET_ADDED_MS)}")


if __name__ == "__main__":
    main()
