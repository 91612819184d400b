"""The domain's records: a report and the audit events that explain every change to it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from phananh.report.deadlines import close_deadline
from phananh.report.lifecycle import (
    ENDED_STATES,
    STATUS_LABELS,
    Action,
    Publication,
    Status,
    is_public,
    is_published,
    next_status,
)
from phananh.shared.errors import Text

EVENT_KEY_OFFSET = 100_000_000


def version_of_event_key(event_key: str) -> int:
    return int(event_key.removeprefix("v")) - EVENT_KEY_OFFSET


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    # Read from a photo's GPS because the reporter gave no point: it may be where the reporter
    # stood or lives, so the public sees it only roughly (phananh.intake.filing.report_facts).
    from_photo: bool = False


@dataclass(frozen=True)
class Report:
    report_id: str
    version: int
    status: Status
    source: str
    category_code: str
    description: str
    location: Location | None
    ward_code: str | None
    address: str | None
    photo_count: int
    tracking_token_hash: str
    contact_ciphertext: bytes | None
    contact_shared: bool
    created_at: datetime
    updated_at: datetime
    owner_unit_id: str | None = None
    acknowledge_due_at: datetime | None = None
    resolve_due_at: datetime | None = None
    # When it was routed and could first be public: the public feed's order and the start of the
    # units' clocks on the scorecards, whether or not a coordinator held its publication.
    published_at: datetime | None = None
    # Whether the public sees it (phananh.report.lifecycle.Publication), and why routing held it back
    # for review (phananh.transparency.publication.HOLD_GROUNDS), kept after a coordinator's decision.
    publication: Publication = Publication.PUBLISHED
    held_for: tuple[str, ...] = ()
    # Photo index ("1".."5") → what the photo check made of it; see phananh.routing.pipeline.
    photos: dict[str, dict] = field(default_factory=dict)
    possible_duplicates: tuple[str, ...] = ()
    # Transfers asked by the owner units (coordinators' assignments do not count).
    transfer_count: int = 0
    # How the owner unit resolved it: {"note", "at", "officer", "photo_count"}; after-photos in
    # `result_photos`, keyed "1".."3" like `photos`.
    result: dict | None = None
    result_photos: dict[str, dict] = field(default_factory=dict)
    merged_into: str | None = None
    merged_reports: tuple[str, ...] = ()
    # What the sealed `contact_ciphertext` holds, so that no view needs KMS to know it.
    contact_provided: bool = False
    push_enabled: bool = False
    # The push endpoint, sealed apart from the contact (another KMS purpose, other roles may open it).
    push_ciphertext: bytes | None = None
    # Escalation of a missed deadline (phananh.escalation.sweeper): the highest level fired, and the
    # deadline (`next_deadline` at the time) it was fired for. Written by the escalation state
    # machine, which also moves `version` on, so no concurrent change can undo it.
    escalation_level: int = 0
    escalation_due: datetime | None = None
    escalated_at: datetime | None = None
    # The Step Functions execution that fired the level (a retry of it may write again).
    escalated_by: str | None = None
    rating_reminded_at: datetime | None = None
    # The reporter's rating of the latest resolution (phananh.transparency.rating): {"score", "fixed", "comment",
    # "comment_hidden", "at", "resolved_at", "by"}; and how often a rating reopened the report.
    rating: dict | None = None
    reopen_count: int = 0
    # When the report reached an ended state (closed, rejected, merged): its purpose is over and the
    # retention of the reporter's personal data runs from here.
    ended_at: datetime | None = None
    # When the contact and push endpoint were erased (at the reporter's request or by the retention).
    contact_erased_at: datetime | None = None

    def personal_data_held(self) -> tuple[str, ...]:
        """What this report still holds of the reporter that the retention erases once it ended: the
        sealed contact and push endpoint, and the reporter's free text nobody sees published (a
        rating comment a coordinator hid; the description and address of a report that ended
        without being public: rejected, or merged into another)."""
        held = []
        if self.contact_ciphertext is not None:
            held.append("contact")
        if self.push_ciphertext is not None:
            held.append("push endpoint")
        if self.rating and self.rating.get("comment") and self.rating.get("comment_hidden"):
            held.append("hidden rating comment")
        if self.status in ENDED_STATES and not self.is_public() and (self.description or self.address):
            held.append("unpublished description and address")
        return tuple(held)

    def holds_sealed_details(self) -> bool:
        """The reporter's contact or push endpoint is still held (each sealed on its own)."""
        return self.contact_ciphertext is not None or self.push_ciphertext is not None

    def without_contact(self, now: datetime) -> Report:
        """This report with the sealed contact and push endpoint erased, as the next version."""
        return self.changed(
            now, contact_ciphertext=None, contact_provided=False, contact_shared=False, push_ciphertext=None,
            push_enabled=False, contact_erased_at=now,
        )

    def without_personal_data(self, now: datetime) -> Report:
        """This report with everything `personal_data_held` names erased, as the next version."""
        changes: dict[str, object] = {}
        if self.rating and self.rating.get("comment_hidden"):
            changes["rating"] = {**self.rating, "comment": None}
        if self.status in ENDED_STATES and not self.is_public():
            changes.update(description="", address=None)
        after = self.without_contact(now) if self.holds_sealed_details() else self.changed(now)
        return replace(after, **changes)

    def is_public(self) -> bool:
        return is_public(self.status, self.publication)

    def photos_settled(self) -> bool:
        """Every expected photo has been checked or rejected."""
        return len(self.photos) >= self.photo_count

    def next_deadline(self) -> datetime | None:
        """The deadline the report is being watched against in its current state (the due_watch
        index): acknowledge, resolve, closing unrated once resolved, for a report still being
        received the time it was filed (the photo cutoff runs from there, see phananh.escalation.jobs), and for
        an ended report still holding the reporter's personal data the time it ended (the retention
        runs from there)."""
        if self.status is Status.RECEIVED:
            return self.created_at
        if self.status is Status.ASSIGNED:
            return self.acknowledge_due_at
        if self.status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
            return self.resolve_due_at
        if self.status is Status.RESOLVED and self.result:
            return close_deadline(parse_iso(self.result["at"]))
        if self.status in ENDED_STATES and self.personal_data_held():
            # Not a deadline but the moment the retention of the reporter's data runs from; once
            # erased, the report leaves the index.
            return self.ended_at
        return None

    def escalated_for(self, due: datetime | None) -> int:
        """The escalation level already fired for the deadline `due` (0: none)."""
        return self.escalation_level if due is not None and self.escalation_due == due else 0

    def publicly_overdue(self) -> bool:
        """The public mark: the deadline the report is watched against reached the last level."""
        from phananh.report.deadlines import ESCALATION_LEVELS

        return self.status in (Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS) and (
            self.escalated_for(self.next_deadline()) >= ESCALATION_LEVELS
        )

    def changed(self, now: datetime, **changes: object) -> Report:
        """This report with `changes` and no change of state, as the next version."""
        return replace(self, version=self.version + 1, updated_at=now, **changes)

    def moved(self, action: Action, now: datetime, **changes: object) -> Report:
        """This report after `action`: next state, next version, publication kept in step."""
        status = next_status(self.status, action)
        published_at = self.published_at
        if is_published(status) and published_at is None:
            published_at = now
        return replace(
            self,
            status=status,
            version=self.version + 1,
            updated_at=now,
            published_at=published_at,
            ended_at=now if status in ENDED_STATES else self.ended_at,
            **changes,
        )


