"""Trends month by month (transparency.trends) on the fake ports: the months listed, what counts in
which month (Vietnam days), and the three scopes (the province, one unit, one field)."""

from datetime import UTC, datetime
from itertools import count

import pytest

from phananh.shared.errors import InvalidInput
from phananh.transparency import scorecards, trends

# 01:00 in Vietnam on 1 December 2026, still 30 November in UTC.
NOW = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
_versions = count(1)


def counted(ports, day: str, *, category: str = "roads", unit_id: str | None = None, **counts: int) -> None:
    """One report change on Vietnam day `day`, counted as the reports stream counts it: in its field's
    scope and, once it has an owner, in its unit's."""
    change = scorecards.Increments(
        report_id=f"PA{next(_versions)}", version=1, day=day, unit_id=unit_id, category_code=category,
        counts=counts,
    )
    ports.scorecards.apply(change, scorecards.scopes_of(change), NOW)


def months_of(ports, **query) -> dict:
    return trends.trends(query, ports=ports, now=NOW)


def test_twelve_calendar_months_oldest_first_this_one_last_even_when_empty(ports):
    answer = months_of(ports)
    assert answer["scope"] == {"kind": "province", "code": None, "name": None}
    assert [month["month"] for month in answer["months"]] == [
        "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06",
        "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12",
    ]
    assert answer["months"][0] == {
        "month": "2026-01", "received": 0, "resolved": 0, "on_time_pct": None,
        "satisfaction_average": None, "rating_count": 0,
    }


def test_the_months_asked_for_cross_the_year_and_stay_within_two_years(ports):
    listed = [month["month"] for month in months_of(ports, months="14")["months"]]
    assert listed[:2] == ["2025-11", "2025-12"] and listed[-1] == "2026-12" and len(listed) == 14
    assert len(months_of(ports, months="24")["months"]) == 24
    for months in ("0", "25", "abc", "١٢", "12.0", ""):
        with pytest.raises(InvalidInput) as refused:
            months_of(ports, months=months)
        assert refused.value.code == "invalid_months"


def test_a_day_counts_in_its_month_from_the_first_day_of_the_oldest_month_to_today(ports):
    counted(ports, "2025-12-31", received=5)  # the day before the oldest month: left out
    counted(ports, "2026-01-01", received=1)
    counted(ports, "2026-11-30", received=2)
    counted(ports, "2026-12-01", received=3)  # today in Vietnam, though still November in UTC
    counted(ports, "2026-12-02", received=7)  # a day not yet begun: left out
    received = {month["month"]: month["received"] for month in months_of(ports)["months"]}
    assert (received["2026-01"], received["2026-11"], received["2026-12"]) == (1, 2, 3)
    assert sum(received.values()) == 6


def test_a_months_figures_sum_its_days(ports):
    counted(ports, "2026-10-03", received=3, resolved=2, resolved_on_time=1, rating_count=1, rating_sum=4)
    counted(ports, "2026-10-20", resolved=2, resolved_on_time=2, rating_count=2, rating_sum=3)
    october = next(month for month in months_of(ports)["months"] if month["month"] == "2026-10")
    assert october == {
        "month": "2026-10", "received": 3, "resolved": 4, "on_time_pct": 75.0,
        "satisfaction_average": round(7 / 3, 2), "rating_count": 3,
    }


def test_the_province_sums_the_fields_and_counts_a_unit_s_report_once(ports, directory):
    unit_id = directory.ward.unit_id
    counted(ports, "2026-11-10", category="roads", unit_id=unit_id, received=2)
    counted(ports, "2026-11-11", category="lighting", received=1)
    november = months_of(ports)["months"][-2]
    assert (november["month"], november["received"]) == ("2026-11", 3)


def test_one_unit_or_one_field(ports, directory):
    unit_id = directory.ward.unit_id
    counted(ports, "2026-11-10", category="roads", unit_id=unit_id, received=2, resolved=1, resolved_on_time=1)
    counted(ports, "2026-11-11", category="lighting", received=1)
    unit = months_of(ports, unit=unit_id)
    assert unit["scope"] == {"kind": "unit", "code": unit_id, "name": directory.ward.name}
    assert (unit["months"][-2]["received"], unit["months"][-2]["on_time_pct"]) == (2, 100.0)
    field = months_of(ports, category="lighting")
    assert (field["scope"]["kind"], field["scope"]["code"]) == ("field", "lighting")
    assert field["scope"]["name"]["en"]
    assert [month["received"] for month in field["months"]][-2:] == [1, 0]


@pytest.mark.parametrize(("query", "code"), [
    ({"unit": "no_such_unit"}, "unknown_unit"),
    ({"unit": "ĐƠN VỊ"}, "unknown_unit"),
    ({"category": "astrology"}, "unknown_category"),
    ({"unit": "so_xay_dung", "category": "roads"}, "invalid_scope"),
])
def test_a_scope_that_names_nothing_or_two_things_is_refused(ports, directory, query, code):
    with pytest.raises(InvalidInput) as refused:
        months_of(ports, **query)
    assert refused.value.code == code
