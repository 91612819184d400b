"""Soak: the stack started as `make dev` starts it (tests/local_stack_runner.py, without the demo
history) under a steady mixed load for N minutes — citizens filing reports (some with a photo posted
to the upload form the receipt gives), the demo officer working the unit's queue through the
console API (acknowledge, resolve with a note and an after-photo, transfer with a reason), and public reads — then,
once the stack is quiet, every report filed checked routed and its unit alerted.

Sampled every SAMPLE_S: the stack's resident memory (VmRSS of `phananh_local` and its children but
moto's: the gateway, the handlers, the pollers) and, apart, moto's (its child process,
phananh_local.moto_process: the AWS stand-in, whose tables, buckets and queues live in its memory,
as in the cloud they live in DynamoDB, S3 and SQS, not in any function's),
each SQS queue's oldest message age and the answers so far. moto gives no ApproximateAgeOfOldestMessage
and no way to look at a queue's messages without receiving them (which would count as a delivery
towards the dead-letter redrive), so the age is bounded from above: no message on a queue is older
than the time since the queue was last seen empty, looked at every PEEK_S. The bound is loose when
a queue is never empty for long although its messages flow (a busy stack); the time each report
waited from filing to routing, read from its audit trail afterwards, is exact for the path that
matters most.

Targets (issue #16): 0 errors, every report routed and alerted (a transferred one by its new
owner too), resident memory growing < 10 % after the first 5 minutes (a shorter run: after its
first third), no queue age above 60 s (the bound), every report routed within 60 s, no dead letters.
The load fits this 2-core machine, which the stack, moto and this script share.

    python -m benchmarks.soak [--minutes 30]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from benchmarks.common import REPO_ROOT, heading, percentile, use_local_aws, verdict

SAMPLE_S = 12
PEEK_S = 2
WARM_UP_S = 300
MAX_RSS_GROWTH = 0.10
MAX_QUEUE_AGE_S = 60
QUIET_LIMIT_S = 300
ALERT_LIMIT_S = 180
# The banner's ID tokens are valid an hour: a longer run signs the officer in again before then.
TOKEN_RENEWAL_S = 45 * 60
# Per second: what two cores shared by the stack, moto and this script sustain for half an hour. The
# stack is one process (one interpreter lock) where routing competes with the public reads (an
# Open311 list takes seconds here). At 2 submissions/s its intake queue grew by ≈ 3 messages/s; at
# 0.5/s with 3 reads/s it fell behind after ≈ 4 minutes (a report waited > 2 min to be routed).
SUBMISSIONS_PER_S = 0.5
ACTIONS_PER_S = 0.5
READS_PER_S = 1.0
PHOTO_SHARE = 4  # one submission in PHOTO_SHARE carries a photo
# A phone's address files at most the per-address bucket's burst (30) before the next one takes
# over, as many citizens do: the rate limits stay the real ones and are never what is measured.
SUBMISSIONS_PER_ADDRESS = 20
OFFICER_UNIT = "so_xay_dung"
# The places the demo rules give to OFFICER_UNIT (roads, lighting) and to another unit (waste).
FILINGS = (
    ("roads", {"lat": 9.779, "lon": 105.47}),
    ("lighting", {"lat": 9.7795, "lon": 105.4705}),
    ("waste", {"lat": 9.7785, "lon": 105.4695}),
)
# The officer's round: per five actions three reports taken from the queue, one of them transferred.
ROUND = ("acknowledge", "resolve", "acknowledge", "resolve", "transfer")
EXPECTED = {"submit": {201}, "photo": {200, 201, 204}, "acknowledge": {200}, "resolve": {200},
            "transfer": {200}, "officer queue": {200}, "public": {200}}


# --- the pure parts: what the figures are and whether they meet the targets ----------------------

@dataclass(frozen=True)
class Sample:
    at_s: float  # seconds since the load began
    rss_kib: int  # the stack's processes, moto's left out
    queue_age_s: dict[str, float]  # queue name → the bound on its oldest message's age
    answers: int
    errors: int
    moto_kib: int = 0  # moto's process: the store of what was filed


def rss_growth(samples: Sequence[Sample], warm_up_s: float) -> tuple[Sample, Sample, float]:
    """The first sample at or after `warm_up_s`, the last one, and the growth from one to the other
    (0.10 = 10 %). The first minutes fill caches and pools; what comes after must stay flat."""
    if not samples:
        raise ValueError("no samples")
    base = next((sample for sample in samples if sample.at_s >= warm_up_s), samples[-1])
    last = samples[-1]
    return base, last, last.rss_kib / base.rss_kib - 1


def warm_up_for(run_s: float) -> float:
    """The first 5 minutes, or the first third of a run too short to have 5 minutes of warm-up."""
    return min(WARM_UP_S, run_s / 3)


def oldest_age_bound(last_empty_at: float | None, first_seen_at: float, now: float) -> float:
    """No message on a queue is older than the time since it was last seen empty (or since it was
    first looked at, if never seen empty)."""
    return now - (first_seen_at if last_empty_at is None else last_empty_at)


@dataclass(frozen=True)
class Outcome:
    errors: int
    filed: int
    routed: int
    alerted: int
    transfers: int
    transfers_alerted: int
    rss_growth: float
    max_queue_age_s: float
    max_routing_wait_s: float
    dead_letters: int


def verdicts(outcome: Outcome) -> dict[str, bool]:
    return {
        "0 errors": outcome.errors == 0,
        "every report routed": outcome.filed > 0 and outcome.routed == outcome.filed,
        "every report's unit alerted": outcome.filed > 0 and outcome.alerted == outcome.filed,
        "every transfer's new owner alerted": outcome.transfers_alerted == outcome.transfers,
        "memory growth after warm-up < 10 %": outcome.rss_growth < MAX_RSS_GROWTH,
        f"every report routed within {MAX_QUEUE_AGE_S} s": outcome.max_routing_wait_s <= MAX_QUEUE_AGE_S,
        f"no queue age above {MAX_QUEUE_AGE_S} s (bound)": outcome.max_queue_age_s <= MAX_QUEUE_AGE_S,
        "no dead letters": outcome.dead_letters == 0,
    }


def routing_waits_s(events: Iterable[tuple[str, str, str]]) -> dict[str, float]:
    """report id → seconds from its filing to its first routing, from its audit trail's
    (report id, action, ISO time) events; reports never routed are left out."""
    filed_at: dict[str, datetime] = {}
    routed_at: dict[str, datetime] = {}
    for report_id, action, at in events:
        moment = datetime.fromisoformat(at)
        if action == "submit":
            filed_at[report_id] = moment
        elif action == "route":
            routed_at[report_id] = min(moment, routed_at.get(report_id, moment))
    return {report_id: (routed_at[report_id] - filed_at[report_id]).total_seconds()
            for report_id in routed_at if report_id in filed_at}


def report_ids_in(text: str) -> set[str]:
    """The report ids an alert names (`[Phản ánh PA…]`, `Phản ánh PA…:`)."""
    return set(re.findall(r"Phản ánh (PA[0-9A-Z]+)", text))


def new_report_alerts(sent: dict) -> dict[str, set[tuple[str, ...]]]:
    """report id → the recipients of each new-report alert sent for it (("email", addresses…) or
    ("sns", topic)), from moto's record of what was sent (GET /moto-api/data.json)."""
    alerted: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for message in sent.get("ses", {}).get("Message", []):
        subject = message.get("subject") or ""
        if "New report" in subject:
            addresses = sorted(message.get("destinations", {}).get("ToAddresses", []))
            for report_id in report_ids_in(subject):
                alerted[report_id].add(("email", *addresses))
    for topic in sent.get("sns", {}).get("Topic", []):
        for _, text, *_ in topic.get("sent_notifications", []):
            if "New report" in text:
                for report_id in report_ids_in(text):
                    alerted[report_id].add(("sns", topic.get("arn") or topic.get("name", "")))
    return alerted


