"""AWS calls per report lifecycle, and what 1,000 reports cost at published on-demand prices.

One report's whole life on moto (the account deployed from the synthesized CDK template), driven
through the real apps as their triggers would: submit (with a contact and one photo) → the phone's
upload → the photos function's check → routing → the owner unit's alerts (then the photo cutoff
message 15 minutes later, a no-op) → its acknowledge deadline missed: the sweeper starts the
escalation state machine, which records level 1, and the outbox alerts the unit head → acknowledge
→ resolve with one after-photo (checked by the photos function) → rate (5, fixed: closed). After
every step every event source the template defines is drained as Lambda's would deliver it (the
local stack's pollers: the photos, intake and delivery queues, and the reports stream to the
outbox and to the scorecards), so each function the step sets off is counted, the e-mails and
texts the outbox sends too. The lifecycle runs twice and the second is counted, so that what a
container fetches once (the HMAC secret, the officers' pool keys, the ward map) is not.

The pollers' own requests are Lambda's event source mappings, not our code: a receive that
brought messages and each delete are priced as SQS requests; empty receives (idle polling, a
fixed cost whatever the volume) and the stream reads (free for a Lambda trigger) are left out.

Every call is counted by botocore's event hooks (before-parameter-build / before-call / after-call,
registered as built-in handlers, so PynamoDB's clients and moto's state machine interpreter are
counted too). DynamoDB capacity is estimated from the items' sizes by DynamoDB's rules (reads per
4 KB, half for eventually consistent; writes per 1 KB; transactions twice; a write also writes
each global secondary index that holds the item).

    python -m benchmarks.lifecycle_cost
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

from benchmarks.common import AwsCalls, deployed_moto, heading, sms_texts, verdict

# Issue #17's target: the modelled lifecycle, one escalation included, at most $0.40 per 1,000 reports.
TARGET_PER_1000_USD = 0.40
APPS = ("submit", "photos", "route", "deliver", "handle", "rate", "schedule")

# On-demand list prices, Asia Pacific (Singapore) ap-southeast-1, USD, as the AWS pricing pages
# (https://aws.amazon.com/{lambda,api-gateway,dynamodb,s3,sqs,sns,step-functions,ses,kms,secrets-manager}/pricing/)
# gave them in 2025 (DynamoDB on-demand after its 1 November 2024 price cut). This machine cannot
# reach those pages: re-check them before quoting a total. No free tier is counted.
PRICES_AS_OF = "AWS list prices of 2025, ap-southeast-1, on-demand, no free tier; not re-checked offline"
PRICES = {
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second": 0.0000166667,  # x86
    "api_gateway_rest_request": 3.50 / 1e6,
    "dynamodb_write_unit": 0.7125 / 1e6,
    "dynamodb_read_unit": 0.1425 / 1e6,
    "s3_put_request": 0.005 / 1000,  # PUT, COPY, POST, LIST
    "s3_get_request": 0.0004 / 1000,  # GET, HEAD
    "sqs_request": 0.40 / 1e6,  # standard queue, per 64 KB chunk
    "sns_publish": 0.50 / 1e6,  # the API request; SMS deliveries are priced per message and country
    "step_functions_transition": 0.025 / 1000,  # Standard workflows
    "ses_email": 0.10 / 1000,  # per recipient
    "kms_request": 0.03 / 10000,
    "secrets_manager_request": 0.05 / 10000,
}
EXCLUDED = (
    "SMS deliveries (SNS/End User Messaging, priced per message for Vietnam; counted above, not priced)",
    "mobile push deliveries (none: no push token given)",
    "storage (DynamoDB GB-month, S3 GB-month), data transfer out, CloudWatch Logs and metrics",
    "Cognito (ID tokens of a user pool's sign-ins), KMS key-month ($1), Secrets Manager secret-month ($0.40)",
    "fixed schedules (the sweeper every 5 min and the hourly/daily jobs: ≈ 9,500 invocations a month "
    "whatever the volume) and reads by viewers (following a report, the public feed, photo GETs)",
    "DynamoDB Streams reads (free when a Lambda trigger reads them)",
)

# The steps that happen only because a deadline was missed.
ESCALATION_STEPS = ("sweeper", "escalation")
_TABLE_INDEX_KEYS: dict[str, list[list[str]]] = {}


def _value_size(value: dict) -> float:
    (kind, inner), = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return len(str(inner).lstrip("-").replace(".", "")) / 2 + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(_value_size({kind[0]: element}) for element in inner)
    if kind == "M":
        return 3 + sum(len(name.encode()) + _value_size(element) + 1 for name, element in inner.items())
    if kind == "L":
        return 3 + sum(_value_size(element) + 1 for element in inner)
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: dict | None) -> float:
    return sum(len(name.encode()) + _value_size(value) for name, value in (item or {}).items())


class CapacityEstimate:
    """Read and write units of the recorded DynamoDB calls, with the items looked up afterwards
    where the call did not carry them (updates)."""

    def __init__(self, calls: AwsCalls):
        import boto3

        self.calls = calls
        self.dynamodb = boto3.client("dynamodb")

    def _index_keys(self, table: str) -> list[list[str]]:
        """The key attributes of each global secondary index: an item is in a (sparse) index only
        when it has all of them."""
        if table not in _TABLE_INDEX_KEYS:
            with self.calls.unrecorded():
                description = self.dynamodb.describe_table(TableName=table)["Table"]
            _TABLE_INDEX_KEYS[table] = [
                [key["AttributeName"] for key in index["KeySchema"]]
                for index in description.get("GlobalSecondaryIndexes", [])
            ]
        return _TABLE_INDEX_KEYS[table]

    def _stored(self, table: str, key: dict) -> dict | None:
        with self.calls.unrecorded():
            return self.dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")

    def _write(self, table: str, item: dict | None, factor: int = 1) -> float:
        """One item written: its units on the table and on each index that holds it."""
        units = max(1, math.ceil(item_size(item) / 1024))
        copies = 1 + sum(1 for keys in self._index_keys(table) if item and all(key in item for key in keys))
        return units * copies * factor

    def units(self, call: dict) -> tuple[float, float]:
        """(read units, write units) of one recorded DynamoDB call."""
        operation, params, parsed = call["operation"], call["params"], call["parsed"]
        consistent = 1 if params.get("ConsistentRead") else 0.5
        if operation == "GetItem":
            return max(1, math.ceil(item_size(parsed.get("Item")) / 4096)) * consistent, 0
        if operation in ("Query", "Scan"):
            size = sum(item_size(item) for item in parsed.get("Items", []))
            return max(1, math.ceil(size / 4096)) * consistent, 0
        if operation == "PutItem":
            return 0, self._write(params["TableName"], params["Item"])
        if operation in ("UpdateItem", "DeleteItem"):
            return 0, self._write(params["TableName"], self._stored(params["TableName"], params["Key"]))
        if operation == "BatchWriteItem":
            return 0, sum(self._write(table, request.get("PutRequest", {}).get("Item"))
                          for table, requests in params["RequestItems"].items() for request in requests)
        if operation == "TransactWriteItems":
            writes = 0.0
            for entry in params["TransactItems"]:
                (kind, detail), = entry.items()
                item = detail.get("Item") if kind == "Put" else self._stored(detail["TableName"], detail["Key"])
                writes += self._write(detail["TableName"], item, factor=2)
            return 0, writes
        if operation in ("DescribeTable", "ListTables"):
            return 0, 0
        raise ValueError(f"no capacity rule for DynamoDB {operation}")


class Lifecycle:
    """One report driven through the apps; each step's AWS calls and Lambda time kept apart."""

    def __init__(self, deployment, calls: AwsCalls):
        from chalice.test import Client

        from phananh_local.apps import app_dir, load_chalice_app
        from phananh_local.identities import id_token_for

        self.deployment, self.calls = deployment, calls
        self.environment = deployment.environment
        self.clients = {
            name: Client(load_chalice_app(name).app, project_dir=str(app_dir(name)))
            for name in ("submit", "route", "handle", "rate")
        }
        with calls.unrecorded():
            self.officer_token = id_token_for("so_xay_dung.officer")
        self.steps: list[dict] = []
        self.invocations: list[tuple[str, float, str]] = []  # (app, seconds, step)
        self.current_step = ""
        self.api_requests = 0
        self.modelled: Counter[str] = Counter()
        self.transitions = 0
        self.release_waits = threading.Event()
        self._start_event_sources()

    # --- helpers -----------------------------------------------------------------------------

    def _step(self, name: str, action):
        first = len(self.calls.records)
        self.current_step = name
        result = action()
        main_thread = [call for call in self.calls.since(first) if call["thread"] == threading.main_thread().name]
        self._count_pollers([call for call in main_thread if self.is_pollers(call)])
        self.steps.append({"name": name, "calls": [call for call in main_thread if not self.is_pollers(call)]})
        return result

    def _timed(self, app: str, action):
        started = time.perf_counter()
        result = action()
        self.invocations.append((app, time.perf_counter() - started, self.current_step))
        return result

    def _api(self, app: str, method: str, path: str, body: dict, headers: dict | None = None):
        self.api_requests += 1
        headers = {"Content-Type": "application/json", **(headers or {})}
        response = self._timed(app, lambda: self.clients[app].http.request(
            method, path, headers=headers, body=json.dumps(body).encode()))
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.body[:300]!r}")
        return response.json_body

    def _start_event_sources(self) -> None:
        """The template's queue and stream triggers, as the local stack's pollers play them; the
        streams from now on (what an earlier lifecycle changed is not this one's)."""
        from phananh_local.dispatch import SqsPoller, StreamPoller

        with self.calls.unrecorded():
            self.pollers = []
            for spec in self.deployment.functions:
                self.pollers += [SqsPoller(spec, url, size, stop=None, run_handler=self._invoked)
                                 for url, size in spec.sqs_sources]
                for source in spec.stream_sources:
                    poller = StreamPoller(spec, source, stop=None, run_handler=self._invoked)
                    poller.start_at_latest()
                    self.pollers.append(poller)
        self.polled_queues = {poller.queue_url for poller in self.pollers if hasattr(poller, "queue_url")}

    def _invoked(self, spec, event: dict):
        from phananh_local.dispatch import invoke

        return self._timed(spec.app, lambda: invoke(spec, event))

    def _drain(self) -> None:
        """Every trigger delivers what it holds, until nothing is left: each function the step set off."""
        while sum(poller.poll_once() for poller in self.pollers):
            pass

    def is_pollers(self, call: dict) -> bool:
        """A request of Lambda's event source mappings (see the module's docstring), not of our code."""
        if call["service"] == "streams.dynamodb":
            return True
        return (call["service"] == "sqs" and call["operation"] in ("ReceiveMessage", "DeleteMessage")
                and call["params"].get("QueueUrl") in self.polled_queues)

    def _count_pollers(self, calls: list[dict]) -> None:
        for call in calls:
            if call["operation"] == "DeleteMessage" or call["parsed"].get("Messages"):
                self.modelled[f"sqs:{call['operation']} (Lambda's poller)"] += 1

    def _route_message(self, body: str) -> None:
        """A message on the intake queue as its trigger delivers it (a batch of 1)."""
        route = self.clients["route"]
        event = route.events.generate_sqs_event(message_bodies=[body], queue_name="phananh-intake")
        payload = self._timed("route", lambda: route.lambda_.invoke("handle_intake", event).payload)
        if payload["batchItemFailures"]:
            raise RuntimeError(f"intake failed: {payload}")
        self.modelled["sqs:ReceiveMessage (Lambda's poller)"] += 1
        self.modelled["sqs:DeleteMessage (Lambda's poller)"] += 1

    def _upload(self, key: str, photo: bytes) -> None:
        """The phone's presigned POST (an S3 PUT-class request), and the notification S3 queues."""
        import boto3

        boto3.client("s3").put_object(Bucket=self.environment["PHANANH_PHOTOS_BUCKET"], Key=key, Body=photo)
        self.modelled["sqs:SendMessage (S3 notification)"] += 1

    def _report(self, report_id: str):
        from phananh import bootstrap

        with self.calls.unrecorded():
            return bootstrap.ports().reports.get(report_id)

    def _wait_for(self, condition, limit_s: float = 30):
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            with self.calls.unrecorded():
                value = condition()
            if value:
                return value
            time.sleep(0.05)
        raise RuntimeError("the escalation did not get there in time")

    # --- the lifecycle -----------------------------------------------------------------------

    def run(self, photo: bytes) -> None:
        import boto3

        from phananh import bootstrap
        from phananh.escalation import sweeper
        from phananh.shared.settings import get_settings

        officer = {"Authorization": f"Bearer {self.officer_token}"}
        receipt = self._step("submit", lambda: self._api("submit", "POST", "/reports", {
            "category": "roads", "description": "Ổ gà lớn trước chợ Vị Thanh, xe máy dễ té.",
            "location": {"lat": 9.779, "lon": 105.47}, "photo_count": 1,
            "contact": {"phone": "0912345678", "share_with_officer": True}, "device_id": "bench-phone-1",
        }, {"Idempotency-Key": str(uuid.uuid4())}))  # the app sends one with every filing
        report_id = receipt["report_id"]
        self._step("submit: outbox, scorecards", self._drain)
        self._step("phone uploads the photo", lambda: self._upload(receipt["uploads"][0]["key"], photo))
        self._step("photo check, routing, owner's alerts", self._drain)
        self._step("route: photo cutoff (a no-op)", lambda: self._route_message(
            json.dumps({"type": "report.photo_cutoff", "report_id": report_id})))

        due = self._report(report_id).acknowledge_due_at
        settings = get_settings()
        arn = settings.escalation_state_machine_arn
        self._step("sweeper: breach found, execution started", lambda: sweeper.sweep(
            ports=bootstrap.ports(), now=due + timedelta(minutes=1)))
        self._wait_for(lambda: (self._report(report_id).escalation_level or 0) >= 1)
        self._step("escalation: level 1's alerts, scorecards", self._drain)

        self._step("acknowledge", lambda: self._api(
            "handle", "POST", f"/officer/reports/{report_id}/acknowledge", {"note": "Đã nhận, sẽ xử lý."}, officer))
        self.release_waits.set()
        sfn = boto3.client("stepfunctions")
        execution = self._wait_for(lambda: next((
            item for item in sfn.list_executions(stateMachineArn=arn)["executions"]
            if item["name"].startswith(report_id) and item["status"] != "RUNNING"), None))
        self.release_waits.clear()
        with self.calls.unrecorded():
            history = sfn.get_execution_history(executionArn=execution["executionArn"], maxResults=1000)["events"]
        self.transitions += sum(1 for event in history if event["type"].endswith("StateEntered"))
        self._step("acknowledge: outbox, scorecards", self._drain)

        resolved = self._step("resolve (one after-photo)", lambda: self._api(
            "handle", "POST", f"/officer/reports/{report_id}/resolve",
            {"note": "Đã vá ổ gà.", "photo_count": 1}, officer))
        self._step("officer uploads the after-photo", lambda: self._upload(resolved["uploads"][0]["key"], photo))
        self._step("after-photo check, outbox, scorecards", self._drain)
        self._step("rate", lambda: self._api(
            "rate", "POST", f"/reports/{report_id}/rating", {"score": 5, "fixed": True},
            {"Authorization": f"Bearer {receipt['tracking_token']}"}))
        self._step("rate: outbox, scorecards", self._drain)

    def escalation_calls(self, first: int) -> list[dict]:
        main = threading.main_thread().name
        return [call for call in self.calls.since(first) if call["thread"] != main]


