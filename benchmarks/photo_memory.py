"""Peak memory of the photo check on the worst photo of each kind it accepts: the largest square
picture of each format and pixel mode that passes its limits, made to be small on the wire
(smooth gradients compress to almost nothing, as a bomb would), checked once in a fresh process.

The cases: baseline and progressive JPEG (a progressive or multi-scan JPEG keeps every DCT
coefficient of the whole picture while decoding), CMYK JPEG, RGBA PNG, palette PNG with a
transparent colour, 16-bit greyscale PNG, WebP with alpha, and HEIC (pillow-heif writes it).

Peak memory is the peak resident set (VmHWM) of the child, set against that of a fresh child that
only imports the pipeline with Pillow and pillow-heif loaded (the baseline, same run). Not the
parent's getrusage(RUSAGE_CHILDREN).ru_maxrss: Linux carries the parent's own peak into every
child it forks, and the parent here holds the pictures it builds.

    python -m benchmarks.photo_memory [--side PIXELS]   # --side: every case at that square size
"""

from __future__ import annotations

import argparse
import io
import json
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.common import LAYER_DIR, heading, verdict

if TYPE_CHECKING:
    from PIL import Image

TARGET_PEAK_MB = 300


def _gradient(side: int, angle: int = 0) -> Image.Image:
    from PIL import Image

    return Image.linear_gradient("L").rotate(angle).resize((side, side))


def rgba(side: int) -> Image.Image:
    from PIL import Image

    return Image.merge("RGBA", (_gradient(side), _gradient(side, 90), _gradient(side, 180), _gradient(side, 270)))


def rgb(side: int) -> Image.Image:
    from PIL import Image

    return Image.merge("RGB", (_gradient(side), _gradient(side, 90), _gradient(side, 180)))


def _save(image, image_format: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **params)
    return out.getvalue()


def jpeg_baseline(side: int) -> bytes:
    return _save(rgb(side), "JPEG", quality=90)


def jpeg_progressive(side: int) -> bytes:
    return _save(rgb(side), "JPEG", quality=90, progressive=True, subsampling=0)


def jpeg_cmyk(side: int) -> bytes:
    return _save(rgba(side).convert("CMYK"), "JPEG", quality=90, progressive=True, subsampling=0)


def png_rgba(side: int) -> bytes:
    return _save(rgba(side), "PNG", compress_level=9)


def png_palette(side: int) -> bytes:
    palette = _gradient(side).quantize(16)
    return _save(palette, "PNG", transparency=0, compress_level=9)


def png_grey16(side: int) -> bytes:
    grey = _gradient(side).convert("I").point(lambda value: value * 256).convert("I;16")
    return _save(grey, "PNG", compress_level=9)


def webp_alpha(side: int) -> bytes:
    return _save(rgba(side), "WEBP", quality=50, method=0)


def heic(side: int) -> bytes:
    import pillow_heif

    out = io.BytesIO()
    pillow_heif.from_pillow(rgb(side)).save(out, quality=50)
    return out.getvalue()


# Whole-image coefficient buffers of the progressive cases: every component sampled in full (4:4:4).
FULL_RGB, FULL_CMYK = ((1, 1),) * 3, ((1, 1),) * 4
# name → (builder, sniffed type, Pillow's mode on opening, sampling of a whole-image JPEG buffer)
CASES: dict[str, tuple[Callable[[int], bytes], str, str, tuple[tuple[int, int], ...] | None]] = {
    "JPEG baseline 4:2:0": (jpeg_baseline, "jpeg", "RGB", None),
    "JPEG progressive 4:4:4": (jpeg_progressive, "jpeg", "RGB", FULL_RGB),
    "JPEG CMYK progressive": (jpeg_cmyk, "jpeg", "CMYK", FULL_CMYK),
    "PNG RGBA": (png_rgba, "png", "RGBA", None),
    "PNG palette + transparency": (png_palette, "png", "P", None),
    "PNG 16-bit grey": (png_grey16, "png", "I;16", None),
    "WebP with alpha": (webp_alpha, "webp", "RGBA", None),
    "HEIC": (heic, "heic", "RGB", None),
}


def largest_accepted_side(source_type: str, mode: str, sampling: tuple[tuple[int, int], ...] | None) -> int:
    """The largest square the check lets through for this kind, by its own limits."""
    from phananh.routing.photos import MAX_DECODED_BYTES, MAX_PIXELS, decoding_cost

    def accepted(side: int) -> bool:
        cost = decoding_cost(source_type, mode, (side, side), whole_image_sampling=sampling)
        return side * side <= MAX_PIXELS and cost <= MAX_DECODED_BYTES

    low, high = 1, math.isqrt(MAX_PIXELS)
    while low < high:
        middle = (low + high + 1) // 2
        if accepted(middle):
            low = middle
        else:
            high = middle - 1
    return low


_CHILD = """
import json, sys
from phananh.routing.photos import PhotoRejected, check_photo, _pillow, _register_heif

def peak_kb():
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0])

_pillow()
_register_heif()
outcome = "idle"
if len(sys.argv) > 1:
    with open(sys.argv[1], "rb") as photo:
        data = photo.read()
    try:
        checked = check_photo(data)
        outcome = f"accepted → {checked.width}×{checked.height}"
    except PhotoRejected as error:
        outcome = f"refused: {error.reason}"
print(json.dumps({"peak_kb": peak_kb(), "outcome": outcome}))
"""


def run_child(*arguments: str) -> dict:
    result = subprocess.run([sys.executable, "-c", _CHILD, *arguments], capture_output=True, text=True, check=False,
                            env={"PYTHONPATH": str(LAYER_DIR), "PATH": "/usr/bin:/bin"})
    if result.returncode != 0:
        # Killed or crashed: the peak is unknown, the check did not survive.
        return {"peak_kb": None, "outcome": f"died (exit {result.returncode}): {result.stderr.strip()[-200:]}"}
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--side", type=int, help="check every case at this square size instead of its largest")
    parser.add_argument("--only", action="append", help="run only the cases whose name contains this")
    arguments = parser.parse_args()
    baseline_mb = run_child()["peak_kb"] / 1024
    heading(f"Photo check memory: the worst accepted photo of each kind, peak RSS of a fresh process "
            f"(baseline: interpreter with Pillow and pillow-heif loaded, {baseline_mb:.0f} MB)")
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="phananh-bench-") as folder:
        for name, (build, source_type, mode, sampling) in CASES.items():
            if arguments.only and not any(part.lower() in name.lower() for part in arguments.only):
                continue
            side = arguments.side or largest_accepted_side(source_type, mode, sampling)
            started = time.monotonic()
            data = build(side)
            built = time.monotonic() - started
            path = Path(folder) / "photo"
            path.write_bytes(data)
            measured = run_child(str(path))
            if measured["peak_kb"] is None:
                peak_text, worst = "    ? MB", float("inf")
            else:
                peak = measured["peak_kb"] / 1024
                peak_text = f"{peak:5.0f} MB (+{peak - baseline_mb:4.0f})"
                worst = max(worst, peak)
            print(f"  {name:28} {side}×{side} ({side * side / 1e6:4.1f} MP, {len(data) / 1024:6.0f} KB, "
                  f"built in {built:3.0f} s)  peak {peak_text}  {measured['outcome']}", flush=True)
    print(f"  worst peak {worst:.0f} MB  target < {TARGET_PEAK_MB} MB: {verdict(worst < TARGET_PEAK_MB)}")


if __name__ == "__main__":
    main()
