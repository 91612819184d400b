"""When things are due: the one place that turns a field's time limits into deadlines.

Rules:
- Acknowledging is a watch duty (reports arrive 24/7): due `acknowledge_hours` clock hours after
  assignment, whatever the day.
- Urgent fields are resolved within `resolve_hours` clock hours of assignment.
- Other fields are resolved by the end of the working day (17:00 Vietnam time) of the Nth working
  day after the day of assignment, N = `resolve_working_days`. The day of assignment never
  counts, whatever the hour: a report assigned on Friday evening, or on Friday morning, with 3
  working days is due on Wednesday at 17:00.
- Working days are Monday to Friday except Vietnamese public holidays (Tết included, from the
  `holidays` package), plus the Saturdays the government declares as make-up working days when it
  moves a day off next to a holiday: offices are open on those, and skipping them would count one
  working day fewer than the officials themselves do.

A transfer gives the new unit a fresh acknowledge clock (`acknowledge_deadline`) but keeps the
resolve deadline of the first assignment: the caller keeps the stored `resolve_due` unchanged, so
bouncing a report between units never hides lateness.

Late work escalates in three levels (phananh.escalation.sweeper): level 1 when a deadline passes, each
next level after the same allowance again (`escalation_times`).

While a question of the owner unit waits for the reporter, the resolve clock is paused: the resolve
deadline moves on by exactly the time the question waited (`resolve_deadline`). A report's pauses
all lie within its allowance, which its first question opens and which ends at 17:00 on the Nth
working day after that question's day (N = PHANANH_QUESTION_PAUSE_WORKING_DAYS, `pause_allowance_end`):
a question pauses the clock until it is answered or the allowance ends, whichever comes first, and a
question asked once the allowance ended, or once the deadline had already passed, pauses nothing
(`question_pause`), so that asking never hides lateness. While a question waits, the deadline is
the one that holds if no answer comes; an answer brings it forward again.

A resolved report the reporter has not rated closes `CLOSE_AFTER` after its resolution; the
reporter is reminded to rate `RATING_REMINDER_BEFORE` that.

Demos: `PHANANH_DEADLINE_SCALE` (default 1, never set in the cloud) divides every span decided
here, so that with 480 an 8-hour acknowledge deadline passes in a minute. Working-day deadlines
are computed on the calendar first, then their span is divided.

Which deadline a report is held to, and whether it is late, is decided here too (one meaning
each): `current_deadline` (the due_watch index's deadline of each state), `deadline_reached` (the
jobs act at the deadline), `is_past_due` (officers and the daily digest call a report late once its
deadline has gone by), `due_on_local_day`, `met_deadline` (the scorecards' on-time counts),
`resolve_deadline` (the resolve deadline with the pauses for questions), `clock_paused`,
`deadline_outcome` (the public page's "met") and `is_publicly_overdue` (the last escalation level
was reached: the public mark; `escalated_for` the level fired for a deadline). `WATCHED` names
the states whose missed deadline escalates.

Inputs may be in any time zone but must be aware; outputs are aware UTC datetimes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING

from phananh.report.categories import Category
from phananh.report.lifecycle import ENDED_STATES, Status

if TYPE_CHECKING:
    from phananh.report.model import Question, Report
from phananh.shared.clock import VIETNAM

END_OF_WORKING_DAY = time(17, 0)
_SATURDAY = 5
DEADLINE_SCALE_VARIABLE = "PHANANH_DEADLINE_SCALE"
ESCALATION_LEVELS = 3
CLOSE_AFTER = timedelta(days=7)
RATING_REMINDER_BEFORE = timedelta(days=2)


# The states whose missed deadline escalates (phananh.escalation.sweeper), and the kind of that
# deadline: "ack" (acknowledge) or "resolve".
WATCHED: dict[Status, str] = {
    Status.ASSIGNED: "ack",
    Status.ACKNOWLEDGED: "resolve",
    Status.IN_PROGRESS: "resolve",
}


@dataclass(frozen=True)
class Deadlines:
    acknowledge_due: datetime
    resolve_due: datetime


def deadlines_for(category: Category, assigned_at: datetime) -> Deadlines:
    """The acknowledge and resolve deadlines of a report of `category` assigned at `assigned_at`."""
    start = _as_utc(assigned_at)
    return Deadlines(acknowledge_due=acknowledge_deadline(category, start), resolve_due=_resolve_after(category, start))


def acknowledge_deadline(category: Category, at: datetime) -> datetime:
    """When a unit that receives a report at `at` (assignment or transfer) must acknowledge it."""
    start = _as_utc(at)
    return _scaled(start, start + timedelta(hours=category.acknowledge_hours))


def _resolve_after(category: Category, start: datetime) -> datetime:
    if category.urgent:
        return _scaled(start, start + timedelta(hours=category.resolve_hours))
    return _scaled(start, add_working_days(start, category.resolve_working_days))


def escalation_times(category: Category, kind: str, due: datetime) -> list[datetime]:
    """When each escalation level of a missed deadline fires: level 1 at the deadline (`due`), each
    next level after the same allowance again (`kind` "ack": the acknowledge hours; "resolve":
    the resolve hours or working days)."""
    if kind not in ("ack", "resolve"):
        raise ValueError(f"unknown deadline kind {kind!r}")
    times = [_as_utc(due)]
    while len(times) < ESCALATION_LEVELS:
        previous = times[-1]
        times.append(acknowledge_deadline(category, previous) if kind == "ack" else _resolve_after(category, previous))
    return times


def close_deadline(resolved_at: datetime) -> datetime:
    """When a resolved report the reporter has not rated closes by itself."""
    start = _as_utc(resolved_at)
    return _scaled(start, start + CLOSE_AFTER)


def rating_reminder_time(close_due: datetime) -> datetime:
    """When the reporter of a resolved report is reminded to rate it, before it closes."""
    due = _as_utc(close_due)
    return due - scaled_span(RATING_REMINDER_BEFORE)


def deadline_scale() -> float:
    """How many times faster deadlines pass: 1 except in demos (PHANANH_DEADLINE_SCALE)."""
    raw = os.environ.get(DEADLINE_SCALE_VARIABLE, "1")
    scale = float(raw)
    if scale <= 0:
        raise ValueError(f"{DEADLINE_SCALE_VARIABLE} must be positive, not {raw!r}")
    return scale


def scaled_span(span: timedelta) -> timedelta:
    """`span` as it passes here (divided by the demo scale), e.g. the photo cutoff."""
    scale = deadline_scale()
    return span if scale == 1 else span / scale


def _scaled(start: datetime, due: datetime) -> datetime:
    return start + scaled_span(due - start)


def add_working_days(start: datetime, days: int) -> datetime:
    """17:00 Vietnam time on the `days`-th working day after the (Vietnamese) day of `start`."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day = _as_utc(start).astimezone(VIETNAM).date()
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return datetime.combine(day, END_OF_WORKING_DAY, tzinfo=VIETNAM).astimezone(UTC)