def _hold_waits(release: threading.Event) -> None:
    """The state machine's Wait states block until the lifecycle lets them go (moto waits in real
    time: an hour's wait for level 2 would never end here)."""
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction

    def held(self, env, wait_seconds):
        while not release.wait(0.02) and env.is_running():
            pass

    WaitFunction._wait_interval = held


def _memory_mb(assembly: Path) -> dict[str, int]:
    """Each app's function memory, from its synthesized stack."""
    memory = {}
    for app in APPS:
        template = json.loads((assembly / f"phananh-{app}.template.json").read_text(encoding="utf-8"))
        sizes = [resource["Properties"].get("MemorySize", 128) for resource in template["Resources"].values()
                 if resource["Type"] in ("AWS::Lambda::Function", "AWS::Serverless::Function")]
        memory[app] = max(sizes)
    return memory


def price(calls: list[dict], lifecycle: Lifecycle, capacity: CapacityEstimate, memory: dict[str, int],
          *, escalated: bool = True):
    """Cost lines (what, count, USD) for the recorded calls of one lifecycle; without `escalated`,
    for the same lifecycle had nobody missed the deadline."""
    invocations = [(app, seconds) for app, seconds, step in lifecycle.invocations
                   if escalated or not step.startswith(ESCALATION_STEPS)]
    transitions = lifecycle.transitions if escalated else 0
    lines: list[tuple[str, float, float]] = []
    reads = writes = 0.0
    by_service: dict[str, Counter] = defaultdict(Counter)
    for call in calls:
        by_service[call["service"]][call["operation"]] += 1
        if call["service"] == "dynamodb":
            read, write = capacity.units(call)
            reads, writes = reads + read, writes + write
    s3 = by_service.get("s3", Counter())
    s3_puts = sum(count for operation, count in s3.items() if operation in ("PutObject", "CopyObject", "ListObjectsV2"))
    s3_gets = sum(count for operation, count in s3.items() if operation in ("GetObject", "HeadObject"))
    sqs_requests = sum(by_service.get("sqs", Counter()).values()) + sum(
        count for name, count in lifecycle.modelled.items() if name.startswith("sqs:"))
    emails = sum(
        sum(len(call["params"].get("Destination", {}).get(field, [])) for field in ("ToAddresses", "CcAddresses",
                                                                                   "BccAddresses"))
        for call in calls if call["service"] == "email" and call["operation"] == "SendEmail"
    )
    gb_seconds = sum(memory[app] / 1024 * max(0.001, math.ceil(seconds * 1000) / 1000)
                     for app, seconds in invocations)
    lines += [
        ("Lambda invocations", len(invocations), len(invocations) * PRICES["lambda_request"]),
        ("Lambda GB-seconds (measured here, on moto)", gb_seconds, gb_seconds * PRICES["lambda_gb_second"]),
        ("API Gateway REST requests", lifecycle.api_requests,
         lifecycle.api_requests * PRICES["api_gateway_rest_request"]),
        ("DynamoDB write units (estimated)", writes, writes * PRICES["dynamodb_write_unit"]),
        ("DynamoDB read units (estimated)", reads, reads * PRICES["dynamodb_read_unit"]),
        ("S3 PUT-class requests", s3_puts, s3_puts * PRICES["s3_put_request"]),
        ("S3 GET-class requests", s3_gets, s3_gets * PRICES["s3_get_request"]),
        ("SQS requests", sqs_requests, sqs_requests * PRICES["sqs_request"]),
        ("SNS publishes", by_service.get("sns", Counter())["Publish"],
         by_service.get("sns", Counter())["Publish"] * PRICES["sns_publish"]),
        ("Step Functions state transitions", transitions, transitions * PRICES["step_functions_transition"]),
        ("SES e-mails (recipients)", emails, emails * PRICES["ses_email"]),
        ("KMS requests", sum(by_service.get("kms", Counter()).values()),
         sum(by_service.get("kms", Counter()).values()) * PRICES["kms_request"]),
        ("Secrets Manager requests", sum(by_service.get("secretsmanager", Counter()).values()),
         sum(by_service.get("secretsmanager", Counter()).values()) * PRICES["secrets_manager_request"]),
    ]
    return lines, by_service


