"""Telling the reporter that their report moved on: a short bilingual mobile push, when the app
gave a push endpoint at submission. The reporter can always read the same in GET /reports/{id}.

A push is a courtesy on top of a change that has already been saved: it never fails that change.
"""

from __future__ import annotations

from collections.abc import Callable

from phananh.ports import Ports
from phananh.report.changes import change_report
from phananh.report.lifecycle import MOVES, STATUS_LABELS, Status
from phananh.report.model import AuditEvent, Report
from phananh.shared.errors import NotFound
from phananh.shared.observability import count, logger


def is_news(event: AuditEvent) -> bool:
    """Whether the reporter hears of this change: the lifecycle's moves, not notes or photos."""
    return event.action in MOVES


def status_message(report_id: str, status: Status) -> str:
    label = STATUS_LABELS[status]
    return f"Phản ánh {report_id}: {label['vi']}. / Report {report_id}: {label['en']}."


def tell_reporter(report: Report, event: AuditEvent, *, ports: Ports) -> None:
    """Push `event`'s new status to the reporter of `report`, if they asked for pushes.

    `event` may be another report's: reporters of merged reports hear of their master's moves.
    """
    if report.push_ciphertext is None or not is_news(event):
        return
    try:
        endpoint = ports.contacts.unseal_push_endpoint(report.push_ciphertext, report.report_id)
        ports.notifier.push_to_device(endpoint, status_message(report.report_id, event.to_status))
    except Exception:
        # A deleted app, a disabled endpoint, a KMS hiccup: the change stands, the reporter reads it later.
        logger.warning("push to the reporter failed", extra={"report_id": report.report_id}, exc_info=True)
        count("ReporterPushFailed")
        return
    count("ReporterPushed")


def tell_reporters(report: Report, event: AuditEvent, *, ports: Ports) -> None:
    """Tell the reporter of `report` and those of the reports merged into it."""
    if not is_news(event):
        return
    tell_reporter(report, event, ports=ports)
    for follower_id in report.merged_reports:
        follower = ports.reports.get(follower_id)
        if follower is not None:
            tell_reporter(follower, event, ports=ports)


def remind_to_rate(report: Report, *, ports: Ports) -> None:
    """Ask the reporter of a resolved report to rate the result before it closes."""
    if report.push_ciphertext is None:
        return
    try:
        ports.notifier.push_to_device(
            ports.contacts.unseal_push_endpoint(report.push_ciphertext, report.report_id),
            f"Phản ánh {report.report_id} đã được xử lý: mời bạn đánh giá kết quả. / "
            f"Report {report.report_id} was resolved: please rate the result.",
        )
    except Exception:
        logger.warning("rating reminder push failed", extra={"report_id": report.report_id}, exc_info=True)
        count("ReporterPushFailed")
        return
    count("ReporterPushed")


def change_and_tell(report_id: str, decide: Callable[[Report], tuple[Report, AuditEvent] | None], *,
                    ports: Ports) -> Report:
    """A person's change of a report (an officer's command, a reporter's rating): applied with its
    audit event, NotFound when there was nothing to change, and the reporters told of it."""
    changed = change_report(ports.reports, report_id, decide)
    if changed is None:
        raise NotFound()
    after, event = changed
    tell_reporters(after, event, ports=ports)
    return after
