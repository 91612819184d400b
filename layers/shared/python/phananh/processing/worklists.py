"""What the officers' console lists: a unit's whole open queue across states, its team's workload,
the escalations it received, and the units a report may be handed to.

A unit's open reports (ASSIGNED, ACKNOWLEDGED, IN_PROGRESS) are read whole from the owner_queue
index, one query per state, the earliest deadline first, and merged here: the counts per state and
the team's figures need every one of them anyway, and a unit holds hundreds at most. The queue's
pages are cut from that merged list by a cursor naming the last item's place in the order, so a page
never repeats or skips a report that stayed where it was.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from heapq import merge
from typing import Any

from phananh.ports import Ports
from phananh.processing.policy import require_coordinator, require_unit_lead
from phananh.processing.principal import Principal
from phananh.report.deadlines import clock_paused, current_deadline, escalated_for, is_past_due
from phananh.report.lifecycle import Status
from phananh.report.model import Report, iso
from phananh.routing.directory import Officer
from phananh.shared.errors import InvalidInput, NotFound, bilingual
from phananh.shared.text_policy import clean_text, page_size
from phananh.transparency.items import category_view

# In the order the work goes: each state's reports follow the earliest deadline first.
QUEUE_STATES = (Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
QUEUE_PAGE_SIZE = 50
QUEUE_LIMIT_MAX = 200
_ID_MAX = 64
_CURSOR_MAX = 256

_BAD_CURSOR = InvalidInput(
    "invalid_cursor", bilingual("Con trỏ phân trang không hợp lệ.", "The paging cursor is not valid."), field="cursor"
)


def _unit_in_view(principal: Principal, unit_id: Any, ports: Ports) -> str:
    """The unit a list is about: the principal's own, or for a coordinator any unit that exists."""
    if unit_id is None:
        return principal.unit_id
    unit_id = clean_text(unit_id, "unit_id", max_length=_ID_MAX, required=True)
    if unit_id != principal.unit_id:
        require_coordinator(principal)
        if ports.directory.unit(unit_id) is None:
            raise NotFound()
    return unit_id


def _order(report: Report) -> tuple[str, str]:
    """Where a report stands in a queue: by its current deadline (none last), then by id."""
    due = current_deadline(report)
    return (iso(due) if due else "~", report.report_id)


def open_reports(unit_id: str, ports: Ports) -> list[Report]:
    """Every open report of the unit, the earliest current deadline first."""
    per_state = [sorted(ports.reports.owner_queue(unit_id, status), key=_order) for status in QUEUE_STATES]
    return list(merge(*per_state, key=_order))


def assignee_names(unit_id: str | None, ports: Ports) -> dict[str, str]:
    """The full names of the unit's officers, by id."""
    if unit_id is None:
        return {}
    return {officer.officer_id: officer.full_name for officer in ports.directory.officers_of(unit_id)}


def assignee_view(report: Report, names: dict[str, str]) -> dict[str, Any] | None:
    """Who works the report, named as the directory has them now (no name: no longer of the unit)."""
    if report.assignee_id is None:
        return None
    return {"officer_id": report.assignee_id, "name": names.get(report.assignee_id)}


def list_item(report: Report) -> dict[str, Any]:
    """What every list of reports for officers shows of each: which report, in what state, what and where."""
    return {
        "report_id": report.report_id,
        "version": report.version,
        "status": str(report.status),
        "category": category_view(report.category_code),
        "ward_code": report.ward_code,
        "address": report.address,
        "description": report.description,
    }


def work_item(report: Report, now: datetime) -> dict[str, Any]:
    """A report in a work queue: the list item, its photos and transfers, and its current deadline."""
    return {
        **list_item(report),
        "photo_count": report.photo_count,
        "transfer_count": report.transfer_count,
        "created_at": iso(report.created_at),
        "due_at": iso(current_deadline(report)),
        "past_due": is_past_due(report, now),
    }


def queue_item(report: Report, now: datetime, names: dict[str, str]) -> dict[str, Any]:
    """A report in the console's lists: what, where, its deadline and escalation, who works it.
    Never anything about the reporter."""
    due = current_deadline(report)
    return {
        **work_item(report, now),
        "location": {"lat": report.location.lat, "lon": report.location.lon} if report.location else None,
        "deadline_kind": "acknowledge" if report.status is Status.ASSIGNED else "resolve",
        "escalation_level": escalated_for(report, due),
        "assignee": assignee_view(report, names),
        # A question waits for the reporter: the resolve clock stands still until then, at most
        # (phananh.report.deadlines), and `due_at` already counts that wait.
        "clock_paused_until": iso(report.waiting_question.pause_until) if clock_paused(report, now) else None,
    }



