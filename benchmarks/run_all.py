"""`make bench`: every benchmark, each in a fresh interpreter, one after the other (they would
disturb each other's figures if run together). A missed target is a figure, not a failure; a
benchmark that crashes makes the run fail.

    python -m benchmarks.run_all
"""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks.common import REPO_ROOT

BENCHMARKS = (
    "cold_start", "photo_check", "photo_memory", "photo_blur", "submit_latency", "lifecycle_cost", "load", "at_once",
    "console", "site", "demo_history",
)


def main() -> None:
    crashed = []
    for name in BENCHMARKS:
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], cwd=REPO_ROOT, check=False)
        print(f"  ({name}: {time.monotonic() - started:.0f} s)", flush=True)
        if result.returncode != 0:
            crashed.append(name)
    if crashed:
        sys.exit(f"benchmarks that crashed: {', '.join(crashed)}")


if __name__ == "__main__":
    main()
