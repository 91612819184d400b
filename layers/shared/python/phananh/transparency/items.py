"""Published reports as lists show them (the public feed, the nearby reports, the open data, the daily
snapshots): each report's item and the filters a public list takes.

Nothing here reads a photo, so what loads only this module signs no photo link (the schedule app's
snapshots need no read of the photos bucket: tests/infra checks each role against what it loads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from phananh.report.categories import get_category
from phananh.report.deadlines import is_publicly_overdue, resolve_deadline
from phananh.report.lifecycle import STATUS_LABELS, Status, is_published
from phananh.report.model import Location, Report, iso
from phananh.routing.geo import WardDirectory, snap_to_grid
from phananh.routing.ports import DirectoryStore
from phananh.shared.clock import VIETNAM
from phananh.shared.errors import InvalidInput, bilingual, invalid_field
from phananh.shared.text_policy import calendar_day
from phananh.transparency.rating import confirms_fix

# A point read from a photo's GPS is shown to the public on a grid this fine (see report_facts).
PHOTO_LOCATION_GRID_M = 100


# The states in which the owner unit's resolution stands (a reopened report is being worked again).
_RESOLVED = frozenset({Status.RESOLVED, Status.CLOSED})


def category_view(code: str) -> dict[str, Any]:
    category = get_category(code)
    return {"code": code, "name": category.name if category else None}


def ward_view(wards: WardDirectory, code: str | None) -> dict[str, Any] | None:
    ward = wards.get(code) if code else None
    return {"code": ward.code, "name": ward.name} if ward else None


def owner_view(directory: DirectoryStore, unit_id: str | None) -> dict[str, Any] | None:
    unit = directory.unit(unit_id) if unit_id else None
    return {"unit_id": unit.unit_id, "name": unit.name} if unit else None


def resolved_at(report: Report) -> datetime | None:
    """When the owner unit's resolution that stands was made (none while the report is worked again)."""
    return report.result.at if report.result and report.status in _RESOLVED else None


def fix_confirmed(report: Report) -> bool | None:
    """Whether the resolution that stands was a confirmed fix (rating.confirms_fix, as the scorecards
    count it); None until its rating window has ended with the report closed."""
    if report.status is not Status.CLOSED or report.result is None:
        return None
    return confirms_fix(report.rating, report.result)


def location_view(location: Location | None, *, exact: bool) -> dict[str, Any]:
    """Where the report is, as `report_facts` shows it: `location` and how coarse it was made.

    A point the reporter gave is theirs to publish. A point read from their photo's GPS is not:
    it may be where they stood, or their home if the photo was sent later, so everyone but the
    officers (and the reporter) gets the centre of its ~100 m grid cell.
    """
    if location is None:
        return {"location": None, "location_rounded_to_m": None}
    if exact or not location.from_photo:
        return {"location": {"lat": location.lat, "lon": location.lon}, "location_rounded_to_m": None}
    lat, lon = snap_to_grid(location.lat, location.lon, PHOTO_LOCATION_GRID_M)
    return {"location": {"lat": lat, "lon": lon}, "location_rounded_to_m": PHOTO_LOCATION_GRID_M}


def headline(report: Report) -> dict[str, Any]:
    """What names a report in every view of it, a list's line or the whole: which, in what state, what."""
    return {
        "report_id": report.report_id,
        "status": str(report.status),
        "status_label": STATUS_LABELS[report.status],
        "category": category_view(report.category_code),
        "description": report.description,
    }


def owner_lookup(directory: DirectoryStore) -> Callable[[str | None], dict[str, Any] | None]:
    """`owner_view` for one request that lists many reports: each unit read once."""
    return cache(lambda unit_id: owner_view(directory, unit_id))


def public_item(
    report: Report, wards: WardDirectory, owners: Callable[[str | None], dict[str, Any] | None]
) -> dict[str, Any]:
    """A published report in a list (the feed, the nearby reports, the open data): what it is, where
    (rounded as report_facts does), who owns it, whether it is overdue, its resolution and rating."""
    return {
        **headline(report),
        **location_view(report.location, exact=False),
        "ward": ward_view(wards, report.ward_code),
        "owner_unit": owners(report.owner_unit_id),
        "published_at": iso(report.published_at),
        "acknowledge_due_at": iso(report.acknowledge_due_at),
        "resolve_due_at": iso(resolve_deadline(report)),
        "overdue": is_publicly_overdue(report),
        "resolved_at": iso(resolved_at(report)),
        "rating_score": report.rating.score if report.rating else None,
        "fix_location_verified": report.result.location_verified if resolved_at(report) and report.result else None,
        "fix_confirmed": fix_confirmed(report),
    }


@dataclass(frozen=True)
class PublicFilter:
    """What a public list asks for: a ward, a field, a published state, the days filed (Vietnam
    days, inclusive), overdue or not. None: any."""

    ward_code: str | None = None
    category_code: str | None = None
    status: Status | None = None
    filed_from: datetime | None = None
    filed_to: datetime | None = None
    overdue: bool | None = None

    def keeps_overdue(self, report: Report) -> bool:
        return self.overdue is None or is_publicly_overdue(report) is self.overdue

    def keeps(self, report: Report) -> bool:
        """Every filter at once, for reports read without them (the open data's index read)."""
        return (
            (self.ward_code is None or report.ward_code == self.ward_code)
            and (self.category_code is None or report.category_code == self.category_code)
            and (self.status is None or report.status is self.status)
            and (self.filed_from is None or report.created_at >= self.filed_from)
            and (self.filed_to is None or report.created_at <= self.filed_to)
            and self.keeps_overdue(report)
        )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def public_filter(query: dict[str, str], wards: WardDirectory) -> PublicFilter:
    """The filters of a public list from its query string, each checked (a bad one is a 400 naming it)."""
    ward_code = query.get("ward")
    if ward_code is not None and wards.get(ward_code) is None:
        raise InvalidInput(
            "unknown_ward", bilingual("Mã phường/xã không tồn tại.", "Unknown ward code."), field="ward"
        )
    category_code = query.get("category")
    if category_code is not None and get_category(category_code) is None:
        raise InvalidInput(
            "unknown_category", bilingual("Lĩnh vực không tồn tại.", "Unknown category."), field="category"
        )
    status = None
    if "status" in query:
        status = Status.__members__.get(query["status"])
        if status is None or not is_published(status):
            raise InvalidInput(
                "invalid_status",
                bilingual("Trạng thái không hợp lệ cho danh sách công khai.",
                          "Not a status the public list shows."),
                field="status",
            )
    first = calendar_day(query["from"], "from") if "from" in query else None
    last = calendar_day(query["to"], "to") if "to" in query else None
    if first and last and first > last:
        raise invalid_field("invalid_range", "from", "'from' phải trước 'to'.", "'from' must not be after 'to'.")
    overdue = query.get("overdue")
    if overdue not in (None, "true", "false"):
        raise invalid_field("invalid_overdue", "overdue", "'overdue' phải là true hoặc false.",
                       "'overdue' must be true or false.")
    return PublicFilter(
        ward_code=ward_code, category_code=category_code, status=status,
        filed_from=_day_start(first) if first else None,
        filed_to=_day_start(last + timedelta(days=1)) - timedelta(microseconds=1) if last else None,
        overdue=None if overdue is None else overdue == "true",
    )
