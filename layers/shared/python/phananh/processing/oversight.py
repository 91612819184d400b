"""What coordinators watch across every unit: the dashboard, the escalations board and the CSV export.

The open reports come from the units' queues (the owner_queue index, a query per unit and open
state: the directory is a small reference table); volumes and on-time shares from the scorecard
counters the public scorecards are built from (transparency.scorecards), so the console and the
public pages cannot disagree; the export from the filed index, a bounded read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from phananh.ports import Ports
from phananh.processing.policy import require_coordinator
from phananh.processing.principal import Principal
from phananh.processing.worklists import assignee_names, queue_item
from phananh.report.categories import get_category
from phananh.report.deadlines import current_deadline, escalated_for, is_past_due, resolve_deadline
from phananh.report.lifecycle import Status
from phananh.report.model import Report, iso
from phananh.routing.directory import Unit
from phananh.shared.clock import VIETNAM
from phananh.shared.errors import InvalidInput, bilingual
from phananh.shared.errors import invalid_field as _invalid
from phananh.shared.text_policy import calendar_day, safe_cell, whole_number
from phananh.transparency import scorecards

DASHBOARD_DAYS_DEFAULT, DASHBOARD_DAYS_MAX = 90, 366
ESCALATION_LEVELS = (1, 2, 3)
# The queues in the order a report moves through them (the counts and lists keep it).
_OPEN_ORDER = (Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
EXPORT_ROWS_MAX = 5000
# Reports read for one export before the filters apply: a filter that matches little over a wide
# window must not make one request read the whole table.
EXPORT_READ_MAX = 20_000
EXPORT_DAYS_DEFAULT, EXPORT_DAYS_MAX = 30, 366
EXPORT_COLUMNS = (
    "report_id", "status", "category_code", "ward_code", "unit_id", "created_at", "published_at",
    "acknowledge_due_at", "resolve_due_at", "resolved_at", "escalation_level", "photo_count", "transfer_count",
    "public", "address", "description",
)


def _open_reports(ports: Ports) -> Iterator[tuple[Unit, Report]]:
    """Every open report with its owner unit, unit by unit, each queue the earliest deadline first."""
    for unit in sorted(ports.directory.units(), key=lambda unit: unit.unit_id):
        for status in _OPEN_ORDER:
            for report in ports.reports.owner_queue(unit.unit_id, status):
                yield unit, report


# Dashboard


def dashboard_days(raw: str | None) -> int:
    if raw is None:
        return DASHBOARD_DAYS_DEFAULT
    return whole_number(raw, "days", lowest=1, highest=DASHBOARD_DAYS_MAX, code="invalid_days")


def dashboard(principal: Principal, *, days: str | None, ports: Ports, now: datetime) -> dict[str, Any]:
    """Volumes and on-time share per day over the last `days` Vietnam days (default 90), the backlog
    per unit now, and the public scorecards' figures over the same days."""
    require_coordinator(principal)
    days = dashboard_days(days)
    first, last = scorecards.period_days(days, now)
    start = date.fromisoformat(first)
    days_listed = [(start + timedelta(days=offset)).isoformat() for offset in range(days)]
    daily = {day: {"date": day, "submitted": 0, "resolved": 0} for day in days_listed}
    resolved_on_time = 0
    for scope in ports.scorecards.scopes():
        # Every report counts in exactly one field's scope (and in a unit's too): the fields add up.
        if not scope.startswith("field#"):
            continue
        for day, counters in ports.scorecards.days_by_date(scope, first, last).items():
            if day in daily:
                daily[day]["submitted"] += counters.get("received", 0)
                daily[day]["resolved"] += counters.get("resolved", 0)
            resolved_on_time += counters.get("resolved_on_time", 0)
    # Every active unit has a row, with nothing open too; a disabled one while it still holds reports.
    backlog = {
        unit.unit_id: {"unit_id": unit.unit_id, "name": unit.name, "open": 0, "overdue": 0}
        for unit in ports.directory.units() if unit.active
    }
    for unit, report in _open_reports(ports):
        row = backlog.setdefault(unit.unit_id, {"unit_id": unit.unit_id, "name": unit.name, "open": 0, "overdue": 0})
        row["open"] += 1
        row["overdue"] += int(is_past_due(report, now))
    submitted = sum(day["submitted"] for day in daily.values())
    resolved = sum(day["resolved"] for day in daily.values())
    rows = sorted(backlog.values(), key=lambda row: (-row["overdue"], -row["open"], row["unit_id"]))
    return {
        "days": days, "from": first, "to": last,
        "totals": {
            "submitted": submitted, "resolved": resolved,
            "open": sum(row["open"] for row in rows), "overdue": sum(row["overdue"] for row in rows),
            "on_time_pct": round(100 * resolved_on_time / resolved, 1) if resolved else None,
        },
        "daily": list(daily.values()),
        "backlog": rows,
        "scorecards": scorecards.figures(first, last, ports=ports),
    }


# Escalations board


def board_item(report: Report, unit_id: str, now: datetime, names: dict[str, str]) -> dict[str, Any]:
    """An escalated report on the board: the officers' queue item, its owner and when its level fired."""
    return {**queue_item(report, now, names), "unit_id": unit_id, "escalated_at": iso(report.escalated_at)}


