"""When escalation levels fire, when resolved reports close, and the demo's deadline scale."""

from datetime import UTC, datetime, timedelta

import pytest

from phananh.escalation.sweeper import Breach, breach_of
from phananh.report.categories import get_category
from phananh.report.deadlines import (
    DEADLINE_SCALE_VARIABLE,
    acknowledge_deadline,
    add_working_days,
    close_deadline,
    current_deadline,
    deadlines_for,
    escalation_times,
    is_publicly_overdue,
    rating_reminder_time,
)
from phananh.report.lifecycle import Status
from phananh.report.model import Location, Report, Result

ROADS = get_category("roads")
MONDAY_NOON = datetime(2026, 3, 16, 5, 0, tzinfo=UTC)  # 12:00 in Vietnam


def test_acknowledge_levels_come_one_allowance_apart():
    due = acknowledge_deadline(ROADS, MONDAY_NOON)
    allowance = timedelta(hours=ROADS.acknowledge_hours)
    assert escalation_times(ROADS, "ack", due) == [due, due + allowance, due + 2 * allowance]


def test_resolve_levels_count_working_days_again():
    due = deadlines_for(ROADS, MONDAY_NOON).resolve_due
    days = ROADS.resolve_working_days
    second = add_working_days(due, days)
    assert escalation_times(ROADS, "resolve", due) == [due, second, add_working_days(second, days)]


def test_urgent_fields_escalate_in_hours():
    flooding = get_category("flooding")
    due = deadlines_for(flooding, MONDAY_NOON).resolve_due
    assert escalation_times(flooding, "resolve", due)[1] == due + timedelta(hours=flooding.resolve_hours)


def test_a_resolved_report_closes_after_seven_days_and_is_reminded_two_days_before():
    assert close_deadline(MONDAY_NOON) == MONDAY_NOON + timedelta(days=7)
    assert rating_reminder_time(close_deadline(MONDAY_NOON)) == MONDAY_NOON + timedelta(days=5)


def test_the_demo_scale_divides_every_span(monkeypatch):
    monkeypatch.setenv(DEADLINE_SCALE_VARIABLE, "480")
    assert acknowledge_deadline(ROADS, MONDAY_NOON) == MONDAY_NOON + timedelta(hours=ROADS.acknowledge_hours) / 480
    assert close_deadline(MONDAY_NOON) == MONDAY_NOON + timedelta(days=7) / 480
    unscaled_resolve = add_working_days(MONDAY_NOON, ROADS.resolve_working_days)
    assert deadlines_for(ROADS, MONDAY_NOON).resolve_due == MONDAY_NOON + (unscaled_resolve - MONDAY_NOON) / 480
    monkeypatch.setenv(DEADLINE_SCALE_VARIABLE, "0")
    with pytest.raises(ValueError):
        acknowledge_deadline(ROADS, MONDAY_NOON)


def _report(status: Status, **changes) -> Report:
    fields = dict(
        report_id="PA260316ABCDEFGH", version=3, status=status, source="app", category_code="roads",
        description="Ổ gà", location=Location(9.779, 105.47), ward_code="31321", address=None, photo_count=0,
        tracking_token_hash="x", contact_ciphertext=None, contact_shared=False,
        created_at=MONDAY_NOON, updated_at=MONDAY_NOON, owner_unit_id="so_xay_dung",
        acknowledge_due_at=MONDAY_NOON + timedelta(hours=8), resolve_due_at=MONDAY_NOON + timedelta(days=5),
    )
    return Report(**{**fields, **changes})


def test_what_is_watched_in_each_state():
    assert breach_of(_report(Status.ASSIGNED)).kind == "ack"
    assert breach_of(_report(Status.IN_PROGRESS)).kind == "resolve"
    resolved = Result(note="Đã vá", at=MONDAY_NOON, officer="so_xay_dung.officer")
    assert breach_of(_report(Status.RESOLVED, result=resolved)) is None
    assert current_deadline(_report(Status.RECEIVED)) == MONDAY_NOON


def test_the_sweeper_starts_a_chain_once_and_again_only_if_it_died():
    report = _report(Status.ASSIGNED)
    breach: Breach = breach_of(report)
    due = report.acknowledge_due_at
    assert breach.level_to_start(due - timedelta(seconds=1)) is None
    assert breach.level_to_start(due) == 1
    assert breach.execution_name(1) == f"PA260316ABCDEFGH-ack-{due:%y%m%d%H%M%S}-L1"

    fired_once = breach_of(_report(Status.ASSIGNED, escalation_level=1, escalation_due=due))
    assert fired_once.level_to_start(breach.times[1]) is None  # the running chain fires level 2 itself
    assert fired_once.level_to_start(breach.times[1] + timedelta(minutes=16)) == 2  # it did not: it died
    done = breach_of(_report(Status.ASSIGNED, escalation_level=3, escalation_due=due))
    assert done.level_to_start(due + timedelta(days=30)) is None
    # A level fired for an earlier deadline (before a transfer) does not count for the new one.
    transferred = breach_of(_report(Status.ASSIGNED, escalation_level=3, escalation_due=due - timedelta(hours=2)))
    assert transferred.level_to_start(due) == 1


def test_the_public_overdue_mark_follows_the_current_deadline():
    due = MONDAY_NOON + timedelta(hours=8)
    assert is_publicly_overdue(_report(Status.ASSIGNED, escalation_level=3, escalation_due=due))
    assert not is_publicly_overdue(_report(Status.ASSIGNED, escalation_level=2, escalation_due=due))
    assert not is_publicly_overdue(_report(Status.ACKNOWLEDGED, escalation_level=3, escalation_due=due))
