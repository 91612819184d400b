"""The scheduled jobs (escalation.jobs) on the fake ports: digests, the reminder to rate and closing
unrated reports, stranded reports, quarantine cleaning and the retention of personal data. Each job
may run twice and does its work once."""

from datetime import timedelta

import pytest
from fakes import PUSH, Routed
from flows_on_fakes import CONTACT, FILED_AT, ROUTED_AT, deliver_changes, filed, routed

from phananh.escalation import jobs
from phananh.processing import commands
from phananh.report.deadlines import close_deadline
from phananh.report.lifecycle import Action, Status

RESOLVED_AT = ROUTED_AT + timedelta(hours=2)


def resolved(ports, settings, officer, **fields):
    report = routed(ports, settings, **fields)[0]
    commands.acknowledge(officer, report.report_id, ports=ports, now=ROUTED_AT + timedelta(hours=1))
    resolved = commands.resolve(officer, report.report_id, "Đã vá", photo_count=1, ports=ports, now=RESOLVED_AT)[0]
    deliver_changes(ports, settings, now=RESOLVED_AT)
    return resolved


def test_each_unit_with_open_work_gets_one_digest_a_day(ports, settings, directory):
    report = routed(ports, settings)[0]
    now = ROUTED_AT + timedelta(hours=3)
    assert jobs.send_daily_digests(ports=ports, now=now) == 1
    [digest] = ports.notifier.emails[-1:]
    assert digest.recipients == sorted([directory.officer.email, directory.unit_head.email])
    assert report.report_id in digest.body
    assert jobs.send_daily_digests(ports=ports, now=now + timedelta(minutes=5)) == 0
    assert jobs.send_daily_digests(ports=ports, now=now + timedelta(days=1)) == 1


def test_a_failed_digest_fails_the_run_and_its_retry_sends_it(ports, settings, directory):
    routed(ports, settings)
    send = ports.notifier.send_email
    ports.notifier.send_email = lambda *args: (_ for _ in ()).throw(ConnectionError("SES down"))
    with pytest.raises(ConnectionError):
        jobs.send_daily_digests(ports=ports, now=ROUTED_AT + timedelta(hours=3))
    ports.notifier.send_email = send
    assert jobs.send_daily_digests(ports=ports, now=ROUTED_AT + timedelta(hours=3, minutes=1)) == 1
    assert jobs.send_daily_digests(ports=ports, now=ROUTED_AT + timedelta(hours=3, minutes=2)) == 0


def test_a_digest_whose_sender_crashed_is_taken_over_after_its_lease(ports, settings, directory):
    routed(ports, settings)
    now = ROUTED_AT + timedelta(hours=3)
    release, ports.claims.release = ports.claims.release, lambda key: (_ for _ in ()).throw(ConnectionError("down"))
    send = ports.notifier.send_email
    ports.notifier.send_email = lambda *args: (_ for _ in ()).throw(ConnectionError("SES down"))
    with pytest.raises(ConnectionError):
        jobs.send_daily_digests(ports=ports, now=now)  # the claim could not be given back
    ports.notifier.send_email, ports.claims.release = send, release
    assert jobs.send_daily_digests(ports=ports, now=now + timedelta(seconds=10)) == 0  # still its sender's
    assert jobs.send_daily_digests(ports=ports, now=now + jobs.DIGEST_LEASE + timedelta(seconds=1)) == 1


def test_the_reporter_is_reminded_to_rate_once_before_an_unrated_report_closes(ports, settings, officer):
    report = resolved(ports, settings, officer, push=PUSH)
    closes = close_deadline(RESOLVED_AT)
    pushes = len(ports.notifier.pushes)
    assert jobs.remind_to_rate(ports=ports, now=RESOLVED_AT + timedelta(hours=1)) == []
    assert jobs.remind_to_rate(ports=ports, now=closes - timedelta(days=1)) == [report.report_id]
    assert jobs.remind_to_rate(ports=ports, now=closes - timedelta(hours=12)) == []
    deliver_changes(ports, settings, now=closes - timedelta(hours=12))  # the recorded reminder, pushed
    assert len(ports.notifier.pushes) == pushes + 1 and "rate" in ports.notifier.pushes[-1].message


def test_a_resolved_report_nobody_rated_closes_once_its_time_is_over(ports, settings, officer):
    report = resolved(ports, settings, officer, push=PUSH)
    closes = close_deadline(RESOLVED_AT)
    assert jobs.close_unrated(ports=ports, now=closes - timedelta(seconds=1)) == []
    assert jobs.close_unrated(ports=ports, now=closes) == [report.report_id]
    closed = ports.reports.get(report.report_id)
    assert (closed.status, closed.ended_at) == (Status.CLOSED, closes)
    assert ports.reports.events(report.report_id)[-1].action is Action.CLOSE
    assert jobs.close_unrated(ports=ports, now=closes + timedelta(hours=1)) == []


def test_a_report_still_received_after_the_photo_cutoff_is_sent_to_routing_again(ports, settings):
    waiting = filed(ports, settings, photo_count=1)["report_id"]
    late = FILED_AT + timedelta(seconds=settings.photo_cutoff_s)
    assert jobs.route_stranded(ports=ports, settings=settings, now=late - timedelta(seconds=1)) == []
    assert jobs.route_stranded(ports=ports, settings=settings, now=late) == [waiting]
    assert ports.queues.routed[-1] == Routed(waiting, at_photo_cutoff=True)


def test_uploads_never_checked_are_cleaned_from_quarantine(ports):
    ports.photos.upload("quarantine/PA1/1", b"old", at=FILED_AT)
    ports.photos.upload("quarantine/PA2/1", b"new", at=FILED_AT + timedelta(minutes=50))
    assert jobs.clean_quarantine(ports=ports, now=FILED_AT + timedelta(hours=1, minutes=1)) == ["quarantine/PA1/1"]
    assert list(ports.photos.uploads) == ["quarantine/PA2/1"]


def test_an_ended_reports_personal_data_is_erased_once_its_retention_is_over(ports, settings, directory):
    coordinator = directory.principal(directory.coordinator)
    report = routed(ports, settings, contact=CONTACT, push=PUSH)[0]
    rejected = commands.reject(coordinator, report.report_id, "spam", "Quảng cáo", ports=ports,
                               now=ROUTED_AT + timedelta(hours=1))
    over = rejected.ended_at + timedelta(days=settings.personal_data_retention_days)
    assert jobs.erase_expired_personal_data(ports=ports, settings=settings, now=over - timedelta(minutes=1)) == []
    assert jobs.erase_expired_personal_data(ports=ports, settings=settings, now=over) == [report.report_id]
    erased = ports.reports.get(report.report_id)
    assert (erased.contact_ciphertext, erased.push_ciphertext, erased.description) == (None, None, "")
    reason = ports.reports.events(report.report_id)[-1].reason
    assert "contact" in reason and "0961234580" not in reason
    assert jobs.erase_expired_personal_data(ports=ports, settings=settings, now=over + timedelta(days=1)) == []