def escalations(principal: Principal, *, ports: Ports, now: datetime) -> dict[str, Any]:
    """Every open report whose current deadline was escalated, by level, the most overdue first."""
    require_coordinator(principal)
    levels: dict[int, list[tuple[str, str, dict[str, Any]]]] = {level: [] for level in ESCALATION_LEVELS}
    names: dict[str, dict[str, str]] = {}
    for unit, report in _open_reports(ports):
        level = escalated_for(report, current_deadline(report))
        if level in levels:
            if unit.unit_id not in names:
                names[unit.unit_id] = assignee_names(unit.unit_id, ports)
            item = board_item(report, unit.unit_id, now, names[unit.unit_id])
            levels[level].append((item["due_at"] or "", report.report_id, item))
    return {"levels": {str(level): [item for *_, item in sorted(listed)] for level, listed in levels.items()}}


# Export


def _day(raw: str | None, field: str) -> datetime | None:
    if raw is None:
        return None
    return datetime.combine(calendar_day(raw, field), time.min, tzinfo=VIETNAM)


# A filter that cannot name a ward or a unit is a mistake to say, not an empty export.
_FILTER_FORMS = {"ward_code": re.compile(r"[0-9]{1,16}"), "unit_id": re.compile(r"[a-z0-9_.]{2,64}")}


def _filter_id(query: dict[str, str], name: str) -> str | None:
    value = query.get(name)
    if value is not None and not _FILTER_FORMS[name].fullmatch(value):
        raise _invalid("invalid_filter", name, f"'{name}' không hợp lệ.", f"'{name}' is not valid.")
    return value


def export_filter(query: dict[str, str], *, now: datetime) -> dict[str, Any]:
    """The export's filters from the query string, checked: a known state and field, a date range of
    whole Vietnam days from `from` to `to` (default the last 30 days, at most 366)."""
    status = query.get("status")
    if status is not None and status not in Status.__members__:
        raise _invalid("invalid_status", "status", "Trạng thái không hợp lệ.", "Unknown status.")
    category = query.get("category")
    if category is not None and get_category(category) is None:
        raise _invalid("unknown_category", "category", "Lĩnh vực không tồn tại.", "Unknown category.")
    today = datetime.combine(now.astimezone(VIETNAM).date(), time.min, tzinfo=VIETNAM)
    last = _day(query.get("to"), "to") or today
    first = _day(query.get("from"), "from") or last - timedelta(days=EXPORT_DAYS_DEFAULT - 1)
    if first > last:
        raise _invalid("invalid_range", "from", "'from' phải trước 'to'.", "'from' must not be after 'to'.")
    if (last - first).days + 1 > EXPORT_DAYS_MAX:
        raise _invalid(
            "invalid_range", "from", f"Tối đa {EXPORT_DAYS_MAX} ngày mỗi lần xuất.",
            f"At most {EXPORT_DAYS_MAX} days per export.",
        )
    return {
        "status": Status[status] if status else None, "category": category,
        "ward_code": _filter_id(query, "ward_code"), "unit_id": _filter_id(query, "unit_id"),
        "start": first, "end": last + timedelta(days=1) - timedelta(microseconds=1),
    }


def _matches(report: Report, wanted: dict[str, Any]) -> bool:
    return (
        (wanted["status"] is None or report.status is wanted["status"])
        and (wanted["category"] is None or report.category_code == wanted["category"])
        and (wanted["ward_code"] is None or report.ward_code == wanted["ward_code"])
        and (wanted["unit_id"] is None or report.owner_unit_id == wanted["unit_id"])
    )


def _too_wide() -> InvalidInput:
    return InvalidInput(
        "export_too_wide",
        bilingual(
            f"Quá {EXPORT_ROWS_MAX} phản ánh khớp bộ lọc: hãy thu hẹp khoảng ngày hoặc thêm bộ lọc.",
            f"More than {EXPORT_ROWS_MAX} reports match: narrow the dates or add a filter.",
        ),
        field="from",
    )


def export_row(report: Report) -> list[str]:
    """What the export says of one report: public facts only. The address and description only for
    a report the public sees (otherwise they may hold what a moderator kept off the public pages);
    never the contact, the reporter's device or tokens."""
    public = report.is_public()
    cells = (
        report.report_id, str(report.status), report.category_code, report.ward_code, report.owner_unit_id,
        iso(report.created_at), iso(report.published_at), iso(report.acknowledge_due_at), iso(resolve_deadline(report)),
        iso(report.result.at) if report.result else None, escalated_for(report, current_deadline(report)),
        report.photo_count,
        report.transfer_count, "yes" if public else "no",
        report.address if public else None, report.description if public else None,
    )
    return [safe_cell(cell) for cell in cells]


def export_reports(principal: Principal, query: dict[str, str], *, ports: Ports, now: datetime) -> str:
    """GET /coordinator/export/reports.csv: the reports filed in the range that match the filters,
    the latest filed first, as CSV text with a byte-order mark (spreadsheets then read UTF-8)."""
    require_coordinator(principal)
    wanted = export_filter(query, now=now)
    if wanted["unit_id"] is not None and ports.directory.unit(wanted["unit_id"]) is None:
        raise _invalid("unknown_unit", "unit_id", "Đơn vị không tồn tại.", "No such unit.")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    rows = 0
    filed = ports.reports.filed_between(wanted["start"], wanted["end"], read_limit=EXPORT_READ_MAX + 1)
    for read, report in enumerate(filed, start=1):
        # One more than the budget was asked for: reading it means the window holds too many.
        if read > EXPORT_READ_MAX:
            raise _too_wide()
        if _matches(report, wanted):
            rows += 1
            if rows > EXPORT_ROWS_MAX:
                raise _too_wide()
            writer.writerow(export_row(report))
    return "\ufeff" + out.getvalue()
