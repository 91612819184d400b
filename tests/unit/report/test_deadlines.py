from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from phananh.report.categories import all_categories, get_category
from phananh.report.deadlines import (
    END_OF_WORKING_DAY,
    ESCALATION_LEVELS,
    VIETNAM,
    WATCHED,
    Deadlines,
    acknowledge_deadline,
    add_working_days,
    close_deadline,
    current_deadline,
    deadline_reached,
    deadlines_for,
    due_on_local_day,
    escalated_for,
    is_past_due,
    is_publicly_overdue,
    is_working_day,
    met_deadline,
)
from phananh.report.lifecycle import OPEN_STATES, Status
from phananh.report.model import Location, Report, Result

NEW_YORK = ZoneInfo("America/New_York")
# An independent oracle: the package's own notion of a Vietnamese working day.
VN_CALENDAR = holidays.country_holidays("VN")


def ict(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


def due_at_five(year, month, day):
    return datetime.combine(date(year, month, day), END_OF_WORKING_DAY, tzinfo=VIETNAM).astimezone(UTC)


def test_friday_evening_report_with_three_working_days_is_due_wednesday_at_five():
    friday_evening = ict(2026, 3, 13, 20, 30)
    assert friday_evening.weekday() == 4

    deadlines = deadlines_for(get_category("waste"), friday_evening)

    assert deadlines == Deadlines(
        acknowledge_due=datetime(2026, 3, 13, 21, 30, tzinfo=UTC),
        resolve_due=datetime(2026, 3, 18, 10, 0, tzinfo=UTC),
    )
    assert deadlines.acknowledge_due.astimezone(VIETNAM) == ict(2026, 3, 14, 4, 30)
    assert deadlines.resolve_due.astimezone(VIETNAM) == ict(2026, 3, 18, 17)


def test_the_hour_of_the_assignment_day_does_not_matter():
    assert add_working_days(ict(2026, 3, 13, 0, 1), 3) == add_working_days(ict(2026, 3, 13, 23, 59), 3)


def test_tet_2027_is_skipped():
    tet = holidays.country_holidays("VN", years=2027)
    tet_break = [date(2027, 2, 4) + timedelta(days=n) for n in range(7)]
    assert all(day in tet for day in tet_break)
    assert tet.get(date(2027, 2, 5)) == "Lunar New Year's Eve"
    assert not any(is_working_day(day) for day in tet_break)

    last_day_before_the_break = ict(2027, 2, 3, 18)
    assert add_working_days(last_day_before_the_break, 3) == due_at_five(2027, 2, 15)
    # Seven working days from a holiday: Thu 11, Fri 12, Mon 15 ... Fri 19.
    new_years_eve = ict(2027, 2, 5, 9)
    assert deadlines_for(get_category("construction"), new_years_eve).resolve_due == due_at_five(2027, 2, 19)


def test_a_declared_make_up_saturday_is_a_working_day():
    # 2026: Monday 31 August is off in exchange for Saturday 22 August.
    assert is_working_day(date(2026, 8, 22))
    assert not is_working_day(date(2026, 8, 31))
    assert add_working_days(ict(2026, 8, 21, 10), 1) == due_at_five(2026, 8, 22)
    # Mon 31 Aug, National Day Tue 1 and Wed 2 Sep are off.
    assert add_working_days(ict(2026, 8, 28, 10), 3) == due_at_five(2026, 9, 7)


def test_ordinary_weekends_are_not_working_days():
    assert not is_working_day(date(2026, 3, 14))
    assert not is_working_day(date(2026, 3, 15))
    assert is_working_day(date(2026, 3, 16))


@pytest.mark.parametrize("code", ["flooding", "landslide", "hazard", "fire_safety"])
def test_urgent_fields_are_due_in_clock_hours_even_during_tet(code):
    category = get_category(code)
    tet_saturday_night = ict(2027, 2, 6, 23, 30)

    deadlines = deadlines_for(category, tet_saturday_night)

    assert deadlines.acknowledge_due == tet_saturday_night + timedelta(hours=category.acknowledge_hours)
    assert deadlines.resolve_due == tet_saturday_night + timedelta(hours=category.resolve_hours)
    assert deadlines.resolve_due.astimezone(VIETNAM) == ict(2027, 2, 7, 2, 30)


def test_acknowledging_is_a_watch_duty_counted_in_clock_hours():
    sunday_night = ict(2026, 3, 15, 22)
    assert deadlines_for(get_category("electricity"), sunday_night).acknowledge_due == ict(2026, 3, 16, 2)


def test_working_days_are_counted_from_the_day_in_vietnam_not_in_the_input_zone():
    # Thursday evening in UTC and New York is already Friday morning in Vietnam.
    thursday_utc = datetime(2026, 3, 12, 20, 0, tzinfo=UTC)
    thursday_new_york = thursday_utc.astimezone(NEW_YORK)
    assert thursday_new_york.weekday() == 3

    for moment in (thursday_utc, thursday_new_york):
        assert add_working_days(moment, 3) == due_at_five(2026, 3, 18)
        assert deadlines_for(get_category("roads"), moment).acknowledge_due == datetime(2026, 3, 13, 4, tzinfo=UTC)


def test_outputs_are_utc():
    deadlines = deadlines_for(get_category("construction"), ict(2026, 3, 13, 9).astimezone(NEW_YORK))
    assert deadlines.acknowledge_due.tzinfo is UTC
    assert deadlines.resolve_due.tzinfo is UTC


def test_a_transfer_gets_a_fresh_acknowledge_clock():
    transferred_at = ict(2026, 3, 17, 9)
    assert acknowledge_deadline(get_category("noise"), transferred_at) == ict(2026, 3, 17, 13)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        deadlines_for(get_category("waste"), datetime(2026, 3, 13, 9))
    with pytest.raises(ValueError, match="aware"):
        add_working_days(datetime(2026, 3, 13, 9), 1)


def test_at_least_one_working_day():
    with pytest.raises(ValueError):
        add_working_days(ict(2026, 3, 13, 9), 0)


instants = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2090, 12, 31),
    timezones=st.sampled_from([UTC, VIETNAM, NEW_YORK, ZoneInfo("Pacific/Kiritimati")]),
)
working_days = st.integers(min_value=1, max_value=40)


