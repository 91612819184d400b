"""The ports: what the contexts need from stores and services, as Protocols. Adapters implement them
(adapters/dynamo, adapters/aws); tests pass in-memory fakes (tests/fakes.py). The report's own
stores and the services every context uses live here; routing, processing and transparency keep the
ports of what they alone own beside them (routing/ports.py, processing/ports.py, transparency/ports.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from phananh.report.lifecycle import Status
from phananh.report.model import AuditEvent, ContactView, Page, Report
from phananh.report.push_device import PushDevice

# -- stores --------------------------------------------------------------------------------------


class ReportStore(Protocol):
    """Reports and their audit trail. Every write of a report is conditional on the version it was
    read at (a `StateConflict` "version_conflict" otherwise), together with the event explaining it."""

    def create(self, report: Report, event: AuditEvent, claim: FiledClaim | None = None) -> None:
        """A new report with its first event; with `claim`, the request's idempotency record in the
        same write, or nothing at all (`ClaimTaken` when the key already holds a live claim)."""

    def get(self, report_id: str) -> Report | None: ...

    def save_change(self, before: Report, after: Report, event: AuditEvent) -> None: ...

    def save_changes(self, changes: Sequence[tuple[Report, Report, AuditEvent]]) -> None:
        """Several reports changed together (a merge) or none of them."""

    def events(self, report_id: str) -> list[AuditEvent]:
        """The report's trail, one event per version (contact views are kept apart)."""

    def erase_event_reason(self, report_id: str, version: int, marker: str) -> None:
        """The free text of the report's audit event of `version` replaced by `marker` (the event
        stays); nothing when there is no such event."""

    def record_contact_view(self, view: ContactView) -> None: ...

    def contact_views(self, report_id: str) -> list[ContactView]: ...

    def nearby(self, category_code: str, lat: float, lon: float, radius_m: float) -> list[Report]:
        """Reports of this field still being handled within `radius_m` of (lat, lon), and maybe a few
        more around the circle (phananh.routing.latitude_bands): the caller measures the distances."""

    def published(
        self,
        *,
        limit: int,
        cursor: str | None,
        ward_code: str | None = None,
        category_code: str | None = None,
        status: Status | None = None,
        filed_from: datetime | None = None,
        filed_to: datetime | None = None,
    ) -> Page:
        """One page of the public feed, the latest published first; `filed_from`/`filed_to` keep the
        reports filed in that span (a report is published after it is filed, so the index is read from
        `filed_from` on)."""

    def published_requested_between(
        self,
        start: datetime,
        end: datetime,
        *,
        published_by: datetime,
        read_limit: int,
        category_codes: Sequence[str] = (),
        statuses: Sequence[Status] = (),
        published_from: datetime | None = None,
    ) -> Iterator[Report]:
        """Published reports filed from `start` to `end` (and published from `published_from`, else
        `start`, by `published_by`), the latest published first, reading at most `read_limit` reports
        before the filters apply."""

    def unit_queue(self, unit_id: str, status: Status, *, limit: int, cursor: str | None) -> Page:
        """One page of a unit's reports in one state, the earliest deadline first."""

    def owner_queue(self, unit_id: str, status: Status) -> Iterator[Report]:
        """Every report of one unit in one state, the earliest deadline first."""

    def awaiting_review(self, *, limit: int, cursor: str | None) -> Page:
        """Reports held for a coordinator's review, the longest waiting first."""

    def filed_between(self, start: datetime, end: datetime, *, read_limit: int) -> Iterator[Report]:
        """Reports of every unit and state filed from `start` to `end`, the latest filed first,
        reading at most `read_limit` reports."""

    def due_by(self, status: Status, moment: datetime) -> Iterator[Report]:
        """Reports in `status` whose deadline there (`deadlines.current_deadline`) is at or before `moment`,
        the earliest first."""


@dataclass(frozen=True)
class FiledClaim:
    """An idempotency record written with the report it files: born COMPLETED with its receipt, so
    a retry is answered from it and there is no claim in progress to give back or take over."""

    key: str
    request_hash: str
    expires_at: int
    caller: str | None
    report_id: str
    response: dict[str, Any]
    # An earlier claim on the key that expired by then counts as absent (TTL deletes it late).
    now: int


class ClaimTaken(Exception):
    """The key of a `FiledClaim` holds a live claim already (or one being written): nothing was filed."""


class EarlierClaim(Protocol):
    """What an idempotency key was claimed for before: the request, by whom, and how it ended."""

    idempotency_key: str
    request_hash: str
    state: str  # "IN_PROGRESS" | "COMPLETED"
    caller: str | None
    report_id: str | None
    response: Any
    lease_until: int | None  # until when an IN_PROGRESS claim is its holder's (None: no lease)


class IdempotencyStore(Protocol):
    """Claims that make a request, an alert channel or a digest happen once."""

    def claim(
        self, key: str, request_hash: str, expires_at: int, *,
        now: int | None = None, caller: str | None = None, report_id: str | None = None,
        lease_until: int | None = None,
    ) -> EarlierClaim | None:
        """Claim `key`; if it was claimed before (and has not expired by `now`), that claim instead.

        A claim taken with `lease_until` that is still IN_PROGRESS when its lease has passed by `now`
        counts as absent: a sender that crashed, or failed to give its claim back, holds it no longer.
        """

    def get(self, key: str, *, now: int) -> EarlierClaim | None:
        """The claim on `key`, unless there is none or it expired by `now`."""

    def complete(self, key: str, response: dict) -> None:
        """The claimed work is done (its lease ends: it is never taken over)."""

    def release(self, key: str) -> None: ...


