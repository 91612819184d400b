"""The processing side: what officers, unit heads and coordinators do with a report once it is routed.

Each use case checks who may act (phananh.processing.policy: another unit's report does not exist for them),
decides the change from the report as it is now, and saves it as one conditional write on the
version together with its audit event. A write that loses a race is decided again on a fresh copy,
so it goes through only if it still makes sense: of two officers resolving at once, the second finds
the report RESOLVED and gets a StateConflict carrying the current state. With `expected_version`
(the version the officer was looking at) any change in between is a conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from phananh.ports import Ports
from phananh.processing.policy import (
    check_contact_purpose,
    contact_purpose,
    may_act,
    may_ask_reporter,
    may_assign_officer,
    require_coordinator,
    require_unit_lead,
    visible_or_not_found,
)
from phananh.processing.principal import Principal
from phananh.processing.sign_in import Forbidden
from phananh.processing.worklists import assignee_names, assignee_view, list_item, work_item
from phananh.report.categories import get_category
from phananh.report.changes import change_or_not_found
from phananh.report.deadlines import acknowledge_deadline, paused_seconds, question_pause
from phananh.report.lifecycle import (
    BEING_HANDLED,
    MOVES,
    OPEN_STATES,
    PUBLICATION_MOVES,
    Action,
    Status,
    is_published,
    next_publication,
)
from phananh.report.model import AuditEvent, ContactView, Question, Report, Result, iso, utcnow
from phananh.report.photo_keys import RESULT_PHOTO_PREFIX, upload_keys
from phananh.report.ports import UploadForm
from phananh.routing.directory import COORDINATORS_ID, Officer
from phananh.routing.geo import haversine_m
from phananh.shared.errors import InvalidInput, NotFound, StateConflict, Text, bilingual, keeps_changing
from phananh.shared.ids import is_report_id
from phananh.shared.settings import Settings
from phananh.shared.text_policy import clean_text, page_size
from phananh.transparency.items import owner_view
from phananh.transparency.publication import HOLD_GROUNDS
from phananh.transparency.rating import rating_view
from phananh.transparency.views import photos_view, publication_view, questions_view, report_facts, result_view

# A transfer asked for when this many have already happened lands with the coordinators instead.
MAX_TRANSFERS = 2
MAX_RESULT_PHOTOS = 3
# Questions to the reporter per report, in all: each is kept with its answer, and a reporter asked
# more than this is being asked to do the unit's work (at most 9: a question's number is one digit
# of its answer photos' keys, phananh.report.photo_keys).
MAX_QUESTIONS = 5
NOTE_MAX = 2000
QUEUE_PAGE_SIZE = 20
QUEUE_LIMIT_MAX = 50
REJECT_GROUNDS = ("spam", "abuse", "not_public_matter")
ID_MAX = 64
_MERGE_ATTEMPTS = 5

_CHANGED_MEANWHILE = bilingual(
    "Phản ánh đã thay đổi từ khi bạn mở. Vui lòng tải lại.",
    "The report has changed since you opened it. Please reload it.",
)


Decision = tuple[Report, AuditEvent]


def current_state(report: Report) -> dict[str, Any]:
    """What a conflict tells the loser, so that the officer app can show the report as it is now."""
    return {
        "report_id": report.report_id,
        "status": str(report.status),
        "version": report.version,
        "owner_unit_id": report.owner_unit_id,
    }


def _conflict(code: str, message: Text, report: Report) -> StateConflict:
    return StateConflict(code, message, current=current_state(report))


def _move(report: Report, action: Action, now: datetime, **changes: object) -> Report:
    try:
        return report.moved(action, now, **changes)
    except StateConflict as refused:
        raise _conflict(refused.code, refused.message, report) from None


def _event(
    before: Report, after: Report, action: Action, principal: Principal, now: datetime, reason: str | None,
    *, public: bool = True,
) -> AuditEvent:
    return AuditEvent(
        report_id=after.report_id, version=after.version, at=now, actor=principal.actor, action=action,
        from_status=before.status, to_status=after.status, reason=reason, public=public,
    )


def _text(value: Any, field: str, *, required: bool = True) -> str | None:
    return clean_text(value, field, max_length=NOTE_MAX, required=required, multiline=True)


def _unit_id(value: Any, field: str) -> str:
    return clean_text(value, field, max_length=ID_MAX, required=True)


def _version(value: Any) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidInput(
            "invalid_version", bilingual("version phải là số nguyên.", "version must be an integer."), field="version"
        )
    return value


def _load(ports: Ports, report_id: Any) -> Report | None:
    """The report, or None; an id that cannot be a report's is not looked up at all."""
    return ports.reports.get(report_id) if is_report_id(report_id) else None


