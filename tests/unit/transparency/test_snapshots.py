"""The daily open-data snapshots (transparency.snapshots) on the fake ports: a Vietnam day's published
reports in the published schema, the index newest first, a rerun that changes nothing but the state
it shows, the cut at the most rows, the catch-up of missing days, and no bucket, no files."""

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from flows_on_fakes import routed

from phananh.processing import commands
from phananh.transparency import open_data, snapshots
from phananh_cdk.web_apps import open_data_route

DAY = date(2026, 3, 2)
# Vietnam's 2 March 2026 is 1 March 17:00 to 2 March 16:59:59.999999 UTC.
LAST_SECOND_BEFORE = datetime(2026, 3, 1, 16, 59, 59, tzinfo=UTC)
FIRST_SECOND = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
LAST_SECOND = datetime(2026, 3, 2, 16, 59, 59, tzinfo=UTC)
FIRST_SECOND_AFTER = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
AFTER_MIDNIGHT = datetime(2026, 3, 2, 17, 20, tzinfo=UTC)


@pytest.fixture
def settings(settings):
    return replace(settings, open_data_bucket="unit-test-open-data")


def _published(ports, settings, *moments: datetime) -> list[str]:
    """Reports routed (so published) at each moment, each at its own point; their ids."""
    return [
        routed(ports, settings, now=moment, location={"lat": 9.779 - index * 0.002, "lon": 105.47})[0].report_id
        for index, moment in enumerate(moments)
    ]


def _csv_rows(ports, day: date) -> list[dict[str, str]]:
    text = ports.open_data.get(f"open-data/daily/{day.isoformat()}.csv").decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text[1:], newline=""))
    rows = list(reader)
    assert tuple(reader.fieldnames) == open_data.COLUMN_NAMES
    return rows


def _geojson(ports, day: date) -> dict:
    return json.loads(ports.open_data.get(f"open-data/daily/{day.isoformat()}.geojson"))


def _index(ports) -> dict:
    return json.loads(ports.open_data.get("open-data/index.json"))


def test_a_day_holds_the_reports_published_on_that_vietnam_day_the_newest_first(ports, settings, directory):
    _, first, last, _ = _published(ports, settings, LAST_SECOND_BEFORE, FIRST_SECOND, LAST_SECOND, FIRST_SECOND_AFTER)
    written = snapshots.write_daily_snapshot(DAY, ports=ports, settings=settings, now=AFTER_MIDNIGHT)
    assert written == snapshots.Snapshot(DAY, rows=2, truncated=False)
    rows = _csv_rows(ports, DAY)
    assert [row["report_id"] for row in rows] == [last, first]
    assert [row["published_at"] for row in rows] == [LAST_SECOND.isoformat(), FIRST_SECOND.isoformat()]
    collection = _geojson(ports, DAY)
    assert (collection["type"], collection["truncated"]) == ("FeatureCollection", False)
    assert [feature["id"] for feature in collection["features"]] == [last, first]
    assert list(collection["features"][0]["properties"]) == list(open_data.COLUMN_NAMES)
    csv_file, geojson_file = (ports.open_data.files[f"open-data/daily/2026-03-02.{kind}"]
                              for kind in ("csv", "geojson"))
    assert (csv_file.content_type, geojson_file.content_type) == ("text/csv; charset=utf-8", "application/geo+json")
    assert csv_file.cache_control == geojson_file.cache_control == "public, max-age=86400"
    index_file = ports.open_data.files["open-data/index.json"]
    assert (index_file.content_type, index_file.cache_control) == ("application/json", "public, max-age=600")
    assert _index(ports) == {
        "schema_version": open_data.SCHEMA_VERSION,
        "updated_at": AFTER_MIDNIGHT.isoformat(),
        "days": [{"day": "2026-03-02", "csv": "daily/2026-03-02.csv", "geojson": "daily/2026-03-02.geojson",
                  "rows": 2, "truncated": False}],
    }


def test_a_day_written_again_shows_its_reports_as_they_are_now_and_keeps_one_entry(
        ports, settings, directory, officer):
    (report_id,) = _published(ports, settings, FIRST_SECOND)
    snapshots.write_daily_snapshot(DAY, ports=ports, settings=settings, now=AFTER_MIDNIGHT)
    files = {key: stored.body for key, stored in ports.open_data.files.items() if "/daily/" in key}
    snapshots.write_daily_snapshot(DAY, ports=ports, settings=settings, now=AFTER_MIDNIGHT)
    assert {key: stored.body for key, stored in ports.open_data.files.items() if "/daily/" in key} == files
    assert [entry["day"] for entry in _index(ports)["days"]] == ["2026-03-02"]

    commands.acknowledge(officer, report_id, ports=ports, now=AFTER_MIDNIGHT + timedelta(hours=1))
    later = AFTER_MIDNIGHT + timedelta(days=1)
    snapshots.write_daily_snapshot(DAY, ports=ports, settings=settings, now=later)
    assert [row["status"] for row in _csv_rows(ports, DAY)] == ["ACKNOWLEDGED"]
    index = _index(ports)
    assert [entry["day"] for entry in index["days"]] == ["2026-03-02"]
    assert index["updated_at"] == later.isoformat()