def _encode_cursor(place: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(place)).encode()).decode().rstrip("=")


def _decode_cursor(cursor: Any) -> tuple[str, str]:
    if not isinstance(cursor, str) or not 0 < len(cursor) <= _CURSOR_MAX:
        raise _BAD_CURSOR
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _BAD_CURSOR from None
    if not (isinstance(values, list) and len(values) == 2 and all(isinstance(value, str) for value in values)):
        raise _BAD_CURSOR
    return values[0], values[1]


def unit_open_queue(
    principal: Principal, *, unit_id: Any = None, cursor: Any = None, limit: Any = None, ports: Ports, now: datetime,
) -> dict[str, Any]:
    """Every open report of a unit across its states, the most overdue (earliest deadline) first, a
    page at a time, with how many there are in each state. Officers see their own unit's; coordinators
    any unit's."""
    unit_id = _unit_in_view(principal, unit_id, ports)
    limit = page_size(limit, default=QUEUE_PAGE_SIZE, highest=QUEUE_LIMIT_MAX)
    after = _decode_cursor(cursor) if cursor is not None else None
    reports = open_reports(unit_id, ports)
    counts = {str(status): 0 for status in QUEUE_STATES}
    for report in reports:
        counts[str(report.status)] += 1
    remaining = [report for report in reports if after is None or _order(report) > after]
    page = remaining[:limit]
    names = assignee_names(unit_id, ports)
    return {
        "unit_id": unit_id,
        "counts": counts,
        "reports": [queue_item(report, now, names) for report in page],
        "next_cursor": _encode_cursor(_order(page[-1])) if len(remaining) > limit else None,
    }


def _workload(reports: list[Report], now: datetime) -> dict[str, int]:
    return {"open": len(reports), "overdue": sum(1 for report in reports if is_past_due(report, now))}


def _officer_load(officer: Officer, reports: list[Report], now: datetime) -> dict[str, Any]:
    return {"officer_id": officer.officer_id, "name": officer.full_name, "role": officer.role,
            **_workload(reports, now)}


def team_workload(principal: Principal, *, unit_id: Any = None, ports: Ports, now: datetime) -> dict[str, Any]:
    """The unit's open and overdue reports per officer, and those nobody of the unit is named for
    (never named, or named for an officer who has left). For its unit head, or a coordinator."""
    unit_id = _unit_in_view(principal, unit_id, ports)
    require_unit_lead(principal, unit_id)
    officers = sorted(ports.directory.officers_of(unit_id), key=lambda officer: (officer.full_name,
                                                                                 officer.officer_id))
    by_officer: dict[str, list[Report]] = {officer.officer_id: [] for officer in officers}
    unassigned: list[Report] = []
    for report in open_reports(unit_id, ports):
        by_officer.get(report.assignee_id or "", unassigned).append(report)
    return {
        "unit_id": unit_id,
        "officers": [_officer_load(officer, by_officer[officer.officer_id], now) for officer in officers],
        "unassigned": _workload(unassigned, now),
    }


def unit_escalations(principal: Principal, *, unit_id: Any = None, ports: Ports, now: datetime) -> dict[str, Any]:
    """The unit's open reports whose current deadline was escalated, the highest level first (the
    earliest escalated first within a level)."""
    unit_id = _unit_in_view(principal, unit_id, ports)
    names = assignee_names(unit_id, ports)
    escalated = [
        {**queue_item(report, now, names), "escalated_at": iso(report.escalated_at)}
        for report in open_reports(unit_id, ports)
    ]
    escalated = [item for item in escalated if item["escalation_level"] >= 1]
    escalated.sort(key=lambda item: (-item["escalation_level"], item["escalated_at"] or "", item["report_id"]))
    return {"unit_id": unit_id, "reports": escalated}


def transfer_choices(*, ports: Ports) -> dict[str, Any]:
    """Every active unit (a disabled one takes no reports), for the console's transfer picker, by
    Vietnamese name; any signed-in officer may see them."""
    active = [unit for unit in ports.directory.units() if unit.active]
    units = sorted(active, key=lambda unit: (unit.name.get("vi", ""), unit.unit_id))
    return {"units": [{"unit_id": unit.unit_id, "name": unit.name} for unit in units]}