def _apply(
    principal: Principal, report_id: str, decide: Callable[[Report], Decision], *,
    expected_version: int | None, ports: Ports,
) -> Report:
    """Decide and save one change on the report as it is now, retried on a fresh copy after a lost race."""
    expected_version = _version(expected_version)
    if not is_report_id(report_id):
        raise NotFound()

    def guarded(current: Report) -> Decision:
        visible_or_not_found(principal, current)
        if expected_version is not None and current.version != expected_version:
            raise _conflict("version_conflict", _CHANGED_MEANWHILE, current)
        return decide(current)

    return change_or_not_found(ports.reports, report_id, guarded)


def acknowledge(
    principal: Principal, report_id: str, *, note: str | None = None, expected_version: int | None = None,
    ports: Ports, now: datetime,
) -> Report:
    """The owner unit takes the report on (ASSIGNED → ACKNOWLEDGED); the resolve clock runs on."""
    note = _text(note, "note", required=False)

    def decide(current: Report) -> Decision:
        after = _move(current, Action.ACKNOWLEDGE, now)
        return after, _event(current, after, Action.ACKNOWLEDGE, principal, now, note)

    return _apply(principal, report_id, decide, expected_version=expected_version, ports=ports)


def add_progress(
    principal: Principal, report_id: str, note: str, *, expected_version: int | None = None,
    ports: Ports, now: datetime,
) -> Report:
    """A progress note for the reporter; the first one starts the work (ACKNOWLEDGED → IN_PROGRESS)."""
    note = _text(note, "note")

    def decide(current: Report) -> Decision:
        if current.status is Status.IN_PROGRESS:
            action, after = Action.NOTE, current.changed(now)
        else:
            action, after = Action.START_WORK, _move(current, Action.START_WORK, now)
        return after, _event(current, after, action, principal, now, note)

    return _apply(principal, report_id, decide, expected_version=expected_version, ports=ports)


def resolve(
    principal: Principal, report_id: str, note: str, *, photo_count: int = 0, expected_version: int | None = None,
    ports: Ports, now: datetime,
) -> tuple[Report, list[UploadForm]]:
    """Resolve with a note for the reporter, and upload forms for 1–3 after-photos (0 only in a field
    exempt from them: _require_after_photo), which the photo check adds to the result as they arrive."""
    note = _text(note, "note")
    if isinstance(photo_count, bool) or not isinstance(photo_count, int) or not 0 <= photo_count <= MAX_RESULT_PHOTOS:
        raise InvalidInput(
            "invalid_photo_count",
            bilingual(f"Số ảnh phải từ 0 đến {MAX_RESULT_PHOTOS}.", f"photo_count must be 0 to {MAX_RESULT_PHOTOS}."),
            field="photo_count",
        )

    def decide(current: Report) -> Decision:
        result = Result(note=note, at=now, officer=principal.officer_id, photo_count=photo_count)
        # A question still waiting stops waiting, and with it the clock's pause: the work is done.
        changes: dict[str, Any] = {}
        if (waiting := current.waiting_question) is not None:
            closed = replace(waiting, closed_at=now)
            changes = {"questions": current.with_latest_question(closed),
                       "earlier_pauses_s": current.earlier_pauses_s + paused_seconds(closed)}
        after = _move(current, Action.RESOLVE, now, result=result, result_photos={}, **changes)
        _require_after_photo(current, photo_count)
        return after, _event(current, after, Action.RESOLVE, principal, now, note)

    resolved = _apply(principal, report_id, decide, expected_version=expected_version, ports=ports)
    keys = upload_keys(report_id, photo_count, key_prefix=RESULT_PHOTO_PREFIX)
    uploads = [ports.photos.upload_form(key, now) for key in keys]
    return resolved, uploads


def after_photo_required(report: Report) -> bool:
    """A resolution is shown, not only told: at least one after-photo, unless the report's field is
    exempt (administrative fields, whose fix no camera shows: Category.after_photo_exempt)."""
    category = get_category(report.category_code)
    return category is None or category.after_photo_required


