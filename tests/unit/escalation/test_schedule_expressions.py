"""The local stack fires EventBridge schedules itself: rate(...) and cron(...) expressions."""

from datetime import UTC, datetime

import pytest

from phananh_local.dispatch import Cron, schedule_period_s


def test_rates():
    assert schedule_period_s("rate(5 minutes)") == 300
    assert schedule_period_s("rate(1 hour)") == 3600


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        # The daily digest: 00:00 UTC is 07:00 in Vietnam.
        ("cron(0 0 * * ? *)", datetime(2026, 11, 23, 9, 34), datetime(2026, 11, 24, 0, 0)),
        ("cron(0 0 * * ? *)", datetime(2026, 11, 23, 23, 59, 30), datetime(2026, 11, 24, 0, 0)),
        ("cron(15 10 ? * MON-FRI *)", datetime(2026, 11, 27, 11, 0), datetime(2026, 11, 30, 10, 15)),
        ("cron(0/30 8-9 * * ? *)", datetime(2026, 11, 27, 8, 0), datetime(2026, 11, 27, 8, 30)),
        ("cron(0/30 8-9 * * ? *)", datetime(2026, 11, 27, 9, 30), datetime(2026, 11, 28, 8, 0)),
        ("cron(0 12 1 JAN ? 2027)", datetime(2026, 11, 27), datetime(2027, 1, 1, 12, 0)),
    ],
)
def test_cron_next_run(expression, after, expected):
    assert Cron(expression).next_after(after.replace(tzinfo=UTC)) == expected.replace(tzinfo=UTC)


@pytest.mark.parametrize("expression", ["cron(0 0 * *)", "rate(5 minutes)", "cron(61 0 * * ? *)"])
def test_bad_cron(expression):
    with pytest.raises(ValueError):
        Cron(expression)
