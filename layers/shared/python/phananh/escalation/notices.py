"""What the reporter is told when their report moves on: a short bilingual mobile push, when the app
gave a push token at submission; and the owner unit's question, relayed by push or to the contact
they left. The reporter can always read the same in GET /reports/{id}.

A push is a courtesy on top of a change that has already been saved: it never fails that change. It
is sent from the reports stream (phananh.outbox), never by the change itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from phananh.report.lifecycle import STATUS_LABELS, Status
from phananh.report.model import Question


def status_message(report_id: str, status: Status) -> str:
    label = STATUS_LABELS[status]
    return f"Phản ánh {report_id}: {label['vi']}. / Report {report_id}: {label['en']}."


def rating_reminder_message(report_id: str) -> str:
    """Asks the reporter of a resolved report to rate the result before it closes."""
    return (f"Phản ánh {report_id} đã được xử lý: mời bạn đánh giá kết quả. / "
            f"Report {report_id} was resolved: please rate the result.")


@dataclass(frozen=True)
class QuestionMessage:
    subject: str
    # The whole message (e-mail, push); an SMS carries the same text.
    body: str


def question_message(report_id: str, question: Question, site_url: str) -> QuestionMessage:
    """The owner unit's question relayed to the reporter: what it asks, how to answer (with the
    tracking token, in their view), never who asked or anything of the reporter's."""
    link = f" {site_url.rstrip('/')}/mine/{report_id}" if site_url else ""
    photo_vi = " Đơn vị đề nghị gửi kèm ảnh." if question.photo_requested else ""
    photo_en = " The unit asks for a photo." if question.photo_requested else ""
    return QuestionMessage(
        subject=f"Phản ánh {report_id}: đơn vị xử lý hỏi thêm / the unit has a question",
        body=(
            f"Phản ánh {report_id}: đơn vị xử lý hỏi: \"{question.text}\"{photo_vi} "
            f"Trả lời bằng mã theo dõi của bạn:{link or ' trong ứng dụng.'}\n"
            f"Report {report_id}: the unit asks: \"{question.text}\"{photo_en} "
            f"Answer with your tracking token:{link or ' in the app.'}"
        ),
    )
