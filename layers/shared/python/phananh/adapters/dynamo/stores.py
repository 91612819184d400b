"""Data access: the interfaces the domain needs, and their DynamoDB (PynamoDB) implementation.

This is the only module that talks to DynamoDB. Every change to a report is one transaction: the
report written on the condition that nobody changed it since it was read (its version), plus the
audit event that explains the change.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import datetime
from functools import cache
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from phananh.adapters.dynamo.models import (
    AuditEventModel,
    IdempotencyModel,
    OfficerModel,
    RateLimitModel,
    ReportModel,
    RoutingRuleModel,
    UnitModel,
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
    Rating,
    Report,
    Result,
    iso,
    parse_iso,
    version_of_event_key,
)
from phananh.routing import geocell
from phananh.routing.directory import Officer, Unit
from phananh.routing.rules import RoutingRule
from phananh.shared.errors import InvalidInput, StateConflict, bilingual

# The public_feed index holds two lists: the public feed, and the reports a coordinator has to
# review before they may join it (phananh.report.lifecycle.Publication.HELD).
PUBLIC_FEED = "PUBLIC"
REVIEW_QUEUE = "REVIEW"
# Items of the public feed index read per page when a request reads several.
_FEED_PAGE_MAX = 250


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
        created_at=iso(report.created_at),
        updated_at=iso(report.updated_at),
        owner_unit_id=report.owner_unit_id,
        acknowledge_due_at=iso(report.acknowledge_due_at),
        resolve_due_at=iso(report.resolve_due_at),
        published_at=iso(report.published_at),
        publication=str(report.publication),
        held_for=list(report.held_for) or None,
        photos=_photo_records(report.photos),
        possible_duplicates=list(report.possible_duplicates) or None,
        transfer_count=report.transfer_count,
        result=report.result.as_record() if report.result else None,
        result_photos=_photo_records(report.result_photos),
        merged_into=report.merged_into,
        merged_reports=list(report.merged_reports) or None,
        contact_provided=report.contact_provided,
        push_enabled=report.push_enabled,
        escalation_level=report.escalation_level or None,
        escalation_due=iso(report.escalation_due),
        escalated_at=iso(report.escalated_at),
        escalated_by=report.escalated_by,
        rating_reminded_at=iso(report.rating_reminded_at),
        rating=report.rating.as_record() if report.rating else None,
        reopen_count=report.reopen_count or None,
        ended_at=iso(report.ended_at),
        contact_erased_at=iso(report.contact_erased_at),
        feed=_feed(report),
        category_feed=report.category_code if _feed(report) == PUBLIC_FEED else None,
        owner_status=f"{report.owner_unit_id}#{report.status}" if report.owner_unit_id else None,
        due_at=iso(deadline),
        geocell=_geocell(report),
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


def _geocell(report: Report) -> str | None:
    """Only reports still being handled are candidates for duplicates."""
    if report.location is None or report.status not in BEING_HANDLED:
        return None
    return f"{report.category_code}#{geocell.encode(report.location.lat, report.location.lon)}"


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
        at=iso(event.at),
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


class DynamoReportStore:
    def create(self, report: Report, event: AuditEvent) -> None:
        with TransactWrite(connection=_connection()) as transaction:
            transaction.save(_to_model(report), condition=ReportModel.report_id.does_not_exist())
            transaction.save(_event_model(event))

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

    def record_contact_view(self, view: ContactView) -> None:
        AuditEventModel(
            report_id=view.report_id, event_key=view.event_key, at=iso(view.at), actor=view.actor,
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

    def nearby(self, category_code: str, lat: float, lon: float) -> list[Report]:
        """Reports of this field still being handled, in the cells around (lat, lon)."""
        return [
            _from_model(item)
            for cell in geocell.neighbourhood(lat, lon)
            for item in ReportModel.nearby.query(f"{category_code}#{cell}")
        ]

    def published(
        self,
        *,
        limit: int,
        cursor: str | None,
        ward_code: str | None = None,
        category_code: str | None = None,
        status: Status | None = None,
    ) -> Page:
        conditions = []
        if ward_code:
            conditions.append(ReportModel.ward_code == ward_code)
        if status:
            conditions.append(ReportModel.status == str(status))
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
        results = ReportModel.public_feed.query(
            REVIEW_QUEUE,
            scan_index_forward=True,
            limit=limit,
            last_evaluated_key=_decode_cursor(cursor, _FEED_CURSOR_KEYS, REVIEW_QUEUE) if cursor else None,
        )
        items = [_from_model(item) for item in results]
        return Page(items=items, cursor=_encode_cursor(results.last_evaluated_key, _FEED_CURSOR_KEYS))

    def published_requested_between(
        self,
        start: datetime,
        end: datetime,
        *,
        published_by: datetime,
        read_limit: int,
        category_codes: Sequence[str] = (),
        statuses: Sequence[Status] = (),
    ) -> Iterator[Report]:
        """Published reports filed from `start` to `end` (and published by `published_by`), the
        latest published first: the public feed index read from `start` on, no scan, and at most
        `read_limit` of its items read (the filters apply to what was read, so a filter that matches
        little must not make one request read the whole window)."""
        filter_condition = ReportModel.created_at.between(iso(start), iso(end))
        if statuses:
            filter_condition &= ReportModel.status.is_in(*(str(status) for status in statuses))
        published = ReportModel.published_at.between(iso(start), iso(published_by))
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

    def due_by(self, status: Status, moment: datetime) -> Iterator[Report]:
        """Reports in `status` whose deadline there (`phananh.report.deadlines.current_deadline`) is at or before
        `moment`, the earliest first: the due_watch index, no scan."""
        for item in ReportModel.due_watch.query(str(status), ReportModel.due_at <= iso(moment)):
            yield _from_model(item)

    def owner_queue(self, unit_id: str, status: Status) -> Iterator[Report]:
        """Every report of one unit in one state, the earliest deadline first (all pages)."""
        for item in ReportModel.owner_queue.query(f"{unit_id}#{status}", scan_index_forward=True):
            yield _from_model(item)

    def unit_queue(self, unit_id: str, status: Status, *, limit: int, cursor: str | None) -> Page:
        """One unit's reports in one state, the earliest deadline (the most overdue) first."""
        partition = f"{unit_id}#{status}"
        results = ReportModel.owner_queue.query(
            partition,
            scan_index_forward=True,
            limit=limit,
            last_evaluated_key=_decode_cursor(cursor, _QUEUE_CURSOR_KEYS, partition) if cursor else None,
        )
        items = [_from_model(item) for item in results]
        return Page(items=items, cursor=_encode_cursor(results.last_evaluated_key, _QUEUE_CURSOR_KEYS))


