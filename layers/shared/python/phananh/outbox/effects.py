"""What must happen after a change of a report, derived from the report before and after it.

Every change of a report is one DynamoDB transaction (the report and its audit event), and the table
streams each change with both images. So the side effects of a change need no outbox table of their
own: they are a function of the two images, computed here and nowhere else, and delivered at least
once from the stream (functions/deliver). Each effect is named by an occasion key unique to the
report's version (the escalation's, to its level and deadline: a retried state machine may record
a level twice), so that however often a stream record is delivered, each effect's channels are sent
once (the leased claims of phananh.escalation.alerts).

Images are plain dicts as the stream carries them (phananh.adapters.events.stream_image); None for
a report that did not exist before (INSERT) or no longer exists (REMOVE).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from phananh.report.lifecycle import Status
from phananh.report.model import Report, iso


class Kind(StrEnum):
    # A new report to route: now, or at its photo cutoff when photos are to come (the intake queue).
    ROUTE = "route"
    # The owner unit's officers (e-mail each, SMS through its topic): routed, transferred, re-assigned.
    OWNER_ALERT = "owner_alert"
    # The officer a unit head named to work the report.
    ASSIGNEE_ALERT = "assignee_alert"
    # A reporter's push of a status change: the report's own, or a report merged into it.
    PUSH = "push"
    # The devices and confirmed e-mail addresses following a published report
    # (phananh.transparency.following), each told its new status; once it ended, their follows erased.
    FOLLOWERS = "followers"
    # The one e-mail asking an address to confirm it follows a report: queued by the citizen API when
    # it wrote the pending follow, not by a change of the report (no change happened).
    FOLLOW_CONFIRMATION = "follow_confirmation"
    # The reporter of a resolved report asked to rate it (the rating reminder job's recorded change).
    RATING_REMINDER = "rating_reminder"
    # One escalation level's messages to the next people up (phananh.escalation.sweeper).
    ESCALATION = "escalation"
    # The owner unit's question relayed to the reporter: by push, or to the contact they left.
    QUESTION = "question"


@dataclass(frozen=True)
class Effect:
    """One side effect of one change: what (`kind`), of which report at which version, and for whom
    (`target`: the unit, the officer, the report whose reporter hears of it, or the escalation level)."""

    kind: Kind
    report_id: str
    version: int
    target: str = ""
    # A push's (and the followers') new status; an escalation's deadline (ISO), which with the level
    # names it; when the question relayed was asked (ISO); until when the pending follow whose
    # confirmation it is waits (epoch seconds), which with the follow (`target`) names it.
    detail: str = ""

    @property
    def key(self) -> str:
        """The occasion key: the same for every delivery of the same change, unique among changes."""
        if self.kind is Kind.ESCALATION:
            return f"{self.report_id}:{self.detail}:{self.kind}:L{self.target}"
        if self.kind is Kind.FOLLOW_CONFIRMATION:
            # One confirmation per pending follow, whichever version the report is at.
            return f"{self.report_id}:{self.kind}:{self.target}:{self.detail}"
        suffix = f":{self.target}" if self.target else ""
        return f"{self.report_id}:v{self.version}:{self.kind}{suffix}"

    def to_message(self) -> dict[str, Any]:
        return {"effect": str(self.kind), "report_id": self.report_id, "version": self.version,
                "target": self.target, "detail": self.detail}

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> Effect:
        """An effect read back from its queue message; ValueError or KeyError when it is not one."""
        report_id, version = message["report_id"], message["version"]
        if not isinstance(report_id, str) or not isinstance(version, int) or isinstance(version, bool):
            raise ValueError("not an effect")
        return cls(kind=Kind(message["effect"]), report_id=report_id, version=version,
                   target=str(message.get("target") or ""), detail=str(message.get("detail") or ""))


def effects_of(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Effect]:
    """The side effects of one change of a report (its images before and after), in sending order."""
    if not new:
        return []  # a report deleted: nobody to tell
    report_id, version = new["report_id"], int(new["version"])
    before, after = _status(old), _status(new)

    def effect(kind: Kind, target: str = "", detail: str = "") -> Effect:
        return Effect(kind, report_id, version, target, detail)

    if old is None:
        # Filed: the only effect is routing (a report is never created already routed).
        return [effect(Kind.ROUTE)] if after is Status.RECEIVED else []
    found: list[Effect] = []
    owner = new.get("owner_unit_id")
    if owner and owner != old.get("owner_unit_id"):  # routed, transferred or re-assigned
        found.append(effect(Kind.OWNER_ALERT, owner))
    assignee = new.get("assignee_id")
    if assignee and assignee != old.get("assignee_id"):
        found.append(effect(Kind.ASSIGNEE_ALERT, assignee))
    if after is not before:
        # Every status change is one of the lifecycle's moves (notices.is_news): the reporter (when
        # the app gave a push token), and the reporters of the reports merged into this one, hear of it.
        own = [report_id] if new.get("push_ciphertext") else []
        found += [effect(Kind.PUSH, reporter, str(after)) for reporter in (*own, *_merged(new))]
        # Whether anyone follows it is the follows table's to say: the delivery reads it.
        found.append(effect(Kind.FOLLOWERS, detail=str(after)))
    reminded = new.get("rating_reminded_at")
    if reminded and reminded != old.get("rating_reminded_at") and new.get("push_ciphertext"):
        found.append(effect(Kind.RATING_REMINDER, report_id))
    # A question asked: the latest is a new one.
    question, earlier = (new.get("questions") or (None,))[-1], (old.get("questions") or (None,))[-1]
    if question is not None and (earlier is None or earlier.asked_at != question.asked_at):
        found.append(effect(Kind.QUESTION, report_id, iso(question.asked_at)))
    level = int(new.get("escalation_level") or 0)
    if level and new.get("escalated_at") != old.get("escalated_at") and new.get("escalation_due"):
        found.append(effect(Kind.ESCALATION, str(level), str(new["escalation_due"])))
    return found


def _status(image: dict[str, Any] | None) -> Status | None:
    value = (image or {}).get("status")
    return Status(value) if value else None


def _merged(image: dict[str, Any]) -> list[str]:
    """The reports merged into this one, in order."""
    return sorted(image.get("merged_reports") or ())


def image_of(report: Report) -> dict[str, Any]:
    """What the stream's image of `report` holds of what `effects_of` reads (the in-memory stores'
    stand-in for the stream)."""
    return {
        "report_id": report.report_id, "version": report.version, "status": str(report.status),
        "photo_count": report.photo_count, "created_at": iso(report.created_at),
        "owner_unit_id": report.owner_unit_id, "assignee_id": report.assignee_id,
        "merged_reports": list(report.merged_reports), "push_ciphertext": report.push_ciphertext,
        "rating_reminded_at": iso(report.rating_reminded_at), "escalation_level": report.escalation_level,
        "escalation_due": iso(report.escalation_due), "escalated_at": iso(report.escalated_at),
        "questions": report.questions,
        "earlier_pauses_s": report.earlier_pauses_s,
    }
