"""`make dev`'s demo history (phananh_local.demo_history): the first start of a day, which replays 90
days of reports through the use cases, and the second, which restores them from the cache (target:
ready in under 15 s).

Each start is `python -m phananh_local` in a subprocess, as `make dev` runs it, with the history's
cache in an empty temporary folder; the figures are the stack's own lines ("Demo history: …",
"Ready in … s"). The machine's two cores are shared: figures taken while other work runs are slower
(the load average is printed with them).

    python -m benchmarks.demo_history
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

from benchmarks.common import REPO_ROOT, heading, verdict

TARGET_SECOND_START_S = 15.0
START_LIMIT_S = 900


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_once(cache_dir: str) -> tuple[float, str]:
    """Seconds until the stack said it was ready, and what it said of the history."""
    environment = {
        **os.environ,
        "PHANANH_DEMO_HISTORY_CACHE": cache_dir,
        "PYTHONPATH": os.pathsep.join(
            str(REPO_ROOT / part) for part in ("layers/shared/python", "infra/cdk", "infra/local")
        ),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "phananh_local", "--port", str(_free_port()), "--moto-port", str(_free_port()),
         "--quiet"],
        cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    history, ready = "", None
    deadline = time.monotonic() + START_LIMIT_S
    try:
        for line in process.stdout:
            if "Demo history:" in line:
                history = line.strip()
            if match := re.search(r"Ready in ([\d.]+) s", line):
                ready = float(match.group(1))
                break
            if time.monotonic() > deadline:
                break
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
    if ready is None:
        sys.exit("the local stack never said it was ready")
    return ready, history


def main() -> None:
    heading("demo history: first and second start of make dev")
    with tempfile.TemporaryDirectory(prefix="demo-history-") as cache_dir:
        for attempt in ("first start (replay)", "second start (cache)"):
            load = os.getloadavg()[0]
            ready, history = start_once(cache_dir)
            print(f"  {attempt}: ready in {ready:.1f} s (load average {load:.1f})", flush=True)
            print(f"    {history}", flush=True)
    print(f"  second start under {TARGET_SECOND_START_S:g} s: {verdict(ready < TARGET_SECOND_START_S)}", flush=True)


if __name__ == "__main__":
    main()
