"""Vietnam's time: the zone every deadline, working day and message to a person is reckoned in.

Vietnam keeps UTC+7 all year (no daylight saving since 1975), so a fixed offset is exact for every
date we handle and needs no time-zone database in the Lambda runtime.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))
NO_TIME = "—"


def local_time_text(moment: datetime | None) -> str:
    """`moment` as officers read it in a message, "09:05 23/11/2026" in Vietnam time; "—" for none."""
    return moment.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y") if moment else NO_TIME
