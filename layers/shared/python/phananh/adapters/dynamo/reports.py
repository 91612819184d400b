"""Reports and their audit trail in DynamoDB (PynamoDB): the ReportStore of phananh.report.ports.

Every change to a report is one transaction: the report written on the condition that nobody
changed it since it was read (its version), plus the audit event that explains the change.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from phananh.adapters.dynamo.models import (
    AuditEventModel,
    IdempotencyModel,
    ReportModel,
)
from phananh.report.deadlines import current_deadline
from phananh.report.lifecycle import BEING_HANDLED, ENDED_STATES, Action, Publication, Status, is_published
from phananh.report.model import (
    CONTACT_VIEW_KEY_PREFIX,
    AuditEvent,
    ContactView,
    Location,
    Page,
    Photo,
    Question,
    Rating,
    Report,
    Result,
    event_key_of,
    iso,
    parse_iso,
    version_of_event_key,
)
from phananh.report.ports import ClaimTaken, FiledClaim
from phananh.routing import latitude_bands
from phananh.shared.errors import InvalidInput, StateConflict, bilingual

# The public_feed index holds two lists: the public feed, and the reports a coordinator has to
# review before they may join it (phananh.report.lifecycle.Publication.HELD).
PUBLIC_FEED = "PUBLIC"
REVIEW_QUEUE = "REVIEW"
# Bounds of a filing span open at one end (ISO times compare as text).
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(9999, 1, 1, tzinfo=UTC)
# Items of the public feed index read per page when a request reads several.
_FEED_PAGE_MAX = 250


def _stamp(moment: datetime | None) -> str | None:
    """A moment as stored and compared: ISO 8601 in UTC. The keys and conditions compare as text, so a
    bound given in Vietnam time (a public filter's day) must be turned to UTC first, or it would
    shift the range by seven hours."""
    return iso(moment.astimezone(UTC)) if moment else None


def _to_model(report: Report) -> ReportModel:
    deadline = current_deadline(report)
    return ReportModel(
        report_id=report.report_id,
        version=report.version,
        status=str(report.status),
        source=report.source,
        category_code=report.category_code,
        description=report.description,
        lat=report.location.lat if report.location else None,
        lon=report.location.lon if report.location else None,
        location_from_photo=True if report.location and report.location.from_photo else None,
        ward_code=report.ward_code,
        address=report.address,
        photo_count=report.photo_count,
        tracking_token_hash=report.tracking_token_hash,
        contact_ciphertext=report.contact_ciphertext,
        push_ciphertext=report.push_ciphertext,
        contact_shared=report.contact_shared,
        created_at=_stamp(report.created_at),
        updated_at=_stamp(report.updated_at),
        owner_unit_id=report.owner_unit_id,
        assignee_id=report.assignee_id,
        acknowledge_due_at=_stamp(report.acknowledge_due_at),
        resolve_due_at=_stamp(report.resolve_due_at),
        published_at=_stamp(report.published_at),
        publication=str(report.publication),
        held_for=list(report.held_for) or None,
        photos=_photo_records(report.photos),
        possible_duplicates=list(report.possible_duplicates) or None,
        transfer_count=report.transfer_count,
        result=report.result.as_record() if report.result else None,
        result_photos=_photo_records(report.result_photos),
        merged_into=report.merged_into,
        merged_reports=list(report.merged_reports) or None,
        questions=[question.as_record() for question in report.questions] or None,
        earlier_pauses_s=report.earlier_pauses_s or None,
        pause_allowance_ends_at=_stamp(report.pause_allowance_ends_at),
        contact_provided=report.contact_provided,
        push_enabled=report.push_enabled,
        escalation_level=report.escalation_level or None,
        escalation_due=_stamp(report.escalation_due),
        escalated_at=_stamp(report.escalated_at),
        escalated_by=report.escalated_by,
        rating_reminded_at=_stamp(report.rating_reminded_at),
        rating=report.rating.as_record() if report.rating else None,
        reopen_count=report.reopen_count or None,
        ended_at=_stamp(report.ended_at),
        contact_erased_at=_stamp(report.contact_erased_at),
        feed=_feed(report),
        category_feed=report.category_code if _feed(report) == PUBLIC_FEED else None,
        owner_status=f"{report.owner_unit_id}#{report.status}" if report.owner_unit_id else None,
        due_at=_stamp(deadline),
        **_nearby_keys(report),
        filed_month=filed_month(report.created_at),
    )


def _photo_records(photos: dict[str, Photo]) -> dict[str, dict] | None:
    return {index: photo.as_record() for index, photo in photos.items()} or None


def _photos(records: dict[str, dict] | None) -> dict[str, Photo]:
    return {index: Photo.from_record(record) for index, record in (records or {}).items()}


def _feed(report: Report) -> str | None:
    """Which list of the public_feed index the report is on: the public's, the review queue, or none."""
    if not is_published(report.status):
        return None
    return {Publication.PUBLISHED: PUBLIC_FEED, Publication.HELD: REVIEW_QUEUE}.get(report.publication)


def filed_month(moment: datetime) -> str:
    """The filed index's partition of a report filed at `moment`: its UTC month."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def _months_back(start: datetime, end: datetime) -> Iterator[str]:
    """The filed index's partitions from `end`'s month back to `start`'s."""
    year, month = end.astimezone(UTC).year, end.astimezone(UTC).month
    first = (start.astimezone(UTC).year, start.astimezone(UTC).month)
    while (year, month) >= first:
        yield f"{year:04d}-{month:02d}"
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)