@given(start=instants, days=working_days)
def test_a_working_day_deadline_is_after_its_start_at_five_on_a_working_day(start, days):
    due = add_working_days(start, days)
    local = due.astimezone(VIETNAM)

    assert due > start
    assert local.time() == END_OF_WORKING_DAY
    assert is_working_day(local.date())
    assert VN_CALENDAR.is_working_day(local.date())
    assert local.date() not in VN_CALENDAR
    assert local.weekday() < 5 or local.date() in VN_CALENDAR.weekend_workdays


@given(start=instants, days=working_days)
def test_exactly_the_asked_number_of_working_days_are_counted(start, days):
    first = start.astimezone(VIETNAM).date() + timedelta(days=1)
    last = add_working_days(start, days).astimezone(VIETNAM).date()
    counted = sum(VN_CALENDAR.is_working_day(first + timedelta(days=n)) for n in range((last - first).days + 1))
    assert counted == days


@given(start=instants, days=working_days, more=st.integers(min_value=0, max_value=20))
def test_more_working_days_is_never_earlier(start, days, more):
    assert add_working_days(start, days + more) >= add_working_days(start, days)


@given(start=instants, later_by=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)), days=working_days)
def test_a_later_start_is_never_due_earlier(start, later_by, days):
    assert add_working_days(start + later_by, days) >= add_working_days(start, days)


@given(start=instants, category=st.sampled_from(all_categories()))
def test_every_field_is_acknowledged_after_its_start_and_no_later_than_resolved(start, category):
    deadlines = deadlines_for(category, start)
    assert start < deadlines.acknowledge_due <= deadlines.resolve_due


# -- which deadline a report is held to, and whether it is late ---------------------------------

FILED = datetime(2026, 3, 16, 5, 0, tzinfo=UTC)  # Monday 12:00 in Vietnam
ACK_DUE = FILED + timedelta(hours=8)
RESOLVE_DUE = FILED + timedelta(days=5)


def _report(status: Status, **changes) -> Report:
    fields = dict(
        report_id="PA260316ABCDEFGH", version=3, status=status, source="app", category_code="roads",
        description="Ổ gà", location=Location(9.779, 105.47), ward_code="31321", address=None, photo_count=0,
        tracking_token_hash="x", contact_ciphertext=None, contact_shared=False, created_at=FILED,
        updated_at=FILED, owner_unit_id="so_xay_dung", acknowledge_due_at=ACK_DUE, resolve_due_at=RESOLVE_DUE,
    )
    return Report(**{**fields, **changes})


def _resolved_at(at: datetime) -> Result:
    return Result(note="Đã vá", at=at, officer="so_xay_dung.officer")


def test_each_state_is_held_to_its_own_deadline():
    resolved_at = FILED + timedelta(days=1)
    ended_at = FILED + timedelta(days=9)
    assert current_deadline(_report(Status.RECEIVED)) == FILED  # the photo cutoff runs from filing
    assert current_deadline(_report(Status.ASSIGNED)) == ACK_DUE
    assert current_deadline(_report(Status.ACKNOWLEDGED)) == RESOLVE_DUE
    assert current_deadline(_report(Status.IN_PROGRESS)) == RESOLVE_DUE
    assert current_deadline(_report(Status.RESOLVED, result=_resolved_at(resolved_at))) == close_deadline(resolved_at)
    assert current_deadline(_report(Status.RESOLVED)) is None
    # An ended report is watched only while it holds the reporter's personal data (the retention).
    assert current_deadline(_report(Status.CLOSED, ended_at=ended_at, contact_ciphertext=b"sealed")) == ended_at
    assert current_deadline(_report(Status.CLOSED, ended_at=ended_at)) is None