def _require_after_photo(report: Report, photo_count: int) -> None:
    if photo_count == 0 and after_photo_required(report):
        raise InvalidInput(
            "after_photo_required",
            bilingual(
                "Cần ít nhất một ảnh sau khi xử lý cho lĩnh vực này.",
                "This field needs at least one after-photo to resolve.",
            ),
            field="photo_count",
        )


def ask_reporter(
    principal: Principal, report_id: str, text: str, *, photo_requested: Any = False, pause_working_days: int,
    expected_version: int | None = None, ports: Ports, now: datetime,
) -> Report:
    """The owner unit asks the reporter a question, optionally for a photo. One question waits at a
    time, at most MAX_QUESTIONS are asked in all, each kept with its answer; while one waits the
    resolve clock is paused (phananh.report.deadlines.question_pause). The
    reporter hears of it by push, or by SMS/e-mail relayed from the contact they left (the outbox,
    from the same write): the officer never sees that contact unless the reporter agreed."""
    text = _text(text, "text")
    if not isinstance(photo_requested, bool):
        raise InvalidInput(
            "invalid_photo_requested",
            bilingual("photo_requested phải là true hoặc false.", "photo_requested must be true or false."),
            field="photo_requested",
        )

    def decide(current: Report) -> Decision:
        if not may_ask_reporter(principal, current):
            if current.status not in OPEN_STATES:
                raise _conflict(
                    "not_open", bilingual("Phản ánh không còn đang xử lý.", "The report is no longer open."), current
                )
            raise Forbidden(bilingual(
                "Chỉ đơn vị chủ trì được hỏi người phản ánh.", "Only the owner unit may ask the reporter.",
            ))
        if current.waiting_question is not None:
            raise _conflict(
                "question_waiting",
                bilingual("Câu hỏi trước vẫn đang chờ người phản ánh trả lời.",
                          "The previous question still waits for the reporter's answer."),
                current,
            )
        if len(current.questions) >= MAX_QUESTIONS:
            raise _conflict(
                "too_many_questions",
                bilingual(f"Mỗi phản ánh chỉ được hỏi người phản ánh tối đa {MAX_QUESTIONS} câu.",
                          f"A report's reporter may be asked at most {MAX_QUESTIONS} questions."),
                current,
            )
        pause_until, allowance_end = question_pause(current, now, pause_working_days)
        question = Question(text=text, asked_at=now, asked_by=principal.officer_id,
                            photo_requested=photo_requested, pause_until=pause_until)
        after = current.changed(now, questions=(*current.questions, question), pause_allowance_ends_at=allowance_end)
        return after, _event(current, after, Action.ASK, principal, now, text)

    return _apply(principal, report_id, decide, expected_version=expected_version, ports=ports)


def _hand_over(
    current: Report, unit_id: str, principal: Principal, now: datetime, reason: str | None, *,
    transfer_count: int, ports: Ports, field: str,
) -> Decision:
    """The report to its new owner, who must acknowledge afresh; the resolve deadline stays."""
    unit = ports.directory.unit(unit_id)
    if unit is None:
        raise InvalidInput("unknown_unit", bilingual("Đơn vị không tồn tại.", "Unknown unit."), field=field)
    # A disabled unit takes no new reports, from routing or by hand (the transfer picker lists only active ones).
    if not unit.active:
        raise InvalidInput(
            "unit_disabled", bilingual("Đơn vị đã ngừng hoạt động.", "The unit is disabled."), field=field
        )
    if unit_id == current.owner_unit_id:
        raise InvalidInput(
            "same_unit",
            bilingual("Phản ánh đã thuộc đơn vị này.", "The report already belongs to this unit."),
            field=field,
        )
    after = _move(
        current, Action.TRANSFER, now,
        owner_unit_id=unit_id,
        # Whom the old unit named does not work for the new one: its head names someone afresh.
        assignee_id=None,
        acknowledge_due_at=acknowledge_deadline(get_category(current.category_code), now),
        transfer_count=transfer_count,
    )
    return after, _event(current, after, Action.TRANSFER, principal, now, reason)