def test_the_index_lists_the_days_newest_first_whatever_order_they_were_written_in(ports, settings, directory):
    _published(ports, settings, FIRST_SECOND, FIRST_SECOND + timedelta(days=1), FIRST_SECOND + timedelta(days=3))
    for day in (DAY + timedelta(days=1), DAY + timedelta(days=3), DAY, DAY + timedelta(days=2)):
        snapshots.write_daily_snapshot(day, ports=ports, settings=settings, now=AFTER_MIDNIGHT + timedelta(days=4))
    days = _index(ports)["days"]
    assert [(entry["day"], entry["rows"]) for entry in days] == [
        ("2026-03-05", 1), ("2026-03-04", 0), ("2026-03-03", 1), ("2026-03-02", 1)]
    assert _csv_rows(ports, DAY + timedelta(days=2)) == []


def test_a_day_with_more_reports_than_the_most_rows_is_cut_and_flagged(ports, settings, directory):
    _published(ports, settings, FIRST_SECOND, FIRST_SECOND + timedelta(hours=1), FIRST_SECOND + timedelta(hours=2))
    written = snapshots.write_daily_snapshot(DAY, ports=ports, settings=replace(settings, open_data_max_rows=2),
                                             now=AFTER_MIDNIGHT)
    assert written == snapshots.Snapshot(DAY, rows=2, truncated=True)
    assert len(_csv_rows(ports, DAY)) == 2
    assert _geojson(ports, DAY)["truncated"] is True
    (entry,) = _index(ports)["days"]
    assert (entry["rows"], entry["truncated"]) == (2, True)


def test_without_an_open_data_bucket_nothing_is_written(ports, settings, directory):
    _published(ports, settings, FIRST_SECOND)
    unset = replace(settings, open_data_bucket="")
    assert snapshots.write_daily_snapshot(DAY, ports=ports, settings=unset, now=AFTER_MIDNIGHT) is None
    assert snapshots.write_missing_snapshots(days=90, ports=ports, settings=unset, now=AFTER_MIDNIGHT) == []
    assert snapshots.write_last_night(ports=ports, settings=unset, now=AFTER_MIDNIGHT) == []
    assert ports.open_data.files == {}


def test_the_missing_days_before_today_are_written_once_with_one_index_write(ports, settings, directory):
    _published(ports, settings, FIRST_SECOND - timedelta(days=1), FIRST_SECOND)
    snapshots.write_daily_snapshot(DAY, ports=ports, settings=settings, now=AFTER_MIDNIGHT)
    puts = ports.open_data.puts
    today_noon = AFTER_MIDNIGHT + timedelta(hours=12)  # 3 March in Vietnam: today's snapshot is not due
    written = snapshots.write_missing_snapshots(days=3, ports=ports, settings=settings, now=today_noon)
    assert [snapshot.day for snapshot in written] == [date(2026, 2, 28), date(2026, 3, 1)]
    assert ports.open_data.puts - puts == 2 * 2 + 1
    assert [entry["day"] for entry in _index(ports)["days"]] == ["2026-03-02", "2026-03-01", "2026-02-28"]
    assert [entry["rows"] for entry in _index(ports)["days"]] == [1, 1, 0]
    assert snapshots.write_missing_snapshots(days=3, ports=ports, settings=settings, now=today_noon) == []


def test_days_caught_up_together_split_at_vietnam_midnight_or_are_read_one_by_one_when_cut(
        ports, settings, directory):
    ids = _published(ports, settings, LAST_SECOND_BEFORE, FIRST_SECOND, LAST_SECOND, FIRST_SECOND_AFTER)
    days = [date(2026, 3, 1), DAY, date(2026, 3, 3)]
    now = FIRST_SECOND_AFTER + timedelta(days=1, hours=5)  # 4 March, 05:00 in Vietnam
    for most_rows in (5000, 2):  # 2: the three days hold more, so each is read on its own
        ports.open_data.files.clear()
        written = snapshots.write_missing_snapshots(
            days=3, ports=ports, settings=replace(settings, open_data_max_rows=most_rows), now=now)
        assert written == [snapshots.Snapshot(day, rows, False) for day, rows in zip(days, (1, 2, 1), strict=True)]
        assert [[row["report_id"] for row in _csv_rows(ports, day)] for day in days] == [
            [ids[0]], [ids[2], ids[1]], [ids[3]]]


def test_the_nightly_job_writes_yesterday_again_and_the_week_before_where_missing(ports, settings, directory):
    _published(ports, settings, FIRST_SECOND)
    snapshots.write_daily_snapshot(DAY - timedelta(days=2), ports=ports, settings=settings, now=AFTER_MIDNIGHT)
    # Written before the day's report was published: the night's job writes it again.
    snapshots.write_daily_snapshot(DAY, ports=ports, settings=settings, now=FIRST_SECOND - timedelta(seconds=1))
    assert _index(ports)["days"][0]["rows"] == 0
    written = snapshots.write_last_night(ports=ports, settings=settings, now=AFTER_MIDNIGHT)
    assert [snapshot.day for snapshot in written] == [
        date(2026, 2, 23), date(2026, 2, 24), date(2026, 2, 25), date(2026, 2, 26), date(2026, 2, 27),
        date(2026, 3, 1), DAY]
    days = _index(ports)["days"]
    assert [entry["day"] for entry in days] == [f"2026-{day}" for day in (
        "03-02", "03-01", "02-28", "02-27", "02-26", "02-25", "02-24", "02-23")]
    assert days[0]["rows"] == 1


def test_the_files_go_under_the_prefix_the_edge_serves():
    assert open_data_route().key_prefix == snapshots.KEY_PREFIX
