"""In-memory implementations of every port (phananh.report.ports, phananh.routing.ports, …), for unit
tests of the use cases: no moto, no network. `fake_ports()` gives a `Ports` of them.

The store fakes keep the DynamoDB adapters' semantics, which tests/integration/contracts checks by
running one suite against both: writes conditional on the version a change was decided on (the same
StateConflict), transactions all or nothing, index reads in the index's order with the index's
sparseness (a report lacking an index key is not on that index), pages with opaque cursors that are
refused outside their partition. Records are copied in and out, and the JSON-typed fields (photos,
result, rating) go through their JSON records (`as_record`/`from_record`), as the DynamoDB adapter
stores them, so that a use case cannot change a stored report by mutating what it read.

The service fakes record what was sent (e-mails, topic publishes, pushes, queued work, stored and
deleted photos, started escalations, sign-ins, open-data files) for the tests to read; the contact
vault really seals and refuses a ciphertext opened for another report or as the other kind, as KMS's
encryption context does.
"""

from __future__ import annotations

import base64
import binascii
import copy
import heapq
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from phananh.outbox.effects import image_of
from phananh.ports import Ports
from phananh.report.deadlines import current_deadline
from phananh.report.lifecycle import BEING_HANDLED, Publication, Status, is_published
from phananh.report.model import (
    CONTACT_VIEW_KEY_PREFIX,
    AuditEvent,
    ContactView,
    Page,
    Photo,
    Rating,
    Report,
    Result,
    event_key_of,
    iso,
    utcnow,
)
from phananh.report.photo_keys import QUARANTINE_PREFIX, is_checked_photo
from phananh.report.ports import ClaimTaken, FiledClaim, UploadForm
from phananh.report.push_device import PushDevice
from phananh.routing import latitude_bands
from phananh.routing.directory import Officer, Unit
from phananh.routing.rules import RoutingRule
from phananh.shared.errors import InvalidInput, StateConflict, bilingual
from phananh.transparency.ports import Follow

# --------------------------------------------------------------------------------------------------
# Reports


def _stamp(moment: datetime | None) -> str | None:
    """A moment as the DynamoDB store keeps and compares it: ISO text in UTC."""
    return iso(moment.astimezone(UTC)) if moment else None


def _through_json(value: Any) -> Any:
    return None if value is None else json.loads(json.dumps(value))


def _through_record(value: Photo | Result | Rating | None) -> Any:
    """A photo, result or rating as it comes back from its stored JSON record."""
    return None if value is None else type(value).from_record(_through_json(value.as_record()))


def _stored(report: Report) -> Report:
    """The report as a store gives it back: nothing shared with the caller's copy, its photos, result
    and rating through their JSON records as the DynamoDB adapter stores them."""
    return replace(
        copy.deepcopy(report),
        photos={index: _through_record(photo) for index, photo in report.photos.items()},
        result=_through_record(report.result),
        result_photos={index: _through_record(photo) for index, photo in report.result_photos.items()},
        rating=_through_record(report.rating),
        held_for=tuple(report.held_for),
        possible_duplicates=tuple(report.possible_duplicates),
        merged_reports=tuple(report.merged_reports),
    )


# The index keys a report is listed under (None: not on that index), as the adapter derives them.
def _feed(report: Report) -> str | None:
    if not is_published(report.status) or report.published_at is None:
        return None
    return {Publication.PUBLISHED: "PUBLIC", Publication.HELD: "REVIEW"}.get(report.publication)


def _category_feed(report: Report) -> str | None:
    return report.category_code if _feed(report) == "PUBLIC" else None


def _owner_status(report: Report) -> str | None:
    if report.owner_unit_id is None or current_deadline(report) is None:
        return None
    return f"{report.owner_unit_id}#{report.status}"


def _due_at(report: Report) -> str | None:
    return _stamp(current_deadline(report))


def _nearby_band(report: Report) -> str | None:
    if report.location is None or report.status not in BEING_HANDLED:
        return None
    return latitude_bands.band_key(report.category_code, report.location.lat)


def _nearby_lon(report: Report) -> str | None:
    return latitude_bands.lon_key(report.location.lon) if report.location else None


def _version_conflict(report_id: str) -> StateConflict:
    return StateConflict(
        "version_conflict",
        bilingual(
            "Phản ánh vừa được người khác cập nhật. Vui lòng tải lại.",
            "The report was just changed by someone else. Please reload it.",
        ),
        current={"report_id": report_id},
    )