def test_a_deadline_is_reached_at_its_moment_and_past_only_after_it():
    report = _report(Status.ASSIGNED)
    second = timedelta(seconds=1)
    assert (deadline_reached(report, ACK_DUE - second), is_past_due(report, ACK_DUE - second)) == (False, False)
    assert (deadline_reached(report, ACK_DUE), is_past_due(report, ACK_DUE)) == (True, False)
    assert (deadline_reached(report, ACK_DUE + second), is_past_due(report, ACK_DUE + second)) == (True, True)


def test_without_a_deadline_nothing_is_late():
    report = _report(Status.CLOSED, ended_at=FILED)
    later = FILED + timedelta(days=365)
    assert not deadline_reached(report, later) and not is_past_due(report, later)
    assert not due_on_local_day(report, later.date())


@given(offset=st.integers(min_value=-10 * 86400, max_value=10 * 86400))
def test_past_due_is_reached_and_later_than_the_deadline(offset):
    report, now = _report(Status.IN_PROGRESS), RESOLVE_DUE + timedelta(seconds=offset)
    assert is_past_due(report, now) == (offset > 0)
    assert deadline_reached(report, now) == (offset >= 0)


def test_the_day_a_report_is_due_is_the_day_in_vietnam():
    late_evening_utc = datetime(2026, 3, 16, 23, 30, tzinfo=UTC)  # Tuesday 06:30 in Vietnam
    report = _report(Status.ASSIGNED, acknowledge_due_at=late_evening_utc)
    assert due_on_local_day(report, date(2026, 3, 17))
    assert not due_on_local_day(report, date(2026, 3, 16))


def test_work_is_on_time_up_to_its_deadline_included():
    assert met_deadline(ACK_DUE, ACK_DUE)
    assert met_deadline(ACK_DUE - timedelta(hours=1), ACK_DUE)
    assert not met_deadline(ACK_DUE + timedelta(seconds=1), ACK_DUE)
    assert not met_deadline(FILED, None)


def test_the_open_states_are_watched_for_acknowledging_then_resolving():
    assert WATCHED == {Status.ASSIGNED: "ack", Status.ACKNOWLEDGED: "resolve", Status.IN_PROGRESS: "resolve"}
    assert set(WATCHED) == OPEN_STATES


def test_escalation_levels_count_only_for_the_deadline_they_were_fired_for():
    assert escalated_for(_report(Status.ASSIGNED, escalation_level=2, escalation_due=ACK_DUE), ACK_DUE) == 2
    assert escalated_for(_report(Status.ASSIGNED, escalation_level=2, escalation_due=ACK_DUE), RESOLVE_DUE) == 0
    assert escalated_for(_report(Status.ASSIGNED, escalation_level=2, escalation_due=ACK_DUE), None) == 0


def test_publicly_overdue_means_the_last_level_was_reached_for_the_current_deadline():
    last = ESCALATION_LEVELS
    assert is_publicly_overdue(_report(Status.ASSIGNED, escalation_level=last, escalation_due=ACK_DUE))
    assert is_publicly_overdue(_report(Status.IN_PROGRESS, escalation_level=last, escalation_due=RESOLVE_DUE))
    assert not is_publicly_overdue(_report(Status.ASSIGNED, escalation_level=last - 1, escalation_due=ACK_DUE))
    # Acknowledged late: the acknowledge escalation no longer marks it, the resolve deadline now counts.
    assert not is_publicly_overdue(_report(Status.ACKNOWLEDGED, escalation_level=last, escalation_due=ACK_DUE))
    # Resolved: no longer watched, whatever was fired before.
    resolved = _report(Status.RESOLVED, escalation_level=last, escalation_due=RESOLVE_DUE,
                       result=_resolved_at(RESOLVE_DUE))
    assert not is_publicly_overdue(resolved)
    # Merely past the deadline is not the public mark.
    assert not is_publicly_overdue(_report(Status.ASSIGNED))


# -- the pause while a question waits for the reporter ------------------------------------------


def test_the_pause_allowance_counts_working_days_from_the_question_s_day():
    from phananh.report.deadlines import pause_allowance_end

    friday_evening = datetime(2026, 3, 6, 20, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    # Monday, Tuesday, Wednesday: the allowance ends on Wednesday at 17:00.
    assert pause_allowance_end(friday_evening, 3) == datetime(2026, 3, 11, 17, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    # Tết 2026 (16–20 February) is no working day either.
    before_tet = datetime(2026, 2, 13, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert pause_allowance_end(before_tet, 1) == datetime(2026, 2, 23, 17, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_with_no_allowance_configured_a_question_pauses_nothing():
    from sample_reports import assigned

    from phananh.report.deadlines import question_pause

    report = assigned(resolve_due_at=datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
    assert question_pause(report, datetime(2026, 3, 3, 3, 0, tzinfo=UTC), 0) == (None, None)
    pause_until, allowance_end = question_pause(report, datetime(2026, 3, 3, 3, 0, tzinfo=UTC), 3)
    assert pause_until == allowance_end == datetime(2026, 3, 6, 10, 0, tzinfo=UTC)
