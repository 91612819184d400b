"""What happens after a report is filed: its photos are checked, then it is routed to the one unit
responsible, whose officers are alerted at once. The after-photos an officer uploads when resolving
a report go through the same check.

Every step tolerates being run twice (S3 and SQS deliver at least once): a photo already recorded
is not recorded again, a report no longer RECEIVED is not routed again, and each alert channel is
sent once: a delivery retried after a failed alert sends only what did not go out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote_plus

from phananh import alerts, integrations, notify
from phananh.categories import get_category
from phananh.deadlines import deadlines_for
from phananh.entities import AuditEvent, Location, Report
from phananh.errors import StateConflict
from phananh.geo import haversine_m, load_wards
from phananh.integrations import CHECKED_PHOTO_PREFIX, QUARANTINE_PREFIX, RESULT_PHOTO_PREFIX, THUMBNAIL_PREFIX
from phananh.lifecycle import Action, Status
from phananh.observability import MetricUnit, count, logger, measure
from phananh.routing import RuleSet, owner_for, resolve_ward
from phananh.settings import Settings
from phananh.store import DirectoryStore, DynamoIdempotencyStore, ReportStore

ROUTER = "system:route"
PHOTO_CHECKER = "system:photo-check"
# Names the alert that routing sends, so that its redelivery finds the claims it took.
ROUTING_ALERT = "routed"
_UPLOAD_KEY = re.compile(
    r"^" + QUARANTINE_PREFIX + r"(PA[0-9A-Z]{14})/(" + RESULT_PHOTO_PREFIX + r")?([1-9][0-9]?)$"
)
_CHANGE_ATTEMPTS = 5


@dataclass(frozen=True)
class IntakeItem:
    kind: str  # "photo" | "submitted" | "photo_cutoff"
    report_id: str
    photo_index: int | None = None
    # An after-photo of the resolution rather than one of the reporter's photos.
    result_photo: bool = False

    @property
    def key_prefix(self) -> str:
        return RESULT_PHOTO_PREFIX if self.result_photo else ""

    @property
    def upload_key(self) -> str:
        return integrations.photo_key(self.report_id, self.photo_index, self.key_prefix)


class UnreadableMessage(ValueError):
    """A message no retry can make sense of: it is logged and dropped, never retried."""


def parse_intake_message(body: str) -> list[IntakeItem]:
    """The work one queue message asks for: S3 upload notifications or our own messages."""
    try:
        message = json.loads(body)
    except ValueError:
        raise UnreadableMessage("not JSON") from None
    if not isinstance(message, dict):
        raise UnreadableMessage("not an object")
    if message.get("Event") == "s3:TestEvent":
        return []
    if message.get("type") in ("report.submitted", "report.photo_cutoff"):
        report_id = message.get("report_id")
        if not isinstance(report_id, str):
            raise UnreadableMessage("no report_id")
        return [IntakeItem(message["type"].removeprefix("report."), report_id)]
    if isinstance(message.get("Records"), list):
        return [_upload_item(record) for record in message["Records"]]
    raise UnreadableMessage("unknown message")


def _upload_item(record: dict) -> IntakeItem:
    try:
        # S3 URL-encodes keys in notifications (spaces as '+').
        key = unquote_plus(record["s3"]["object"]["key"])
    except (KeyError, TypeError):
        raise UnreadableMessage("S3 record without a key") from None
    match = _UPLOAD_KEY.match(key)
    if not match or not str(record.get("eventName", "")).startswith("ObjectCreated"):
        raise UnreadableMessage(f"not an upload we expect: {key[:80]!r}")
    return IntakeItem("photo", match.group(1), int(match.group(3)), result_photo=match.group(2) is not None)


def change_report(
    reports: ReportStore, report_id: str, decide: Callable[[Report], tuple[Report, AuditEvent] | None]
) -> tuple[Report, AuditEvent] | None:
    """Apply `decide` to the current report, again on a fresh copy if someone else wrote first.

    Returns the saved report and its audit event. `decide` returns None when there is nothing
    (more) to do; so does this function.
    """
    for _ in range(_CHANGE_ATTEMPTS):
        report = reports.get(report_id)
        decision = decide(report) if report else None
        if decision is None:
            return None
        after, event = decision
        try:
            reports.save_change(report, after, event)
        except StateConflict:
            continue
        return after, event
    raise StateConflict("busy", {"vi": "Phản ánh đang được cập nhật liên tục.", "en": "The report keeps changing."})


def _checked_record(item: IntakeItem, data: bytes, settings: Settings) -> tuple[dict, tuple[float, float] | None]:
    """What the photo check makes of one upload: the record to keep, and any GPS it carried."""
    from phananh.photos import PhotoRejected, check_photo

    try:
        checked = check_photo(data, max_bytes=settings.photo_max_bytes)
    except PhotoRejected as rejection:
        count("PhotoRejected")
        logger.info("photo rejected", extra={"report_id": item.report_id, "reason": rejection.reason})
        return {"state": "rejected", "reason": rejection.reason}, None
    name = f"{item.key_prefix}{item.photo_index}"
    image_key = f"{CHECKED_PHOTO_PREFIX}{item.report_id}/{name}.jpg"
    thumbnail_key = f"{THUMBNAIL_PREFIX}{item.report_id}/{name}.jpg"
    integrations.store_photo(image_key, checked.image)
    integrations.store_photo(thumbnail_key, checked.thumbnail)
    count("PhotoChecked")
    record = {
        "state": "checked", "image_key": image_key, "thumbnail_key": thumbnail_key,
        "width": checked.width, "height": checked.height, "perceptual_hash": checked.perceptual_hash,
    }
    return record, checked.gps


def _photo_slots(report: Report, item: IntakeItem) -> tuple[int, dict[str, dict]]:
    """How many photos of the upload's kind the report expects, and those recorded so far."""
    if item.result_photo:
        return (report.result or {}).get("photo_count", 0), report.result_photos
    return report.photo_count, report.photos