def owners_alerted(recipients: set[tuple[str, ...]]) -> int:
    """How many owners a report's new-report alerts reached: each owner unit gets one alert per
    channel, so the channel with the most distinct recipients counts them (a unit without e-mail
    addresses is still reached by its topic)."""
    per_channel: dict[str, int] = defaultdict(int)
    for channel, *_ in recipients:
        per_channel[channel] += 1
    return max(per_channel.values(), default=0)


# --- measuring ----------------------------------------------------------------------------------

def _descendants(root: int) -> list[int]:
    children = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[parent].append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children[pid])
    return found


def _resident_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


def _is_moto(pid: int) -> bool:
    try:
        return b"phananh_local.moto_process" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def resident_kib(root: int) -> tuple[int, int]:
    """VmRSS of a process and all its descendants, as (moto's process left out, moto's process)."""
    moto_pids = {pid for pid in _descendants(root) if _is_moto(pid)}
    moto_tree = {pid for moto in moto_pids for pid in _descendants(moto)}
    everything = [(_resident_kib(pid), pid in moto_tree) for pid in _descendants(root)]
    return sum(kib for kib, moto in everything if not moto), sum(kib for kib, moto in everything if moto)


class QueueWatch(threading.Thread):
    """Every queue of the account (listed, not named: queues come and go with the design), looked
    at every PEEK_S: when each was last seen empty, and what the dead-letter queues hold.

    A message sent with a delay (the photo cut-off's) is not waiting for anyone until its delay has
    passed, so the delayed ones are left out of "empty". Dead-letter queues are those another queue's
    redrive policy names, and the stream's failed-events queue: nothing consumes them."""

    WAITING = ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")

    def __init__(self, sqs, stop: threading.Event):
        super().__init__(name="queue-watch", daemon=True)
        self.sqs, self.stop = sqs, stop
        self.first_seen: dict[str, float] = {}
        self.last_empty: dict[str, float | None] = {}
        self.depth: dict[str, int] = {}
        self.delayed: dict[str, int] = {}
        self.dead_letter_queues: set[str] = set()
        self.lock = threading.Lock()

    def look(self) -> None:
        now = time.monotonic()
        looked = {}
        for url in self.sqs.list_queues().get("QueueUrls", []):
            looked[url.rsplit("/", 1)[1]] = self.sqs.get_queue_attributes(
                QueueUrl=url, AttributeNames=["All"])["Attributes"]
        dead_letter_queues = {name for name in looked if "failed" in name} | {
            json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"].rsplit(":", 1)[1]
            for attributes in looked.values() if attributes.get("RedrivePolicy")
        }
        with self.lock:
            self.dead_letter_queues = dead_letter_queues
            for name, attributes in looked.items():
                depth = sum(int(attributes.get(kind, "0")) for kind in self.WAITING)
                self.first_seen.setdefault(name, now)
                self.last_empty.setdefault(name, None)
                self.depth[name] = depth
                self.delayed[name] = int(attributes.get("ApproximateNumberOfMessagesDelayed", "0"))
                if depth == 0:
                    self.last_empty[name] = now

    def run(self) -> None:
        while not self.stop.wait(PEEK_S):
            self.look()

    def ages(self) -> dict[str, float]:
        now = time.monotonic()
        with self.lock:
            return {name: oldest_age_bound(self.last_empty[name], self.first_seen[name], now)
                    for name in self.first_seen if name not in self.dead_letter_queues}

    def dead_letters(self) -> dict[str, int]:
        with self.lock:
            return {name: self.depth[name] + self.delayed[name] for name in self.dead_letter_queues
                    if self.depth.get(name) or self.delayed.get(name)}

    def busy(self) -> dict[str, int]:
        with self.lock:
            return {name: depth for name, depth in self.depth.items() if name not in self.dead_letter_queues and depth}

    def waiting_out_a_delay(self) -> int:
        with self.lock:
            return sum(count for name, count in self.delayed.items() if name not in self.dead_letter_queues)


