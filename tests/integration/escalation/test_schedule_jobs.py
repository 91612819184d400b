"""The scheduled jobs on moto: daily digest, closing unrated resolved reports, routing stranded
reports and cleaning up uploads never checked."""

from datetime import timedelta

import boto3
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from report_flows import deliver, file_report, queued_bodies, routed_report

from phananh import bootstrap
from phananh.escalation import jobs
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.deadlines import current_deadline
from phananh.report.model import utcnow
from phananh.shared.clock import VIETNAM
from phananh.shared.settings import get_settings
from phananh_local.apps import app_dir, load_chalice_app

REGION = "ap-southeast-1"
ROADS_UNIT = "so_xay_dung"
OFFICER = Principal("so_xay_dung.officer", ROADS_UNIT, frozenset({"officer"}))


def context(ports, now=None):
    return {"ports": ports, "now": now or utcnow()}


def digests_sent() -> list:
    return [message for message in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
            if "Tổng hợp ngày" in message.subject]


def test_the_daily_digest_tells_each_unit_its_new_due_today_and_overdue_reports(aws, submit_api, route_api, ports):
    waiting = routed_report(aws, submit_api, route_api)["report_id"]
    taken = routed_report(aws, submit_api, route_api, location={"lat": 9.7850, "lon": 105.4700})["report_id"]
    commands.acknowledge(OFFICER, taken, **context(ports))
    ward_report = routed_report(aws, submit_api, route_api, category="urban_order")["report_id"]
    ack_due = ports.reports.get(waiting).acknowledge_due_at

    # A minute before the acknowledge deadline: new and due today; a minute after: new and overdue.
    before = jobs.unit_digest(ports.directory.unit(ROADS_UNIT), ports.reports, ack_due - timedelta(seconds=1))
    assert [r.report_id for r in before.new] == [waiting]
    assert [r.report_id for r in before.due_today] == [waiting]
    assert before.overdue == []

    now = ack_due + timedelta(minutes=1)
    assert jobs.send_daily_digests(ports=ports, now=now) == 2
    by_unit = {message.destinations["ToAddresses"][0].split(".")[0]: message for message in digests_sent()}
    assert set(by_unit) == {ROADS_UNIT, "ubnd_31321"}
    roads = by_unit[ROADS_UNIT]
    assert set(roads.destinations["ToAddresses"]) == {"so_xay_dung.head@example.vn", "so_xay_dung.officer@example.vn"}
    assert "1 mới" in roads.subject and "1 quá hạn" in roads.subject
    assert now.astimezone(VIETNAM).strftime("%d/%m/%Y") in roads.subject
    overdue_section = roads.body.split("Quá hạn / Overdue")[1]
    assert waiting in overdue_section and taken not in overdue_section
    assert ward_report in by_unit["ubnd_31321"].body


def test_a_resolved_report_nobody_rates_is_reminded_then_closed_after_seven_days(aws, submit_api, route_api, ports):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    commands.acknowledge(OFFICER, report_id, **context(ports))
    resolved_at = utcnow()
    commands.resolve(OFFICER, report_id, "Đã vá ổ gà.", photo_count=1, **context(ports, resolved_at))
    close_due = resolved_at + timedelta(days=7)
    assert current_deadline(ports.reports.get(report_id)) == close_due

    assert jobs.remind_to_rate(ports=ports, now=resolved_at + timedelta(days=4)) == []
    assert jobs.close_unrated(ports=ports, now=close_due - timedelta(minutes=1)) == []
    assert jobs.remind_to_rate(ports=ports, now=close_due - timedelta(days=1)) == [report_id]
    assert jobs.remind_to_rate(ports=ports, now=close_due - timedelta(hours=12)) == []
    assert ports.reports.get(report_id).rating_reminded_at == close_due - timedelta(days=1)

    assert jobs.close_unrated(ports=ports, now=close_due + timedelta(minutes=1)) == [report_id]
    assert jobs.close_unrated(ports=ports, now=close_due + timedelta(minutes=2)) == []
    report = ports.reports.get(report_id)
    assert report.status == "CLOSED"
    last = ports.reports.events(report_id)[-1]
    assert (last.action, last.actor, last.from_status) == ("close", jobs.SCHEDULER, "RESOLVED")


def test_a_report_whose_photos_never_came_is_routed_anyway(aws, submit_api, route_api, ports):
    receipt = file_report(submit_api, photo_count=2)
    report_id = receipt["report_id"]
    assert queued_bodies(aws) == []  # the cutoff message is delayed (and here, say, lost)
    created = ports.reports.get(report_id).created_at

    assert jobs.route_stranded(ports=ports, settings=get_settings(), now=created) == []
    later = created + timedelta(seconds=get_settings().photo_cutoff_s + 60)
    assert jobs.route_stranded(ports=ports, settings=get_settings(), now=later) == [report_id]
    assert deliver(route_api, queued_bodies(aws)) == {"batchItemFailures": []}
    report = ports.reports.get(report_id)
    assert report.status == "ASSIGNED" and report.photos == {}
    assert jobs.route_stranded(ports=ports, settings=get_settings(), now=later) == []


def test_uploads_never_checked_are_cleaned_up(aws):
    s3 = boto3.client("s3")
    bucket = aws.environment["PHANANH_PHOTOS_BUCKET"]
    for key in ("quarantine/PA261123AAAAAAAA/1", "quarantine/PA261123AAAAAAAA/r1", "public/PA261123AAAAAAAA/1.jpg"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")

    assert jobs.clean_quarantine(ports=bootstrap.ports(), now=utcnow()) == []
    deleted = jobs.clean_quarantine(ports=bootstrap.ports(), now=utcnow() + jobs.QUARANTINE_MAX_AGE + timedelta(1))
    assert sorted(deleted) == ["quarantine/PA261123AAAAAAAA/1", "quarantine/PA261123AAAAAAAA/r1"]
    assert [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["public/PA261123AAAAAAAA/1.jpg"]


def test_every_job_runs_from_the_schedule_app(seeded):
    with Client(load_chalice_app("schedule").app, project_dir=str(app_dir("schedule"))) as client:
        event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                                resources=[])
        for handler, answer in [
            ("daily_digest", {"sent": 0}),
            ("close_resolved_reports", {"closed": [], "reminded": []}),
            ("route_stranded_reports", {"stranded": []}),
            ("clean_quarantine", {"deleted": 0}),
            ("erase_expired_personal_data", {"erased": 0}),
        ]:
            assert client.lambda_.invoke(handler, event).payload == answer


def test_the_local_stack_fires_the_schedule_apps_rate_and_cron_schedules(aws):
    schedules = {spec.handler: spec.schedules for spec in aws.functions if spec.app == "schedule"}
    assert schedules["app.sweep_deadlines"] == ["rate(5 minutes)"]
    assert schedules["app.daily_digest"] == ["cron(0 0 * * ? *)"]
    # The retention of personal data is counted in days: once a day, at 02:00 in Vietnam.
    assert schedules["app.erase_expired_personal_data"] == ["cron(0 19 * * ? *)"]
    # The open-data snapshot of the Vietnam day just ended, at 00:20 in Vietnam.
    assert schedules["app.write_open_data_snapshot"] == ["cron(20 17 * * ? *)"]
