"""Trends month by month: what was received and resolved, the on-time share and satisfaction, for the
whole province, one unit or one field, from the scorecards' day items (one query per scope, no scan).

Every report counts in exactly one field's scope (and in its unit's too, once it has one), so the
province's figures are the sum of the fields' scopes.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

from phananh.ports import Ports
from phananh.report.categories import get_category
from phananh.routing.directory import is_directory_id
from phananh.shared.clock import VIETNAM
from phananh.shared.errors import invalid_field
from phananh.shared.text_policy import whole_number
from phananh.transparency import scorecards

MONTHS_DEFAULT, MONTHS_MAX = 12, 24


def parse_months(raw: str | None) -> int:
    if raw is None:
        return MONTHS_DEFAULT
    return whole_number(raw, "months", lowest=1, highest=MONTHS_MAX, code="invalid_months")


def month_starts(months: int, today: date) -> list[date]:
    """The first day of each of the last `months` calendar months, this one last."""
    starts = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _scope(query: dict[str, str], ports: Ports) -> tuple[dict[str, Any], list[str]]:
    """What the trend is of (`kind`, `code`, `name`) and the scorecard scopes that add up to it."""
    unit_id, category_code = query.get("unit"), query.get("category")
    if unit_id is not None and category_code is not None:
        raise invalid_field(
            "invalid_scope", "unit", "Chỉ chọn một: unit hoặc category.", "Give unit or category, not both.",
        )
    if unit_id is not None:
        unit = ports.directory.unit(unit_id) if is_directory_id(unit_id) else None
        if unit is None:
            raise invalid_field("unknown_unit", "unit", "Đơn vị không tồn tại.", "No such unit.")
        return {"kind": "unit", "code": unit_id, "name": unit.name}, [f"unit#{unit_id}"]
    if category_code is not None:
        category = get_category(category_code)
        if category is None:
            raise invalid_field("unknown_category", "category", "Lĩnh vực không tồn tại.", "Unknown category.")
        return {"kind": "field", "code": category_code, "name": category.name}, [f"field#{category_code}"]
    fields = [scope for scope in ports.scorecards.scopes() if scope.startswith("field#")]
    return {"kind": "province", "code": None, "name": None}, fields


def trends(query: dict[str, str], *, ports: Ports, now: datetime | None = None) -> dict[str, Any]:
    """GET /public/trends: the last `months` calendar months (Vietnam time, this one so far), oldest
    first, every month listed even when nothing happened in it."""
    months = parse_months(query.get("months"))
    scope, scopes = _scope(query, ports)
    today = (now or datetime.now(UTC)).astimezone(VIETNAM).date()
    starts = month_starts(months, today)
    by_month: dict[str, Counter[str]] = {start.isoformat()[:7]: Counter() for start in starts}
    for name in scopes:
        for day, counters in ports.scorecards.days_by_date(name, starts[0].isoformat(), today.isoformat()).items():
            by_month[day[:7]].update(scorecards.totals([counters]))
    return {"scope": scope, "months": [_month(month, summed) for month, summed in by_month.items()]}


def _month(month: str, summed: Counter[str]) -> dict[str, Any]:
    return {
        "month": month,
        "received": summed["received"],
        "resolved": summed["resolved"],
        "on_time_pct": scorecards.percent(summed["resolved_on_time"], summed["resolved"]),
        "satisfaction_average": scorecards.average_rating(summed),
        "rating_count": summed["rating_count"],
    }