@dataclass(frozen=True)
class AuditEvent:
    report_id: str
    version: int
    at: datetime
    actor: str
    action: Action
    from_status: Status | None
    to_status: Status
    reason: str | None = None
    # Whether the reporter's timeline and the public page may show this step.
    public: bool = True

    @property
    def event_key(self) -> str:
        # One event per version: the key orders the trail and a retried write cannot double it.
        # Offset rather than zero-padded, so the escalation state machine can build the same key
        # with States.MathAdd (it cannot pad).
        return f"v{EVENT_KEY_OFFSET + self.version}"

    def timeline_entry(self) -> dict[str, object]:
        label: Text = STATUS_LABELS[self.to_status]
        return {"at": iso(self.at), "status": str(self.to_status), "label": label}


@dataclass(frozen=True)
class ContactView:
    """An officer's view that decrypted the reporter's contact: who, when, and for what purpose.
    Kept beside the report's trail (not a version of the report), never public, never the contact."""

    report_id: str
    at: datetime
    actor: str
    purpose: str
    # The report's state at the time, which the trail's records carry.
    status: Status

    @property
    def event_key(self) -> str:
        # Apart from the versions' "v…" keys; two views in the same second are two records.
        return f"{CONTACT_VIEW_KEY_PREFIX}{iso(self.at)}#{secrets.token_hex(4)}"


CONTACT_VIEW_KEY_PREFIX = "contact#"


@dataclass(frozen=True)
class Page:
    items: list = field(default_factory=list)
    cursor: str | None = None