def _nearby_keys(report: Report) -> dict[str, str | None]:
    """The nearby_band index's keys: only reports still being handled are candidates for duplicates."""
    if report.location is None or report.status not in BEING_HANDLED:
        return {"nearby_band": None, "nearby_lon": None}
    return {
        "nearby_band": latitude_bands.band_key(report.category_code, report.location.lat),
        "nearby_lon": latitude_bands.lon_key(report.location.lon),
    }


def _from_model(item: ReportModel) -> Report:
    has_location = item.lat is not None and item.lon is not None
    return Report(
        report_id=item.report_id,
        version=int(item.version),
        status=Status(item.status),
        source=item.source,
        category_code=item.category_code,
        description=item.description,
        location=Location(float(item.lat), float(item.lon), bool(item.location_from_photo)) if has_location else None,
        ward_code=item.ward_code,
        address=item.address,
        photo_count=int(item.photo_count),
        tracking_token_hash=item.tracking_token_hash,
        contact_ciphertext=item.contact_ciphertext,
        push_ciphertext=item.push_ciphertext,
        contact_shared=bool(item.contact_shared),
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
        owner_unit_id=item.owner_unit_id,
        assignee_id=item.assignee_id,
        acknowledge_due_at=parse_iso(item.acknowledge_due_at),
        resolve_due_at=parse_iso(item.resolve_due_at),
        published_at=parse_iso(item.published_at),
        # Records from before the publication gate were all published at routing.
        publication=Publication(item.publication) if item.publication else Publication.PUBLISHED,
        held_for=tuple(item.held_for or ()),
        photos=_photos(item.photos),
        possible_duplicates=tuple(item.possible_duplicates or ()),
        transfer_count=int(item.transfer_count or 0),
        result=Result.from_record(item.result) if item.result else None,
        result_photos=_photos(item.result_photos),
        merged_into=item.merged_into,
        merged_reports=tuple(item.merged_reports or ()),
        questions=tuple(Question.from_record(record) for record in item.questions or ()),
        earlier_pauses_s=int(item.earlier_pauses_s or 0),
        pause_allowance_ends_at=parse_iso(item.pause_allowance_ends_at),
        # Records from before the flag was kept held nothing but a contact in their ciphertext.
        contact_provided=(
            bool(item.contact_provided) if item.contact_provided is not None else item.contact_ciphertext is not None
        ),
        push_enabled=bool(item.push_enabled),
        escalation_level=int(item.escalation_level or 0),
        escalation_due=parse_iso(item.escalation_due),
        escalated_at=parse_iso(item.escalated_at),
        escalated_by=item.escalated_by,
        rating_reminded_at=parse_iso(item.rating_reminded_at),
        rating=Rating.from_record(item.rating) if item.rating else None,
        reopen_count=int(item.reopen_count or 0),
        # Reports that ended before the time was kept: their last change is when they ended.
        ended_at=parse_iso(item.ended_at or (item.updated_at if Status(item.status) in ENDED_STATES else None)),
        contact_erased_at=parse_iso(item.contact_erased_at),
    )


