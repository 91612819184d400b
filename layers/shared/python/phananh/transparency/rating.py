"""The reporter rates the result: once per resolution, with the tracking token.

A rating closes the report, except a "not fixed" one with a low score, which sends the report back
to its owner once (REOPEN: a fresh resolve clock, counted as a reopen). Like every change, a rating
is one conditional write of the report with its audit event. A coordinator may hide an abusive
comment; the score stays.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from phananh.intake.tokens import token_matches
from phananh.ports import Ports
from phananh.processing.policy import require_coordinator
from phananh.processing.principal import Principal
from phananh.report.categories import get_category
from phananh.report.changes import change_or_not_found, change_report
from phananh.report.deadlines import deadlines_for
from phananh.report.lifecycle import Action, Status
from phananh.report.model import AuditEvent, Rating, Report, Result, iso
from phananh.report.ports import ReportStore
from phananh.shared.errors import InvalidInput, NotFound, StateConflict, bilingual
from phananh.shared.errors import invalid_field as _invalid
from phananh.shared.ids import is_report_id
from phananh.shared.text_policy import clean_text

SCORE_MIN, SCORE_MAX = 1, 5
COMMENT_MAX = 1000
REASON_MAX = 500
# "Not fixed" with a score this low or lower sends the report back to its owner...
REOPEN_SCORE_MAX = 2
# ...this many times at most; after that a rating closes the report whatever it says.
MAX_REOPENS = 1
REPORTER = "reporter"


def _lookup(reports: ReportStore, report_id: Any) -> Report | None:
    """The report, or None; an id that cannot be a report's is not looked up at all."""
    return reports.get(report_id) if is_report_id(report_id) else None


def parse_rating(payload: Any) -> tuple[int, bool, str | None]:
    """(score, fixed, comment) from the request body, or InvalidInput."""
    if not isinstance(payload, dict):
        raise InvalidInput(
            "invalid_body",
            bilingual("Nội dung yêu cầu phải là một đối tượng JSON.", "The request body must be a JSON object."),
        )
    score = payload.get("score")
    if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        raise _invalid(
            "invalid_score", "score",
            f"Điểm đánh giá phải là số nguyên từ {SCORE_MIN} đến {SCORE_MAX}.",
            f"score must be a whole number from {SCORE_MIN} to {SCORE_MAX}.",
        )
    fixed = payload.get("fixed")
    if not isinstance(fixed, bool):
        raise _invalid(
            "invalid_fixed", "fixed", "Trường 'fixed' phải là true hoặc false.", "'fixed' must be true or false."
        )
    comment = clean_text(payload.get("comment"), "comment", max_length=COMMENT_MAX, required=False, multiline=True)
    return score, fixed, comment or None


def rated_report(report_id: str, tracking_token: str | None, reports: ReportStore) -> Report:
    """The report a reporter's token rates. A wrong token looks exactly like
    a missing report. A merged report's reporter follows the master but does not rate it: only the
    master's own reporter decides whether it closes or goes back to its owner."""
    report = _lookup(reports, report_id) if tracking_token else None
    if report is None or not token_matches(tracking_token, report.tracking_token_hash):
        raise NotFound()
    if report.merged_into:
        raise StateConflict(
            "rated_by_master_reporter",
            bilingual(
                "Phản ánh này đã được gộp vào một phản ánh khác; người gửi phản ánh chính đánh giá kết quả.",
                "This report was merged into another; the reporter of that report rates the result.",
            ),
            current={"report_id": report.report_id, "status": str(report.status), "merged_into": report.merged_into},
        )
    return report


def _not_rateable(report: Report) -> StateConflict:
    return StateConflict(
        "not_rateable",
        bilingual(
            f"Chỉ đánh giá được phản ánh đã xử lý xong; phản ánh này đang ở trạng thái {report.status}.",
            f"Only a resolved report can be rated; this one is {report.status}.",
        ),
        current={"report_id": report.report_id, "status": str(report.status)},
    )


def _already_rated(report: Report) -> StateConflict:
    return StateConflict(
        "already_rated",
        bilingual("Kết quả xử lý này đã được đánh giá.", "This result has already been rated."),
        current={"report_id": report.report_id, "status": str(report.status)},
    )


def reopens(score: int, fixed: bool, report: Report) -> bool:
    return not fixed and score <= REOPEN_SCORE_MAX and report.reopen_count < MAX_REOPENS


