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

Inputs may be in any time zone but must be aware; outputs are aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from phananh.categories import Category

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
END_OF_WORKING_DAY = time(17, 0)
_SATURDAY = 5


@dataclass(frozen=True)
class Deadlines:
    acknowledge_due: datetime
    resolve_due: datetime


def deadlines_for(category: Category, assigned_at: datetime) -> Deadlines:
    """The acknowledge and resolve deadlines of a report of `category` assigned at `assigned_at`."""
    start = _as_utc(assigned_at)
    if category.urgent:
        resolve_due = start + timedelta(hours=category.resolve_hours)
    else:
        resolve_due = add_working_days(start, category.resolve_working_days)
    return Deadlines(acknowledge_due=acknowledge_deadline(category, start), resolve_due=resolve_due)


def acknowledge_deadline(category: Category, at: datetime) -> datetime:
    """When a unit that receives a report at `at` (assignment or transfer) must acknowledge it."""
    return _as_utc(at) + timedelta(hours=category.acknowledge_hours)


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
