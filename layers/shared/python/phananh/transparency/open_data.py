"""Open data: the published reports as CSV and GeoJSON, for any public filter, and their data dictionary.

ONE definition of the published schema (`COLUMNS`: name, type, Vietnamese and English description)
makes the CSV's columns, the GeoJSON features' properties, the dictionary `GET /public/open-data`
returns and the daily snapshot files (phananh.transparency.snapshots). Every value comes from the
report's public list item (items.public_item): the same facts the public pages show, the point
rounded as they round it, nothing of the reporter. The schema is stable: a column is never renamed
or retyped; a new one is added at the end, and a change that would break readers bumps
`SCHEMA_VERSION`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from phananh.ports import Ports
from phananh.routing.geo import load_wards
from phananh.shared.settings import Settings
from phananh.shared.text_policy import safe_cell, utf8_safe
from phananh.transparency.items import PublicFilter, owner_lookup, public_filter, public_item

SCHEMA_VERSION = 1
# The feed index is read from here when no `from` is asked (long before the first report).
_SINCE = datetime(2000, 1, 1, tzinfo=UTC)
# Index items read per row asked for: the ward and overdue filters apply after the read, so a narrow
# one reads more of the feed, but one download never reads more than this many times its rows.
_READS_PER_ROW = 4
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
GEOJSON_MEDIA_TYPE = "application/geo+json"


@dataclass(frozen=True)
class Column:
    name: str
    # "string", "integer", "number", "boolean" or "date-time" (ISO 8601 with its offset).
    type: str
    nullable: bool
    vi: str
    en: str
    value: Callable[[dict[str, Any]], Any]

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "nullable": self.nullable, "vi": self.vi, "en": self.en}


def _named(item: dict[str, Any], key: str, lang: str = "vi") -> str | None:
    named = item[key]
    return named["name"][lang] if named and named.get("name") else None


def _point(item: dict[str, Any], axis: str) -> float | None:
    return item["location"][axis] if item["location"] else None


COLUMNS: tuple[Column, ...] = (
    Column("report_id", "string", False, "Mã phản ánh", "Report id", lambda item: item["report_id"]),
    Column("status", "string", False,
           "Trạng thái: ASSIGNED, ACKNOWLEDGED, IN_PROGRESS, RESOLVED hoặc CLOSED",
           "State: ASSIGNED, ACKNOWLEDGED, IN_PROGRESS, RESOLVED or CLOSED", lambda item: item["status"]),
    Column("category_code", "string", False, "Mã lĩnh vực", "Field (category) code",
           lambda item: item["category"]["code"]),
    Column("category_name_vi", "string", True, "Tên lĩnh vực (tiếng Việt)", "Field name in Vietnamese",
           lambda item: _named(item, "category")),
    Column("category_name_en", "string", True, "Tên lĩnh vực (tiếng Anh)", "Field name in English",
           lambda item: _named(item, "category", "en")),
    Column("ward_code", "string", True, "Mã phường/xã", "Ward code",
           lambda item: item["ward"]["code"] if item["ward"] else None),
    Column("ward_name", "string", True, "Tên phường/xã", "Ward name", lambda item: _named(item, "ward")),
    Column("owner_unit_id", "string", True, "Mã đơn vị xử lý", "Id of the unit that owns the report",
           lambda item: item["owner_unit"]["unit_id"] if item["owner_unit"] else None),
    Column("owner_unit_name", "string", True, "Tên đơn vị xử lý", "Name of the unit that owns the report",
           lambda item: _named(item, "owner_unit")),
    Column("description", "string", False, "Nội dung phản ánh", "What was reported",
           lambda item: item["description"]),
    Column("lat", "number", True, "Vĩ độ (WGS 84)", "Latitude (WGS 84)", lambda item: _point(item, "lat")),
    Column("lon", "number", True, "Kinh độ (WGS 84)", "Longitude (WGS 84)", lambda item: _point(item, "lon")),
    Column("location_rounded_to_m", "integer", True,
           "Có giá trị khi vị trí lấy từ ảnh: tâm ô lưới rộng chừng này mét; trống: vị trí người gửi chọn",
           "Set when the point came from the photo: the centre of a grid cell this many metres wide; "
           "empty: the point the reporter chose", lambda item: item["location_rounded_to_m"]),
    Column("published_at", "date-time", False, "Thời điểm công khai (chuyển đơn vị xử lý)",
           "When it was published (routed to its unit)", lambda item: item["published_at"]),
    Column("acknowledge_due_at", "date-time", True, "Hạn tiếp nhận của đơn vị hiện tại",
           "Acknowledge deadline of the current owner", lambda item: item["acknowledge_due_at"]),
    Column("resolve_due_at", "date-time", True, "Hạn xử lý xong", "Resolve deadline",
           lambda item: item["resolve_due_at"]),
    Column("resolved_at", "date-time", True, "Thời điểm xử lý xong (trống nếu chưa xong)",
           "When it was resolved (empty while not)", lambda item: item["resolved_at"]),
    Column("overdue", "boolean", False, "Quá hạn đến mức chuyển cấp cao nhất",
           "Overdue past the last escalation level", lambda item: item["overdue"]),
    Column("rating_score", "integer", True, "Điểm hài lòng của người gửi (1–5)",
           "The reporter's satisfaction score (1–5)", lambda item: item["rating_score"]),
    Column("fix_location_verified", "boolean", True,
           "Ảnh sau khi xử lý chụp trong vòng 100 m quanh vị trí phản ánh (trống nếu chưa xử lý xong)",
           "An after-photo was taken within 100 m of the reported point (empty while not resolved)",
           lambda item: item["fix_location_verified"]),
    Column("fix_confirmed", "boolean", True,
           "Khắc phục được xác nhận: người gửi đánh giá đã khắc phục, hoặc hết hạn đánh giá mà không báo chưa "
           "khắc phục (trống khi chưa đóng)",
           "A confirmed fix: the reporter rated it fixed, or the rating window closed without a \"not fixed\" "
           "(empty until closed)", lambda item: item["fix_confirmed"]),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)


def dictionary() -> dict[str, Any]:
    """GET /public/open-data: the schema, the formats and where to get them, and the Open311 API."""
    return {
        "schema_version": SCHEMA_VERSION,
        "columns": [column.describe() for column in COLUMNS],
        "formats": [
            {"format": "csv", "media_type": CSV_MEDIA_TYPE, "url": "/public/open-data/reports.csv",
             "vi": "CSV UTF-8 (có BOM), một dòng mỗi phản ánh, mới nhất trước",
             "en": "CSV in UTF-8 (with a BOM), one line per report, the newest first"},
            {"format": "geojson", "media_type": GEOJSON_MEDIA_TYPE, "url": "/public/open-data/reports.geojson",
             "vi": "GeoJSON: mỗi phản ánh một điểm, thuộc tính là các cột trên",
             "en": "GeoJSON: one point per report, its properties the columns above"},
            {"format": "daily-snapshots", "media_type": "application/json", "url": "/open-data/index.json",
             "vi": "Ảnh chụp hằng ngày (CSV và GeoJSON) của mọi phản ánh công khai",
             "en": "Daily snapshots (CSV and GeoJSON) of every published report"},
        ],
        "open311": {
            "discovery": "/open311/v2/discovery.json",
            "services": "/open311/v2/services.json",
            "requests": "/open311/v2/requests.json",
        },
    }


@dataclass(frozen=True)
class Extract:
    """Rows of the published schema (column name → value), newest published first, and whether more
    reports matched than the rows hold."""

    rows: list[dict[str, Any]]
    truncated: bool


def published_rows(
    wanted: PublicFilter, *, published_by: datetime, max_rows: int, ports: Ports, settings: Settings,
    published_from: datetime | None = None,
) -> Extract:
    """The published reports `wanted` keeps, published by `published_by` (and from `published_from`: a
    daily snapshot's day), at most `max_rows` of them: the public feed index read from
    `published_from` or the first day asked (no scan), within a budget of index reads."""
    wards = load_wards(settings.wards_geojson_path)
    owners = owner_lookup(ports.directory)
    read_limit = max_rows * _READS_PER_ROW
    reports = ports.reports.published_requested_between(
        wanted.filed_from or _SINCE, wanted.filed_to or published_by, published_by=published_by,
        read_limit=read_limit,
        category_codes=(wanted.category_code,) if wanted.category_code else (),
        statuses=(wanted.status,) if wanted.status else (),
        published_from=published_from,
    )
    rows: list[dict[str, Any]] = []
    read = 0
    for report in reports:
        read += 1
        if not wanted.keeps(report):
            continue
        if len(rows) == max_rows:
            return Extract(rows, truncated=True)
        item = public_item(report, wards, owners)
        rows.append({column.name: column.value(item) for column in COLUMNS})
    # The whole budget read: the feed may hold more matches beyond it.
    return Extract(rows, truncated=read >= read_limit)


def extract(query: dict[str, str], *, ports: Ports, settings: Settings, now: datetime) -> Extract:
    """The open data for a public list's filters (items.public_filter: a bad one is a 400 naming it)."""
    wanted = public_filter(query, load_wards(settings.wards_geojson_path))
    return published_rows(wanted, published_by=now, max_rows=settings.open_data_max_rows, ports=ports,
                          settings=settings)


def _csv_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.type == "boolean":
        return "true" if value else "false"
    # Text is what a spreadsheet could run as a formula; numbers and times are ours.
    return safe_cell(value) if column.type == "string" else str(value)


def to_csv(rows: list[dict[str, Any]]) -> str:
    """CSV text (RFC 4180, CRLF) with a byte-order mark, so that spreadsheets read the Vietnamese."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    for row in rows:
        writer.writerow([_csv_cell(column, row[column.name]) for column in COLUMNS])
    return "\ufeff" + utf8_safe(out.getvalue())


def to_geojson(rows: list[dict[str, Any]], *, truncated: bool) -> dict[str, Any]:
    """A FeatureCollection: each report a Point [lon, lat] (null when unlocated), its row as properties."""
    return {
        "type": "FeatureCollection",
        "schema_version": SCHEMA_VERSION,
        "truncated": truncated,
        "features": [
            {
                "type": "Feature",
                "id": row["report_id"],
                "geometry": (
                    {"type": "Point", "coordinates": [row["lon"], row["lat"]]} if row["lat"] is not None else None
                ),
                "properties": row,
            }
            for row in rows
        ],
    }


def geojson_text(rows: list[dict[str, Any]], *, truncated: bool) -> str:
    return utf8_safe(json.dumps(to_geojson(rows, truncated=truncated), ensure_ascii=False, separators=(",", ":")))
