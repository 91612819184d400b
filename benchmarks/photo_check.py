"""The photo check of a 12-megapixel phone photo: our pipeline (phananh.routing.photos.check_photo, what the
route function runs: validate, decode, apply the orientation, strip, re-encode ≤ 2048 px, thumbnail,
perceptual hash) against ImageMagick's `convert -auto-orient -strip -resize 2048x2048` on the same
file, and the peak memory of ours.

The photo is made here, the same every run (seeded noise over smooth gradients and shapes, as JPEG
quality 92 with EXIF: camera, time, GPS and orientation 6, "rotate 90°").

Peak memory: the peak resident set (VmHWM) of a fresh interpreter that imports the pipeline, reads
the file and checks it once, minus that of a fresh interpreter that only imports the pipeline. (Not
ru_maxrss: Linux carries a parent's ru_maxrss into the children it forks, VmHWM starts anew at exec.)

    python -m benchmarks.photo_check [--runs 7]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import heading, median, verdict

WIDTH, HEIGHT = 4032, 3024  # 12.2 MP, a phone camera's 4:3 frame
TARGET_RATIO = 0.4
TARGET_PEAK_MB = 200


def make_phone_photo() -> bytes:
    """A photo-like 12 MP JPEG: gradients, shapes and sensor noise compress like a real scene."""
    import piexif
    from PIL import Image, ImageDraw, ImageFilter

    sky = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    scene = Image.merge("RGB", (sky, sky.rotate(90).resize((WIDTH, HEIGHT)), Image.new("L", (WIDTH, HEIGHT), 90)))
    draw = ImageDraw.Draw(scene)
    for index in range(60):
        x, y = (index * 677) % WIDTH, (index * 379) % HEIGHT
        colour = ((index * 37) % 256, (index * 91) % 256, (index * 53) % 256)
        draw.ellipse((x, y, x + 200 + index * 7, y + 150 + index * 5), fill=colour)
    noise = Image.effect_noise((WIDTH, HEIGHT), 40).filter(ImageFilter.GaussianBlur(0.6))
    scene = Image.blend(scene, Image.merge("RGB", (noise, noise, noise)), 0.18)
    exif = piexif.dump({
        "0th": {piexif.ImageIFD.Make: b"PhoneMaker", piexif.ImageIFD.Model: b"Model X",
                piexif.ImageIFD.Orientation: 6},
        "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2026:11:20 08:15:00",
                 piexif.ExifIFD.BodySerialNumber: b"SERIAL-BENCH-0001"},
        "GPS": {piexif.GPSIFD.GPSLatitudeRef: b"N", piexif.GPSIFD.GPSLatitude: ((9, 1), (46, 1), (4476, 100)),
                piexif.GPSIFD.GPSLongitudeRef: b"E", piexif.GPSIFD.GPSLongitude: ((105, 1), (28, 1), (1272, 100))},
    })
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def imagemagick() -> list[str]:
    """The real ImageMagick: `magick`, else `convert` — a `convert` that is not ImageMagick (this
    machine has a stand-in in /usr/local/bin) does not count."""
    for command in (["magick"], ["convert"], ["/usr/bin/convert"]):
        found = shutil.which(command[0])
        if not found:
            continue
        version = subprocess.run([found, "-version"], capture_output=True, text=True, check=False).stdout
        if version.startswith("Version: ImageMagick"):
            return [found]
    raise SystemExit("ImageMagick is not installed: apt-get install -y imagemagick (make bench does)")


def time_ours(data: bytes, runs: int) -> tuple[float, dict]:
    from phananh.routing.photos import check_photo

    checked = check_photo(data)  # warm: Pillow imported and its plugins registered, as on a warm Lambda
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        check_photo(data)
        timings.append(time.perf_counter() - started)
    return median(timings), {"size": (checked.width, checked.height), "gps": checked.gps,
                             "bytes": len(checked.image), "thumbnail_bytes": len(checked.thumbnail)}


def time_imagemagick(command: list[str], source: Path, runs: int, threads: int | None = None) -> float:
    """ImageMagick's median wall time; `threads` limits its OpenMP threads (None: all cores)."""
    target = source.with_name("imagemagick.jpg")
    environment = {**os.environ, **({"MAGICK_THREAD_LIMIT": str(threads)} if threads else {})}
    timings = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        subprocess.run([*command, str(source), "-auto-orient", "-strip", "-resize", "2048x2048", str(target)],
                       check=True, env=environment)
        timings.append(time.perf_counter() - started)
    return median(timings[1:])  # the first run reads the file from disk into the page cache


_PEAK = """
import json, sys
from phananh.routing.photos import check_photo, _pillow

def peak_kb():
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0])

_pillow()
if sys.argv[1] == "check":
    with open(sys.argv[2], "rb") as photo:
        check_photo(photo.read())
print(json.dumps({"peak_kb": peak_kb()}))
"""


def peak_memory_mb(source: Path) -> tuple[float, float]:
    """(peak of the check above the interpreter with the pipeline imported, that baseline), MB."""
    def run(mode: str) -> dict:
        result = subprocess.run([sys.executable, "-c", _PEAK, mode, str(source)], capture_output=True, text=True,
                                check=True)
        return json.loads(result.stdout)

    idle, busy = run("idle"), run("check")
    return (busy["peak_kb"] - idle["peak_kb"]) / 1024, idle["peak_kb"] / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    command = imagemagick()
    data = make_phone_photo()
    with tempfile.TemporaryDirectory(prefix="phananh-bench-") as folder:
        source = Path(folder) / "phone.jpg"
        source.write_bytes(data)
        heading(f"Photo check: {WIDTH}×{HEIGHT} JPEG ({len(data) / 1e6:.1f} MB, EXIF with GPS, orientation 6), "
                f"median of {arguments.runs}")
        ours, facts = time_ours(data, arguments.runs)
        theirs = time_imagemagick(command, source, arguments.runs)
        theirs_one_thread = time_imagemagick(command, source, arguments.runs, threads=1)
        peak, baseline = peak_memory_mb(source)
    ratio = ours / theirs
    gps = tuple(round(part, 5) for part in facts["gps"]) if facts["gps"] else None
    print(f"  ours (check_photo)       {ours * 1000:7.0f} ms  → {facts['size'][0]}×{facts['size'][1]} "
          f"{facts['bytes'] // 1024} KB + thumbnail {facts['thumbnail_bytes'] // 1024} KB, GPS read {gps}")
    print(f"  ImageMagick ({Path(command[0]).name})  {theirs * 1000:7.0f} ms  (-auto-orient -strip -resize 2048x2048)")
    print(f"  ratio {ratio:.2f}×  target ≤ {TARGET_RATIO}×: {verdict(ratio <= TARGET_RATIO)}")
    print(f"  (ImageMagick on one thread, as ours runs: {theirs_one_thread * 1000:.0f} ms, "
          f"ratio {ours / theirs_one_thread:.2f}×)")
    print(f"  peak memory of one check: {peak:.0f} MB above the interpreter with Pillow loaded "
          f"({baseline:.0f} MB; VmHWM of fresh processes)  target ≤ {TARGET_PEAK_MB} MB: "
          f"{verdict(peak <= TARGET_PEAK_MB)}")


if __name__ == "__main__":
    main()
