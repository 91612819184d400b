"""The report lifecycle: its states, and the one table of what may move a report between them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from phananh.shared.errors import StateConflict, Text, bilingual


class Status(StrEnum):
    RECEIVED = "RECEIVED"
    ASSIGNED = "ASSIGNED"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"
    REJECTED = "REJECTED"
    DUPLICATE = "DUPLICATE"


OPEN_STATES = frozenset({Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS})
BEING_HANDLED = frozenset({Status.RECEIVED, *OPEN_STATES})
# No move leaves these: the report's purpose is over, and the retention of the reporter's personal
# data runs from the moment it got there (phananh.escalation.jobs.erase_expired_personal_data).
ENDED_STATES = frozenset({Status.CLOSED, Status.REJECTED, Status.DUPLICATE})


class Action(StrEnum):
    SUBMIT = "submit"
    ROUTE = "route"
    TRANSFER = "transfer"
    ACKNOWLEDGE = "acknowledge"
    START_WORK = "start_work"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    REJECT = "reject"
    MERGE = "merge"
    # Changes that leave the state where it is.
    ATTACH_PHOTO = "attach_photo"
    ESCALATE = "escalate"
    NOTE = "note"
    # The owner unit's head (or a coordinator) names the officer who works the report, or clears it.
    ASSIGN_OFFICER = "assign_officer"
    # An officer of the owner unit asks the reporter a question; the reporter answers it (with the
    # tracking token). Neither moves the state; the resolve clock pauses in between (deadlines.py).
    ASK = "ask"
    ANSWER = "answer"
    # The master of a merge takes in a duplicate (the duplicate itself moves by MERGE).
    ABSORB = "absorb"
    # Publication (see Publication below): a coordinator lets a report be public, or takes it down.
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"

    # The reporter's personal data (Personal Data Protection Law, Decree 13/2023): the reporter
    # withdraws consent to share the contact; the contact is erased (by the reporter, or by the
    # retention job with what else it erases); an officer's view decrypted it. The first two leave
    # the state where it is; a view is recorded beside the trail and changes nothing.
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CONTACT_ERASED = "contact_erased"
    CONTACT_VIEWED = "contact_viewed"


@dataclass(frozen=True)
class Move:
    sources: frozenset[Status]
    target: Status


# Transfer is an event, not a state: the report goes back to ASSIGNED under its new owner,
# who must acknowledge it afresh.
MOVES: dict[Action, Move] = {
    Action.SUBMIT: Move(frozenset(), Status.RECEIVED),
    Action.ROUTE: Move(frozenset({Status.RECEIVED}), Status.ASSIGNED),
    Action.TRANSFER: Move(OPEN_STATES, Status.ASSIGNED),
    Action.ACKNOWLEDGE: Move(frozenset({Status.ASSIGNED}), Status.ACKNOWLEDGED),
    Action.START_WORK: Move(frozenset({Status.ACKNOWLEDGED}), Status.IN_PROGRESS),
    Action.RESOLVE: Move(frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS}), Status.RESOLVED),
    Action.REOPEN: Move(frozenset({Status.RESOLVED}), Status.IN_PROGRESS),
    Action.CLOSE: Move(frozenset({Status.RESOLVED}), Status.CLOSED),
    Action.REJECT: Move(BEING_HANDLED, Status.REJECTED),
    Action.MERGE: Move(BEING_HANDLED, Status.DUPLICATE),
}


def next_status(current: Status | None, action: Action) -> Status:
    """The state `action` leads to from `current`, or StateConflict when it may not happen."""
    move = MOVES[action]
    if current is None and action is Action.SUBMIT:
        return move.target
    if current not in move.sources:
        raise StateConflict(
            "invalid_transition",
            bilingual(
                f"Không thể thực hiện '{action}' khi phản ánh đang ở trạng thái {current}.",
                f"Cannot {action} a report that is {current}.",
            ),
            current={"status": str(current)},
        )
    return move.target


def is_published(status: Status) -> bool:
    """The states in which a report may be public: once routed (photos checked, an owner named),
    unless moderated away. Whether it is public also takes its publication (`is_public`)."""
    return status in OPEN_STATES or status in (Status.RESOLVED, Status.CLOSED)


# --- publication -------------------------------------------------------------------------------

class Publication(StrEnum):
    """Whether a report in a public state is shown to the public: a flag beside the workflow
    status, not a state of it. A held or unpublished report is still routed to its owner unit
    and worked as usual; only the public does not see it."""

    PUBLISHED = "published"
    # Waits for a coordinator: its field is reviewed first, or its text seems to carry personal data.
    HELD = "held"
    # Taken down by a coordinator, with a reason.
    UNPUBLISHED = "unpublished"


PUBLICATION_MOVES: dict[Action, tuple[frozenset[Publication], Publication]] = {
    Action.PUBLISH: (frozenset({Publication.HELD, Publication.UNPUBLISHED}), Publication.PUBLISHED),
    Action.UNPUBLISH: (frozenset({Publication.PUBLISHED, Publication.HELD}), Publication.UNPUBLISHED),
}


def next_publication(current: Publication, action: Action) -> Publication:
    """The publication `action` leads to from `current`, or StateConflict when it may not happen."""
    sources, target = PUBLICATION_MOVES[action]
    if current not in sources:
        raise StateConflict(
            "invalid_publication_change",
            bilingual(
                f"Không thể thực hiện '{action}' khi phản ánh đang ở trạng thái công khai '{current}'.",
                f"Cannot {action} a report whose publication is '{current}'.",
            ),
            current={"publication": str(current)},
        )
    return target


def is_public(status: Status, publication: Publication) -> bool:
    """Whether everyone may see the report: a public state, and published."""
    return is_published(status) and publication is Publication.PUBLISHED


STATUS_LABELS: dict[Status, Text] = {
    Status.RECEIVED: bilingual("Đã tiếp nhận", "Received"),
    Status.ASSIGNED: bilingual("Đã chuyển đơn vị xử lý", "Assigned to the responsible unit"),
    Status.ACKNOWLEDGED: bilingual("Đơn vị đã nhận xử lý", "Acknowledged by the unit"),
    Status.IN_PROGRESS: bilingual("Đang xử lý", "In progress"),
    Status.RESOLVED: bilingual("Đã xử lý xong", "Resolved"),
    Status.CLOSED: bilingual("Đã đóng", "Closed"),
    Status.REJECTED: bilingual("Không được tiếp nhận", "Not accepted"),
    Status.DUPLICATE: bilingual("Trùng với phản ánh khác", "Duplicate of another report"),
}


# The steps that move no state but that the timelines name: that information was asked for and
# received, never what was asked or answered.
ACTION_LABELS: dict[Action, Text] = {
    Action.ASK: bilingual("Đơn vị đề nghị bổ sung thông tin", "The unit asked for more information"),
    Action.ANSWER: bilingual("Người phản ánh đã bổ sung thông tin", "The reporter sent the information"),
}
