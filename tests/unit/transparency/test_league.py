"""The fair league tables (transparency.league) on the fake ports: the Wilson interval against known
values, and the ranking rule on scorecard day items counted as the reports stream counts them."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from phananh.shared.errors import InvalidInput
from phananh.transparency import league, scorecards

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
TODAY = scorecards.local_day(NOW)
_versions = iter(range(1, 1_000_000))


@pytest.mark.parametrize(("on_time", "resolved", "interval"), [
    (20, 20, {"low": 83.9, "high": 100.0}),
    (1, 1, {"low": 20.7, "high": 100.0}),
    (50, 100, {"low": 40.4, "high": 59.6}),
    (19, 20, {"low": 76.4, "high": 99.1}),
    (0, 10, {"low": 0.0, "high": 27.8}),
    (0, 1, {"low": 0.0, "high": 79.3}),
])
def test_the_wilson_interval_matches_published_values(on_time, resolved, interval):
    assert league.wilson_interval(on_time, resolved) == interval


def test_nothing_resolved_has_no_interval():
    assert league.wilson_interval(0, 0) is None


def test_more_reports_narrow_the_interval_around_the_same_share():
    few, many = league.wilson_interval(9, 10), league.wilson_interval(900, 1000)
    assert few["low"] < many["low"] <= 90.0 <= many["high"] < few["high"]


def resolutions(ports, *, scope: str, count: int, on_time: int, seconds: float, day: str = TODAY) -> None:
    """`count` reports of `scope` resolved `seconds` after routing, `on_time` of them in time."""
    kind, _, key = scope.partition("#")
    for index in range(count):
        change = scorecards.Increments(
            report_id=f"PA{scope}{index}", version=next(_versions), day=day,
            unit_id=key if kind == "unit" else None, category_code=key if kind == "field" else "roads",
            counts={"received": 1, "resolved": 1, "resolved_on_time": int(index < on_time),
                    f"{scorecards.RESOLVE_PREFIX}{scorecards.bucket_of(seconds)}": 1},
        )
        ports.scorecards.apply(change, [scope], NOW)


def table(ports, settings, **query):
    return league.league(query, ports=ports, settings=settings, now=NOW)


def test_a_unit_with_one_four_minute_fix_is_listed_but_not_ranked(ports, settings, directory):
    resolutions(ports, scope=f"unit#{directory.ward.unit_id}", count=1, on_time=1, seconds=240)
    resolutions(ports, scope=f"unit#{directory.other.unit_id}", count=40, on_time=30, seconds=2 * 86400)
    answer = table(ports, settings)
    first, second = answer["units"]
    assert (first["unit_id"], first["ranked"], first["rank"]) == (directory.other.unit_id, True, 1)
    assert (second["unit_id"], second["ranked"], second["rank"]) == (directory.ward.unit_id, False, None)
    # Its raw figures are the best of the table all the same: 100 % on time, four minutes.
    assert second["on_time_pct"] == 100.0 > first["on_time_pct"] == 75.0
    assert second["median_hours_to_resolve"] < 0.1 < first["median_hours_to_resolve"]
    assert second["on_time_ci95"] == {"low": 20.7, "high": 100.0}
    assert (second["resolved"], second["resolved_on_time"], second["name"]) == (1, 1, directory.ward.name)


def test_the_minimum_is_a_setting(ports, settings, directory):
    resolutions(ports, scope=f"unit#{directory.ward.unit_id}", count=1, on_time=1, seconds=240)
    answer = table(ports, replace(settings, league_min_resolved=1))
    assert answer["min_resolved"] == answer["method"]["min_resolved"] == 1
    assert answer["units"][0]["rank"] == 1
    assert answer["method"] == {"confidence": 0.95, "min_resolved": 1, "ranked_by": "on_time_ci95.low"}


def test_rows_rank_by_the_lower_bound_not_by_the_share(ports, settings):
    # 19 of 20 (95 %) shows less than 90 of 100 (90 %): its interval starts lower.
    resolutions(ports, scope="field#roads", count=20, on_time=19, seconds=3600)
    resolutions(ports, scope="field#lighting", count=100, on_time=90, seconds=3600)
    fields = table(ports, settings)["fields"]
    assert [(row["category"], row["on_time_pct"], row["rank"]) for row in fields] == [
        ("lighting", 90.0, 1), ("roads", 95.0, 2),
    ]
    assert fields[0]["on_time_ci95"]["low"] > fields[1]["on_time_ci95"]["low"]


def test_ties_go_to_the_shorter_median_then_the_name(ports, settings):
    for code, seconds in (("roads", 7200), ("lighting", 7200), ("flooding", 3600)):
        resolutions(ports, scope=f"field#{code}", count=25, on_time=20, seconds=seconds)
    fields = table(ports, settings)["fields"]
    names = {row["category"]: row["name"]["vi"] for row in fields}
    slower = sorted(("roads", "lighting"), key=names.get)
    assert [row["category"] for row in fields] == ["flooding", *slower]
    assert [row["rank"] for row in fields] == [1, 2, 3]


def test_every_figure_of_a_row(ports, settings, directory):
    scope = f"unit#{directory.other.unit_id}"
    resolutions(ports, scope=scope, count=20, on_time=15, seconds=3 * 3600)
    extra = scorecards.Increments(
        report_id="PAextra", version=next(_versions), day=TODAY, unit_id=directory.other.unit_id,
        category_code="roads", counts={"received": 2, "rating_count": 4, "rating_sum": 14, "reopens": 2,
                                         "fix_outcomes": 5, "confirmed_fixes": 4},
    )
    ports.scorecards.apply(extra, [scope], NOW)
    [row] = table(ports, settings)["units"]
    assert row == {
        "unit_id": directory.other.unit_id, "name": directory.other.name,
        "received": 22, "resolved": 20, "resolved_on_time": 15, "on_time_pct": 75.0,
        "on_time_ci95": league.wilson_interval(15, 20),
        "median_hours_to_resolve": round(scorecards.bucket_upper_s(scorecards.bucket_of(3 * 3600)) / 3600, 2),
        "satisfaction": {"average": 3.5, "count": 4}, "reopen_rate_pct": 10.0,
        "confirmed_fixes": 4, "confirmed_fix_pct": 80.0, "ranked": True, "rank": 1,
    }


def test_the_period_bounds_what_counts(ports, settings):
    old_day = scorecards.local_day(NOW - timedelta(days=45))
    resolutions(ports, scope="field#roads", count=30, on_time=30, seconds=3600, day=old_day)
    month, quarter = table(ports, settings, period="30"), table(ports, settings, period="90")
    assert (month["period_days"], quarter["period_days"]) == (30, 90)
    assert month["fields"][0]["resolved"] == 0 and month["fields"][0]["on_time_ci95"] is None
    assert not month["fields"][0]["ranked"]
    assert quarter["fields"][0]["resolved"] == 30 and quarter["fields"][0]["rank"] == 1
    assert (quarter["from"], quarter["to"]) == scorecards.period_days(90, NOW)


@pytest.mark.parametrize("period", ["7", "abc", "", "٣٠"])
def test_the_period_is_one_of_three(ports, settings, period):
    with pytest.raises(InvalidInput) as error:
        table(ports, settings, period=period)
    assert error.value.code == "invalid_period"