def _was_condition_failure(error: TransactWriteError) -> bool:
    reasons = error.cancellation_reasons or []
    return any(reason and reason.code == "ConditionalCheckFailed" for reason in reasons)


@cache
def _connection() -> Connection:
    return Connection()


class DynamoRateLimitStore:
    """Each bucket is one item holding when it will be full again; every change is one conditional
    write, which DynamoDB applies to the item one at a time, so concurrent takers never lose one."""

    def start(self, bucket_key: str, full_at: float, *, now: float) -> bool:
        """Write a bucket that is absent or full (by `now`) as holding one token less."""
        item = RateLimitModel(bucket_key=bucket_key, full_at=full_at, expires_at=math.ceil(full_at))
        # A bucket from before `full_at` existed counts as absent.
        condition = RateLimitModel.full_at.does_not_exist() | (RateLimitModel.full_at <= now)
        try:
            item.save(condition=condition)
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def take(self, bucket_key: str, interval: float, *, now: float, latest: float) -> bool:
        """Take a token from a bucket not yet full by `now`, if it is full again no later than `latest`."""
        try:
            RateLimitModel(bucket_key=bucket_key).update(
                actions=[RateLimitModel.full_at.add(interval), RateLimitModel.expires_at.add(math.ceil(interval))],
                condition=(RateLimitModel.full_at > now) & (RateLimitModel.full_at <= latest),
            )
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def full_at(self, bucket_key: str) -> float | None:
        try:
            item = RateLimitModel.get(bucket_key, consistent_read=True)
        except RateLimitModel.DoesNotExist:
            return None
        return float(item.full_at) if item.full_at is not None else None