@dataclass
class Tally:
    """Every answer by kind: latency, and those not among the kind's expected statuses."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    server_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, started: float, status: int | None, detail: str = "") -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        family = kind.split()[0] if kind.startswith("public") else kind
        with self.lock:
            self.latencies[kind].append(elapsed_ms)
            if status not in EXPECTED[family]:
                self.errors[kind].append(f"{status}: {detail[:200]}")
                self.server_errors += status is not None and status >= 500

    def counts(self) -> tuple[int, int]:
        with self.lock:
            return (sum(len(values) for values in self.latencies.values()),
                    sum(len(values) for values in self.errors.values()))


def _from_address(address: str):
    from requests.adapters import HTTPAdapter

    class FromAddress(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (address, 0)
            super().init_poolmanager(*args, **kwargs)

    return FromAddress()


def _paced(rate_per_s: float, stop: threading.Event, step: Callable[[int], None]) -> None:
    """`step(n)` at a fixed rate until stopped; late steps run at once (the schedule is not
    stretched, so a slow stack shows as latency, not as a lower rate)."""
    period, next_at = 1 / rate_per_s, time.monotonic()
    for number in itertools.count():
        if stop.wait(max(0.0, next_at - time.monotonic())):
            return
        step(number)
        next_at += period


class Load:
    def __init__(self, base_url: str, tokens: dict[str, tuple[str, str]], tally: Tally, photos: list[bytes]):
        import requests

        self.base_url, self.tally, self.photos = base_url, tally, photos
        self.officer_id, token = tokens["officer"]
        self.officer = requests.Session()
        self.officer.headers["Authorization"] = f"Bearer {token}"
        self.public = requests.Session()
        self.filed: list[str] = []
        self.officer_unit_filed: list[str] = []
        self.acknowledged: list[str] = []
        self.acted: set[str] = set()
        self.transferred: dict[str, str] = {}
        self.resolved = self.idle = 0
        self.published: list[str] = []
        self.lock = threading.Lock()
        units = self.officer.get(f"{base_url}/officer/units", timeout=30).json()["units"]
        self.transfer_to = sorted(unit["unit_id"] for unit in units
                                  if unit["unit_id"] not in (OFFICER_UNIT, "ban_dieu_phoi"))
        self.submitters = threading.local()

    # citizens
    def submit(self, number: int) -> None:
        import requests

        category, location = FILINGS[number % len(FILINGS)]
        with_photo = number % PHOTO_SHARE == 0
        address = f"127.{100 + number // SUBMISSIONS_PER_ADDRESS // 62500}." \
                  f"{(number // SUBMISSIONS_PER_ADDRESS) // 250 % 250}.{2 + (number // SUBMISSIONS_PER_ADDRESS) % 250}"
        session = getattr(self.submitters, "session", None)
        if session is None or getattr(self.submitters, "address", None) != address:
            session = self.submitters.session = requests.Session()
            session.mount("http://", _from_address(address))
            self.submitters.address = address
        body = {"category": category, "description": f"Phản ánh thử bền số {number}: ổ gà, đèn hỏng, rác.",
                "location": location, "device_id": f"soak-phone-{uuid.uuid4()}",
                "photo_count": 1 if with_photo else 0}
        started = time.perf_counter()
        try:
            answer = session.post(f"{self.base_url}/reports", json=body, timeout=60,
                                  headers={"Idempotency-Key": str(uuid.uuid4())})
        except requests.RequestException as error:
            self.tally.record("submit", started, None, repr(error))
            return
        self.tally.record("submit", started, answer.status_code, answer.text)
        if answer.status_code != 201:
            return
        receipt = answer.json()
        with self.lock:
            self.filed.append(receipt["report_id"])
            if category != "waste":
                self.officer_unit_filed.append(receipt["report_id"])
        self._post_photos(receipt.get("uploads", []), number)

    def _post_photos(self, uploads: list[dict], number: int) -> None:
        import requests

        for upload in uploads:
            started = time.perf_counter()
            try:
                posted = requests.post(upload["url"], data={**upload["fields"], "Content-Type": "image/jpeg"},
                                       files={"file": ("photo.jpg", self.photos[number % len(self.photos)],
                                                       "image/jpeg")}, timeout=60)
            except requests.RequestException as error:
                self.tally.record("photo", started, None, repr(error))
                continue
            self.tally.record("photo", started, posted.status_code, posted.text)

    # the officer
    def renew_token(self, moto_port: int) -> None:
        """A fresh ID token for the officer, as `make token` gets one from the running stack."""
        path = os.pathsep.join(str(REPO_ROOT / part) for part in ("layers/shared/python", "infra/cdk", "infra/local"))
        token = subprocess.run(
            [sys.executable, "-m", "phananh_local.identities", self.officer_id, "--moto-port", str(moto_port)],
            cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": path}, capture_output=True, text=True, check=True,
            timeout=120,
        ).stdout.strip()
        self.officer.headers["Authorization"] = f"Bearer {token}"

    def _officer_call(self, kind: str, method: str, path: str, **kwargs):
        import requests

        started = time.perf_counter()
        try:
            answer = self.officer.request(method, f"{self.base_url}{path}", timeout=60, **kwargs)
        except requests.RequestException as error:
            self.tally.record(kind, started, None, repr(error))
            return None
        self.tally.record(kind, started, answer.status_code, answer.text)
        return answer if answer.status_code == 200 else None

    def _assigned(self) -> str | None:
        answer = self._officer_call("officer queue", "GET", "/officer/reports",
                                    params={"status": "ASSIGNED", "limit": 50})
        if answer is None:
            return None
        with self.lock:
            for item in answer.json()["reports"]:
                if item["report_id"] not in self.acted:
                    self.acted.add(item["report_id"])
                    return item["report_id"]
        return None

    def act(self, number: int) -> None:
        action = ROUND[number % len(ROUND)]
        if action == "resolve":
            with self.lock:
                report_id = self.acknowledged.pop(0) if self.acknowledged else None
            # With the after-photo a field needs to be resolved (issue #18's proof of fix).
            resolved = report_id and self._officer_call(
                "resolve", "POST", f"/officer/reports/{report_id}/resolve",
                json={"note": f"Đã xử lý xong ({number}).", "photo_count": 1})
            if resolved:
                self._post_photos(resolved.json().get("uploads", []), number)
                with self.lock:
                    self.resolved += 1
            return
        report_id = self._assigned()
        if report_id is None:
            with self.lock:
                self.idle += 1  # nothing routed to the unit yet: the officer waits for the next round
            return
        if action == "acknowledge":
            if self._officer_call("acknowledge", "POST", f"/officer/reports/{report_id}/acknowledge",
                                  json={"note": "Đã tiếp nhận."}):
                with self.lock:
                    self.acknowledged.append(report_id)
            return
        to_unit = self.transfer_to[number % len(self.transfer_to)]
        if self._officer_call("transfer", "POST", f"/officer/reports/{report_id}/transfer",
                              json={"to_unit_id": to_unit, "reason": "Không thuộc thẩm quyền của đơn vị."}):
            with self.lock:
                self.transferred[report_id] = to_unit

    # everyone
    def read(self, number: int) -> None:
        import requests

        with self.lock:
            known = list(self.published)
        paths = [("public list", "/public/reports?limit=20"), ("public league", "/public/league"),
                 ("public scorecards", "/public/scorecards"),
                 ("public open311", "/open311/v2/requests.json")]
        if known:
            paths.append(("public report", f"/public/reports/{known[(number * 7919) % len(known)]}"))
        kind, path = paths[number % len(paths)]
        started = time.perf_counter()
        try:
            answer = self.public.get(f"{self.base_url}{path}", timeout=60)
        except requests.RequestException as error:
            self.tally.record(kind, started, None, repr(error))
            return
        self.tally.record(kind, started, answer.status_code, f"{path} {answer.text}")
        if kind == "public list" and answer.status_code == 200:
            # A reader opens a report the list showed (not every report filed is published).
            with self.lock:
                self.published.extend(item["report_id"] for item in answer.json()["reports"])
                del self.published[:-200]


def _workers(count: int, rate_per_s: float, stop: threading.Event, step: Callable[[int], None],
             name: str) -> list[threading.Thread]:
    """`count` threads sharing `rate_per_s`, their step numbers interleaved (worker k: k, k+count, …)."""
    def run(offset: int) -> None:
        _paced(rate_per_s / count, stop, lambda n: step(n * count + offset))

    return [threading.Thread(target=run, args=(offset,), name=f"{name}-{offset}", daemon=True)
            for offset in range(count)]


def _audit_events(stack) -> list[tuple[str, str, str]]:
    """(report id, action, time) of every submit and route event on the stack: the audit table is
    the one keyed by report id and event key (found by its keys, as tables are named by the template)."""
    dynamodb = stack.aws("dynamodb")
    for name in dynamodb.list_tables()["TableNames"]:
        keys = {key["AttributeName"] for key in dynamodb.describe_table(TableName=name)["Table"]["KeySchema"]}
        if keys == {"report_id", "event_key"}:
            break
    else:
        raise RuntimeError("no audit table on the local stack")
    events = []
    for page in dynamodb.get_paginator("scan").paginate(
            TableName=name, ProjectionExpression="report_id, #a, #t",
            FilterExpression="#a IN (:submit, :route)",
            ExpressionAttributeNames={"#a": "action", "#t": "at"},
            ExpressionAttributeValues={":submit": {"S": "submit"}, ":route": {"S": "route"}}):
        events += [(item["report_id"]["S"], item["action"]["S"], item["at"]["S"]) for item in page["Items"]]
    return events


def _error_lines(stack) -> list[str]:
    """What the stack printed at level ERROR or as a traceback while it ran (its access log is off)."""
    while not stack.lines.empty():
        stack.output.append(stack.lines.get())
    return [line.strip() for line in stack.output
            if re.search(r'"level":\s*"(ERROR|CRITICAL)"|^Traceback|\bERROR\b', line)]


def _moto_sent(moto_url: str) -> dict:
    import requests

    answer = requests.get(f"{moto_url}/moto-api/data.json", timeout=300)
    answer.raise_for_status()
    return answer.json()


def _wait(check: Callable[[], bool], limit_s: float, every_s: float) -> float:
    """Seconds until `check()` held (or the limit passed)."""
    started = time.monotonic()
    while not check() and time.monotonic() - started < limit_s:
        time.sleep(every_s)
    return time.monotonic() - started


def _print_latencies(tally: Tally, kinds: Iterable[str]) -> None:
    for kind in kinds:
        values = tally.latencies.get(kind)
        if values:
            print(f"    {kind:<18} {len(values):>6} answers, {len(tally.errors.get(kind, [])):>3} errors; "
                  f"p50 {percentile(values, 0.5):>5.0f} ms, p95 {percentile(values, 0.95):>5.0f} ms, "
                  f"max {max(values):>6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", "30")))
    arguments = parser.parse_args()
    run_s = arguments.minutes * 60
    use_local_aws()
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from local_stack_runner import STARTUP_LIMIT_S, LocalStack, banner_tokens
    from photo_samples import jpeg_with_gps

    from benchmarks.load import _reports_table, _states

    heading(f"Soak: {SUBMISSIONS_PER_S:g} submissions/s (1 in {PHOTO_SHARE} with a photo), "
            f"{ACTIONS_PER_S:g} officer actions/s, {READS_PER_S:g} public reads/s for "
            f"{arguments.minutes:g} min on the local stack")
    stack = LocalStack(demo_history=False)
    stop = threading.Event()
    try:
        stack.wait_for(r"Ready in", STARTUP_LIMIT_S)
        table = _reports_table(stack)
        tally = Tally()
        photos = [jpeg_with_gps(colour=(40 * n, 120, 200 - 40 * n)) for n in range(4)]
        load = Load(stack.base_url, banner_tokens(stack), tally, photos)
        watch = QueueWatch(stack.aws("sqs"), stop)
        watch.look()
        watch.start()
        # Enough workers that answers of a few seconds (the machine is shared) do not lower the rates.
        threads = (_workers(3, SUBMISSIONS_PER_S, stop, load.submit, "submit")
                   + _workers(3, ACTIONS_PER_S, stop, load.act, "act")
                   + _workers(4, READS_PER_S, stop, load.read, "read"))
        began = time.monotonic()
        for thread in threads:
            thread.start()
        samples: list[Sample] = []
        token_renewed = began
        print(f"  {'min':>5} {'RSS MiB':>8} {'moto MiB':>8} {'answers':>8} {'errors':>6}  "
              "oldest message (s, bound), per queue")
        while time.monotonic() - began < run_s:
            time.sleep(min(SAMPLE_S, max(0.0, run_s - (time.monotonic() - began))))
            answers, errors = tally.counts()
            stack_kib, moto_kib = resident_kib(stack.process.pid)
            sample = Sample(time.monotonic() - began, stack_kib, watch.ages(), answers, errors, moto_kib)
            samples.append(sample)
            if time.monotonic() - token_renewed > TOKEN_RENEWAL_S:
                load.renew_token(stack.moto_port)
                token_renewed = time.monotonic()
            worst = sorted(sample.queue_age_s.items(), key=lambda item: -item[1])[:3]
            print(f"  {sample.at_s / 60:>5.1f} {sample.rss_kib / 1024:>8.0f} {sample.moto_kib / 1024:>8.0f} "
                  f"{answers:>8} {errors:>6}  "
                  + ", ".join(f"{name} {age:.0f}" for name, age in worst), flush=True)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        load_s = time.monotonic() - began

        # Quiet: every queue empty and no report filed still RECEIVED; then what moto recorded as sent.
        filed = list(load.filed)
        unrouted: list[str] = []

        def quiet() -> bool:
            nonlocal unrouted
            watch.look()
            if watch.busy():
                return False
            states = _states(stack, table)
            unrouted = [report for report in filed if states.get(report, ("RECEIVED",))[0] == "RECEIVED"]
            return not unrouted

        quiet_s = _wait(quiet, QUIET_LIMIT_S, 5)
        sent: dict[str, set[tuple[str, ...]]] = {}
        moto_state: dict = {}

        def everyone_alerted() -> bool:
            nonlocal sent, moto_state
            moto_state = _moto_sent(stack.moto_url)
            sent = new_report_alerts(moto_state)
            return all(report in sent for report in filed) and all(
                owners_alerted(sent.get(report, set())) >= 2 for report in load.transferred)

        alert_wait_s = _wait(everyone_alerted, ALERT_LIMIT_S, 10)
        alerted = sum(1 for report in filed if report in sent)
        transfers_alerted = sum(1 for report in load.transferred if owners_alerted(sent.get(report, set())) >= 2)
        dead = watch.dead_letters()

        filed_set = set(filed)
        waits = [wait for report, wait in routing_waits_s(_audit_events(stack)).items() if report in filed_set]
        warm_up_s = warm_up_for(load_s)
        base, last, growth = rss_growth(samples, warm_up_s)
        max_age = max((age for sample in samples for age in sample.queue_age_s.values()), default=0.0)
        answers, errors = tally.counts()
        outcome = Outcome(errors=errors, filed=len(filed), routed=len(filed) - len(unrouted), alerted=alerted,
                          transfers=len(load.transferred), transfers_alerted=transfers_alerted,
                          rss_growth=growth, max_queue_age_s=max_age, max_routing_wait_s=max(waits, default=0.0),
                          dead_letters=sum(dead.values()))

        print(f"  run: {load_s / 60:.1f} min of load; quiet {quiet_s:.0f} s later, alerts all seen "
              f"{alert_wait_s:.0f} s after that")
        def rate(kinds: Callable[[str], bool]) -> float:
            return sum(len(values) for kind, values in tally.latencies.items() if kinds(kind)) / load_s

        print(f"  achieved: {rate(lambda kind: kind == 'submit'):.2f} submissions/s, "
              f"{rate(lambda kind: kind in ('acknowledge', 'resolve', 'transfer')):.2f} officer actions/s "
              f"({load.idle} rounds found nothing to act on), {rate(lambda kind: kind.startswith('public')):.2f} "
              f"public reads/s")
        print(f"  {answers} answers, {errors} errors ({tally.server_errors} 5xx):")
        _print_latencies(tally, sorted(tally.latencies))
        for kind, found in sorted(tally.errors.items()):
            print(f"    ! {kind}: {len(found)} errors, e.g. {found[0]}")
        print(f"  filed {len(filed)}, routed {outcome.routed}, alerted {alerted}; transferred {outcome.transfers}, "
              f"new owner alerted {transfers_alerted}; resolved {load.resolved}")
        if unrouted:
            print(f"    ! not routed: {unrouted[:10]}")
        missing = [report for report in filed if report not in sent]
        if missing:
            print(f"    ! no new-report alert: {missing[:10]}")
        print(f"  resident memory of the stack (moto's process apart): {base.rss_kib / 1024:.0f} MiB at "
              f"{base.at_s / 60:.1f} min (after the warm-up), {last.rss_kib / 1024:.0f} MiB at {last.at_s / 60:.1f} "
              f"min: {growth:+.1%}; first sample {samples[0].rss_kib / 1024:.0f} MiB")
        if base.moto_kib:
            print(f"  moto's process (the store of what was filed): {base.moto_kib / 1024:.0f} MiB → "
                  f"{last.moto_kib / 1024:.0f} MiB: {last.moto_kib / base.moto_kib - 1:+.1%}")
        if waits:
            print(f"  filed → routed (audit trail, whole seconds): p50 {percentile(waits, 0.5):.0f} s, "
                  f"p95 {percentile(waits, 0.95):.0f} s, max {max(waits):.0f} s")
        worst_queue = {name: max(sample.queue_age_s.get(name, 0.0) for sample in samples)
                       for name in samples[-1].queue_age_s}
        print("  oldest message per queue, at most (s): "
              + ", ".join(f"{name} {age:.0f}" for name, age in sorted(worst_queue.items())))
        print(f"  oldest message on any queue: at most {max_age:.0f} s; {watch.waiting_out_a_delay()} photo "
              f"cut-off messages still waiting out their delay"
              + (f"; dead letters {dead}" if dead else "; no dead letters"))
        # moto's dashboard keeps every model instance it ever made (each item a scan or query copied,
        # each message deleted): a growth of the stack's memory that is moto's, not ours.
        kept = {f"{service} {model}": len(moto_state.get(service, {}).get(model, []))
                for service, model in (("dynamodb", "Item"), ("sqs", "Message"))}
        print("  moto keeps " + ", ".join(f"{count} {name} instances" for name, count in kept.items())
              + f" for {len(filed)} reports filed")
        logged = _error_lines(stack)
        print(f"  the stack logged {len(logged)} error lines" + (f", e.g. {logged[0][:300]}" if logged else ""))
        for name, met in verdicts(outcome).items():
            print(f"  {name}: {verdict(met)}")
    finally:
        stop.set()
        stack.shut_down()


if __name__ == "__main__":
    main()
