"""Every event the platform delivers at least once, delivered three times at once and then three
times more: the queues' messages (a new report, an S3 upload notification and the photo check's
result, a photo cutoff),
each scheduled job's event, and the start of an escalation execution. Nothing happens twice: no
second report, assignment (audit event), alert (SES/SNS message counted in moto) or escalation."""

import threading
import time
from collections import Counter
from datetime import timedelta

import boto3
import pytest
from chalice.test import Client
from delivery_flows import drain_outbox
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction
from photo_samples import jpeg_with_gps
from report_flows import (
    check_uploads,
    deliver,
    file_report,
    queued_bodies,
    routed_report,
    upload,
    uploaded_bodies,
)
from resilience.harness import emails_sent, texts_sent

from phananh import bootstrap
from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.escalation import jobs, sweeper
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.model import utcnow
from phananh.shared.settings import get_settings
from phananh_local.apps import app_dir, load_chalice_app

OFFICER = Principal("so_xay_dung.officer", "so_xay_dung", frozenset({"officer"}))
TIMES = 3


def three_at_once_then_three_more(work) -> list:
    """`work` run TIMES times concurrently (released together), then TIMES times in a row."""
    start = threading.Barrier(TIMES)
    results, errors = [], []

    def run():
        start.wait()
        try:
            results.append(work())
        except Exception as error:  # surfaced below, with the others
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(TIMES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results + [work() for _ in range(TIMES)]


def side_effects(report_id: str) -> dict:
    """What a report's events produced: its audit trail, and the messages naming it."""
    return {
        "trail": [event.action for event in DynamoReportStore().events(report_id)],
        "emails": sorted(message.subject for message in emails_sent() if report_id in message.subject + message.body),
        # Alerts go to each officer of the unit in a message of their own.
        "emailed": sorted(address for message in emails_sent() if report_id in message.subject + message.body
                          for address in message.destinations["ToAddresses"]),
        "texts": sorted(text for _, text in texts_sent() if report_id in text),
    }


def reports_stored(aws) -> int:
    table = boto3.resource("dynamodb").Table(aws.environment["PHANANH_REPORTS_TABLE"])
    return table.scan(Select="COUNT")["Count"]


# The roads unit's officers, each alerted once.
ALERTED = ["so_xay_dung.head@example.vn", "so_xay_dung.officer@example.vn"]


@pytest.fixture
def schedule_api(seeded):
    with Client(load_chalice_app("schedule").app, project_dir=str(app_dir("schedule"))) as client:
        yield client


def test_a_new_reports_message(aws, submit_api, route_api):
    receipt = file_report(submit_api)
    [message] = queued_bodies(aws)
    three_at_once_then_three_more(lambda: deliver(route_api, [message]))

    effects = side_effects(receipt["report_id"])
    assert effects["trail"] == ["submit", "route"]
    assert effects["emailed"] == ALERTED and len(effects["texts"]) == 1
    assert reports_stored(aws) == 1


def test_an_upload_notification_and_the_photo_cutoff(aws, submit_api, route_api):
    receipt = file_report(submit_api, photo_count=1)
    upload(aws, receipt, 1, jpeg_with_gps())
    # S3's notification to the photo check, then each result it sent to the route function.
    [notification] = uploaded_bodies(aws)
    three_at_once_then_three_more(lambda: check_uploads([notification]))
    results = queued_bodies(aws)
    assert results  # the first check's; the redeliveries found the upload gone
    for result in results:
        three_at_once_then_three_more(lambda result=result: deliver(route_api, [result]))
    cutoff = f'{{"type": "report.photo_cutoff", "report_id": "{receipt["report_id"]}"}}'
    three_at_once_then_three_more(lambda: deliver(route_api, [cutoff]))

    effects = side_effects(receipt["report_id"])
    assert effects["trail"] == ["submit", "attach_photo", "route"]
    assert effects["emailed"] == ALERTED and len(effects["texts"]) == 1
    photos = boto3.client("s3").list_objects_v2(Bucket=aws.environment["PHANANH_PHOTOS_BUCKET"])["Contents"]
    assert sorted(item["Key"].split("/")[0] for item in photos) == ["public", "thumbs"]


def test_the_daily_digest_event(aws, submit_api, route_api, schedule_api):
    routed_report(aws, submit_api, route_api)
    before = len(emails_sent())
    event = scheduled_event_for(schedule_api, "daily_digest")
    results = three_at_once_then_three_more(lambda: schedule_api.lambda_.invoke("daily_digest", event).payload)

    digests = [message for message in emails_sent()[before:] if "Tổng hợp ngày" in message.subject]
    assert len(digests) == 1, [message.destinations for message in digests]
    assert sum(result["sent"] for result in results) == 1


def scheduled_event_for(schedule_api, name: str) -> dict:
    return schedule_api.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[f"rule/{name}"]
    )


