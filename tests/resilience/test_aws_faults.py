"""A tenth of the domain's AWS calls fail (throttling and 5xx, from a seeded generator) while 1,000
reports are filed and routed. Clients retry a 5xx with the same Idempotency-Key; the intake queue
redelivers failed messages up to the template's maxReceiveCount, then dead-letters them; the outbox
forwards each change from the reports stream and delivers its alerts from the delivery queue.
Afterwards a reconciliation accounts for every accepted report: routed, or its message in a
dead-letter queue, or filed but never queued (the stranded-report job's work). None is lost, none doubled, and
a 5xx never leaves a report behind."""

import io
import json
import os
import random
import time
import uuid
from collections import Counter
from datetime import timedelta
from urllib.parse import unquote_plus

import boto3
from delivery_flows import redeliver_effects
from PIL import Image
from report_flows import check_uploads, deliver, file_report, queued_bodies, upload, uploaded_bodies
from resilience.aws_faults import failing_aws_calls
from resilience.harness import emails_sent, texts_sent

from phananh import bootstrap
from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.escalation import jobs
from phananh.intake import tokens
from phananh.report.model import utcnow
from phananh.shared.settings import get_settings

# `make test` files 60 (≈ 30 s); PHANANH_FAULT_SUBMISSIONS=1000 runs the full exercise (see docs/reliability.md).
SUBMISSIONS = int(os.environ.get("PHANANH_FAULT_SUBMISSIONS", "60"))
FAILURE_RATE = 0.10
SEED = 20261123
CLIENT_ATTEMPTS = 3
EVERY_NTH_WITH_A_PHOTO = 10
# Inside Phường Vị Thanh, spread so that few reports are each other's possible duplicates.
BASE_LAT, BASE_LON = 9.770, 105.460
# Late enough for the stranded-report job to take every report still waiting.
AFTER_CUTOFF = timedelta(hours=1)