def is_working_day(day: date) -> bool:
    """Whether Vietnamese public offices work on `day`."""
    holidays, make_up_days = _year_calendar(day.year)
    if day.weekday() >= _SATURDAY:
        return day in make_up_days
    return day not in holidays


@cache
def _year_calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, make-up working Saturdays) of one year, built on first use."""
    import holidays

    # The neighbouring years too: a holiday observed on another day may cross the new year.
    calendar = holidays.country_holidays("VN", years=range(year - 1, year + 2))
    return (
        frozenset(day for day in calendar if day.year == year),
        frozenset(day for day in calendar.weekend_workdays if day.year == year),
    )


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a deadline needs an aware datetime (with a time zone)")
    return moment.astimezone(UTC)


# -- which deadline a report is held to, and whether it is late ---------------------------------


def current_deadline(report: Report) -> datetime | None:
    """The deadline the report is watched against in its current state (the due_watch index):
    acknowledge, resolve, closing unrated once resolved, for a report still being received the time
    it was filed (the photo cutoff runs from there, see phananh.escalation.jobs), and for an ended
    report still holding the reporter's personal data the time it ended (the retention runs from
    there)."""
    if report.status is Status.RECEIVED:
        return report.created_at
    if report.status is Status.ASSIGNED:
        return report.acknowledge_due_at
    if report.status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
        return resolve_deadline(report)
    if report.status is Status.RESOLVED and report.result:
        return close_deadline(report.result.at)
    if report.status in ENDED_STATES and report.personal_data_held():
        # Not a deadline but the moment the retention of the reporter's data runs from; once
        # erased, the report leaves the index.
        return report.ended_at
    return None


def deadline_reached(report: Report, now: datetime) -> bool:
    """The current deadline has come (at or before `now`): the moment the jobs act on it, as the
    due_watch index finds it."""
    due = current_deadline(report)
    return due is not None and due <= now


def is_past_due(report: Report, now: datetime) -> bool:
    """The current deadline has gone by (strictly before `now`): late, as the officers' queue and
    the daily digest say."""
    due = current_deadline(report)
    return due is not None and due < now


def due_on_local_day(report: Report, day: date) -> bool:
    """The current deadline falls on `day` (a day in Vietnam time)."""
    due = current_deadline(report)
    return due is not None and due.astimezone(VIETNAM).date() == day


def met_deadline(done_at: datetime, due: datetime | None) -> bool:
    """Work done at `done_at` was on time for the deadline `due` (none: never on time)."""
    return due is not None and done_at <= due


def deadline_outcome(done_at: datetime | None, due: datetime | None, now: datetime) -> bool | None:
    """Whether a deadline was met, as the public page says it: once the work is done, whether it was
    on time (`met_deadline`); before, False once the deadline has gone by (it can no longer be met),
    None while there is still time (or no deadline was set)."""
    if due is None:
        return None
    if done_at is not None:
        return met_deadline(done_at, due)
    return False if due < now else None


def escalated_for(report: Report, due: datetime | None) -> int:
    """The escalation level already fired for the deadline `due` (0: none). A level fired for an
    earlier deadline (before a transfer, or a reopening) does not count."""
    return report.escalation_level if due is not None and report.escalation_due == due else 0


def is_publicly_overdue(report: Report) -> bool:
    """The public mark: the deadline the report is watched against reached the last escalation level."""
    return report.status in WATCHED and escalated_for(report, current_deadline(report)) >= ESCALATION_LEVELS


# -- the resolve clock's pause while a question waits for the reporter ---------------------------


def pause_allowance_end(first_asked_at: datetime, working_days: int) -> datetime:
    """Where the pause allowance of a report whose first question was asked at `first_asked_at` ends:
    17:00 on the `working_days`-th working day after that day."""
    start = _as_utc(first_asked_at)
    return _scaled(start, add_working_days(start, working_days))


def question_pause(report: Report, now: datetime, working_days: int) -> tuple[datetime | None, datetime | None]:
    """For a question asked at `now`: until when it may pause the resolve clock (None: it pauses
    nothing), and the end of the report's pause allowance (fixed by its first question). With
    `working_days` 0 questions never pause the clock."""
    if working_days < 1:
        return None, report.pause_allowance_ends_at
    allowance_end = report.pause_allowance_ends_at or pause_allowance_end(now, working_days)
    due = resolve_deadline(report)
    pauses = due is not None and _as_utc(now) < due and _as_utc(now) < allowance_end
    return (allowance_end if pauses else None), allowance_end


def paused_span(question: Question | None) -> timedelta:
    """How long `question` pauses the resolve clock: from when it was asked until it stopped waiting,
    at most until its `pause_until`; while it waits, the whole span to `pause_until`."""
    if question is None or question.pause_until is None:
        return timedelta(0)
    end = min(question.closed_at or question.pause_until, question.pause_until)
    return max(end - question.asked_at, timedelta(0))


def paused_resolve_deadline(resolve_due: datetime | None, earlier_pauses_s: int,
                            waiting: Question | None = None) -> datetime | None:
    """The resolve deadline `resolve_due` moved on by the pauses of the questions that stopped
    waiting (`earlier_pauses_s`, counted as each stopped) and of the one still `waiting`. A resolved
    report has none waiting: the resolution stopped it."""
    if resolve_due is None:
        return None
    return _as_utc(resolve_due) + timedelta(seconds=earlier_pauses_s) + paused_span(waiting)


def paused_seconds(question: Question) -> int:
    """What `question`, as it stops waiting, adds to the report's `earlier_pauses_s`."""
    return int(paused_span(question).total_seconds())


def resolve_deadline(report: Report) -> datetime | None:
    """The resolve deadline the report is held to: the stored one plus every pause for a question."""
    return paused_resolve_deadline(report.resolve_due_at, report.earlier_pauses_s, report.waiting_question)


def clock_paused(report: Report, now: datetime) -> bool:
    """A question waits for the reporter and still pauses the resolve clock at `now`."""
    question = report.waiting_question
    return (
        question is not None and question.pause_until is not None
        and report.status in (Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
        and _as_utc(now) < question.pause_until
    )