class ReportExists(Exception):
    """A report was created under an id already taken (the adapter's transaction is cancelled)."""


_BAD_CURSOR = InvalidInput(
    "invalid_cursor",
    bilingual("Con trỏ phân trang không hợp lệ.", "The paging cursor is not valid."),
    field="cursor",
)


def _encode_cursor(report_id: str, partition: str, sort_key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([report_id, partition, sort_key]).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, partition: str) -> tuple[str, str]:
    """(sort key, report id) a cursor resumes after, accepted only within the partition being read."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _BAD_CURSOR from None
    valid = (
        isinstance(values, list)
        and len(values) == 3
        and all(isinstance(value, str) and 0 < len(value) <= 64 for value in values)
        and values[1] == partition
    )
    if not valid:
        raise _BAD_CURSOR
    return values[2], values[0]


class FakeReportStore:
    """Reports and their audit trail (one event per version, contact views apart), in memory."""

    def __init__(self, claims: FakeIdempotencyStore | None = None) -> None:
        self._reports: dict[str, Report] = {}
        self._trail: dict[str, dict[str, AuditEvent | ContactView]] = {}
        # Where a filing's idempotency claim is written with its report (the same table, in the cloud).
        self._claims = claims if claims is not None else FakeIdempotencyStore()
        # The stand-in for the table's stream: each write as (image before, image after), in order.
        self.changes: list[tuple[dict | None, dict]] = []

    # Writes -------------------------------------------------------------------------------------
    def create(self, report: Report, event: AuditEvent, claim: FiledClaim | None = None) -> None:
        if report.report_id in self._reports:
            raise ReportExists(report.report_id)
        if claim is not None:
            self._claims.write_filed(claim)
        self._reports[report.report_id] = _stored(report)
        self._trail.setdefault(report.report_id, {})[event.event_key] = event
        self.changes.append((None, image_of(report)))

    def save_change(self, before: Report, after: Report, event: AuditEvent) -> None:
        self.save_changes([(before, after, event)])

    def save_changes(self, changes: Sequence[tuple[Report, Report, AuditEvent]]) -> None:
        """Every change, or none: each on the condition that its report is still at the version it
        was decided on, and that its event's version is not in the trail yet."""
        for before, _, event in changes:
            current = self._reports.get(before.report_id)
            taken = event.event_key in self._trail.get(event.report_id, {})
            if current is None or current.version != before.version or taken:
                raise _version_conflict(changes[0][0].report_id)
        for _, after, event in changes:
            self.changes.append((image_of(self._reports[after.report_id]), image_of(after)))
            self._reports[after.report_id] = _stored(after)
            self._trail.setdefault(event.report_id, {})[event.event_key] = event

    def erase_event_reason(self, report_id: str, version: int, marker: str) -> None:
        trail = self._trail.get(report_id, {})
        event = trail.get(event_key_of(version))
        if event is not None:
            trail[event.event_key] = replace(event, reason=marker)

    def record_contact_view(self, view: ContactView) -> None:
        self._trail.setdefault(view.report_id, {})[view.event_key] = view

    # Reads by key -------------------------------------------------------------------------------
    def get(self, report_id: str) -> Report | None:
        report = self._reports.get(report_id)
        return _stored(report) if report else None

    def events(self, report_id: str) -> list[AuditEvent]:
        trail = self._trail.get(report_id, {})
        return [trail[key] for key in sorted(trail) if key.startswith("v")]

    def contact_views(self, report_id: str) -> list[ContactView]:
        trail = self._trail.get(report_id, {})
        return [trail[key] for key in sorted(trail) if key.startswith(CONTACT_VIEW_KEY_PREFIX)]

    # Index reads --------------------------------------------------------------------------------
    def _index(self, key_of, partition: str, sort_of) -> list[tuple[str, Report]]:
        """One index partition as (sort key, report), in the index's (ascending) order."""
        listed = [
            (sort_of(report), report) for report in self._reports.values()
            if key_of(report) == partition and sort_of(report) is not None
        ]
        return sorted(listed, key=lambda pair: (pair[0], pair[1].report_id))

    def _page(
        self, listed: list[tuple[str, Report]], partition: str, *, limit: int, cursor: str | None,
        descending: bool = False, keep=lambda report: True,
    ) -> Page:
        """One page of `limit` index items read from after the cursor, filtered after the read."""
        if descending:
            listed = listed[::-1]
        if cursor:
            resume = _decode_cursor(cursor, partition)
            listed = [
                pair for pair in listed
                if ((pair[0], pair[1].report_id) < resume if descending else (pair[0], pair[1].report_id) > resume)
            ]
        read, rest = listed[:limit], listed[limit:]
        items = [_stored(report) for _, report in read if keep(report)]
        last = read[-1] if read and rest else None
        return Page(items=items, cursor=_encode_cursor(last[1].report_id, partition, last[0]) if last else None)

    def nearby(self, category_code: str, lat: float, lon: float, radius_m: float) -> list[Report]:
        return [
            _stored(report)
            for window in latitude_bands.windows(category_code, lat, lon, radius_m)
            for lon_key, report in self._index(_nearby_band, window.band, _nearby_lon)
            if window.lon_from <= lon_key <= window.lon_to
        ]

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
        key_of, partition = (_category_feed, category_code) if category_code else (_feed, "PUBLIC")
        listed = self._index(key_of, partition, lambda report: _stamp(report.published_at))
        if filed_from:  # the index read from there on, as its range key condition does
            listed = [pair for pair in listed if pair[0] >= _stamp(filed_from)]
        return self._page(
            listed, partition, limit=limit, cursor=cursor, descending=True,
            keep=lambda report: (not ward_code or report.ward_code == ward_code)
            and (not status or report.status == status)
            and (not filed_from or report.created_at >= filed_from)
            and (not filed_to or report.created_at <= filed_to),
        )

    def awaiting_review(self, *, limit: int, cursor: str | None) -> Page:
        listed = self._index(_feed, "REVIEW", lambda report: _stamp(report.published_at))
        return self._page(listed, "REVIEW", limit=limit, cursor=cursor)

    def unit_queue(self, unit_id: str, status: Status, *, limit: int, cursor: str | None) -> Page:
        partition = f"{unit_id}#{status}"
        return self._page(self._index(_owner_status, partition, _due_at), partition, limit=limit, cursor=cursor)

    def owner_queue(self, unit_id: str, status: Status) -> Iterator[Report]:
        for _, report in self._index(_owner_status, f"{unit_id}#{status}", _due_at):
            yield _stored(report)

    def filed_between(self, start: datetime, end: datetime, *, read_limit: int) -> Iterator[Report]:
        filed = sorted(
            (report for report in self._reports.values() if start <= report.created_at <= end),
            key=lambda report: (report.created_at, report.report_id), reverse=True,
        )
        for report in filed[:read_limit]:
            yield _stored(report)

    def due_by(self, status: Status, moment: datetime) -> Iterator[Report]:
        for due_at, report in self._index(lambda report: str(report.status), str(status), _due_at):
            if due_at <= _stamp(moment):
                yield _stored(report)

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
        def window(key_of, partition: str, budget: int) -> Iterator[Report]:
            listed = self._index(key_of, partition, lambda report: _stamp(report.published_at))[::-1]
            in_range = [
                report for published_at, report in listed
                if _stamp(published_from or start) <= published_at <= _stamp(published_by)
            ]
            for report in in_range[:budget]:
                filed_in_window = _stamp(start) <= _stamp(report.created_at) <= _stamp(end)
                if filed_in_window and (not statuses or report.status in statuses):
                    yield _stored(report)

        if not category_codes:
            yield from window(_feed, "PUBLIC", read_limit)
            return
        share = max(1, read_limit // len(category_codes))
        yield from heapq.merge(
            *(window(_category_feed, code, share) for code in category_codes),
            key=lambda report: report.published_at,
            reverse=True,
        )


# --------------------------------------------------------------------------------------------------
# Idempotency claims and rate limits


@dataclass
class FakeClaim:
    """What an idempotency key was claimed for (phananh.report.ports.EarlierClaim)."""

    idempotency_key: str
    request_hash: str
    state: str
    expires_at: int
    caller: str | None = None
    report_id: str | None = None
    response: Any = None
    lease_until: int | None = None


def _lease_passed(claim: FakeClaim, now: int) -> bool:
    return claim.state == "IN_PROGRESS" and claim.lease_until is not None and claim.lease_until < now


class FakeIdempotencyStore:
    def __init__(self) -> None:
        self._claims: dict[str, FakeClaim] = {}

    def claim(
        self, key: str, request_hash: str, expires_at: int, *,
        now: int | None = None, caller: str | None = None, report_id: str | None = None,
        lease_until: int | None = None,
    ) -> FakeClaim | None:
        """Claim `key`, or return the earlier claim; one expired by `now`, or IN_PROGRESS with its
        lease passed by `now`, counts as absent."""
        earlier = self._claims.get(key)
        if earlier is not None and (now is None or (earlier.expires_at >= now and not _lease_passed(earlier, now))):
            return copy.deepcopy(earlier)
        self._claims[key] = FakeClaim(
            idempotency_key=key, request_hash=request_hash, state="IN_PROGRESS", expires_at=expires_at,
            caller=caller, report_id=report_id, lease_until=lease_until,
        )
        return None

    def get(self, key: str, *, now: int) -> FakeClaim | None:
        earlier = self._claims.get(key)
        return copy.deepcopy(earlier) if earlier is not None and earlier.expires_at >= now else None

    def write_filed(self, claim: FiledClaim) -> None:
        """The claim a report is filed with (FakeReportStore.create): COMPLETED at once, or ClaimTaken."""
        if self.get(claim.key, now=claim.now) is not None:
            raise ClaimTaken(claim.key)
        self._claims[claim.key] = FakeClaim(
            idempotency_key=claim.key, request_hash=claim.request_hash, state="COMPLETED",
            expires_at=claim.expires_at, caller=claim.caller, report_id=claim.report_id,
            response=_through_json(claim.response),
        )

    def complete(self, key: str, response: dict) -> None:
        claim = self._claims[key]
        claim.state, claim.response, claim.lease_until = "COMPLETED", _through_json(response), None

    def release(self, key: str) -> None:
        self._claims.pop(key, None)


class FakeRateLimitStore:
    """Each bucket holds when it will be full again; every change is conditional, as the adapter's."""

    def __init__(self) -> None:
        self._full_at: dict[str, float] = {}

    def start(self, bucket_key: str, full_at: float, *, now: float) -> bool:
        current = self._full_at.get(bucket_key)
        if current is not None and current > now:
            return False
        self._full_at[bucket_key] = full_at
        return True

    def take(self, bucket_key: str, interval: float, *, now: float, latest: float) -> bool:
        current = self._full_at.get(bucket_key)
        if current is None or not now < current <= latest:
            return False
        self._full_at[bucket_key] = current + interval
        return True

    def full_at(self, bucket_key: str) -> float | None:
        return self._full_at.get(bucket_key)


# --------------------------------------------------------------------------------------------------
# Directory and scorecards


class FakeDirectoryStore:
    """Units, officers and routing rules (phananh.routing.ports.DirectoryStore)."""

    def __init__(self) -> None:
        self._units: dict[str, Unit] = {}
        self._officers: dict[str, Officer] = {}
        self._rules: dict[tuple[str, str], RoutingRule] = {}

    def put_units(self, units: Iterable[Unit]) -> None:
        self._units.update((unit.unit_id, copy.deepcopy(unit)) for unit in units)

    def put_officers(self, officers: Iterable[Officer]) -> None:
        self._officers.update((officer.officer_id, officer) for officer in officers)

    def put_rules(self, rules: Iterable[RoutingRule]) -> None:
        self._rules.update(((rule.category_code, rule.ward_code), rule) for rule in rules)

    def unit(self, unit_id: str) -> Unit | None:
        return copy.deepcopy(self._units.get(unit_id))

    def units(self) -> list[Unit]:
        return [copy.deepcopy(unit) for _, unit in sorted(self._units.items())]

    def officer(self, officer_id: str) -> Officer | None:
        return self._officers.get(officer_id)

    def officers_of(self, unit_id: str) -> list[Officer]:
        return [officer for _, officer in sorted(self._officers.items()) if officer.unit_id == unit_id]

    def delete_rule(self, category_code: str, ward_code: str) -> None:
        self._rules.pop((category_code, ward_code), None)

    def delete_officer(self, officer_id: str) -> None:
        self._officers.pop(officer_id, None)

    def rules_for(self, category_code: str) -> list[RoutingRule]:
        return [rule for (code, _), rule in sorted(self._rules.items()) if code == category_code]


class FakeScorecardStore:
    """Counters per scope and day, each report version counted once (phananh.transparency.ports)."""

    def __init__(self) -> None:
        self._counted: set[tuple[str, int]] = set()
        self._days: dict[tuple[str, str], dict[str, int]] = {}

    def apply(self, change: Any, scopes: Sequence[str], now: datetime) -> bool:
        mark = (change.report_id, change.version)
        if mark in self._counted:
            return False
        self._counted.add(mark)
        for scope in scopes:
            counters = self._days.setdefault((scope, change.day), {})
            for name, count in change.counts.items():
                counters[name] = counters.get(name, 0) + int(count)
        return True

    def scopes(self) -> list[str]:
        return sorted({scope for scope, _ in self._days})

    def days(self, scope: str, first: str, last: str) -> list[dict]:
        return list(self.days_by_date(scope, first, last).values())

    def days_by_date(self, scope: str, first: str, last: str) -> dict[str, dict]:
        return {
            day: dict(counters) for (named, day), counters in sorted(self._days.items())
            if named == scope and first <= day <= last
        }


# --------------------------------------------------------------------------------------------------
# Services


class FakeFollowStore:
    """Follows by report, then id (the table's keys); an expired one is left out as the adapter does."""

    def __init__(self) -> None:
        self.follows: dict[tuple[str, str], Follow] = {}

    def put(self, follow: Follow) -> None:
        self.follows[(follow.report_id, follow.follow_id)] = follow

    def put_new(self, follow: Follow, *, now: int) -> bool:
        if self.get(follow.report_id, follow.follow_id, now=now) is not None:
            return False
        self.put(follow)
        return True

    def get(self, report_id: str, follow_id: str, *, now: int) -> Follow | None:
        follow = self.follows.get((report_id, follow_id))
        return follow if follow is not None and follow.expires_at >= now else None

    def confirm(self, report_id: str, follow_id: str, *, expires_at: int, now: int) -> bool:
        follow = self.get(report_id, follow_id, now=now)
        if follow is None or not follow.pending:
            return False
        self.put(replace(follow, pending=False, expires_at=expires_at))
        return True

    def of_report(self, report_id: str, *, now: int) -> list[Follow]:
        return [follow for (report, _), follow in sorted(self.follows.items())
                if report == report_id and follow.expires_at >= now]

    def remove(self, report_id: str, follow_id: str) -> bool:
        return self.follows.pop((report_id, follow_id), None) is not None

    def remove_all(self, report_id: str) -> int:
        keys = [key for key in self.follows if key[0] == report_id]
        for key in keys:
            del self.follows[key]
        return len(keys)


class SealRefused(Exception):
    """A ciphertext opened for another report, or as the other kind (KMS: InvalidCiphertextException)."""


class FakeContactVault:
    """Seals reversibly, bound to its report and purpose like KMS's encryption context."""

    def _seal(self, details: Any, report_id: str, purpose: str) -> bytes:
        return b"sealed:" + json.dumps(
            {"purpose": purpose, "report_id": report_id, "details": details}, ensure_ascii=False
        ).encode()

    def _unseal(self, ciphertext: bytes, report_id: str, purpose: str) -> Any:
        sealed = json.loads(ciphertext.removeprefix(b"sealed:"))
        if (sealed["purpose"], sealed["report_id"]) != (purpose, report_id):
            raise SealRefused(f"sealed for {sealed['purpose']} of {sealed['report_id']}")
        return sealed["details"]

    def seal_contact(self, contact: dict[str, Any], report_id: str) -> bytes:
        return self._seal(contact, report_id, "reporter-contact")

    def unseal_contact(self, ciphertext: bytes, report_id: str) -> dict[str, Any]:
        return self._unseal(ciphertext, report_id, "reporter-contact")

    def seal_push_device(self, device: PushDevice, report_id: str) -> bytes:
        return self._seal(device.to_dict(), report_id, "reporter-push")

    def unseal_push_device(self, ciphertext: bytes, report_id: str) -> PushDevice:
        return PushDevice.from_dict(self._unseal(ciphertext, report_id, "reporter-push"))

    def seal_follower_device(self, device: PushDevice, report_id: str) -> bytes:
        return self._seal(device.to_dict(), report_id, "follower-push")

    def unseal_follower_device(self, ciphertext: bytes, report_id: str) -> PushDevice:
        return PushDevice.from_dict(self._unseal(ciphertext, report_id, "follower-push"))

    def seal_follower_email(self, follower: dict[str, str], report_id: str) -> bytes:
        return self._seal(follower, report_id, "follower-email")

    def unseal_follower_email(self, ciphertext: bytes, report_id: str) -> dict[str, str]:
        return self._unseal(ciphertext, report_id, "follower-email")


@dataclass
class FakeObject:
    body: bytes
    stored_at: datetime


class FakePhotoStorage:
    """The photos bucket: uploads in quarantine (put there with `upload`), checked copies, deletions."""

    URL = "https://photos.test"
    MAX_BYTES = 10 * 1024 * 1024
    FORM_TTL = timedelta(minutes=15)

    def __init__(self) -> None:
        self.uploads: dict[str, FakeObject] = {}
        self.checked: dict[str, bytes] = {}
        self.deleted: list[str] = []

    def upload(self, key: str, body: bytes, *, at: datetime | None = None) -> None:
        """What a browser's upload through a form does (the test's stand-in for it), at `at` or now."""
        self.uploads[key] = FakeObject(body, at or utcnow())

    def upload_form(self, key: str, now: datetime) -> UploadForm:
        return UploadForm(
            url=self.URL, fields={"key": key}, key=key, expires_at=now + self.FORM_TTL, max_bytes=self.MAX_BYTES
        )

    def upload_size(self, key: str) -> int | None:
        upload = self.uploads.get(key)
        return len(upload.body) if upload else None

    def read_upload(self, key: str) -> bytes | None:
        upload = self.uploads.get(key)
        return upload.body if upload else None

    def delete_upload(self, key: str) -> None:
        self.uploads.pop(key, None)
        self.deleted.append(key)

    def delete_stale_uploads(self, older_than: datetime) -> list[str]:
        stale = [
            key for key, upload in sorted(self.uploads.items())
            if key.startswith(QUARANTINE_PREFIX) and upload.stored_at < older_than
        ]
        for key in stale:
            self.delete_upload(key)
        return stale

    def store_checked_photo(self, key: str, jpeg: bytes) -> None:
        self.checked[key] = jpeg

    def delete_checked_photo(self, key: str) -> None:
        if not is_checked_photo(key):
            raise ValueError(f"not a checked photo: {key[:80]!r}")
        self.checked.pop(key, None)
        self.deleted.append(key)

    def photo_link(self, key: str) -> str:
        if not is_checked_photo(key):
            raise ValueError(f"not a checked photo: {key[:80]!r}")
        return f"{self.URL}/{key}?signed"


@dataclass(frozen=True)
class OpenDataFile:
    body: bytes
    content_type: str
    cache_control: str


class FakeOpenDataFiles:
    """The open-data bucket: each file as last put, with its headers; `puts` counts every put."""

    def __init__(self) -> None:
        self.files: dict[str, OpenDataFile] = {}
        self.puts = 0

    def put(self, key: str, body: bytes, *, content_type: str, cache_control: str) -> None:
        self.files[key] = OpenDataFile(bytes(body), content_type, cache_control)
        self.puts += 1

    def get(self, key: str) -> bytes | None:
        stored = self.files.get(key)
        return stored.body if stored else None


@dataclass(frozen=True)
class Routed:
    """A report handed to routing: now, or at its photo cutoff after `delay_s`."""

    report_id: str
    at_photo_cutoff: bool = False
    delay_s: int = 0


@dataclass(frozen=True)
class PhotoCheckSent:
    report_id: str
    photo_index: int
    photo_kind: str
    check: dict
    gps: tuple[float, float] | None


class FakeWorkQueues:
    def __init__(self) -> None:
        self.routed: list[Routed] = []
        self.photo_checks: list[PhotoCheckSent] = []
        # The delivery queue: effect messages not yet delivered (tests/flows_on_fakes.deliver_changes).
        self.deliveries: list[dict] = []

    def send_to_routing(self, report_id: str) -> None:
        self.routed.append(Routed(report_id))

    def send_to_routing_at_photo_cutoff(self, report_id: str, *, delay_s: int = 0) -> None:
        self.routed.append(Routed(report_id, at_photo_cutoff=True, delay_s=delay_s))

    def send_photo_check(
        self, report_id: str, photo_index: int, *, photo_kind: str, check: dict[str, Any],
        gps: tuple[float, float] | None,
    ) -> None:
        self.photo_checks.append(PhotoCheckSent(report_id, photo_index, photo_kind, _through_json(check), gps))

    def send_deliveries(self, effects: Sequence[dict[str, Any]]) -> None:
        self.deliveries += [_through_json(effect) for effect in effects]


@dataclass(frozen=True)
class Email:
    recipients: list[str]
    subject: str
    body: str


@dataclass(frozen=True)
class Published:
    topic_arn: str
    subject: str
    body: str


@dataclass(frozen=True)
class Pushed:
    device: PushDevice
    message: str


@dataclass(frozen=True)
class Sms:
    phone: str
    message: str


class FakeNotifier:
    def __init__(self) -> None:
        self.sms: list[Sms] = []
        self.emails: list[Email] = []
        self.published: list[Published] = []
        self.pushes: list[Pushed] = []
        self.topics: dict[str, list[str]] = {}

    def send_email(self, recipients: list[str], subject: str, body: str) -> None:
        self.emails.append(Email(list(recipients), subject, body))

    def publish_to_topic(self, topic_arn: str, subject: str, body: str) -> None:
        self.published.append(Published(topic_arn, subject, body))

    def send_sms(self, phone: str, message: str) -> None:
        self.sms.append(Sms(phone, message))

    def push_to_device(self, device: PushDevice, message: str) -> None:
        self.pushes.append(Pushed(device, message))

    def create_unit_topic(self, name: str, phones: list[str]) -> str:
        subscribed = self.topics.setdefault(name, [])
        subscribed += [phone for phone in phones if phone not in subscribed]
        return f"arn:aws:sns:ap-southeast-1:000000000000:{name}"


class FakeEscalations:
    """Started escalation chains by name; a name starts once, as a Step Functions execution's does."""

    def __init__(self) -> None:
        self.started: dict[str, dict[str, Any]] = {}

    def start_escalation(self, name: str, payload: dict[str, Any]) -> bool:
        if name in self.started:
            return False
        self.started[name] = _through_json(payload)
        return True


@dataclass(frozen=True)
class FakeSecret:
    key: bytes = b"unit-test-server-secret"

    def hmac_key(self) -> bytes:
        return self.key


@dataclass
class SignIn:
    email: str
    group: str
    totp: bool = False


@dataclass
class FakeSignIns:
    """Accounts by username; `removed` lists every account signed out and deleted, in order."""

    accounts: dict[str, SignIn] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)

    def create_sign_in(self, username: str, email: str, group: str, *, fresh: bool) -> None:
        if fresh:
            self.remove_sign_in(username)
        existing = self.accounts.get(username)
        if existing is None:
            self.accounts[username] = SignIn(email, group)
        else:
            existing.group = group

    def remove_sign_in(self, username: str) -> None:
        if self.accounts.pop(username, None) is not None:
            self.removed.append(username)

    def has_totp(self, username: str) -> bool:
        account = self.accounts.get(username)
        return bool(account and account.totp)


