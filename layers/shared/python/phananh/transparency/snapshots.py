"""The daily open-data snapshots: for each Vietnam calendar day (UTC+7), every report published that day,
in its public state when the snapshot was written, as one CSV and one GeoJSON file of the published
schema (phananh.transparency.open_data), and an index of the days the public site's /data page lists.

The files live under `open-data/` of the open-data bucket (the OpenDataFiles port), which the edge
serves at /open-data/ (infra/edge-routes.json; tests/unit/transparency/test_snapshots.py checks the
two prefixes agree):

    open-data/daily/YYYY-MM-DD.csv, open-data/daily/YYYY-MM-DD.geojson
    open-data/index.json: {"schema_version", "updated_at", "days": [{"day", "csv", "geojson", "rows",
                           "truncated"}, ...]}, the newest day first, paths relative to the index.

Writing a day again replaces its files and its index entry: a rerun gives the same files and one entry.
A day's files are written before the index names them, so the index never lists a missing file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from phananh.ports import Ports
from phananh.shared.clock import VIETNAM
from phananh.shared.settings import Settings
from phananh.transparency import open_data
from phananh.transparency.items import PublicFilter
from phananh.transparency.ports import OpenDataFiles

KEY_PREFIX = "open-data/"
INDEX_KEY = f"{KEY_PREFIX}index.json"
# A day's files change only when the day is written again (the next night's job may); the index
# changes every night, and the edge keeps it no longer than its default TTL (10 minutes).
DAY_CACHE_CONTROL = "public, max-age=86400"
INDEX_CACHE_CONTROL = "public, max-age=600"
INDEX_MEDIA_TYPE = "application/json"


@dataclass(frozen=True)
class Snapshot:
    """One day's files as written: how many reports they hold, and whether more were published that
    day than a snapshot holds (settings.open_data_max_rows)."""

    day: date
    rows: int
    truncated: bool

    def entry(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "csv": f"daily/{self.day.isoformat()}.csv",
            "geojson": f"daily/{self.day.isoformat()}.geojson",
            "rows": self.rows,
            "truncated": self.truncated,
        }


def vietnam_day(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first and the last instant of a Vietnam day, in UTC as the report store keeps its times."""
    start = datetime.combine(day, time.min, tzinfo=VIETNAM).astimezone(UTC)
    return start, start + timedelta(days=1) - timedelta(microseconds=1)


def _extract(first: date, last: date, *, ports: Ports, settings: Settings, now: datetime) -> open_data.Extract:
    """The reports published from the start of `first` to the end of `last` (or now), the newest first."""
    start, _ = day_bounds(first)
    _, end = day_bounds(last)
    return open_data.published_rows(
        PublicFilter(), published_from=start, published_by=min(end, now), max_rows=settings.open_data_max_rows,
        ports=ports, settings=settings,
    )


def _extracts(days: list[date], *, ports: Ports, settings: Settings, now: datetime) -> dict[date, open_data.Extract]:
    """Each day's extract. Many days (a catch-up) are read at once and split by day, unless more than
    one snapshot holds were published over them: then each day is read on its own."""
    together = _extract(min(days), max(days), ports=ports, settings=settings, now=now)
    if len(days) == 1:
        return {days[0]: together}
    if together.truncated:
        return {day: _extract(day, day, ports=ports, settings=settings, now=now) for day in days}
    by_day: dict[date, list[dict[str, Any]]] = {day: [] for day in days}
    for row in together.rows:
        published = vietnam_day(datetime.fromisoformat(row["published_at"]))
        if published in by_day:
            by_day[published].append(row)
    return {day: open_data.Extract(rows, truncated=False) for day, rows in by_day.items()}


def _write_day(day: date, extract: open_data.Extract, files: OpenDataFiles) -> Snapshot:
    stem = f"{KEY_PREFIX}daily/{day.isoformat()}"
    files.put(f"{stem}.csv", open_data.to_csv(extract.rows).encode("utf-8"),
              content_type=open_data.CSV_MEDIA_TYPE, cache_control=DAY_CACHE_CONTROL)
    files.put(f"{stem}.geojson", open_data.geojson_text(extract.rows, truncated=extract.truncated).encode("utf-8"),
              content_type=open_data.GEOJSON_MEDIA_TYPE, cache_control=DAY_CACHE_CONTROL)
    return Snapshot(day, len(extract.rows), extract.truncated)


def read_index(files: OpenDataFiles) -> dict[str, Any]:
    """The index as stored, or an empty one before the first snapshot."""
    stored = files.get(INDEX_KEY)
    if stored is None:
        return {"schema_version": open_data.SCHEMA_VERSION, "updated_at": None, "days": []}
    return json.loads(stored)


def _update_index(files: OpenDataFiles, written: Iterable[Snapshot], now: datetime) -> None:
    index = read_index(files)
    days = {entry["day"]: entry for entry in index["days"]}
    days.update({snapshot.day.isoformat(): snapshot.entry() for snapshot in written})
    index = {
        "schema_version": open_data.SCHEMA_VERSION,
        "updated_at": now.astimezone(UTC).isoformat(),
        "days": [days[day] for day in sorted(days, reverse=True)],
    }
    files.put(INDEX_KEY, json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
              content_type=INDEX_MEDIA_TYPE, cache_control=INDEX_CACHE_CONTROL)


def _write(days: list[date], *, ports: Ports, settings: Settings, now: datetime) -> list[Snapshot]:
    if not days:
        return []
    extracts = _extracts(days, ports=ports, settings=settings, now=now)
    written = [_write_day(day, extracts[day], ports.open_data) for day in days]
    _update_index(ports.open_data, written, now)
    return written


def write_daily_snapshot(day: date, *, ports: Ports, settings: Settings, now: datetime) -> Snapshot | None:
    """Write (or write again) the snapshot of the Vietnam day `day` and its index entry; None when no
    open-data bucket is configured."""
    if not settings.open_data_bucket:
        return None
    (written,) = _write([day], ports=ports, settings=settings, now=now)
    return written


def _days_before(day: date, count: int) -> list[date]:
    """The `count` days before `day`, the earliest first."""
    return [day - timedelta(days=back) for back in range(count, 0, -1)]


def _unlisted(days: list[date], files: OpenDataFiles) -> list[date]:
    listed = {entry["day"] for entry in read_index(files)["days"]}
    return [day for day in days if day.isoformat() not in listed]


def write_missing_snapshots(*, days: int, ports: Ports, settings: Settings, now: datetime) -> list[Snapshot]:
    """Write the snapshots of the `days` whole Vietnam days before today that the index lacks (a local
    stack's demo history, say), and the index once for all of them."""
    if not settings.open_data_bucket:
        return []
    missing = _unlisted(_days_before(vietnam_day(now), days), ports.open_data)
    return _write(missing, ports=ports, settings=settings, now=now)


def write_last_night(*, ports: Ports, settings: Settings, now: datetime, catch_up_days: int = 7) -> list[Snapshot]:
    """The nightly job: yesterday's snapshot (Vietnam day), written again if it is there already, and
    any day of the week before it that a failed night left out."""
    if not settings.open_data_bucket:
        return []
    yesterday = vietnam_day(now) - timedelta(days=1)
    missing = _unlisted(_days_before(yesterday, catch_up_days), ports.open_data)
    return _write([*missing, yesterday], ports=ports, settings=settings, now=now)