def test_closing_unrated_reports(aws, submit_api, route_api, ports):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    context = {"ports": ports, "now": utcnow()}
    commands.acknowledge(OFFICER, report_id, **context)
    commands.resolve(OFFICER, report_id, "Đã sửa xong.", photo_count=1, **context)
    later = utcnow() + timedelta(days=30)

    closed = three_at_once_then_three_more(lambda: jobs.close_unrated(ports=ports, now=later))
    assert sum(len(ids) for ids in closed) == 1
    assert side_effects(report_id)["trail"].count("close") == 1


def test_routing_stranded_reports(aws, submit_api, route_api, ports):
    receipt = file_report(submit_api, photo_count=2)  # its photos never come
    later = utcnow() + timedelta(hours=1)
    three_at_once_then_three_more(
        lambda: jobs.route_stranded(ports=ports, settings=get_settings(), now=later)
    )
    messages = queued_bodies(aws)
    assert len(messages) == 2 * TIMES  # each run hands it to routing again …
    for message in messages:
        deliver(route_api, [message])
    effects = side_effects(receipt["report_id"])  # … which routes it once
    assert effects["trail"] == ["submit", "route"]
    assert effects["emailed"] == ALERTED and len(effects["texts"]) == 1


def test_cleaning_the_quarantine(aws, schedule_api):
    s3 = boto3.client("s3")
    bucket = aws.environment["PHANANH_PHOTOS_BUCKET"]
    s3.put_object(Bucket=bucket, Key="quarantine/PA261123ABCDEFGH/1", Body=b"never checked")
    later = utcnow() + timedelta(hours=2)
    deleted = three_at_once_then_three_more(lambda: jobs.clean_quarantine(ports=bootstrap.ports(), now=later))
    assert sum(len(keys) for keys in deleted) >= 1
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0


@pytest.fixture
def escalations(seeded, monkeypatch):
    """The real state machine, its waits skipped; no execution outlives the test."""
    monkeypatch.setattr(WaitFunction, "_wait_interval", lambda self, env, wait_seconds: None)
    arn = seeded.environment["PHANANH_ESCALATION_STATE_MACHINE_ARN"]
    yield arn
    sfn = boto3.client("stepfunctions")
    deadline = time.monotonic() + 20
    while sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_the_sweep_event_and_the_execution_start(aws, submit_api, route_api, ports, escalations):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    routed = ports.reports.get(report_id)
    overdue = routed.acknowledge_due_at + timedelta(minutes=1)
    def sweep():
        return sweeper.sweep(ports=ports, now=overdue)

    started = three_at_once_then_three_more(sweep)
    # The execution itself started three times at once and three times more, by its name.
    breach = sweeper.breach_of(routed)
    payload = sweeper.execution_input(breach, 1, directory=ports.directory)
    three_at_once_then_three_more(
        lambda: ports.escalations.start_escalation(breach.execution_name(1), payload)
    )
    sfn = boto3.client("stepfunctions")
    deadline = time.monotonic() + 20
    while sfn.list_executions(stateMachineArn=escalations, statusFilter="RUNNING")["executions"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)

    executions = sfn.list_executions(stateMachineArn=escalations)["executions"]
    assert [item["name"] for item in executions if item["name"].startswith(report_id)] == [breach.execution_name(1)]
    assert sum(len(names) for names in started) >= 1
    report = ports.reports.get(report_id)
    assert report.escalation_level == 3
    trail = Counter(side_effects(report_id)["trail"])
    assert trail["escalate"] == 3  # levels 1, 2 and 3, each once
    drain_outbox()  # the recorded levels' messages
    overdue = [(message.subject, address) for message in emails_sent()
               if report_id in message.subject and "Quá hạn" in message.subject
               for address in message.destinations["ToAddresses"]]
    # Each level's e-mails, one per address, each once.
    assert len({subject for subject, _ in overdue}) == 3 and len(set(overdue)) == len(overdue)