class DynamoIdempotencyStore:
    def claim(
        self, key: str, request_hash: str, expires_at: int, *,
        now: int | None = None, caller: str | None = None, report_id: str | None = None,
    ) -> IdempotencyModel | None:
        """Claim `key` for this request; if it was claimed before, return that record instead.

        DynamoDB deletes expired records late (TTL), so a record expired by `now` counts as absent.
        """
        record = IdempotencyModel(
            idempotency_key=key, request_hash=request_hash, state="IN_PROGRESS",
            expires_at=expires_at, caller=caller, report_id=report_id,
        )
        condition = IdempotencyModel.idempotency_key.does_not_exist()
        if now is not None:
            condition = condition | (IdempotencyModel.expires_at < now)
        try:
            record.save(condition=condition)
        except PutError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            return IdempotencyModel.get(key, consistent_read=True)
        return None

    def complete(self, key: str, response: dict) -> None:
        IdempotencyModel(idempotency_key=key).update(
            actions=[IdempotencyModel.state.set("COMPLETED"), IdempotencyModel.response.set(response)]
        )

    def release(self, key: str) -> None:
        IdempotencyModel(idempotency_key=key).delete()


def _officer(item: OfficerModel) -> Officer:
    fields = {name: getattr(item, name) for name in Officer.__dataclass_fields__}
    return Officer(**{**fields, "credentials_since": parse_iso(item.credentials_since)})


class DirectoryStore:
    """Units, officers and routing rules: read by routing, alerts and views; written by seeding
    and administration."""

    def put_units(self, units: Iterable[Unit]) -> None:
        with UnitModel.batch_write() as batch:
            for unit in units:
                batch.save(UnitModel(**asdict(unit)))

    def put_officers(self, officers: Iterable[Officer]) -> None:
        with OfficerModel.batch_write() as batch:
            for officer in officers:
                batch.save(OfficerModel(**{**asdict(officer), "credentials_since": iso(officer.credentials_since)}))

    def put_rules(self, rules: Iterable[RoutingRule]) -> None:
        with RoutingRuleModel.batch_write() as batch:
            for rule in rules:
                batch.save(RoutingRuleModel(**asdict(rule)))

    def unit(self, unit_id: str) -> Unit | None:
        try:
            item = UnitModel.get(unit_id)
        except UnitModel.DoesNotExist:
            return None
        return Unit(**{name: getattr(item, name) for name in Unit.__dataclass_fields__})

    def units(self) -> list[Unit]:
        """Every unit (a small reference table, read whole by the daily digest)."""
        return [Unit(**{name: getattr(item, name) for name in Unit.__dataclass_fields__}) for item in UnitModel.scan()]

    def officer(self, officer_id: str) -> Officer | None:
        try:
            item = OfficerModel.get(officer_id, consistent_read=True)
        except OfficerModel.DoesNotExist:
            return None
        return _officer(item)

    def officers_of(self, unit_id: str) -> list[Officer]:
        return [_officer(item) for item in OfficerModel.by_unit.query(unit_id)]

    def delete_rule(self, category_code: str, ward_code: str) -> None:
        RoutingRuleModel(category_code=category_code, ward_code=ward_code).delete()

    def delete_officer(self, officer_id: str) -> None:
        OfficerModel(officer_id=officer_id).delete()

    def rules_for(self, category_code: str) -> list[RoutingRule]:
        return [
            RoutingRule(category_code=item.category_code, ward_code=item.ward_code, unit_id=item.unit_id)
            for item in RoutingRuleModel.query(category_code)
        ]