def small_jpeg(shade: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (shade % 256, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def submission(number: int) -> dict:
    return {
        "category": ("roads", "lighting", "urban_order", "waste")[number % 4],
        "description": f"Phản ánh thử số {number}",
        "location": {"lat": BASE_LAT + (number % 40) * 0.0005, "lon": BASE_LON + (number // 40) * 0.0005},
        "photo_count": 1 if number % EVERY_NTH_WITH_A_PHOTO == 0 else 0,
    }


def file_with_retries(submit_api, key: str, body: dict, statuses: Counter) -> dict | None:
    """A client that retries a 5xx (and a 409 "in progress") with the same key; the receipt, or None."""
    for _ in range(CLIENT_ATTEMPTS):
        response = submit_api.http.post(
            "/reports", headers={"Content-Type": "application/json", "Idempotency-Key": key}, body=json.dumps(body)
        )
        statuses[response.status_code] += 1
        if response.status_code == 201:
            return response.json_body
        assert response.status_code in (500, 409), response.body
        assert response.json_body["code"] in ("internal_error", "request_in_progress")
    return None


def reports_by_token_hash(aws) -> dict[str, list[dict]]:
    table = boto3.resource("dynamodb").Table(aws.environment["PHANANH_REPORTS_TABLE"])
    found: dict[str, list[dict]] = {}
    for page in table.meta.client.get_paginator("scan").paginate(TableName=table.name):
        for item in page["Items"]:
            found.setdefault(item["tracking_token_hash"], []).append(
                {"report_id": item["report_id"], "status": item["status"]}
            )
    return found


def report_ids_in(bodies: list[str]) -> set[str]:
    named = set()
    for body in bodies:
        for item in json.loads(body).get("Records", [{"report_id": json.loads(body).get("report_id")}]):
            if "s3" in item:
                named.add(unquote_plus(item["s3"]["object"]["key"]).split("/")[1])
            else:
                named.add(item["report_id"])
    return named


def test_a_tenth_of_aws_calls_failing_loses_and_doubles_nothing(aws, submit_api, intake, unthrottled, quiet_logs):
    statuses: Counter = Counter()
    receipts: dict[str, dict] = {}
    keys = [str(uuid.UUID(int=random.Random(SEED + number).getrandbits(128), version=4))
            for number in range(SUBMISSIONS)]
    s3 = boto3.client("s3")
    started = time.monotonic()
    with failing_aws_calls(FAILURE_RATE, SEED) as injector:
        for number, key in enumerate(keys):
            body = submission(number)
            receipt = file_with_retries(submit_api, key, body, statuses)
            if receipt is None:
                continue
            receipts[key] = receipt
            if body["photo_count"]:
                # The phone's upload (S3 itself, not our code) raises the notification on the queue.
                s3.put_object(Bucket=aws.environment["PHANANH_PHOTOS_BUCKET"], Key=receipt["uploads"][0]["key"],
                              Body=small_jpeg(number))
            if number % 50 == 49:
                intake.drain()
        intake.drain()
    faulty_s = time.monotonic() - started

    # Reconciliation, AWS healthy again. Each key filed at most one report; a key never accepted
    # (its every attempt answered 5xx or 409) filed none: a 5xx left nothing behind. The client holds
    # one receipt per accepted key, so every stored report must be one of them, under its token.
    stored = reports_by_token_hash(aws)
    filed = {found["report_id"]: token for token, reports in stored.items() for found in reports}
    assert sum(len(reports) for reports in stored.values()) == len(filed)
    assert set(filed) == {receipt["report_id"] for receipt in receipts.values()}
    assert len(receipts) == len({receipt["report_id"] for receipt in receipts.values()})
    for receipt in receipts.values():
        assert filed[receipt["report_id"]] == tokens.hash_token(receipt["tracking_token"])

    # Every accepted report is routed, or its message is dead-lettered, or it was never queued
    # (the submission's message failed to send: the stranded-report job hands it to routing).
    reports = DynamoReportStore()
    unrouted = {receipt["report_id"] for receipt in receipts.values()
                if reports.get(receipt["report_id"]).status == "RECEIVED"}
    dead_lettered = report_ids_in(intake.dead_letters())
    never_queued = unrouted - dead_lettered
    stranded = set(jobs.route_stranded(ports=bootstrap.ports(), settings=get_settings(), now=utcnow() + AFTER_CUTOFF))
    assert never_queued <= stranded  # the job finds each of them

    # The trouble over: the operator redrives the dead letters; the stranded job's messages too.
    redriven = intake.redrive()
    intake.drain()
    still_unrouted = [receipt["report_id"] for receipt in receipts.values()
                      if reports.get(receipt["report_id"]).status == "RECEIVED"]
    assert still_unrouted == []  # 0 lost
    # Nor a photo: each upload was checked and kept, not taken for an event already handled.
    photo_states = Counter(
        getattr(reports.get(receipt["report_id"]).photos.get("1"), "state", "missing")
        for receipt in receipts.values() if receipt["photo_count"]
    )
    assert set(photo_states) == {"checked"}, photo_states

    # Routed once each: one route event per report.
    routes = Counter()
    for receipt in receipts.values():
        routes.update(event.action for event in reports.events(receipt["report_id"]) if event.action == "route")
    assert routes["route"] == len(receipts)
    # Alerted once each officer: a delivery retried after a failed alert sends it, and nothing twice.
    alerted = Counter(
        (message.subject.split("]")[0].removeprefix("[Phản ánh "), *message.destinations["ToAddresses"])
        for message in emails_sent()
    )
    assert {report_id for report_id, _ in alerted} == {receipt["report_id"] for receipt in receipts.values()}
    assert max(alerted.values()) == 1

    print(
        f"\n{SUBMISSIONS} submissions, {FAILURE_RATE:.0%} of AWS calls failing (seed {SEED}) in {faulty_s:.1f} s: "
        f"{injector.total_failures} of {injector.total_calls} calls failed; answers {dict(statuses)}; "
        f"accepted {len(receipts)}; deliveries {intake.receives}; dead-lettered {len(dead_lettered)} "
        f"(redriven {redriven}); never queued {len(never_queued)}; stranded job found {len(stranded)}; "
        f"reports alerted {len({report_id for report_id, _ in alerted})} of {len(receipts)}"
    )


def test_an_upload_whose_check_is_throttled_is_retried_not_taken_for_handled(aws, submit_api, route_api):
    receipt = file_report(submit_api, photo_count=1)
    upload(aws, receipt, 1, small_jpeg(7))
    [notification] = uploaded_bodies(aws)
    with failing_aws_calls(1.0, SEED, frozenset({"s3.HeadObject"})) as injector:
        failed = check_uploads([notification])
    assert injector.total_failures == 1
    assert len(failed["batchItemFailures"]) == 1  # back to the queue, not dropped
    assert check_uploads([notification]) == {"batchItemFailures": []}
    assert deliver(route_api, queued_bodies(aws)) == {"batchItemFailures": []}
    report = DynamoReportStore().get(receipt["report_id"])
    assert report.photos["1"].is_checked and report.status == "ASSIGNED"


def test_an_alert_that_failed_is_sent_by_the_redelivery_and_nothing_twice(aws, submit_api, route_api):
    receipt = file_report(submit_api)
    [message] = queued_bodies(aws)
    with failing_aws_calls(1.0, SEED, frozenset({"sns.Publish"})) as injector:
        # Routed; the owner's alert, from the outbox, fails its text and is to be delivered again.
        assert deliver(route_api, [message]) == {"batchItemFailures": []}
    assert injector.total_failures == 1
    report = DynamoReportStore().get(receipt["report_id"])
    assert report.status == "ASSIGNED"  # the routing stands; only the text to the unit failed
    officers_emailed = len(emails_sent())  # one e-mail per officer of the unit
    assert officers_emailed == 2 and texts_sent() == []

    assert redeliver_effects() == 1
    for _ in range(3):
        assert deliver(route_api, [message]) == {"batchItemFailures": []}  # the intake message again: nothing
    assert len(emails_sent()) == officers_emailed  # the e-mails went out the first time: not again
    [(topic, text)] = texts_sent()
    assert report.report_id in text and topic.endswith(report.owner_unit_id)