def transfer_destination(to_unit_id: Any, not_ours: Any) -> Any:
    """Where an officer hands a report: the unit they name, or None when they say it is not theirs
    (the coordinators then decide); one of the two must be said."""
    if not_ours is True:
        return None
    if to_unit_id is None:
        raise InvalidInput(
            "missing_field",
            bilingual("Cần 'to_unit_id' hoặc 'not_ours': true.", "Give 'to_unit_id', or 'not_ours': true."),
            field="to_unit_id",
        )
    return to_unit_id


def transfer(
    principal: Principal, report_id: str, reason: str, *, to_unit_id: str | None = None,
    expected_version: int | None = None, ports: Ports, now: datetime,
) -> Report:
    """Pass the report to `to_unit_id`, or with None ("not ours") to the coordinators.

    After MAX_TRANSFERS transfers by owner units the report goes to the coordinators instead, with
    the reason; coordinators' own hand-overs do not count.
    """
    reason = _text(reason, "reason")
    if to_unit_id is not None:
        to_unit_id = _unit_id(to_unit_id, "to_unit_id")
    counted = not principal.is_coordinator

    def decide(current: Report) -> Decision:
        capped = counted and current.transfer_count >= MAX_TRANSFERS
        destination = COORDINATORS_ID if capped or to_unit_id is None else to_unit_id
        why = reason
        if capped:
            why = (
                f"Đã chuyển {current.transfer_count} lần: chuyển bộ phận điều phối quyết định "
                f"(đơn vị đề nghị: {to_unit_id or COORDINATORS_ID}). {reason}"
            )
        return _hand_over(
            current, destination, principal, now, why,
            transfer_count=current.transfer_count + (1 if counted else 0), ports=ports, field="to_unit_id",
        )

    return _apply(principal, report_id, decide, expected_version=expected_version, ports=ports)


def assign(
    principal: Principal, report_id: str, unit_id: str, *, reason: str | None = None,
    expected_version: int | None = None, ports: Ports, now: datetime,
) -> Report:
    """A coordinator names the owner unit (assigns, or reassigns); this is not counted as a transfer."""
    require_coordinator(principal)
    unit_id = _unit_id(unit_id, "unit_id")
    reason = _text(reason, "reason", required=False)

    def decide(current: Report) -> Decision:
        return _hand_over(
            current, unit_id, principal, now, reason,
            transfer_count=current.transfer_count, ports=ports, field="unit_id",
        )

    return _apply(principal, report_id, decide, expected_version=expected_version, ports=ports)


def named_officer(fields: dict[str, Any]) -> Any:
    """The officer a request names to work a report: `officer_id` must be said, null to clear it."""
    if "officer_id" not in fields:
        raise InvalidInput(
            "missing_field",
            bilingual("Cần 'officer_id' (null để bỏ giao).", "Give 'officer_id' (null clears it)."),
            field="officer_id",
        )
    return fields["officer_id"]


def _officer_of(unit_id: str | None, officer_id: str, ports: Ports) -> Officer:
    officer = ports.directory.officer(officer_id)
    if officer is None or officer.unit_id != unit_id:
        raise InvalidInput(
            "unknown_officer",
            bilingual("Không có cán bộ này trong đơn vị chủ trì.", "No such officer in the owner unit."),
            field="officer_id",
        )
    return officer


def assign_officer(
    principal: Principal, report_id: str, officer_id: str | None, *, note: str | None = None,
    expected_version: int | None = None, ports: Ports, now: datetime,
) -> Report:
    """The owner unit's head (or a coordinator) names the officer of that unit who works the report,
    or with None clears the name. The unit stays the owner and the state stays; the trail records
    it (not for the public) and the officer named is e-mailed (from the reports stream)."""
    if officer_id is not None:
        officer_id = clean_text(officer_id, "officer_id", max_length=ID_MAX, required=True)
    note = _text(note, "note", required=False)

    def decide(current: Report) -> Decision:
        require_unit_lead(principal, current.owner_unit_id)
        if not may_assign_officer(principal, current):
            raise _conflict(
                "not_open", bilingual("Phản ánh không còn đang xử lý.", "The report is no longer open."), current
            )
        if officer_id is not None:
            _officer_of(current.owner_unit_id, officer_id, ports)
        if officer_id == current.assignee_id:
            raise InvalidInput(
                "same_assignee",
                bilingual("Phản ánh đã được giao cho cán bộ này.", "The report is already assigned so."),
                field="officer_id",
            )
        after = current.changed(now, assignee_id=officer_id)
        reason = f"{officer_id or '—'}: {note}" if note else (officer_id or "—")
        return after, _event(current, after, Action.ASSIGN_OFFICER, principal, now, reason, public=False)

    return _apply(principal, report_id, decide, expected_version=expected_version, ports=ports)