class ScorecardStore:
    """The scorecard table (phananh.transparency.scorecards): counters per scope and day, marks of the report
    versions already counted, and the list of scopes. Counters are ADDed, so no read is needed."""

    SCOPES = "scopes"
    MARK_TTL_S = 7 * 24 * 3600

    def __init__(self) -> None:
        self._client = None

    @property
    def client(self):
        if self._client is None:
            import boto3

            self._client = boto3.client("dynamodb")
        return self._client

    @staticmethod
    def _table() -> str:
        from phananh.shared.settings import get_settings

        return get_settings().scorecard_table

    @staticmethod
    def image(raw: dict | None) -> dict | None:
        """A stream image as a plain dict, its result and rating typed (phananh.report.model)."""
        if not raw:
            return None
        from boto3.dynamodb.types import TypeDeserializer

        deserializer = TypeDeserializer()
        image = {name: deserializer.deserialize(value) for name, value in raw.items()}
        for name, kind in (("result", Result), ("rating", Rating)):
            record = json.loads(image[name]) if isinstance(image.get(name), str) else None
            image[name] = kind.from_record(record) if record else None
        return image

    def apply(self, change, scopes: Sequence[str], now: datetime) -> bool:
        """Add one change's counters to each scope's day, once: False if it was counted before."""
        table = self._table()
        names = sorted(change.counts)
        update = "ADD " + ", ".join(f"#c{n} :c{n}" for n in range(len(names)))
        attribute_names = {f"#c{n}": name for n, name in enumerate(names)}
        values = {f":c{n}": {"N": str(change.counts[name])} for n, name in enumerate(names)}
        items: list[dict] = [{
            "Put": {
                "TableName": table,
                "Item": {
                    "scope": {"S": f"mark#{change.report_id}"}, "day": {"S": f"v{change.version:08d}"},
                    "expires_at": {"N": str(int(now.timestamp()) + self.MARK_TTL_S)},
                },
                "ConditionExpression": "attribute_not_exists(#s)",
                "ExpressionAttributeNames": {"#s": "scope"},
            }
        }]
        for scope in scopes:
            items.append({"Update": {
                "TableName": table, "Key": {"scope": {"S": scope}, "day": {"S": change.day}},
                "UpdateExpression": update, "ExpressionAttributeNames": attribute_names,
                "ExpressionAttributeValues": values,
            }})
            items.append({"Put": {"TableName": table, "Item": {"scope": {"S": self.SCOPES}, "day": {"S": scope}}}})
        try:
            self.client.transact_write_items(TransactItems=items)
        except self.client.exceptions.TransactionCanceledException as error:
            reasons = error.response.get("CancellationReasons", [])
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return False
            raise
        return True

    def _query(self, **kwargs) -> Iterator[dict]:
        paginator = self.client.get_paginator("query")
        for page in paginator.paginate(TableName=self._table(), **kwargs):
            yield from page["Items"]

    def scopes(self) -> list[str]:
        return [
            item["day"]["S"]
            for item in self._query(
                KeyConditionExpression="#s = :s", ExpressionAttributeNames={"#s": "scope"},
                ExpressionAttributeValues={":s": {"S": self.SCOPES}},
            )
        ]

    def days(self, scope: str, first: str, last: str) -> list[dict]:
        """The scope's counters for each day from `first` to `last` (ISO dates), as plain numbers."""
        items = self._query(
            KeyConditionExpression="#s = :s AND #d BETWEEN :first AND :last",
            ExpressionAttributeNames={"#s": "scope", "#d": "day"},
            ExpressionAttributeValues={":s": {"S": scope}, ":first": {"S": first}, ":last": {"S": last}},
        )
        return [
            {name: int(value["N"]) for name, value in item.items() if "N" in value}
            for item in items
        ]
