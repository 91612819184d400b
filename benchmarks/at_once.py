"""At once: a citizen's photo uploaded through the presigned form their receipt gives → the owner
unit's new-report e-mail sent, on the stack started as `make dev` starts it (tests/local_stack_runner.py,
without the demo history).

A report with photos is routed once its photos are checked (or at the upload window's cut-off), so
the path measured is the whole of "at once": S3's upload event → the uploads queue → the photo check
→ the intake queue → routing → the outbox → the alert's delivery → SES. The time an e-mail was sent is
when the stack printed it (its alert printer reads moto's sent mail every 0.5 s, so each figure may
carry up to 0.5 s that is the printer's, not the system's).

Two phases in one run: the idle stack (the baseline) and the same uploads with citizens filing in the
background (1 in 4 with a photo, as the soak files them). Target (issue #17): p95 ≤ 3 s with 10
submissions/s in the background; a stack that cannot keep up with the background shows as a miss, with
the background rate it reached printed beside it.

    python -m benchmarks.at_once [--uploads 100] [--background 10]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field

from benchmarks.common import REPO_ROOT, heading, percentile, use_local_aws, verdict

TARGET_P95_S = 3.0
IDLE_UPLOADS = 20
UPLOADS_PER_S = 1.0
ALERT_LIMIT_S = 300
# The measured citizens file from addresses of their own, a few reports each, so that the per-address
# rate limit (a burst of 30) is never what is measured.
REPORTS_PER_ADDRESS = 10
PLACE = {"category": "roads", "location": {"lat": 9.779, "lon": 105.47}}


@dataclass
class AlertClock:
    """When the stack printed each report's first new-report e-mail, read from its output as it comes."""

    seen_at: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def follow(self, stack, stop: threading.Event) -> None:
        import queue

        from benchmarks.soak import report_ids_in

        while not stop.is_set():
            try:
                line = stack.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            arrived = time.monotonic()
            if "✉" in line and "New report" in line:
                with self.lock:
                    for report_id in report_ids_in(line):
                        self.seen_at.setdefault(report_id, arrived)

    def seen(self, report_id: str) -> float | None:
        with self.lock:
            return self.seen_at.get(report_id)


@dataclass
class Uploads:
    """The measured reports: each filed with one photo, the photo posted to its form; when it was."""

    base_url: str
    photo: bytes
    uploaded_at: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    filed: int = 0

    def one(self, number: int) -> None:
        import requests

        from benchmarks.soak import _from_address

        session = requests.Session()
        block = number // REPORTS_PER_ADDRESS
        session.mount("http://", _from_address(f"127.200.{block // 250 % 250}.{2 + block % 250}"))
        body = {**PLACE, "description": f"Đo thời gian báo ngay, ảnh số {number}: ổ gà trên đường.",
                "device_id": f"at-once-{uuid.uuid4()}", "photo_count": 1}
        try:
            answer = session.post(f"{self.base_url}/reports", json=body, timeout=60,
                                  headers={"Idempotency-Key": str(uuid.uuid4())})
            if answer.status_code != 201:
                self.failures.append(f"submit {answer.status_code}: {answer.text[:200]}")
                return
            receipt = answer.json()
            self.filed += 1
            upload = receipt["uploads"][0]
            posted = requests.post(upload["url"], data={**upload["fields"], "Content-Type": "image/jpeg"},
                                   files={"file": ("photo.jpg", self.photo, "image/jpeg")}, timeout=60)
        except requests.RequestException as error:
            self.failures.append(repr(error))
            return
        if posted.status_code not in (200, 201, 204):
            self.failures.append(f"photo {posted.status_code}: {posted.text[:200]}")
            return
        self.uploaded_at[receipt["report_id"]] = time.monotonic()


