"""The domain's records: a report and the audit events that explain every change to it."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from phananh.report.lifecycle import (
    ACTION_LABELS,
    ENDED_STATES,
    STATUS_LABELS,
    Action,
    Publication,
    Status,
    is_public,
    is_published,
    next_status,
)
from phananh.shared import clock
from phananh.shared.errors import Text

EVENT_KEY_OFFSET = 100_000_000


def version_of_event_key(event_key: str) -> int:
    return int(event_key.removeprefix("v")) - EVENT_KEY_OFFSET


def event_key_of(version: int) -> str:
    # One event per version: the key orders the trail and a retried write cannot double it.
    # Offset rather than zero-padded, so the escalation state machine can build the same key
    # with States.MathAdd (it cannot pad).
    return f"v{EVENT_KEY_OFFSET + version}"


def utcnow() -> datetime:
    return clock.utc_now()


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    # Read from a photo's GPS because the reporter gave no point: it may be where the reporter
    # stood or lives, so the public sees it only roughly (phananh.transparency.views.report_facts).
    from_photo: bool = False


PHOTO_CHECKED, PHOTO_REJECTED = "checked", "rejected"


@dataclass(frozen=True)
class Photo:
    """What the photo check made of one upload (phananh.routing.pipeline): checked, with its
    stripped copy and thumbnail, their size and perceptual hash; or rejected, with the reason."""

    state: str
    image_key: str | None = None
    thumbnail_key: str | None = None
    # The unblurred copy, when the check blurred faces or plates: for the owner unit only.
    evidence_key: str | None = None
    width: int | None = None
    height: int | None = None
    perceptual_hash: str | None = None
    reason: str | None = None

    @property
    def is_checked(self) -> bool:
        return self.state == PHOTO_CHECKED

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Photo:
        """From its stored (JSON) record; keys it does not know are not taken."""
        return cls(state=record["state"], **{name: record.get(name) for name in _PHOTO_DETAILS})

    def as_record(self) -> dict[str, Any]:
        """Its stored (JSON) record: the fields it has, no nulls (a rejected photo has no keys)."""
        return {name: value for name, value in asdict(self).items() if value is not None}


_PHOTO_DETAILS = ("image_key", "thumbnail_key", "evidence_key", "width", "height", "perceptual_hash", "reason")


@dataclass(frozen=True)
class Result:
    """How the owner unit resolved a report: its note for the reporter, when, by which officer, how
    many after-photos it sent (they arrive in `Report.result_photos`), and whether one of them was
    taken at the report's point (phananh.routing.fix_location)."""

    note: str
    at: datetime
    officer: str
    photo_count: int = 0
    location_verified: bool = False

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Result:
        return cls(
            note=record["note"], at=datetime.fromisoformat(record["at"]), officer=record["officer"],
            photo_count=int(record.get("photo_count", 0)),
            location_verified=bool(record.get("location_verified", False)),
        )

    def as_record(self) -> dict[str, Any]:
        return {
            "note": self.note, "at": iso(self.at), "officer": self.officer, "photo_count": self.photo_count,
            "location_verified": self.location_verified,
        }


@dataclass(frozen=True)
class Rating:
    """The reporter's rating of a resolution (phananh.transparency.rating): the score, whether it was
    fixed, the comment and whether a coordinator hid it, when, the resolution it rates, and by whom."""

    score: int
    fixed: bool
    comment: str | None
    comment_hidden: bool
    at: datetime
    resolved_at: datetime | None
    by: str | None

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Rating:
        return cls(
            score=int(record["score"]), fixed=bool(record["fixed"]), comment=record.get("comment"),
            comment_hidden=bool(record.get("comment_hidden")), at=datetime.fromisoformat(record["at"]),
            resolved_at=parse_iso(record.get("resolved_at")), by=record.get("by"),
        )

    def as_record(self) -> dict[str, Any]:
        return {
            "score": self.score, "fixed": self.fixed, "comment": self.comment, "comment_hidden": self.comment_hidden,
            "at": iso(self.at), "resolved_at": iso(self.resolved_at), "by": self.by,
        }


