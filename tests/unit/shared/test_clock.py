"""Vietnam's time: UTC+7 every day of the year, as officers read it in messages."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from phananh.shared.clock import VIETNAM, local_time_text


@pytest.mark.parametrize("moment", [
    datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
    datetime(2026, 6, 30, 16, 59, 59, tzinfo=UTC),  # the day changes at 17:00 UTC
    datetime(2026, 12, 31, 17, 0, tzinfo=UTC),
])
def test_the_fixed_offset_is_the_named_zone(moment):
    assert moment.astimezone(VIETNAM).isoformat() == moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).isoformat()


def test_a_moment_reads_in_vietnam_time_with_its_day():
    assert local_time_text(datetime(2026, 11, 23, 17, 5, tzinfo=UTC)) == "00:05 24/11/2026"


def test_no_moment_reads_as_a_dash():
    assert local_time_text(None) == "—"