def reject(
    principal: Principal, report_id: str, grounds: str, reason: str, *, expected_version: int | None = None,
    ports: Ports, now: datetime,
) -> Report:
    """A coordinator refuses a report (spam, abuse, not a public matter): it is never published."""
    require_coordinator(principal)
    if grounds not in REJECT_GROUNDS:
        raise InvalidInput(
            "invalid_grounds",
            bilingual(f"Lý do từ chối phải là một trong: {', '.join(REJECT_GROUNDS)}.",
                      f"grounds must be one of: {', '.join(REJECT_GROUNDS)}."),
            field="grounds",
        )
    reason = _text(reason, "reason")

    def decide(current: Report) -> Decision:
        after = _move(current, Action.REJECT, now)
        return after, _event(current, after, Action.REJECT, principal, now, f"{grounds}: {reason}")

    return _apply(principal, report_id, decide, expected_version=expected_version, ports=ports)


def merge(
    principal: Principal, report_id: str, master_id: str, *, reason: str | None = None,
    expected_version: int | None = None, ports: Ports, now: datetime,
) -> Report:
    """A coordinator merges a duplicate into its master, both in one transaction. The duplicate's
    reporter then follows the master; reports merged into the duplicate before follow it too."""
    require_coordinator(principal)
    master_id = clean_text(master_id, "master_id", max_length=ID_MAX, required=True)
    reason = _text(reason, "reason", required=False)
    expected_version = _version(expected_version)
    if master_id == report_id:
        raise InvalidInput(
            "same_report",
            bilingual("Không thể gộp phản ánh vào chính nó.", "A report cannot be merged into itself."),
            field="master_id",
        )
    for _ in range(_MERGE_ATTEMPTS):
        duplicate, master = _load(ports, report_id), _load(ports, master_id)
        if duplicate is None or master is None:
            raise NotFound()
        if expected_version is not None and duplicate.version != expected_version:
            raise _conflict("version_conflict", _CHANGED_MEANWHILE, duplicate)
        if master.status not in BEING_HANDLED:
            raise _conflict(
                "master_not_open",
                bilingual("Phản ánh chính không còn đang được xử lý.", "The master report is no longer being handled."),
                master,
            )
        duplicate_after = _move(duplicate, Action.MERGE, now, merged_into=master_id, merged_reports=())
        master_after = master.changed(
            now, merged_reports=(*master.merged_reports, report_id, *duplicate.merged_reports)
        )
        merged = _event(duplicate, duplicate_after, Action.MERGE, principal, now, reason)
        absorbed = _event(master, master_after, Action.ABSORB, principal, now, report_id, public=False)
        try:
            ports.reports.save_changes([(duplicate, duplicate_after, merged), (master, master_after, absorbed)])
        except StateConflict:
            continue
        return duplicate_after
    raise keeps_changing()


def _publication_change(
    principal: Principal, report_id: str, action: Action, reason: str | None, *,
    expected_version: int | None, ports: Ports, now: datetime,
) -> Report:
    """Publish or unpublish: a coordinator's conditional change of the publication alone (the
    workflow goes on as it was), with its audit event, kept off the public timeline."""
    require_coordinator(principal)

    def decide(current: Report) -> Decision:
        if not is_published(current.status):
            raise _conflict(
                "not_publishable",
                bilingual(
                    "Phản ánh ở trạng thái này không được công khai (chưa chuyển xử lý, bị từ chối hoặc trùng).",
                    "A report in this state is never public (not routed yet, rejected or a duplicate).",
                ),
                current,
            )
        try:
            publication = next_publication(current.publication, action)
        except StateConflict as refused:
            raise _conflict(refused.code, refused.message, current) from None
        after = current.changed(now, publication=publication)
        return after, _event(current, after, action, principal, now, reason, public=False)

    return _apply(principal, report_id, decide, expected_version=expected_version, ports=ports)


def publish(
    principal: Principal, report_id: str, *, note: str | None = None, expected_version: int | None = None,
    ports: Ports, now: datetime,
) -> Report:
    """A coordinator lets a held (or unpublished) report be public, having read it."""
    note = _text(note, "note", required=False)
    return _publication_change(
        principal, report_id, Action.PUBLISH, note, expected_version=expected_version, ports=ports, now=now
    )