def _event_model(event: AuditEvent) -> AuditEventModel:
    return AuditEventModel(
        report_id=event.report_id,
        event_key=event.event_key,
        at=_stamp(event.at),
        actor=event.actor,
        action=str(event.action),
        from_status=str(event.from_status) if event.from_status else None,
        to_status=str(event.to_status),
        reason=event.reason,
        public=event.public,
    )


def _event_from_model(item: AuditEventModel) -> AuditEvent:
    return AuditEvent(
        report_id=item.report_id,
        version=version_of_event_key(item.event_key),
        at=parse_iso(item.at),
        actor=item.actor,
        action=Action(item.action),
        from_status=Status(item.from_status) if item.from_status else None,
        to_status=Status(item.to_status),
        reason=item.reason,
        public=bool(item.public),
    )


_BAD_CURSOR = InvalidInput(
    "invalid_cursor",
    bilingual("Con trỏ phân trang không hợp lệ.", "The paging cursor is not valid."),
    field="cursor",
)
# A cursor is the last key of a page of an index query: (table key, index hash key, index range key).
_FEED_CURSOR_KEYS = ("report_id", "feed", "published_at")
_CATEGORY_FEED_CURSOR_KEYS = ("report_id", "category_feed", "published_at")
_QUEUE_CURSOR_KEYS = ("report_id", "owner_status", "due_at")