def _with_unit_inboxes(deployment, calls: AwsCalls, release: threading.Event, photo: bytes,
                       capacity: CapacityEstimate, memory: dict[str, int]):
    """The cost lines of the same lifecycle where the province's units keep a shared inbox."""
    from phananh.shared.settings import get_settings

    os.environ["PHANANH_ALERT_UNIT_INBOX"] = "1"
    get_settings.cache_clear()
    try:
        shared = Lifecycle(deployment, calls)
        shared.release_waits = release
        first = len(calls.records)
        shared.run(photo)
        made = [call for call in calls.since(first) if not shared.is_pollers(call)]
        return price(made, shared, capacity, memory)[0]
    finally:
        del os.environ["PHANANH_ALERT_UNIT_INBOX"]
        get_settings.cache_clear()


def main() -> None:
    from benchmarks.photo_check import make_phone_photo
    from phananh_local.assembly import ASSEMBLY_DIR

    calls = AwsCalls().install()
    release = threading.Event()
    with deployed_moto(seed_directory=True, cognito_server=True) as deployment:
        _hold_waits(release)
        photo = make_phone_photo()
        warm = Lifecycle(deployment, calls)
        warm.release_waits = release
        warm.run(photo)
        counted = Lifecycle(deployment, calls)
        counted.release_waits = release
        first = len(calls.records)
        counted.run(photo)
        all_calls = [call for call in calls.since(first) if not counted.is_pollers(call)]
        capacity = CapacityEstimate(calls)
        memory = _memory_mb(ASSEMBLY_DIR)
        lines, by_service = price(all_calls, counted, capacity, memory)
        escalation_calls = counted.escalation_calls(first)
        escalation_free = [call for step in counted.steps if not step["name"].startswith(ESCALATION_STEPS)
                           for call in step["calls"]]
        plain_lines, _ = price(escalation_free, counted, capacity, memory, escalated=False)
        sms = len(sms_texts([call for call in all_calls if call["operation"] == "Publish"], calls))
        inbox_lines = _with_unit_inboxes(deployment, calls, release, photo, capacity, memory)

    heading("AWS calls per report lifecycle (submit → route → escalation L1 → acknowledge → resolve → rate)")
    for step in counted.steps:
        made = Counter(f"{call['service']}:{call['operation']}" for call in step["calls"])
        listed = ", ".join(f"{name}×{times}" for name, times in sorted(made.items())) or "none"
        print(f"  {step['name']:<42} {len(step['calls']):3d}  {listed}")
    made = Counter(f"{call['service']}:{call['operation']}" for call in escalation_calls)
    print(f"  {'escalation state machine (its own calls)':<42} {len(escalation_calls):3d}  "
          + ", ".join(f"{name}×{times}" for name, times in sorted(made.items())))
    for name, times in sorted(counted.modelled.items()):
        print(f"  {'modelled, not made by our code':<42} {times:3d}  {name}")
    total_calls = len(all_calls) + sum(counted.modelled.values())
    print(f"  total: {total_calls} AWS requests, {len(counted.invocations)} Lambda invocations, "
          f"{counted.api_requests} API requests, {counted.transitions} state transitions; "
          f"{sms} SMS messages sent (not priced)")

    heading(f"Cost per 1,000 reports ({PRICES_AS_OF})")
    total = 0.0
    for what, quantity, usd in lines:
        total += usd * 1000
        shown = f"{quantity:.3f}" if isinstance(quantity, float) else f"{quantity}"
        print(f"  {what:<44} {shown:>9} per report  ${usd * 1000:8.5f}")
    print(f"  total ${total:.4f} per 1,000 reports  target ≤ ${TARGET_PER_1000_USD}: "
          f"{verdict(total <= TARGET_PER_1000_USD)}")
    plain = sum(usd for _, _, usd in plain_lines) * 1000
    largest = sorted(plain_lines, key=lambda line: -line[2])[:3]
    print(f"  the same reports, none escalated: ${plain:.4f} per 1,000 (largest: "
          + ", ".join(f"{what} ${usd * 1000:.4f}" for what, _, usd in largest) + ")")
    inbox = sum(usd for _, _, usd in inbox_lines) * 1000
    emails = {what: quantity for what, quantity, _ in lines}["SES e-mails (recipients)"]
    inbox_emails = {what: quantity for what, quantity, _ in inbox_lines}["SES e-mails (recipients)"]
    print(f"  with shared unit inboxes (PHANANH_ALERT_UNIT_INBOX=1): ${inbox:.4f} per 1,000 "
          f"({emails} → {inbox_emails} e-mails per report; the escalation's still go to the unit head)")
    print("  excluded: " + "; ".join(EXCLUDED))
    print(f"  services called: {', '.join(sorted(by_service))}")


if __name__ == "__main__":
    main()
