"""The fault run that tests/resilience/test_aws_faults.py asserts on and benchmarks/faults.py prints:
reports filed, and officers and reporters working them, while a share of the domain's AWS calls
fail; then, AWS healthy again, everything drained and the dead letters redriven, a reconciliation
of every accepted report against what was stored, routed and sent.

Clients retry as the apps' clients do: a filing on a 5xx or a 409 "in progress" with the same
Idempotency-Key, an officer's action on a failed call (a 5xx from the handle app), a rating on a 5xx.
The injected failures answer before the call reaches moto, so a failed call changed nothing.
"""

from __future__ import annotations

import io
import json
import random
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import unquote_plus

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends
from PIL import Image
from resilience.aws_faults import failing_aws_calls
from resilience.harness import REGION

from phananh import bootstrap
from phananh.escalation import jobs, notices
from phananh.escalation.alerts import email_recipients
from phananh.intake import tokens
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.lifecycle import Status
from phananh.report.model import utcnow
from phananh.shared.errors import StateConflict
from phananh.shared.settings import get_settings

FAILURE_RATE = 0.10
SEED = 20261123
CLIENT_ATTEMPTS = 3
# An officer's client retries longer: an action is a person's work, not a form sent again.
ACTION_ATTEMPTS = 6
EVERY_NTH_WITH_A_PHOTO = 10
EVERY_NTH_WITH_A_PUSH_ENDPOINT = 3
DRAIN_EVERY = 50
# Inside Phường Vị Thanh, spread so that few reports are each other's possible duplicates.
BASE_LAT, BASE_LON = 9.770, 105.460
# Late enough for the stranded-report job to take every report still waiting.
AFTER_CUTOFF = timedelta(hours=1)
# Where a report is transferred: away from whichever of the two its routing chose.
TRANSFER_UNITS = ("so_xay_dung", "so_nong_nghiep_moi_truong")
REPORT_ID = re.compile(r"PA[0-9A-Z]{14}")

# What officers and reporters do with a planned report, one step per round between drains.
ACKNOWLEDGE, TRANSFER, RESOLVE, RATE_FIXED, RATE_NOT_FIXED = "acknowledge", "transfer", "resolve", "rate", "rate_low"
PLANS = (
    (ACKNOWLEDGE,),
    (ACKNOWLEDGE, RESOLVE, RATE_FIXED),
    (ACKNOWLEDGE, TRANSFER, ACKNOWLEDGE, RESOLVE, RATE_FIXED),
    (ACKNOWLEDGE, RESOLVE, RATE_NOT_FIXED),
)
# The status a step needs the report in, and the status it leaves it in.
NEEDS = {
    ACKNOWLEDGE: {Status.ASSIGNED}, TRANSFER: {Status.ACKNOWLEDGED}, RESOLVE: {Status.ACKNOWLEDGED},
    RATE_FIXED: {Status.RESOLVED}, RATE_NOT_FIXED: {Status.RESOLVED},
}
LEAVES = {
    ACKNOWLEDGE: Status.ACKNOWLEDGED, TRANSFER: Status.ASSIGNED, RESOLVE: Status.RESOLVED,
    RATE_FIXED: Status.CLOSED, RATE_NOT_FIXED: Status.IN_PROGRESS,
}