def unpublish(
    principal: Principal, report_id: str, reason: str, *, expected_version: int | None = None,
    ports: Ports, now: datetime,
) -> Report:
    """A coordinator takes a report off the public views (or decides a held one stays off), with a
    reason; its owner unit works it on as before."""
    reason = _text(reason, "reason")
    return _publication_change(
        principal, report_id, Action.UNPUBLISH, reason, expected_version=expected_version, ports=ports, now=now
    )


def _review_item(report: Report) -> dict[str, Any]:
    return {
        **list_item(report),
        "owner_unit_id": report.owner_unit_id,
        "published_at": iso(report.published_at),
        "held_for": [{"code": code, "label": HOLD_GROUNDS.get(code)} for code in report.held_for],
    }



def review_queue(
    principal: Principal, *, cursor: str | None = None, limit: int | None = None, ports: Ports
) -> dict[str, Any]:
    """What waits for a coordinator's review before it may be public, the longest waiting first."""
    require_coordinator(principal)
    limit = page_size(limit, default=QUEUE_PAGE_SIZE, highest=QUEUE_LIMIT_MAX)
    page = ports.reports.awaiting_review(limit=limit, cursor=cursor)
    return {"reports": [_review_item(report) for report in page.items], "next_cursor": page.cursor}


def unit_queue(
    principal: Principal, *, unit_id: str | None = None, status: str, cursor: str | None = None,
    limit: int | None = None, ports: Ports, now: datetime | None = None,
) -> dict[str, Any]:
    """A unit's open reports in one state, the earliest deadline (the most overdue) first, a page at
    a time. Officers and unit heads see their own unit's; coordinators any unit's."""
    unit_id = principal.unit_id if unit_id is None else _unit_id(unit_id, "unit_id")
    if unit_id != principal.unit_id:
        require_coordinator(principal)
    queue_status = Status.__members__.get(status)
    if queue_status not in OPEN_STATES:
        raise InvalidInput(
            "invalid_status",
            bilingual("Trạng thái không hợp lệ cho hàng đợi.", "Not a status a work queue holds."),
            field="status",
        )
    limit = page_size(limit, default=QUEUE_PAGE_SIZE, highest=QUEUE_LIMIT_MAX)
    page = ports.reports.unit_queue(unit_id, queue_status, limit=limit, cursor=cursor)
    now = now or utcnow()
    return {
        "unit_id": unit_id,
        "status": str(queue_status),
        "reports": [work_item(report, now) for report in page.items],
        "next_cursor": page.cursor,
    }


def allowed_actions(principal: Principal, report: Report) -> list[str]:
    """What the officer app may offer on this report now (the use cases check again)."""
    if not may_act(principal, report):
        return []
    status = report.status
    actions = []
    if status in MOVES[Action.ACKNOWLEDGE].sources:
        actions.append("acknowledge")
    if status in MOVES[Action.RESOLVE].sources:
        actions += ["progress", "resolve"]
    if status in MOVES[Action.TRANSFER].sources:
        actions.append("transfer")
    if may_assign_officer(principal, report):
        actions.append(str(Action.ASSIGN_OFFICER))
    if (may_ask_reporter(principal, report) and report.waiting_question is None
            and len(report.questions) < MAX_QUESTIONS):
        actions.append(str(Action.ASK))
    if principal.is_coordinator:
        if status in MOVES[Action.TRANSFER].sources:
            actions.append("assign")
        if status in MOVES[Action.REJECT].sources:
            actions.append("reject")
        if status in MOVES[Action.MERGE].sources:
            actions.append("merge")
        if is_published(status):
            for action in (Action.PUBLISH, Action.UNPUBLISH):
                if report.publication in PUBLICATION_MOVES[action][0]:
                    actions.append(str(action))
    return actions


def _duplicates_view(report: Report, principal: Principal, ports: Ports) -> list[dict[str, Any]]:
    """The flagged possible duplicates; one the officer may not act on is listed only if it is public."""
    found = []
    for other_id in report.possible_duplicates:
        other = ports.reports.get(other_id)
        if other is None or not (may_act(principal, other) or other.is_public()):
            continue
        distance = None
        if report.location and other.location:
            distance = round(haversine_m(report.location.lat, report.location.lon,
                                         other.location.lat, other.location.lon))
        found.append({
            "report_id": other.report_id, "status": str(other.status),
            "category": other.category_code, "distance_m": distance,
        })
    return found


