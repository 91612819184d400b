"""The optimistic change-and-audit unit of work: decide on the current report, save it with its audit
event on the condition nobody wrote first, and decide again on a fresh copy if somebody did.
"""

from __future__ import annotations

from collections.abc import Callable

from phananh.report.model import AuditEvent, Report
from phananh.report.ports import ReportStore
from phananh.shared.errors import NotFound, StateConflict, keeps_changing

_CHANGE_ATTEMPTS = 5


def change_report(
    reports: ReportStore, report_id: str, decide: Callable[[Report], tuple[Report, AuditEvent] | None]
) -> tuple[Report, AuditEvent] | None:
    """Apply `decide` to the current report, again on a fresh copy if someone else wrote first.

    Returns the saved report and its audit event. `decide` returns None when there is nothing
    (more) to do; so does this function.
    """
    for _ in range(_CHANGE_ATTEMPTS):
        report = reports.get(report_id)
        decision = decide(report) if report else None
        if decision is None:
            return None
        after, event = decision
        try:
            reports.save_change(report, after, event)
        except StateConflict:
            continue
        return after, event
    raise keeps_changing()


def change_or_not_found(
    reports: ReportStore, report_id: str, decide: Callable[[Report], tuple[Report, AuditEvent] | None]
) -> Report:
    """A person's change of a report (an officer's command, a reporter's rating): applied with its
    audit event, NotFound when there was nothing to change. Whom it concerns hears of it from the
    reports stream (phananh.outbox)."""
    changed = change_report(reports, report_id, decide)
    if changed is None:
        raise NotFound()
    return changed[0]