@dataclass
class Figures:
    submissions: int
    every_nth_worked: int
    calls: int = 0
    failures: int = 0
    answers: Counter = field(default_factory=Counter)
    accepted: int = 0
    with_photos: int = 0
    with_push: int = 0
    actions: Counter = field(default_factory=Counter)
    action_retries: int = 0
    actions_given_up: int = 0
    deliveries: int = 0
    dead_lettered: int = 0
    redriven: int = 0
    stream_batches_set_aside: int = 0
    never_queued: int = 0
    lost: int = 0
    doubled: Counter = field(default_factory=Counter)
    unalerted: Counter = field(default_factory=Counter)
    outdated: Counter = field(default_factory=Counter)
    photos_not_checked: int = 0
    stranded_found: int = 0
    cutoff_messages: int = 0
    cutoff_changes: int = 0
    faulty_s: float = 0.0
    total_s: float = 0.0

    def summary(self) -> str:
        return "\n".join([
            f"submissions {self.submissions} ({self.with_photos} with a photo, {self.with_push} with a push token); "
            f"{FAILURE_RATE:.0%} of AWS calls failing (seed {SEED})",
            f"AWS calls {self.calls}, failed {self.failures}; filing answers {dict(self.answers)}; "
            f"accepted {self.accepted}",
            f"officer and reporter actions (every {self.every_nth_worked}th report worked) {dict(self.actions)}; "
            f"retried {self.action_retries}, given up {self.actions_given_up}",
            f"deliveries {self.deliveries}; dead-lettered {self.dead_lettered}, redriven {self.redriven}; "
            f"stream batches set aside {self.stream_batches_set_aside}; never queued {self.never_queued}",
            f"lost {self.lost}; doubled {sum(self.doubled.values())} {dict(self.doubled)}; "
            f"unalerted {sum(self.unalerted.values())} {dict(self.unalerted)}; "
            f"past owners' alerts dropped as outdated {sum(self.outdated.values())} {dict(self.outdated)}; "
            f"photos not checked {self.photos_not_checked}",
            f"stranded job found {self.stranded_found}; photo-cutoff messages {self.cutoff_messages}, "
            f"changes they made {self.cutoff_changes}",
            f"run {self.total_s:.1f} s ({self.faulty_s:.1f} s under faults)",
        ])