def disclosed_contact(
    principal: Principal, report: Report, purpose: str | None, *, ports: Ports, now: datetime
) -> dict[str, str | None] | None:
    """The reporter's phone and e-mail for someone who may see them (phananh.processing.policy.contact_purpose),
    recorded before it is decrypted: who, when, for what purpose (never the contact itself)."""
    purpose = contact_purpose(principal, report, purpose)
    if purpose is None:
        return None
    ports.reports.record_contact_view(
        ContactView(report_id=report.report_id, at=now, actor=principal.actor, purpose=purpose, status=report.status)
    )
    sealed = ports.contacts.unseal_contact(report.contact_ciphertext, report.report_id)
    return {"phone": sealed.get("phone"), "email": sealed.get("email")}


def _audit_entry(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": iso(event.at),
        "actor": event.actor,
        "action": str(event.action),
        "from_status": str(event.from_status) if event.from_status else None,
        "to_status": str(event.to_status),
        "reason": event.reason,
        "public": event.public,
    }


def officer_view(
    report: Report, principal: Principal, *, ports: Ports, settings: Settings,
    contact: dict[str, str | None] | None = None,
) -> dict[str, Any]:
    """A report as the officer app shows it to someone who may act on it: the whole audit trail,
    the photos, possible duplicates, and the reporter's contact when `disclosed_contact` gave it
    (only the detail view asks for it: answers to actions never decrypt it)."""
    visible_or_not_found(principal, report)
    result = result_view(report, ports.photos, to_everyone=False, evidence=True)
    return {
        **report_facts(report, settings, ports=ports, exact_location=True),
        # The owner unit's evidence: beside each blurred copy, the unblurred one.
        "photos": photos_view(report.photos, ports.photos, evidence=True),
        "location_from_photo": bool(report.location and report.location.from_photo),
        "publication": publication_view(report),
        "version": report.version,
        "created_at": iso(report.created_at),
        "updated_at": iso(report.updated_at),
        "published_at": iso(report.published_at),
        "transfer_count": report.transfer_count,
        "photo_count": report.photo_count,
        # The resolve dialog asks for an after-photo unless the field is exempt.
        "after_photo_required": after_photo_required(report),
        "assignee": assignee_view(report, assignee_names(report.owner_unit_id, ports)),
        "result": {**result, "officer": report.result.officer} if result else None,
        # Officers see a hidden comment too (coordinators decide on it); the public does not.
        "rating": {**rating_view(report), "comment": report.rating.comment} if report.rating else None,
        # Every question to the reporter and its answer, with the answer's photos (evidence too).
        "questions": questions_view(report, ports.photos, now=utcnow(), for_officers=True),
        "reopen_count": report.reopen_count,
        "merged_into": report.merged_into,
        "merged_reports": list(report.merged_reports),
        "possible_duplicates": _duplicates_view(report, principal, ports),
        "contact": contact,
        "timeline": [_audit_entry(event) for event in ports.reports.events(report.report_id)],
        "allowed_actions": allowed_actions(principal, report),
    }


def handed_over_view(report: Report, principal: Principal, *, ports: Ports, settings: Settings) -> dict[str, Any]:
    """A report just handed over, as the officer who handed it over sees it: whole if they may still
    act on it (a coordinator), else only that it went and to whom."""
    if may_act(principal, report):
        return officer_view(report, principal, ports=ports, settings=settings)
    return {
        "report_id": report.report_id,
        "status": str(report.status),
        "version": report.version,
        "owner_unit": owner_view(ports.directory, report.owner_unit_id),
        "allowed_actions": [],
    }


def report_detail(
    principal: Principal, report_id: str, *, purpose: str | None = None, ports: Ports, settings: Settings,
    now: datetime | None = None,
) -> dict[str, Any]:
    """GET of one report for the officer app; another unit's report is NotFound. The reporter's
    contact is in it for those who may see it, for the `purpose` stated (coordinators must state one)."""
    check_contact_purpose(purpose)
    report = visible_or_not_found(principal, _load(ports, report_id))
    contact = disclosed_contact(principal, report, purpose, ports=ports, now=now or utcnow())
    return officer_view(report, principal, ports=ports, settings=settings, contact=contact)
