"""The clock seam the demo history replays with (phananh.shared.clock.set_to)."""

import threading
from datetime import UTC, datetime, timedelta

from phananh.report.model import utcnow
from phananh.shared import clock

PAST = datetime(2026, 9, 3, 8, 15, 30, 123456, tzinfo=UTC)


def test_the_clock_is_the_systems_outside_set_to():
    assert abs(utcnow() - datetime.now(UTC)) < timedelta(seconds=2)
    assert utcnow().microsecond == 0


def test_set_to_holds_a_moment_for_its_block_and_thread_only():
    seen_elsewhere = []
    with clock.set_to(PAST):
        assert utcnow() == PAST.replace(microsecond=0)
        other = threading.Thread(target=lambda: seen_elsewhere.append(utcnow()))
        other.start()
        other.join()
        with clock.set_to(PAST + timedelta(days=1)):
            assert utcnow() == PAST.replace(microsecond=0) + timedelta(days=1)
        assert utcnow() == PAST.replace(microsecond=0)
    assert abs(seen_elsewhere[0] - datetime.now(UTC)) < timedelta(seconds=2)
    assert abs(utcnow() - datetime.now(UTC)) < timedelta(seconds=2)
