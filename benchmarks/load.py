"""Load on the local stack: locust (headless, loopback only, bounded in time) files reports at a
steady rate against the whole system started as `make dev` starts it (tests/local_stack_runner.py:
moto's server with the deployed template, the edge gateway, the SQS pollers running the route
function), then waits until every report filed is routed and checks each one.

Target: 50 submissions/s for 60 s on this 2-core machine, p95 reported, 0 errors, every report
routed afterwards. Locust, the stack (gateway, handlers, moto, pollers) and this script share the
machine's two cores.

    python -m benchmarks.load [--seconds 60] [--rate 50]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO_ROOT, heading, median, percentile, use_local_aws, verdict

ROUTING_LIMIT_S = 600


def _reports_table(stack) -> str:
    dynamodb = stack.aws("dynamodb")
    for name in dynamodb.list_tables()["TableNames"]:
        indexes = dynamodb.describe_table(TableName=name)["Table"].get("GlobalSecondaryIndexes", [])
        if any(index["IndexName"] == "public_feed" for index in indexes):
            return name
    raise RuntimeError("no reports table on the local stack")


def _states(stack, table: str) -> dict[str, tuple[str, str | None]]:
    """report id → (status, owner unit) of every report on the stack."""
    paginator = stack.aws("dynamodb").get_paginator("scan")
    states = {}
    for page in paginator.paginate(TableName=table, ProjectionExpression="report_id, #s, owner_unit_id",
                                   ExpressionAttributeNames={"#s": "status"}):
        for item in page["Items"]:
            states[item["report_id"]["S"]] = (item["status"]["S"], item.get("owner_unit_id", {}).get("S"))
    return states


def unloaded_latency_ms(base_url: str, count: int = 10) -> float:
    """The median of a few submissions one at a time on the idle stack: the latency without queueing."""
    import requests

    timings = []
    for number in range(count):
        body = {"category": "roads", "description": f"Đo độ trễ khi không tải {number}",
                "location": {"lat": 9.779, "lon": 105.47}, "device_id": f"idle-phone-{number}"}
        started = time.perf_counter()
        response = requests.post(f"{base_url}/reports", json=body, timeout=60)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return median(timings)


def run_locust(base_url: str, seconds: int, rate: int, folder: Path) -> tuple[list[dict], list[str]]:
    """Every request locust made (sent at, milliseconds, status) and the report ids filed."""
    ids_file = folder / "filed.json"
    environment = {**os.environ, "BENCH_REPORT_IDS": str(ids_file), "BENCH_USER_RATE": "1"}
    command = [
        sys.executable, "-m", "locust", "-f", str(REPO_ROOT / "benchmarks" / "locustfile.py"), "--headless",
        "--host", base_url, "--users", str(rate), "--spawn-rate", str(rate), "--run-time", f"{seconds}s",
        "--stop-timeout", "120", "--only-summary", "--loglevel", "WARNING",
    ]
    subprocess.run(command, cwd=REPO_ROOT, env=environment, check=False, timeout=seconds + 240,
                   stdout=subprocess.DEVNULL)
    outcome = json.loads(ids_file.read_text(encoding="utf-8"))
    return outcome["requests"], outcome["filed"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", "60")))
    parser.add_argument("--rate", type=int, default=50, help="submissions per second (one locust user each)")
    arguments = parser.parse_args()
    use_local_aws()
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from local_stack_runner import STARTUP_LIMIT_S, LocalStack

    heading(f"Load: {arguments.rate} submissions/s for {arguments.seconds} s on the local stack (locust, loopback)")
    stack = LocalStack()
    try:
        stack.wait_for(r"Ready in", STARTUP_LIMIT_S)
        table = _reports_table(stack)
        idle_ms = unloaded_latency_ms(stack.base_url)
        before = set(_states(stack, table))
        with tempfile.TemporaryDirectory(prefix="phananh-load-") as folder:
            requests, filed = run_locust(stack.base_url, arguments.seconds, arguments.rate, Path(folder))
        load_ended = time.monotonic()
        failures = sum(1 for request in requests if request["status"] != 201)
        latencies = [request["ms"] for request in requests]
        span_s = max(request["sent"] + request["ms"] / 1000 for request in requests) - min(
            request["sent"] for request in requests)
        achieved = len(requests) / span_s
        print(f"  {len(requests)} submissions answered ({len(filed)} filed), {failures} errors, "
              f"{achieved:.1f}/s achieved over {span_s:.0f} s (those in flight at the end included); latency "
              f"p50 {percentile(latencies, 0.5):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
              f"max {max(latencies):.0f} ms")
        print(f"  one submission at a time on the idle stack: {idle_ms:.0f} ms (median of 10)")
        print(f"  target {arguments.rate}/s with 0 errors: "
              f"{verdict(failures == 0 and achieved >= 0.95 * arguments.rate)}")

        deadline = load_ended + ROUTING_LIMIT_S
        while True:
            states = _states(stack, table)
            pending = [report for report in filed if states.get(report, ("missing",))[0] == "RECEIVED"]
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(5)  # each look is a scan on the stack: rarely, to leave it the CPU
        routed = [report for report in filed if states.get(report, ("",))[0] == "ASSIGNED" and states[report][1]]
        strays = set(states) - before - set(filed)
        print(f"  routed: {len(routed)} of {len(filed)} filed, all with an owner unit, "
              f"{time.monotonic() - load_ended:.0f} s after the load ended"
              + (f"; {len(strays)} reports on the stack nobody counted as filed" if strays else ""))
        print(f"  every report filed was routed: {verdict(bool(filed) and len(routed) == len(filed))}")
    finally:
        stack.shut_down()


if __name__ == "__main__":
    main()
