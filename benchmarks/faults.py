"""`make bench-faults`: the fault run of tests/resilience/fault_run.py at 1,000 submissions (with
photos, push tokens, transfers, resolutions and ratings) under 10 % injected AWS faults, then
its reconciliation: lost, doubled and unalerted per kind, the safety nets' finds, the run's length.

It is the resilience test itself (tests/resilience/test_aws_faults.py), run by pytest for its moto
account and fixtures at the benchmark's size, so the figures are the test's own; a figure other than
0 lost, 0 doubled, 0 unalerted fails it. Ten minutes or more: not in `make bench`.

    python -m benchmarks.faults [--submissions N] [--every-nth-worked K]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from benchmarks.common import REPO_ROOT

TEST = "tests/resilience/test_aws_faults.py::test_a_tenth_of_aws_calls_failing_loses_and_doubles_nothing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--every-nth-worked", type=int, default=5, help="every Kth report worked by officers")
    arguments = parser.parse_args()
    environment = {**os.environ, "PHANANH_FAULT_SUBMISSIONS": str(arguments.submissions),
                   "PHANANH_FAULT_EVERY_NTH_WORKED": str(arguments.every_nth_worked)}
    started = time.monotonic()
    # -s: the run prints its figures; -p no:cacheprovider: a benchmark leaves no pytest cache behind.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", TEST, "-q", "-s", "-p", "no:cacheprovider", "-o", "timeout=0"],
        cwd=REPO_ROOT, env=environment, check=False,
    )
    print(f"fault benchmark: {time.monotonic() - started:.0f} s with the moto account's setup", flush=True)
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
