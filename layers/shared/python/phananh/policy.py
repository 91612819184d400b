"""Who may act on which report. Deny by default: an officer or unit head acts on the reports their
unit owns, a coordinator on every report, nobody on anything else; and a report one may not act on
looks exactly like a report that does not exist."""

from __future__ import annotations

from phananh.auth import Forbidden
from phananh.entities import Report
from phananh.errors import NotFound, bilingual
from phananh.principal import Principal


def may_act(principal: Principal, report: Report) -> bool:
    if principal.is_coordinator:
        return True
    return report.owner_unit_id is not None and report.owner_unit_id == principal.unit_id


def visible_or_not_found(principal: Principal, report: Report | None) -> Report:
    if report is None or not may_act(principal, report):
        raise NotFound()
    return report


def require_coordinator(principal: Principal) -> None:
    if not principal.is_coordinator:
        raise Forbidden(
            bilingual("Chỉ điều phối viên được thực hiện thao tác này.", "Only coordinators may do this.")
        )
