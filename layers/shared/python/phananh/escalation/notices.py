"""What the reporter is told when their report moves on: a short bilingual mobile push, when the app
gave a push token at submission. The reporter can always read the same in GET /reports/{id}.

A push is a courtesy on top of a change that has already been saved: it never fails that change. It
is sent from the reports stream (phananh.outbox), never by the change itself.
"""

from __future__ import annotations

from phananh.report.lifecycle import STATUS_LABELS, Status


def status_message(report_id: str, status: Status) -> str:
    label = STATUS_LABELS[status]
    return f"Phản ánh {report_id}: {label['vi']}. / Report {report_id}: {label['en']}."


def rating_reminder_message(report_id: str) -> str:
    """Asks the reporter of a resolved report to rate the result before it closes."""
    return (f"Phản ánh {report_id} đã được xử lý: mời bạn đánh giá kết quả. / "
            f"Report {report_id} was resolved: please rate the result.")