def fake_ports(**overrides: Any) -> Ports:
    """A `Ports` of fresh fakes, any of them replaced by `overrides` (by field name)."""
    claims = overrides.get("claims", FakeIdempotencyStore())
    fakes: dict[str, Any] = dict(
        reports=FakeReportStore(claims),
        directory=FakeDirectoryStore(),
        claims=claims,
        rate_limits=FakeRateLimitStore(),
        scorecards=FakeScorecardStore(),
        contacts=FakeContactVault(),
        photos=FakePhotoStorage(),
        queues=FakeWorkQueues(),
        notifier=FakeNotifier(),
        escalations=FakeEscalations(),
        secret=FakeSecret(),
        sign_ins=FakeSignIns(),
        open_data=FakeOpenDataFiles(),
        follows=FakeFollowStore(),
    )
    return Ports(**{**fakes, **overrides})


# An app's push registration as a submission carries it: an FCM registration token's shape.
FCM_TOKEN = ("dGVzdC1kZXZpY2UtMDE:APA91bHk7Lm2Np4Qr6St8Uv0Wx2Yz4Ab6Cd8Ef0Gh2Ij4Kl6Mn8Op0Qr2St4Uv6Wx8Yz0Ab2Cd4"
             "Ef6Gh8Ij0Kl2Mn4Op6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4Ij6Kl8Mn0Op2Qr4St6Uv8Wx0Yz2")
PUSH = {"platform": "fcm", "token": FCM_TOKEN}
