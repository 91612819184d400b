"""The reporter answers the owner unit's question, with the tracking token: a text and up to three
photos, uploaded through forms like the report's own and checked by the same photo check. The answer
ends the resolve clock's pause (phananh.report.deadlines); the trail records it, the public timeline
only that information was received.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from phananh.intake.filing import REPORTER, Decision
from phananh.intake.reporter_rights import own_report
from phananh.ports import Ports
from phananh.report.changes import change_report
from phananh.report.deadlines import paused_seconds
from phananh.report.lifecycle import OPEN_STATES, Action
from phananh.report.model import AuditEvent, Report
from phananh.report.photo_keys import answer_photo_kind, upload_keys
from phananh.shared.errors import InvalidInput, NotFound, StateConflict, bilingual
from phananh.shared.text_policy import clean_text

MAX_ANSWER_PHOTOS = 3
ANSWER_MAX = 2000


def _photo_count(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ANSWER_PHOTOS:
        raise InvalidInput(
            "invalid_photo_count",
            bilingual(f"Số ảnh phải từ 0 đến {MAX_ANSWER_PHOTOS}.", f"photo_count must be 0 to {MAX_ANSWER_PHOTOS}."),
            field="photo_count",
        )
    return value


def _no_open_question() -> StateConflict:
    return StateConflict(
        "no_open_question",
        bilingual("Không có câu hỏi nào đang chờ bạn trả lời.", "No question waits for your answer."),
    )


def answer_question(report_id: str, tracking_token: str | None, body: dict[str, Any], *, ports: Ports,
                    now: datetime) -> dict[str, Any]:
    """Record the answer to the waiting question; the upload forms of its photos. A wrong token looks
    like a report that does not exist; with no question waiting (none asked, answered already, or the
    report no longer open) the answer is refused with a conflict."""
    text = clean_text(body.get("text"), "text", max_length=ANSWER_MAX, required=True, multiline=True)
    photo_count = _photo_count(body.get("photo_count"))
    own_report(report_id, tracking_token, ports.reports)

    def decide(current: Report) -> Decision:
        question = current.waiting_question
        if question is None or current.status not in OPEN_STATES:
            raise _no_open_question()
        # Its audit event is the next version's: the question keeps which, for the retention.
        answered = question.answered(text, photo_count, now, current.version + 1)
        after = current.changed(now, questions=current.with_latest_question(answered),
                                earlier_pauses_s=current.earlier_pauses_s + paused_seconds(answered))
        return after, AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=REPORTER, action=Action.ANSWER,
            from_status=current.status, to_status=current.status, reason=text,
        )

    changed = change_report(ports.reports, report_id, decide)
    if changed is None:
        raise NotFound()
    report = changed[0]
    answered = report.latest_question
    # Under keys of this question's own: the photos of two answers never meet.
    kind = answer_photo_kind(len(report.questions))
    forms = [ports.photos.upload_form(key, now) for key in upload_keys(report_id, photo_count, key_prefix=kind)]
    return {
        "report_id": report_id,
        "answered_at": answered.answered_at.isoformat(),
        "uploads": [form.to_dict() for form in forms],
    }