def small_jpeg(shade: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (shade % 256, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def submission(number: int, push: dict | None) -> dict:
    body = {
        "category": ("roads", "lighting", "urban_order", "waste")[number % 4],
        "description": f"Phản ánh thử số {number}",
        "location": {"lat": BASE_LAT + (number % 40) * 0.0005, "lon": BASE_LON + (number // 40) * 0.0005},
        "photo_count": 1 if number % EVERY_NTH_WITH_A_PHOTO == 0 else 0,
    }
    if push:
        body["push"] = push
    return body


def phone(number: int) -> dict:
    """The citizen app's push registration on one phone: its FCM token (the deliver function makes
    its SNS endpoint, under the same failing calls as everything else)."""
    return {"platform": "fcm", "token": f"fault-run-phone-{number}:APA91b{number:040d}"}


def file_with_retries(submit_api, key: str, body: dict, answers: Counter) -> dict | None:
    """A client that retries a 5xx (and a 409 "in progress") with the same key; the receipt, or None."""
    for _ in range(CLIENT_ATTEMPTS):
        response = submit_api.http.post(
            "/reports", headers={"Content-Type": "application/json", "Idempotency-Key": key}, body=json.dumps(body)
        )
        answers[response.status_code] += 1
        if response.status_code == 201:
            return response.json_body
        assert response.status_code in (500, 409), response.body
        assert response.json_body["code"] in ("internal_error", "request_in_progress")
    return None


class Officers:
    """Officers and reporters working the planned reports, one step each per round, through the real
    use cases (phananh.processing.commands, the rate app), each retried as its client would."""

    def __init__(self, rate_api, figures: Figures):
        self.rate_api, self.figures = rate_api, figures
        self.plans: dict[str, list[str]] = {}
        self.receipts: dict[str, dict] = {}
        # Every owner unit an officer saw the report with, in order: its routing's, then its transfer's.
        self.owners_seen: dict[str, list[str]] = {}

    def plan(self, number: int, receipt: dict) -> None:
        if number % self.figures.every_nth_worked == 0:
            report_id = receipt["report_id"]
            self.plans[report_id] = list(PLANS[(number // self.figures.every_nth_worked) % len(PLANS)])
            self.receipts[report_id] = receipt

    def work(self) -> None:
        ports = bootstrap.ports()
        for report_id, steps in self.plans.items():
            if not steps:
                continue
            report = self._retried(lambda report_id=report_id: ports.reports.get(report_id))
            if report is None or report.status not in NEEDS[steps[0]]:
                continue  # not routed yet (its message redelivered later), or a step still to settle
            seen = self.owners_seen.setdefault(report_id, [])
            if not seen or seen[-1] != report.owner_unit_id:
                seen.append(report.owner_unit_id)
            step = steps[0]
            if self._act(step, report, ports):
                steps.pop(0)
                self.figures.actions[step] += 1
            else:
                self.figures.actions_given_up += 1

    def _act(self, step: str, report, ports) -> bool:
        report_id, unit = report.report_id, report.owner_unit_id
        officer = Principal(f"{unit}.officer", unit, frozenset({"officer"}))
        if step in (RATE_FIXED, RATE_NOT_FIXED):
            return self._rate(report_id, fixed=step == RATE_FIXED)
        if step == ACKNOWLEDGE:
            def action():
                return commands.acknowledge(officer, report_id, note="Đã nhận.", ports=ports, now=utcnow())
        elif step == TRANSFER:
            destination = next(other for other in TRANSFER_UNITS if other != unit)

            def action():
                return commands.transfer(officer, report_id, "Không thuộc thẩm quyền đơn vị.",
                                         to_unit_id=destination, ports=ports, now=utcnow())
        else:
            def action():
                return commands.resolve(officer, report_id, "Đã xử lý xong.", photo_count=1, ports=ports, now=utcnow())
        for attempt in range(ACTION_ATTEMPTS):
            try:
                action()
                return True
            except StateConflict:
                # As a client does on a 409: read the report again; done if the step's change is there.
                current = self._retried(lambda: ports.reports.get(report_id))
                if current is not None and current.status is LEAVES[step]:
                    return True
                raise
            except Exception:  # an AWS call failed: the handle app's 5xx
                if attempt:
                    self.figures.action_retries += 1
        return False

    def _rate(self, report_id: str, *, fixed: bool) -> bool:
        receipt = self.receipts[report_id]
        body = {"score": 5, "fixed": True} if fixed else {"score": 1, "fixed": False, "comment": "Vẫn còn."}
        for _ in range(ACTION_ATTEMPTS):
            response = self.rate_api.http.post(
                f"/reports/{report_id}/rating", body=json.dumps(body),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {receipt['tracking_token']}"},
            )
            if response.status_code == 201:
                return True
            if response.status_code == 409 and response.json_body["code"] == "already_rated":
                return True  # an earlier attempt's answer was lost, not its rating
            assert response.status_code == 500, response.body
            self.figures.action_retries += 1
        return False

    def _retried(self, read):
        for _ in range(ACTION_ATTEMPTS - 1):
            try:
                return read()
            except Exception:  # a failed read: read again
                self.figures.action_retries += 1
        return read()


def run(aws, submit_api, rate_api, intake, submissions: int, every_nth_worked: int) -> Figures:
    """File `submissions` reports under FAILURE_RATE faults, every `every_nth_worked`th of them worked by
    officers and rated by its reporter; then drain, redrive and reconcile (see Figures)."""
    figures = Figures(submissions=submissions, every_nth_worked=every_nth_worked)
    officers = Officers(rate_api, figures)
    receipts: dict[str, dict] = {}
    push_tokens: dict[str, str] = {}
    keys = [str(uuid.UUID(int=random.Random(SEED + number).getrandbits(128), version=4))
            for number in range(submissions)]
    s3 = boto3.client("s3")
    bucket = aws.environment["PHANANH_PHOTOS_BUCKET"]
    started = time.monotonic()
    with failing_aws_calls(FAILURE_RATE, SEED) as injector:
        for number, key in enumerate(keys):
            push = phone(number) if number % EVERY_NTH_WITH_A_PUSH_ENDPOINT == 1 else None
            body = submission(number, push)
            receipt = file_with_retries(submit_api, key, body, figures.answers)
            if receipt is not None:
                receipts[key] = receipt
                officers.plan(number, receipt)
                if push:
                    push_tokens[receipt["report_id"]] = push["token"]
                if body["photo_count"]:
                    # The phone's upload (S3 itself, not our code) raises the notification on the queue.
                    s3.put_object(Bucket=bucket, Key=receipt["uploads"][0]["key"], Body=small_jpeg(number))
            if number % DRAIN_EVERY == DRAIN_EVERY - 1:
                intake.drain()
                officers.work()
        # The officers and reporters finish what they can while AWS still fails.
        for _ in range(max(len(plan) for plan in PLANS)):
            intake.drain()
            officers.work()
        intake.drain()
    figures.faulty_s = time.monotonic() - started
    figures.calls, figures.failures = injector.total_calls, injector.total_failures
    figures.accepted = len(receipts)
    figures.with_photos = sum(1 for receipt in receipts.values() if receipt["photo_count"])
    figures.with_push = len(push_tokens)
    _reconcile(aws, intake, officers, receipts, push_tokens, figures)
    figures.total_s = time.monotonic() - started
    return figures


def _reconcile(aws, intake, officers: Officers, receipts: dict[str, dict], push_tokens: dict[str, str],
               figures: Figures) -> None:
    """AWS healthy again: every accepted report accounted for, and every message it called for."""
    ports, settings = bootstrap.ports(), get_settings()
    # Each key filed at most one report, under the receipt's token; a key never accepted filed none.
    stored = _reports_by_token_hash(aws)
    filed = {found: token for token, reports in stored.items() for found in reports}
    assert sum(len(reports) for reports in stored.values()) == len(filed)
    assert set(filed) == {receipt["report_id"] for receipt in receipts.values()}
    for receipt in receipts.values():
        assert filed[receipt["report_id"]] == tokens.hash_token(receipt["tracking_token"])
    report_ids = sorted(filed)

    # Still unrouted: its message dead-lettered, or never queued at all (the stream's forwarding lost it).
    unrouted = {report_id for report_id in report_ids if ports.reports.get(report_id).status is Status.RECEIVED}
    dead_letters = intake.dead_letters()
    figures.dead_lettered = len(dead_letters)
    figures.never_queued = len(unrouted - _report_ids_in(dead_letters))
    figures.stream_batches_set_aside = _stream_batches_set_aside(intake)
    # The trouble over: the operator redrives the dead letters; the officers finish their work.
    figures.redriven = intake.redrive()
    intake.drain()
    officers.work()
    intake.drain()
    figures.deliveries = intake.receives

    # The safety nets find nothing: no report left waiting, and the photo-cutoff messages still
    # queued (delayed to their cutoff) change nothing.
    versions = {report_id: ports.reports.get(report_id).version for report_id in report_ids}
    figures.cutoff_messages = _cutoff_messages_due_now(aws)
    intake.drain()
    stranded = jobs.route_stranded(ports=ports, settings=settings, now=utcnow() + AFTER_CUTOFF)
    figures.stranded_found = len(stranded)
    intake.drain()
    reports = {report_id: ports.reports.get(report_id) for report_id in report_ids}
    figures.cutoff_changes = sum(1 for report_id in report_ids if reports[report_id].version != versions[report_id])
    figures.lost = sum(1 for report in reports.values() if report.status is Status.RECEIVED)
    figures.photos_not_checked = sum(
        1 for receipt in receipts.values() if receipt["photo_count"]
        and not getattr(reports[receipt["report_id"]].photos.get("1"), "is_checked", False)
    )

    # Routed once each: one route event per report.
    events = {report_id: ports.reports.events(report_id) for report_id in report_ids}
    routes = Counter(report_id for report_id in report_ids for event in events[report_id] if event.action == "route")
    _tally(Counter(dict.fromkeys(report_ids, 1)), routes, "route", figures)

    # Every owner (its routing's, each transfer's) alerted once per occasion: each officer's e-mail
    # and the unit's SMS; every status change pushed once to a reporter who gave an endpoint. A unit
    # the report was transferred away from is owed each channel at most once: a channel still unsent
    # when the report left it is dropped as outdated (outbox/delivery.py), not sent about a report
    # the unit no longer holds, and counted apart.
    expected_emails, expected_texts = Counter(), Counter()
    past_owners_emails, past_owners_texts = set(), set()
    for report_id, report in reports.items():
        owners = list(officers.owners_seen.get(report_id, []))
        if not owners or owners[-1] != report.owner_unit_id:
            owners.append(report.owner_unit_id)
        for position, unit_id in enumerate(owners):
            unit = ports.directory.unit(unit_id)
            emails = {(report_id, address) for address in email_recipients(unit, ports.directory)}
            texts = {(report_id, unit.topic_arn)} if unit.topic_arn else set()
            expected_emails.update(emails)
            expected_texts.update(texts)
            if position < len(owners) - 1:
                past_owners_emails |= emails
                past_owners_texts |= texts
    sent_emails = Counter(
        (REPORT_ID.search(message.subject).group(0), address)
        for message in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
        for address in message.destinations["ToAddresses"]
    )
    sns = sns_backends[DEFAULT_ACCOUNT_ID][REGION]
    sent_texts = Counter(
        (REPORT_ID.search(text).group(0), topic.arn)
        for topic in sns.topics.values() for _, text, *_ in topic.sent_notifications
    )
    expected_pushes = Counter(
        (push_tokens[report_id], notices.status_message(report_id, event.to_status))
        for report_id in push_tokens for event in events[report_id]
        if event.from_status is not None and event.from_status is not event.to_status
    )
    phones = set(push_tokens.values())
    pushed = Counter(
        (endpoint.token, text) for endpoint in sns.platform_endpoints.values() if endpoint.token in phones
        for text in endpoint.messages.values()
    )
    _tally(expected_emails, sent_emails, "officer_email", figures, past_owners=past_owners_emails)
    _tally(expected_texts, sent_texts, "unit_sms", figures, past_owners=past_owners_texts)
    _tally(expected_pushes, pushed, "reporter_push", figures)


def _tally(expected: Counter, actual: Counter, kind: str, figures: Figures, past_owners: set = frozenset()) -> None:
    figures.doubled[kind] += sum((actual - expected).values())
    missing = expected - actual
    # A pair owed to the report's owner now as well as to a past one (transferred back) is owed.
    outdated = Counter({pair: times for pair, times in missing.items()
                        if pair in past_owners and expected[pair] == 1})
    figures.outdated[kind] += sum(outdated.values())
    figures.unalerted[kind] += sum((missing - outdated).values())


def _reports_by_token_hash(aws) -> dict[str, list[str]]:
    table = boto3.resource("dynamodb").Table(aws.environment["PHANANH_REPORTS_TABLE"])
    found: dict[str, list[str]] = {}
    for page in table.meta.client.get_paginator("scan").paginate(TableName=table.name):
        for item in page["Items"]:
            found.setdefault(item["tracking_token_hash"], []).append(item["report_id"])
    return found


def _report_ids_in(bodies: list[str]) -> set[str]:
    named = set()
    for body in bodies:
        message = json.loads(body)
        for item in message.get("Records", [message]):
            if "s3" in item:
                named.add(unquote_plus(item["s3"]["object"]["key"]).split("/")[1])
            elif "report_id" in item:
                named.add(item["report_id"])
    return named


def _stream_batches_set_aside(intake) -> int:
    """The stream batches whose retries ran out (their descriptions on the on-failure queue)."""
    queue_arn = intake.stream.source.on_failure_queue_arn
    if queue_arn is None:
        return 0
    return len(sqs_backends[DEFAULT_ACCOUNT_ID][REGION].queues[queue_arn.rsplit(":", 1)[1]]._messages)


def _cutoff_messages_due_now(aws) -> int:
    """The intake queue's messages still delayed to their photo cutoff, made due now; how many."""
    queue_name = aws.environment["PHANANH_INTAKE_QUEUE_URL"].rsplit("/", 1)[1]
    delayed = [message for message in sqs_backends[DEFAULT_ACCOUNT_ID][REGION].queues[queue_name]._messages
               if message.delayed]
    for message in delayed:
        message.delayed_until = 0
    return len(delayed)