class RateLimitStore(Protocol):
    """Token buckets, each held as the time it will be full again."""

    def start(self, bucket_key: str, full_at: float, *, now: float) -> bool: ...

    def take(self, bucket_key: str, interval: float, *, now: float, latest: float) -> bool: ...

    def full_at(self, bucket_key: str) -> float | None: ...


# -- services ------------------------------------------------------------------------------------


class ContactVault(Protocol):
    """Seals what identifies a person to one report: a ciphertext opens only for that report and for
    its kind (a contact never opens as a push device, a reporter's device never as a follower's, nor
    the other way round)."""

    def seal_contact(self, contact: dict[str, Any], report_id: str) -> bytes: ...

    def unseal_contact(self, ciphertext: bytes, report_id: str) -> dict[str, Any]: ...

    def seal_push_device(self, device: PushDevice, report_id: str) -> bytes: ...

    def unseal_push_device(self, ciphertext: bytes, report_id: str) -> PushDevice: ...

    def seal_follower_device(self, device: PushDevice, report_id: str) -> bytes:
        """The device of someone following a published report (phananh.transparency.following)."""

    def unseal_follower_device(self, ciphertext: bytes, report_id: str) -> PushDevice: ...

    def seal_follower_email(self, follower: dict[str, str], report_id: str) -> bytes:
        """The e-mail address of someone following a published report, with its follow token
        ({"email", "token"}: the outbox puts the token in the links it mails)."""

    def unseal_follower_email(self, ciphertext: bytes, report_id: str) -> dict[str, str]: ...


@dataclass(frozen=True)
class UploadForm:
    """A form that lets its holder upload one photo to one key, within a size, until it expires."""

    url: str
    fields: dict[str, str]
    key: str
    expires_at: datetime
    max_bytes: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "fields": self.fields,
            "key": self.key,
            "expires_at": self.expires_at.isoformat(),
            "max_bytes": self.max_bytes,
            "content_types": "image/*",
        }


class PhotoStorage(Protocol):
    """The photos: uploads waiting in quarantine, and the checked copies (keys: report/photo_keys.py)."""

    def upload_form(self, key: str, now: datetime) -> UploadForm:
        """A form for one image upload to `key` (in quarantine), within the configured size."""

    def upload_size(self, key: str) -> int | None:
        """The size of an upload, or None when it is gone (a redelivered event, already handled)."""

    def read_upload(self, key: str) -> bytes | None:
        """An upload's bytes, or None when it is gone."""

    def delete_upload(self, key: str) -> None: ...

    def delete_stale_uploads(self, older_than: datetime) -> list[str]:
        """Delete the uploads made before `older_than` (never checked); the keys deleted."""

    def store_checked_photo(self, key: str, jpeg: bytes) -> None: ...

    def delete_checked_photo(self, key: str) -> None:
        """Take down a checked copy no report records; refuses any key that is not a checked photo."""

    def photo_link(self, key: str) -> str:
        """A short-lived link to a checked photo; refuses any key that is not one."""


class WorkQueues(Protocol):
    """Work handed to the route and deliver functions, which may run it more than once."""

    def send_to_routing(self, report_id: str) -> None:
        """Route a report filed without photos (or with them all arrived) now."""

    def send_to_routing_at_photo_cutoff(self, report_id: str, *, delay_s: int = 0) -> None:
        """Route a report after `delay_s`, whether its photos arrived or not."""

    def send_photo_check(
        self, report_id: str, photo_index: int, *, photo_kind: str, check: dict[str, Any],
        gps: tuple[float, float] | None,
    ) -> None:
        """What the photo check made of one upload, for the route function to record."""

    def send_deliveries(self, effects: Sequence[dict[str, Any]]) -> None:
        """The side effects of changes (phananh.outbox.effects.Effect messages), one message each,
        to the delivery queue; all of them or an error."""


class DeviceGone(Exception):
    """An app installation that no push will reach again: its token refused by the push service."""


class Notifier(Protocol):
    """Messages to people: officers by e-mail and through their unit's topic, reporters by push."""

    def send_email(self, recipients: list[str], subject: str, body: str) -> None: ...

    def publish_to_topic(self, topic_arn: str, subject: str, body: str) -> None:
        """An SMS/push to everyone subscribed to a unit's topic."""

    def send_sms(self, phone: str, message: str) -> None:
        """An SMS to one phone number (a reporter's, for a relayed question)."""

    def push_to_device(self, device: PushDevice, message: str) -> None:
        """A mobile push to one app installation; DeviceGone when it can never be delivered there.
        Whatever it raises names neither the token nor its endpoint (they are logged by the caller)."""

    def create_unit_topic(self, name: str, phones: list[str]) -> str:
        """The unit's topic, with `phones` subscribed (both idempotent); its address."""


class EscalationStarter(Protocol):
    def start_escalation(self, name: str, payload: dict[str, Any]) -> bool:
        """Start the escalation chain `name` with `payload`; False when one of that name exists already."""


class ServerSecret(Protocol):
    def hmac_key(self) -> bytes:
        """The key for HMACs of device ids, IPs and derived tokens."""