def _measure(uploads: Uploads, clock: AlertClock, count: int, first: int) -> list[float]:
    """`count` uploads at UPLOADS_PER_S (each in its own thread, so a slow answer does not lower the
    rate), then the seconds from each upload to its e-mail, waiting up to ALERT_LIMIT_S for the last."""
    threads, before = [], set(uploads.uploaded_at)
    next_at = time.monotonic()
    for number in range(first, first + count):
        time.sleep(max(0.0, next_at - time.monotonic()))
        thread = threading.Thread(target=uploads.one, args=(number,), daemon=True)
        thread.start()
        threads.append(thread)
        next_at += 1 / UPLOADS_PER_S
    for thread in threads:
        thread.join(timeout=120)
    mine = {report: at for report, at in uploads.uploaded_at.items() if report not in before}
    deadline = time.monotonic() + ALERT_LIMIT_S
    while time.monotonic() < deadline and any(clock.seen(report) is None for report in mine):
        time.sleep(0.5)
    return [seen - at for report, at in mine.items() if (seen := clock.seen(report)) is not None]


def _print_phase(name: str, waits: list[float], asked: int) -> None:
    if not waits:
        print(f"  {name}: no e-mail seen for any of {asked} uploads")
        return
    print(f"  {name}: {len(waits)}/{asked} alerted; upload → e-mail p50 {percentile(waits, 0.5):.2f} s, "
          f"p95 {percentile(waits, 0.95):.2f} s, max {max(waits):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=100)
    parser.add_argument("--background", type=float, default=10.0, help="background submissions per second")
    arguments = parser.parse_args()
    use_local_aws()
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from local_stack_runner import STARTUP_LIMIT_S, LocalStack, banner_tokens
    from photo_samples import jpeg_with_gps

    from benchmarks.soak import Load, Tally, _workers

    heading(f"At once: photo uploaded → the unit's e-mail, {IDLE_UPLOADS} uploads on the idle stack, then "
            f"{arguments.uploads} with {arguments.background:g} submissions/s in the background")
    stack = LocalStack(demo_history=False)
    stop = threading.Event()
    try:
        stack.wait_for(r"Ready in", STARTUP_LIMIT_S)
        tokens = banner_tokens(stack)
        clock = AlertClock()
        threading.Thread(target=clock.follow, args=(stack, stop), name="alert-clock", daemon=True).start()
        uploads = Uploads(stack.base_url, jpeg_with_gps(colour=(200, 120, 40)))

        idle = _measure(uploads, clock, IDLE_UPLOADS, 0)
        _print_phase("idle stack (baseline)", idle, IDLE_UPLOADS)

        tally = Tally()
        background = Load(stack.base_url, tokens, tally, [jpeg_with_gps(colour=(40, 120, 200))])
        background_stop = threading.Event()
        workers = (_workers(8, arguments.background, background_stop, background.submit, "background")
                   if arguments.background else [])
        began = time.monotonic()
        for worker in workers:
            worker.start()
        loaded = _measure(uploads, clock, arguments.uploads, IDLE_UPLOADS)
        background_stop.set()
        load_s = time.monotonic() - began
        _print_phase("with background submissions", loaded, arguments.uploads)
        submitted = len(tally.latencies.get("submit", []))
        _, errors = tally.counts()
        print(f"  background: {submitted / load_s:.1f} submissions/s reached of {arguments.background:g} asked "
              f"over {load_s:.0f} s, {errors} errors")
        if uploads.failures:
            print(f"    ! {len(uploads.failures)} measured uploads failed, e.g. {uploads.failures[0]}")
        if idle and loaded:
            print(f"  p95 with the background / idle: {percentile(loaded, 0.95) / percentile(idle, 0.95):.1f}×")
        met = len(loaded) == arguments.uploads and bool(loaded) and percentile(loaded, 0.95) <= TARGET_P95_S
        print(f"  p95 ≤ {TARGET_P95_S:g} s with every upload alerted: {verdict(met)}")
    finally:
        stop.set()
        stack.shut_down()


if __name__ == "__main__":
    main()
