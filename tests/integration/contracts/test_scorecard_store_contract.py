"""The ScorecardStore contract: counters added per scope and day, each report version once; the fake
and the DynamoDB adapter agree."""

from datetime import UTC, datetime

import pytest
from fakes import FakeScorecardStore

from phananh.adapters.dynamo.scorecards import DynamoScorecardStore
from phananh.transparency.scorecards import Increments

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def store(implementation):
    return FakeScorecardStore() if implementation == "fake" else DynamoScorecardStore()


def change(version, day="2026-03-02", **counts):
    return Increments(report_id="PA260302AAAAAAAA", version=version, day=day, unit_id="unit-a",
                      category_code="roads", counts=counts or {"received": 1})


def test_a_change_counts_once_on_each_of_its_scopes(store):
    scopes = ["field#roads", "unit#unit-a"]
    assert store.apply(change(2, received=1, ack_b3=1), scopes, NOW)
    assert not store.apply(change(2, received=1, ack_b3=1), scopes, NOW)  # redelivered
    assert store.apply(change(3, acknowledged=1, ack_b3=1), scopes, NOW)
    for scope in scopes:
        assert store.days(scope, "2026-03-01", "2026-03-31") == [{"received": 1, "acknowledged": 1, "ack_b3": 2}]
    assert store.scopes() == scopes


def test_days_are_read_within_the_period_in_day_order(store):
    for version, day in enumerate(("2026-03-03", "2026-02-27", "2026-03-01"), start=2):
        store.apply(change(version, day, received=version), ["field#roads"], NOW)
    assert store.days("field#roads", "2026-02-28", "2026-03-03") == [{"received": 4}, {"received": 2}]
    assert store.days("unit#unit-a", "2026-02-01", "2026-03-31") == []


def test_days_by_date_names_each_day_read(store):
    for version, day in enumerate(("2026-03-03", "2026-02-27", "2026-03-01"), start=2):
        store.apply(change(version, day, received=version), ["field#roads"], NOW)
    assert store.days_by_date("field#roads", "2026-02-28", "2026-03-03") == {
        "2026-03-01": {"received": 4}, "2026-03-03": {"received": 2}}