def check_upload(item: IntakeItem, *, reports: ReportStore, settings: Settings, now: datetime) -> Report | None:
    """Check one uploaded photo and record the result on its report; None if nothing to do."""
    report = reports.get(item.report_id)
    expected, recorded = _photo_slots(report, item) if report else (0, {})
    if item.photo_index > expected or str(item.photo_index) in recorded:
        # Unknown, unexpected, or already handled (a redelivery): the upload has no further use.
        integrations.delete_upload(item.upload_key)
        return None
    size = integrations.upload_size(item.upload_key)
    if size is None:
        return None  # gone: a concurrent delivery of the same event handled it
    if size > settings.photo_max_bytes:
        # The upload form forbids this; never download what is too big to check.
        record, gps = {"state": "rejected", "reason": "too_large"}, None
    else:
        record, gps = _checked_record(item, integrations.read_upload(item.upload_key) or b"", settings)

    def attach(current: Report) -> tuple[Report, AuditEvent] | None:
        _, recorded_now = _photo_slots(current, item)
        if str(item.photo_index) in recorded_now:
            return None
        slots = "result_photos" if item.result_photo else "photos"
        changes: dict = {slots: {**recorded_now, str(item.photo_index): record}}
        # Only the reporter's photo tells where the problem is; an after-photo's GPS is not kept.
        if not item.result_photo and current.location is None and gps and _in_service_area(gps, settings):
            changes["location"] = Location(*gps)
        after = current.changed(now, **changes)
        return after, AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=PHOTO_CHECKER,
            action=Action.ATTACH_PHOTO, from_status=current.status, to_status=current.status,
            reason=record.get("reason"), public=False,
        )

    changed = change_report(reports, item.report_id, attach)
    integrations.delete_upload(item.upload_key)
    return changed[0] if changed else None


def _in_service_area(point: tuple[float, float], settings: Settings) -> bool:
    wards = load_wards(settings.wards_geojson_path)
    return wards.within_service_area(point[0], point[1], settings.service_area_margin_m)


def route_report(
    report_id: str, *, reports: ReportStore, directory: DirectoryStore, settings: Settings, now: datetime,
    even_without_photos: bool = False,
) -> Report | None:
    """Name the one owner unit, start its clocks, flag likely duplicates, alert its officers.

    Returns the routed report, or None when it is not (yet) for routing: photos still coming,
    or already routed by an earlier delivery.
    """
    wards = load_wards(settings.wards_geojson_path)

    def assign(current: Report) -> tuple[Report, AuditEvent] | None:
        if current.status is not Status.RECEIVED:
            return None
        if not (even_without_photos or current.photos_settled()):
            return None
        location = (current.location.lat, current.location.lon) if current.location else None
        resolution = resolve_ward(
            wards, ward_code=current.ward_code, location=location, max_distance_m=settings.ward_max_distance_m
        )
        rules = RuleSet(directory.rules_for(current.category_code))
        decision = owner_for(rules, current.category_code, resolution.ward)
        due = deadlines_for(get_category(current.category_code), now)
        after = current.moved(
            Action.ROUTE, now,
            owner_unit_id=decision.unit_id,
            ward_code=resolution.ward.code if resolution.ward else current.ward_code,
            acknowledge_due_at=due.acknowledge_due,
            resolve_due_at=due.resolve_due,
            possible_duplicates=_possible_duplicates(current, reports, settings),
        )
        reason = decision.reason["vi"] if decision.reason else decision.basis
        return after, AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=ROUTER, action=Action.ROUTE,
            from_status=current.status, to_status=after.status, reason=reason,
        )

    claims = DynamoIdempotencyStore()
    changed = change_report(reports, report_id, assign)
    if changed is None:
        current = reports.get(report_id)
        # A redelivery after routing whose alert failed: send what did not go out (claims skip the rest).
        if current is not None and current.status is Status.ASSIGNED:
            alerts.alert_owner(
                current, occasion=ROUTING_ALERT, directory=directory, wards=wards, claims=claims, now=now
            )
        return None
    routed, event = changed
    count("ReportRouted")
    measure("RoutingLatency", (now - routed.created_at).total_seconds(), MetricUnit.Seconds)
    logger.info("report routed", extra={"report_id": report_id, "owner": routed.owner_unit_id})
    alerts.alert_owner(routed, occasion=ROUTING_ALERT, directory=directory, wards=wards, claims=claims, now=now)
    notify.tell_reporter(routed, event)
    return routed


def _possible_duplicates(report: Report, reports: ReportStore, settings: Settings) -> tuple[str, ...]:
    """Reports of the same field still being handled within a few tens of metres, or sharing a photo."""
    if report.location is None:
        return ()
    found = []
    for other in reports.nearby(report.category_code, report.location.lat, report.location.lon):
        if other.report_id == report.report_id or other.location is None:
            continue
        distance = haversine_m(report.location.lat, report.location.lon, other.location.lat, other.location.lon)
        if distance <= settings.duplicate_radius_m or _shares_a_photo(report, other):
            found.append(other.report_id)
    return tuple(sorted(found))


def _shares_a_photo(report: Report, other: Report) -> bool:
    from phananh.photos import hash_distance

    mine = [photo["perceptual_hash"] for photo in report.photos.values() if photo["state"] == "checked"]
    theirs = [photo["perceptual_hash"] for photo in other.photos.values() if photo["state"] == "checked"]
    return any(hash_distance(a, b) <= 6 for a in mine for b in theirs)
