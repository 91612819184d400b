"""Vietnam's time: the zone every deadline, working day and message to a person is reckoned in; and
the one clock the apps read "now" from.

Vietnam keeps UTC+7 all year (no daylight saving since 1975), so a fixed offset is exact for every
date we handle and needs no time-zone database in the Lambda runtime.

The clock is the system's, except inside `set_to`: the local stack's demo history
(infra/local/phananh_local/demo_history.py) replays 90 days of reports through the real handlers,
which take "now" from `utc_now`, and sets the moment for its own thread while it does. Nothing in
the cloud calls `set_to`, and a thread (a request, a poller) never sees another thread's moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))
NO_TIME = "—"


def local_time_text(moment: datetime | None) -> str:
    """`moment` as officers read it in a message, "09:05 23/11/2026" in Vietnam time; "—" for none."""
    return moment.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y") if moment else NO_TIME


_SET_MOMENT: ContextVar[datetime | None] = ContextVar("phananh_clock_moment", default=None)


def utc_now() -> datetime:
    """Now in UTC, to the second: the system clock, or the moment `set_to` holds in this thread."""
    moment = _SET_MOMENT.get()
    return moment if moment is not None else datetime.now(UTC).replace(microsecond=0)


@contextmanager
def set_to(moment: datetime) -> Iterator[None]:
    """Within the block, `utc_now` in this thread (this context) answers `moment` (aware)."""
    token = _SET_MOMENT.set(moment.astimezone(UTC).replace(microsecond=0))
    try:
        yield
    finally:
        _SET_MOMENT.reset(token)