@dataclass(frozen=True)
class Question:
    """An officer's question to the reporter (phananh.processing.commands.ask_reporter) and the
    reporter's answer (phananh.intake.answers), with their times and the answer's photos. While it
    waits the resolve clock is paused, at most until `pause_until` (phananh.report.deadlines.question_pause):
    None when it pauses nothing (asked after the report's pause allowance was used, or once the
    deadline had passed)."""

    text: str
    asked_at: datetime
    asked_by: str
    photo_requested: bool = False
    pause_until: datetime | None = None
    answer: str | None = None
    answered_at: datetime | None = None
    # How many photos the reporter sent with the answer, and what the photo check made of those
    # that arrived, keyed "1".."3" (uploaded under the question's own keys: phananh.report.photo_keys).
    answer_photo_count: int = 0
    answer_photos: dict[str, Photo] = field(default_factory=dict)
    # When it stopped waiting: answered, or the report resolved before an answer came.
    closed_at: datetime | None = None
    # The version of the audit event that carries the answer's text: the retention erases it there
    # too, without reading the trail (phananh.escalation.jobs.erase_expired_personal_data).
    answer_version: int | None = None

    @property
    def waiting(self) -> bool:
        return self.closed_at is None

    @property
    def answer_erased(self) -> bool:
        """Answered, and the answer since erased (every answer has a text)."""
        return self.answered_at is not None and self.answer is None

    def answered(self, text: str, photo_count: int, now: datetime, version: int) -> Question:
        return replace(self, answer=text, answered_at=now, answer_photo_count=photo_count, closed_at=now,
                       answer_version=version)

    def answer_photo_keys(self) -> list[str]:
        """The checked copies of the answer's photos (the reporter's and the owner unit's only, never
        published)."""
        return [key for photo in self.answer_photos.values()
                for key in (photo.image_key, photo.thumbnail_key, photo.evidence_key) if key]

    def without_answer(self) -> Question:
        """The question with its answer erased: that it was answered, and when, stay."""
        return replace(self, answer=None, answer_photo_count=0, answer_photos={})

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Question:
        return cls(
            text=record["text"], asked_at=datetime.fromisoformat(record["asked_at"]), asked_by=record["asked_by"],
            photo_requested=bool(record.get("photo_requested")), pause_until=parse_iso(record.get("pause_until")),
            answer=record.get("answer"), answered_at=parse_iso(record.get("answered_at")),
            answer_photo_count=int(record.get("answer_photo_count", 0)), closed_at=parse_iso(record.get("closed_at")),
            answer_version=record.get("answer_version"),
            answer_photos={index: Photo.from_record(photo) for index, photo in record.get("answer_photos", {}).items()},
        )

    def as_record(self) -> dict[str, Any]:
        return {
            "text": self.text, "asked_at": iso(self.asked_at), "asked_by": self.asked_by,
            "photo_requested": self.photo_requested, "pause_until": iso(self.pause_until), "answer": self.answer,
            "answered_at": iso(self.answered_at), "answer_photo_count": self.answer_photo_count,
            "closed_at": iso(self.closed_at), "answer_version": self.answer_version,
            "answer_photos": {index: photo.as_record() for index, photo in self.answer_photos.items()},
        }


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
    # The officer of the owner unit its unit head named to work it (the unit stays the owner); a new
    # owner unit starts without one.
    assignee_id: str | None = None
    acknowledge_due_at: datetime | None = None
    resolve_due_at: datetime | None = None
    # When it was routed and could first be public: the public feed's order and the start of the
    # units' clocks on the scorecards, whether or not a coordinator held its publication.
    published_at: datetime | None = None
    # Whether the public sees it (phananh.report.lifecycle.Publication), and why routing held it back
    # for review (phananh.transparency.publication.HOLD_GROUNDS), kept after a coordinator's decision.
    publication: Publication = Publication.PUBLISHED
    held_for: tuple[str, ...] = ()
    # Photo index ("1".."5") → what the photo check made of it.
    photos: dict[str, Photo] = field(default_factory=dict)
    possible_duplicates: tuple[str, ...] = ()
    # Transfers asked by the owner units (coordinators' assignments do not count).
    transfer_count: int = 0
    # How the owner unit resolved it; its after-photos in `result_photos`, keyed "1".."3" like `photos`.
    result: Result | None = None
    result_photos: dict[str, Photo] = field(default_factory=dict)
    merged_into: str | None = None
    merged_reports: tuple[str, ...] = ()
    # Every question to the reporter, oldest first (at most phananh.processing.commands.MAX_QUESTIONS;
    # only the last may wait), the resolve clock's pause of those of its current clock that stopped
    # waiting (seconds), and the end of that clock's pause allowance, fixed by its first question
    # (phananh.report.deadlines).
    questions: tuple[Question, ...] = ()
    earlier_pauses_s: int = 0
    pause_allowance_ends_at: datetime | None = None
    # What the sealed `contact_ciphertext` holds, so that no view needs KMS to know it.
    contact_provided: bool = False
    push_enabled: bool = False
    # The app's push token (phananh.report.push_device), sealed apart from the contact (another KMS
    # purpose, other roles may open it).
    push_ciphertext: bytes | None = None
    # Escalation of a missed deadline (phananh.escalation.sweeper): the highest level fired, and the
    # deadline (`current_deadline` in phananh.report.deadlines, at the time) it was fired for. Written
    # by the escalation state machine, which also moves `version` on, so no concurrent change can undo it.
    escalation_level: int = 0
    escalation_due: datetime | None = None
    escalated_at: datetime | None = None
    # The Step Functions execution that fired the level (a retry of it may write again).
    escalated_by: str | None = None
    rating_reminded_at: datetime | None = None
    # The reporter's rating of the latest resolution, and how often a rating reopened the report.
    rating: Rating | None = None
    reopen_count: int = 0
    # When the report reached an ended state (closed, rejected, merged): its purpose is over and the
    # retention of the reporter's personal data runs from here.
    ended_at: datetime | None = None
    # When the contact and push token were erased (at the reporter's request or by the retention).
    contact_erased_at: datetime | None = None

    def personal_data_held(self) -> tuple[str, ...]:
        """What this report still holds of the reporter that the retention erases once it ended: the
        sealed contact and push token, and the reporter's free text and photos nobody sees published
        (a rating comment a coordinator hid; the answers to the unit's questions, their text and
        photos; the description and address of a report that ended without being public: rejected,
        or merged into another)."""
        held = []
        if self.contact_ciphertext is not None:
            held.append("contact")
        if self.push_ciphertext is not None:
            held.append("push token")
        if self.rating and self.rating.comment and self.rating.comment_hidden:
            held.append("hidden rating comment")
        if any(question.answer is not None or question.answer_photos for question in self.questions):
            held.append("answers")
        if self.status in ENDED_STATES and not self.is_public() and (self.description or self.address):
            held.append("unpublished description and address")
        return tuple(held)

    @property
    def latest_question(self) -> Question | None:
        return self.questions[-1] if self.questions else None

    @property
    def waiting_question(self) -> Question | None:
        """The question that waits for the reporter's answer: the latest, until it is answered or the
        report resolved."""
        latest = self.latest_question
        return latest if latest is not None and latest.waiting else None

    def with_latest_question(self, question: Question) -> tuple[Question, ...]:
        """The questions with the latest replaced by `question`."""
        return (*self.questions[:-1], question)

    def answer_photo_keys(self) -> list[str]:
        """The checked copies of every answer's photos."""
        return [key for question in self.questions for key in question.answer_photo_keys()]

    def answer_event_versions(self) -> list[int]:
        """The versions of the audit events that carry the text of an answer still held."""
        return [question.answer_version for question in self.questions
                if question.answer is not None and question.answer_version is not None]

    def holds_sealed_details(self) -> bool:
        """The reporter's contact or push token is still held (each sealed on its own)."""
        return self.contact_ciphertext is not None or self.push_ciphertext is not None

    def without_contact(self, now: datetime) -> Report:
        """This report with the sealed contact and push token erased, as the next version."""
        return self.changed(
            now, contact_ciphertext=None, contact_provided=False, contact_shared=False, push_ciphertext=None,
            push_enabled=False, contact_erased_at=now,
        )

    def without_personal_data(self, now: datetime) -> Report:
        """This report with everything `personal_data_held` names erased, as the next version."""
        changes: dict[str, object] = {}
        if self.rating and self.rating.comment_hidden:
            changes["rating"] = replace(self.rating, comment=None)
        if "answers" in self.personal_data_held():
            changes["questions"] = tuple(question.without_answer() for question in self.questions)
        if self.status in ENDED_STATES and not self.is_public():
            changes.update(description="", address=None)
        after = self.without_contact(now) if self.holds_sealed_details() else self.changed(now)
        return replace(after, **changes)

    def is_public(self) -> bool:
        return is_public(self.status, self.publication)

    def photos_settled(self) -> bool:
        """Every expected photo has been checked or rejected."""
        return len(self.photos) >= self.photo_count

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
        return event_key_of(self.version)

    def timeline_entry(self) -> dict[str, object]:
        label: Text = ACTION_LABELS.get(self.action) or STATUS_LABELS[self.to_status]
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
