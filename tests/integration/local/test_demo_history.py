"""The demo history `make dev` seeds (phananh_local.demo_history), on the moto account: it goes
through the use cases (the trails say so), fills the scorecards and the dashboard, and is the same
history every time; restored from its cache, it is the same again."""

from datetime import UTC, datetime, timedelta

import boto3
import pytest
from aws_account import _wipe

from phananh import bootstrap
from phananh.processing import oversight
from phananh.processing.principal import Principal
from phananh.report.categories import get_category
from phananh.report.lifecycle import Status
from phananh.shared.settings import get_settings
from phananh.transparency import scorecards
from phananh_local import demo_history_cache
from phananh_local.demo_history import replay_history

SIZE = 40
END = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
COORDINATOR = Principal("ban_dieu_phoi.coordinator1", "ban_dieu_phoi", frozenset({"coordinator"}))


def _facts(ports, report_ids):
    """What the history says of each report, without its random id and token."""
    facts = []
    for report_id in report_ids:
        report = ports.reports.get(report_id)
        trail = [(event.at, str(event.action), event.actor, event.reason) for event in ports.reports.events(report_id)]
        facts.append((
            report.created_at, report.category_code, report.ward_code, report.location, report.description,
            str(report.status), report.owner_unit_id, report.rating.score if report.rating else None,
            report.reopen_count, report.escalation_level, report.escalated_at, len(report.photos),
            len(report.result_photos), tuple(trail),
        ))
    return sorted(facts)


@pytest.fixture
def history(seeded):
    return replay_history(seeded.functions, size=SIZE, end=END)


def test_the_history_goes_through_the_use_cases(history):
    ports = bootstrap.ports()
    reports = [ports.reports.get(filed.report_id) for filed in history.filed.values()]
    assert len(reports) == SIZE and not history.skipped
    trails = {report.report_id: ports.reports.events(report.report_id) for report in reports}
    actions = {str(event.action) for trail in trails.values() for event in trail}
    assert {"submit", "route", "acknowledge", "start_work", "resolve", "close", "reopen", "escalate"} <= actions
    # Every change is a version with its event, as the use cases write them, at the history's times.
    for report in reports:
        assert [event.version for event in trails[report.report_id]] == list(range(1, report.version + 1))
        assert report.created_at < report.updated_at <= END
    assert min(report.created_at for report in reports) < END - timedelta(days=60)
    statuses = {report.status for report in reports}
    assert {Status.CLOSED, Status.ASSIGNED} <= statuses  # some long done, some still waiting
    escalated = [report for report in reports if report.escalation_level]
    assert max(report.escalation_level for report in escalated) == 3
    assert all(report.escalated_at <= END for report in escalated)
    assert any(report.reopen_count for report in reports)
    assert any(report.rating and report.rating.score <= 2 and not report.rating.fixed for report in reports)
    # Proof of fix: each resolution of a field that is not exempt came with an after-photo, most taken on the spot.
    resolved = [report for report in reports if report.result]
    assert all(report.result.photo_count >= 1 for report in resolved
               if get_category(report.category_code).after_photo_required)
    assert {True, False} <= {report.result.location_verified for report in resolved}
    # Photos went through the upload form and the photo check: checked copies, an empty quarantine.
    with_photos = [report for report in reports if report.photos]
    assert with_photos and all(photo.is_checked for report in with_photos for photo in report.photos.values())
    bucket = boto3.resource("s3").Bucket(get_settings().photos_bucket)
    assert not list(bucket.objects.filter(Prefix="quarantine/"))
    assert any(report.result_photos for report in reports)

    board = scorecards.scorecards({"period": "90"}, ports=ports, now=END)
    assert sum(row["received"] for row in board["fields"]) == SIZE
    assert sum(row["resolved"] for row in board["units"]) >= SIZE // 2
    assert sum(row["satisfaction"]["count"] for row in board["units"]) > 0
    dashboard = oversight.dashboard(COORDINATOR, days="90", ports=ports, now=END)
    assert sum(day["submitted"] for day in dashboard["daily"]) == SIZE


def test_the_history_is_the_same_every_time_and_when_restored(history, aws, tmp_path, monkeypatch):
    ports = bootstrap.ports()
    first = _facts(ports, [filed.report_id for filed in history.filed.values()])
    demo_history_cache.dump(tmp_path / "dump", {"reports": SIZE, "seconds": 0})

    _wipe(aws)
    again = replay_history(aws.functions, size=SIZE, end=END)
    assert _facts(ports, [filed.report_id for filed in again.filed.values()]) == first

    _wipe(aws)
    demo_history_cache.restore(tmp_path / "dump")
    restored = [filed.report_id for filed in history.filed.values()]
    assert _facts(ports, restored) == first
    board = scorecards.scorecards({"period": "90"}, ports=ports, now=END)
    assert sum(row["received"] for row in board["fields"]) == SIZE  # counted once, not again