def _encode_cursor(last_key: dict | None, names: tuple[str, str, str]) -> str | None:
    if not last_key:
        return None
    values = [last_key[name]["S"] for name in names]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, names: tuple[str, str, str], partition: str) -> dict:
    """The start key a cursor names, accepted only within the index partition being queried."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _BAD_CURSOR from None
    valid = (
        isinstance(values, list)
        and len(values) == len(names)
        and all(isinstance(value, str) and 0 < len(value) <= 64 for value in values)
        and values[1] == partition
    )
    if not valid:
        raise _BAD_CURSOR
    return {name: {"S": value} for name, value in zip(names, values, strict=True)}


def _version_conflict(report_id: str) -> StateConflict:
    return StateConflict(
        "version_conflict",
        bilingual(
            "Phản ánh vừa được người khác cập nhật. Vui lòng tải lại.",
            "The report was just changed by someone else. Please reload it.",
        ),
        current={"report_id": report_id},
    )


def _read_at_most(results: Any, read_limit: int) -> Iterator[Report]:
    """The reports of a query, reading at most `read_limit` index items, in pages."""
    pages = results.page_iter
    while pages.total_scanned_count < read_limit:
        pages.page_size = min(_FEED_PAGE_MAX, read_limit - pages.total_scanned_count)
        page = next(pages, None)
        if page is None:
            return
        for raw in page.get("Items", []):
            yield _from_model(ReportModel.from_raw_data(raw))


def _oldest_first(
    index: Any, partition: str, cursor_keys: tuple[str, str, str], limit: int, cursor: str | None
) -> Page:
    """One page of an index partition in ascending sort-key order (the longest waiting, the earliest
    deadline first), with the cursor that goes on from it."""
    results = index.query(
        partition,
        scan_index_forward=True,
        limit=limit,
        last_evaluated_key=_decode_cursor(cursor, cursor_keys, partition) if cursor else None,
    )
    items = [_from_model(item) for item in results]
    return Page(items=items, cursor=_encode_cursor(results.last_evaluated_key, cursor_keys))


class DynamoReportStore:
    def create(self, report: Report, event: AuditEvent, claim: FiledClaim | None = None) -> None:
        try:
            with TransactWrite(connection=_connection()) as transaction:
                transaction.save(_to_model(report), condition=ReportModel.report_id.does_not_exist())
                transaction.save(_event_model(event))
                if claim is not None:
                    transaction.save(
                        IdempotencyModel(
                            idempotency_key=claim.key, request_hash=claim.request_hash, state="COMPLETED",
                            response=claim.response, expires_at=claim.expires_at, caller=claim.caller,
                            report_id=claim.report_id,
                        ),
                        condition=IdempotencyModel.idempotency_key.does_not_exist()
                        | (IdempotencyModel.expires_at < claim.now),
                    )
        except TransactWriteError as error:
            # The claim is the third item: its condition failing, or another request writing the
            # same key at that moment, means the key is taken and nothing was written.
            reasons = error.cancellation_reasons or []
            claim_reason = reasons[2] if claim is not None and len(reasons) > 2 else None
            if claim_reason and claim_reason.code in ("ConditionalCheckFailed", "TransactionConflict"):
                raise ClaimTaken(claim.key) from None
            raise

    def get(self, report_id: str) -> Report | None:
        try:
            return _from_model(ReportModel.get(report_id, consistent_read=True))
        except ReportModel.DoesNotExist:
            return None

    def save_change(self, before: Report, after: Report, event: AuditEvent) -> None:
        self.save_changes([(before, after, event)])

    def save_changes(self, changes: Sequence[tuple[Report, Report, AuditEvent]]) -> None:
        """Several reports changed together (a merge) or not at all, each with its audit event."""
        try:
            with TransactWrite(connection=_connection()) as transaction:
                for before, after, event in changes:
                    transaction.save(_to_model(after), condition=ReportModel.version == before.version)
                    transaction.save(
                        _event_model(event), condition=AuditEventModel.event_key.does_not_exist()
                    )
        except TransactWriteError as error:
            if _was_condition_failure(error):
                raise _version_conflict(changes[0][0].report_id) from None
            raise

    def events(self, report_id: str) -> list[AuditEvent]:
        """The report's trail: one event per version (the contact views are kept apart)."""
        return [
            _event_from_model(item)
            for item in AuditEventModel.query(
                report_id, AuditEventModel.event_key.startswith("v"), consistent_read=True
            )
        ]

    def erase_event_reason(self, report_id: str, version: int, marker: str) -> None:
        try:
            AuditEventModel(report_id=report_id, event_key=event_key_of(version)).update(
                actions=[AuditEventModel.reason.set(marker)], condition=AuditEventModel.event_key.exists(),
            )
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise

    def record_contact_view(self, view: ContactView) -> None:
        AuditEventModel(
            report_id=view.report_id, event_key=view.event_key, at=_stamp(view.at), actor=view.actor,
            action=str(Action.CONTACT_VIEWED), from_status=str(view.status), to_status=str(view.status),
            reason=view.purpose, public=False,
        ).save(condition=AuditEventModel.event_key.does_not_exist())

    def contact_views(self, report_id: str) -> list[ContactView]:
        """Every officer's view that decrypted the report's contact, by the second it happened."""
        return [
            ContactView(report_id=item.report_id, at=parse_iso(item.at), actor=item.actor, purpose=item.reason,
                        status=Status(item.to_status))
            for item in AuditEventModel.query(
                report_id, AuditEventModel.event_key.startswith(CONTACT_VIEW_KEY_PREFIX), consistent_read=True
            )
        ]

    def nearby(self, category_code: str, lat: float, lon: float, radius_m: float) -> list[Report]:
        """Reports of this field still being handled around (lat, lon): one query per latitude band."""
        return [
            _from_model(item)
            for window in latitude_bands.windows(category_code, lat, lon, radius_m)
            for item in ReportModel.nearby.query(
                window.band, ReportModel.nearby_lon.between(window.lon_from, window.lon_to)
            )
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
        conditions = []
        if ward_code:
            conditions.append(ReportModel.ward_code == ward_code)
        if status:
            conditions.append(ReportModel.status == str(status))
        if filed_from or filed_to:
            conditions.append(
                ReportModel.created_at.between(_stamp(filed_from or _EARLIEST), _stamp(filed_to or _LATEST))
            )
        filter_condition = None
        for condition in conditions:
            filter_condition = condition if filter_condition is None else filter_condition & condition
        # A field's reports from its own partition; one page of `limit` items read, however few the
        # other filters keep: the cursor goes on from there.
        index, partition, cursor_keys = (
            (ReportModel.by_category, category_code, _CATEGORY_FEED_CURSOR_KEYS) if category_code
            else (ReportModel.public_feed, PUBLIC_FEED, _FEED_CURSOR_KEYS)
        )
        pages = index.query(
            partition,
            ReportModel.published_at >= _stamp(filed_from) if filed_from else None,
            scan_index_forward=False,
            filter_condition=filter_condition,
            page_size=limit,
            last_evaluated_key=_decode_cursor(cursor, cursor_keys, partition) if cursor else None,
        ).page_iter
        page = next(pages)
        items = [_from_model(ReportModel.from_raw_data(raw)) for raw in page.get("Items", [])]
        return Page(items=items, cursor=_encode_cursor(pages.last_evaluated_key, cursor_keys))

    def awaiting_review(self, *, limit: int, cursor: str | None) -> Page:
        """Reports held for a coordinator's review, the longest waiting first."""
        return _oldest_first(ReportModel.public_feed, REVIEW_QUEUE, _FEED_CURSOR_KEYS, limit, cursor)

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
        `start`, by `published_by`), the latest published first: the public feed index read from
        `published_from` or `start` on, no scan, and at most
        `read_limit` of its items read (the filters apply to what was read, so a filter that matches
        little must not make one request read the whole window)."""
        filter_condition = ReportModel.created_at.between(_stamp(start), _stamp(end))
        if statuses:
            filter_condition &= ReportModel.status.is_in(*(str(status) for status in statuses))
        published = ReportModel.published_at.between(_stamp(published_from or start), _stamp(published_by))
        if not category_codes:
            yield from _read_at_most(
                ReportModel.public_feed.query(
                    PUBLIC_FEED, published, scan_index_forward=False, filter_condition=filter_condition
                ),
                read_limit,
            )
            return
        # Each field from its own partition (the budget shared out), merged latest published first.
        share = max(1, read_limit // len(category_codes))
        yield from heapq.merge(
            *(
                _read_at_most(
                    ReportModel.by_category.query(
                        code, published, scan_index_forward=False, filter_condition=filter_condition
                    ),
                    share,
                )
                for code in category_codes
            ),
            key=lambda report: report.published_at,
            reverse=True,
        )

    def filed_between(self, start: datetime, end: datetime, *, read_limit: int) -> Iterator[Report]:
        """Reports filed from `start` to `end`, the latest filed first: the filed index, month by
        month, no scan, reading at most `read_limit` items in all."""
        left = read_limit
        for month in _months_back(start, end):
            if left <= 0:
                return
            results = ReportModel.filed.query(
                month, ReportModel.created_at.between(_stamp(start), _stamp(end)), scan_index_forward=False
            )
            yield from _read_at_most(results, left)
            left -= results.page_iter.total_scanned_count

    def due_by(self, status: Status, moment: datetime) -> Iterator[Report]:
        """Reports in `status` whose deadline there (`phananh.report.deadlines.current_deadline`) is at or before
        `moment`, the earliest first: the due_watch index, no scan."""
        for item in ReportModel.due_watch.query(str(status), ReportModel.due_at <= _stamp(moment)):
            yield _from_model(item)

    def owner_queue(self, unit_id: str, status: Status) -> Iterator[Report]:
        """Every report of one unit in one state, the earliest deadline first (all pages)."""
        for item in ReportModel.owner_queue.query(f"{unit_id}#{status}", scan_index_forward=True):
            yield _from_model(item)

    def unit_queue(self, unit_id: str, status: Status, *, limit: int, cursor: str | None) -> Page:
        """One unit's reports in one state, the earliest deadline (the most overdue) first."""
        return _oldest_first(ReportModel.owner_queue, f"{unit_id}#{status}", _QUEUE_CURSOR_KEYS, limit, cursor)


def _was_condition_failure(error: TransactWriteError) -> bool:
    reasons = error.cancellation_reasons or []
    return any(reason and reason.code == "ConditionalCheckFailed" for reason in reasons)


@cache
def _connection() -> Connection:
    return Connection()