def rate(report_id: str, tracking_token: str | None, payload: Any, *, ports: Ports, now: datetime) -> Report:
    """Record the reporter's rating of the current resolution; close or reopen the report."""
    target = rated_report(report_id, tracking_token, ports.reports)
    score, fixed, comment = parse_rating(payload)

    def decide(current: Report) -> tuple[Report, AuditEvent]:
        # A rating always moves the report on (closed or reopened): a RESOLVED report is a
        # resolution nobody has rated yet, and a rated one is not RESOLVED any more.
        if current.status is not Status.RESOLVED or current.result is None:
            if current.rating is not None and current.status in (Status.CLOSED, Status.IN_PROGRESS):
                raise _already_rated(current)
            raise _not_rateable(current)
        rating = Rating(
            score=score, fixed=fixed, comment=comment, comment_hidden=False, at=now,
            resolved_at=current.result.at, by=REPORTER,
        )
        if reopens(score, fixed, current):
            category = get_category(current.category_code)
            # A fresh resolve clock, and with it a fresh pause allowance: the questions asked before
            # the resolution paused the clock that ran then (they stay on the report, none waiting).
            after = current.moved(
                Action.REOPEN, now, rating=rating, reopen_count=current.reopen_count + 1,
                resolve_due_at=deadlines_for(category, now).resolve_due,
                earlier_pauses_s=0, pause_allowance_ends_at=None,
            )
            action = Action.REOPEN
        else:
            after, action = current.moved(Action.CLOSE, now, rating=rating), Action.CLOSE
        # The comment stays on the report (where it can be hidden), not in the audit trail.
        reason = f"rating {score}/{SCORE_MAX}, fixed: {'yes' if fixed else 'no'}"
        event = AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=REPORTER, action=action,
            from_status=current.status, to_status=after.status, reason=reason,
        )
        return after, event

    return change_or_not_found(ports.reports, target.report_id, decide)


def hide_comment(
    principal: Principal, report_id: str, reason: Any, *, ports: Ports, now: datetime
) -> Report:
    """A coordinator hides an abusive rating comment from every public view; the score stays."""
    require_coordinator(principal)
    reason = clean_text(reason, "reason", max_length=REASON_MAX, required=False, multiline=True)

    def decide(current: Report) -> tuple[Report, AuditEvent] | None:
        if current.rating is None or not current.rating.comment:
            raise StateConflict(
                "no_rating_comment",
                bilingual("Phản ánh không có nhận xét đánh giá nào.", "The report has no rating comment."),
                current={"report_id": current.report_id, "status": str(current.status)},
            )
        if current.rating.comment_hidden:
            return None
        after = current.changed(now, rating=replace(current.rating, comment_hidden=True))
        event = AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=principal.actor, action=Action.NOTE,
            from_status=current.status, to_status=after.status,
            reason=reason or "rating comment hidden", public=False,
        )
        return after, event

    if _lookup(ports.reports, report_id) is None:
        raise NotFound()
    change_report(ports.reports, report_id, decide)
    report = ports.reports.get(report_id)
    if report is None:
        raise NotFound()
    return report


def confirms_fix(rating: Rating | None, result: Result | None) -> bool:
    """Whether a resolution whose rating window has ended (the report closed or reopened) was a
    confirmed fix: its reporter rated it fixed, or the window closed (deadlines.CLOSE_AFTER) without
    their rating it at all. A rating of an earlier resolution (one that reopened the report) is no
    word on this one."""
    if rating is None:
        return True
    # A rating stored before `resolved_at` was recorded is taken as of the resolution at hand.
    if result is not None and rating.resolved_at is not None and rating.resolved_at != result.at:
        return True
    return rating.fixed


def rated_view(report: Report) -> dict[str, Any]:
    """The answer to a rating: the report as the rating left it, reopened when it found the problem unfixed."""
    return {
        "report_id": report.report_id,
        "status": str(report.status),
        "rating": rating_view(report),
        "reopened": report.status is Status.IN_PROGRESS,
    }


def rating_view(report: Report) -> dict[str, Any] | None:
    """The rating as everyone sees it: the comment only unless a coordinator hid it."""
    rating = report.rating
    if rating is None:
        return None
    return {
        "score": rating.score,
        "fixed": rating.fixed,
        "comment": None if rating.comment_hidden else rating.comment,
        "comment_hidden": rating.comment_hidden,
        "at": iso(rating.at),
    }
