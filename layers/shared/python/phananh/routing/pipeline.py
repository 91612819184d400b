"""What happens after a report is filed: its photos are checked, then it is routed to the one unit
responsible, whose officers are alerted at once. The after-photos an officer uploads when resolving
a report go through the same check.

The photo check runs in a function of its own (functions/photos) that may only read quarantine/,
write the checked copies and tell the route function what it made of the upload: the attacker's
bytes are decoded where no report, contact, key or secret can be reached. The route function then
records the result, if the report still waits for that photo, and routes.

Every step tolerates being run twice (S3 and SQS deliver at least once): a photo already recorded
is not recorded again, a report no longer RECEIVED is not routed again, and each alert channel is
sent once: a delivery retried after a failed alert sends only what did not go out.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from phananh.escalation import alerts, notices
from phananh.ports import Ports
from phananh.report.categories import get_category
from phananh.report.changes import change_report
from phananh.report.deadlines import deadlines_for
from phananh.report.lifecycle import Action, Status
from phananh.report.model import AuditEvent, Location, Report
from phananh.report.photo_keys import CHECKED_PHOTO_PREFIX, THUMBNAIL_PREFIX
from phananh.report.ports import ReportStore
from phananh.routing.geo import haversine_m, load_wards
from phananh.routing.intake_item import IntakeItem
from phananh.routing.rules import RuleSet, owner_for, resolve_ward
from phananh.shared.observability import MetricUnit, count, logger, measure
from phananh.shared.settings import Settings
from phananh.transparency import publication

ROUTER = "system:route"
PHOTO_CHECKER = "system:photo-check"
# Names the alert that routing sends, so that its redelivery finds the claims it took.
ROUTING_ALERT = "routed"


def _checked_record(
    item: IntakeItem, data: bytes, settings: Settings, ports: Ports
) -> tuple[dict, tuple[float, float] | None]:
    """What the photo check makes of one upload: the record to keep, and any GPS it carried."""
    from phananh.routing.photos import PhotoRejected, check_photo

    try:
        checked = check_photo(data, max_bytes=settings.photo_max_bytes)
    except PhotoRejected as rejection:
        count("PhotoRejected")
        logger.info("photo rejected", extra={"report_id": item.report_id, "reason": rejection.reason})
        return {"state": "rejected", "reason": rejection.reason}, None
    # Named by content: a later upload to the same slot (a stale form) never overwrites a photo
    # already published, and the same upload checked twice lands on the same keys.
    name = f"{item.key_prefix}{item.photo_index}-{hashlib.sha256(checked.image).hexdigest()[:16]}"
    image_key = f"{CHECKED_PHOTO_PREFIX}{item.report_id}/{name}.jpg"
    thumbnail_key = f"{THUMBNAIL_PREFIX}{item.report_id}/{name}.jpg"
    ports.photos.store_checked_photo(image_key, checked.image)
    ports.photos.store_checked_photo(thumbnail_key, checked.thumbnail)
    count("PhotoChecked")
    record = {
        "state": "checked", "image_key": image_key, "thumbnail_key": thumbnail_key,
        "width": checked.width, "height": checked.height, "perceptual_hash": checked.perceptual_hash,
    }
    return record, checked.gps


def check_upload(item: IntakeItem, *, ports: Ports, settings: Settings) -> bool:
    """Check one uploaded photo (in the photos function), and tell the route function what came of
    it; False when the upload is gone (a redelivered event, already handled)."""
    size = ports.photos.upload_size(item.upload_key)
    if size is None:
        return False
    if size > settings.photo_max_bytes:
        # The upload form forbids this; never download what is too big to check.
        record, gps = {"state": "rejected", "reason": "too_large"}, None
    else:
        data = ports.photos.read_upload(item.upload_key)
        if data is None:
            return False
        record, gps = _checked_record(item, data, settings, ports)
    # Sent before the upload goes: a failure in between checks it again, and the route function
    # takes the second result for the redelivery it is.
    ports.queues.send_photo_check(
        item.report_id, item.photo_index, result_photo=item.result_photo, check=record, gps=gps
    )
    ports.photos.delete_upload(item.upload_key)
    return True


def _photo_slots(report: Report, item: IntakeItem) -> tuple[int, dict[str, dict]]:
    """How many photos of the upload's kind the report expects, and those recorded so far."""
    if item.result_photo:
        return (report.result or {}).get("photo_count", 0), report.result_photos
    return report.photo_count, report.photos


def _waiting_for(report: Report, item: IntakeItem) -> bool:
    """Whether the report still waits for this photo: the reporter's until it is routed, the
    after-photos while its resolution stands. An upload through a stale form is refused."""
    expected, recorded = _photo_slots(report, item)
    waiting_status = Status.RESOLVED if item.result_photo else Status.RECEIVED
    return report.status is waiting_status and item.photo_index <= expected and str(item.photo_index) not in recorded


def record_photo_check(item: IntakeItem, *, ports: Ports, settings: Settings, now: datetime) -> Report | None:
    """Record a photo check's result on its report (in the route function); None if the report no
    longer waits for it, whose checked copies are then taken down again."""
    record, gps = item.check, item.gps

    def attach(current: Report) -> tuple[Report, AuditEvent] | None:
        if not _waiting_for(current, item):
            return None
        slots = "result_photos" if item.result_photo else "photos"
        _, recorded_now = _photo_slots(current, item)
        changes: dict = {slots: {**recorded_now, str(item.photo_index): record}}
        # Only the reporter's photo tells where the problem is; an after-photo's GPS is not kept.
        if not item.result_photo and current.location is None and gps and _in_service_area(gps, settings):
            changes["location"] = Location(*gps, from_photo=True)
        after = current.changed(now, **changes)
        return after, AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=PHOTO_CHECKER,
            action=Action.ATTACH_PHOTO, from_status=current.status, to_status=current.status,
            reason=record.get("reason"), public=False,
        )

    changed = change_report(ports.reports, item.report_id, attach)
    if changed is not None:
        return changed[0]
    _take_down_unrecorded(item, ports.reports.get(item.report_id), ports)
    return None


def _take_down_unrecorded(item: IntakeItem, report: Report | None, ports: Ports) -> None:
    """Delete the checked copies of a result no report records (the same result redelivered is
    recorded under the same keys, which stay)."""
    if item.check.get("state") != "checked":
        return
    recorded = _photo_slots(report, item)[1].get(str(item.photo_index), {}) if report else {}
    if recorded.get("image_key") == item.check["image_key"]:
        return
    count("PhotoRefused")
    logger.info("photo refused: the report no longer waits for it", extra={"report_id": item.report_id})
    ports.photos.delete_checked_photo(item.check["image_key"])
    ports.photos.delete_checked_photo(item.check["thumbnail_key"])


def _in_service_area(point: tuple[float, float], settings: Settings) -> bool:
    wards = load_wards(settings.wards_geojson_path)
    return wards.within_service_area(point[0], point[1], settings.service_area_margin_m)


def route_report(
    report_id: str, *, ports: Ports, settings: Settings, now: datetime, even_without_photos: bool = False,
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
        rules = RuleSet(ports.directory.rules_for(current.category_code))
        decision = owner_for(rules, current.category_code, resolution.ward)
        due = deadlines_for(get_category(current.category_code), now)
        published, held_for = publication.at_routing(current)
        after = current.moved(
            Action.ROUTE, now,
            owner_unit_id=decision.unit_id,
            ward_code=resolution.ward.code if resolution.ward else current.ward_code,
            acknowledge_due_at=due.acknowledge_due,
            resolve_due_at=due.resolve_due,
            possible_duplicates=_possible_duplicates(current, ports.reports, settings),
            publication=published,
            held_for=held_for,
        )
        reason = decision.reason["vi"] if decision.reason else decision.basis
        return after, AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=ROUTER, action=Action.ROUTE,
            from_status=current.status, to_status=after.status, reason=reason,
        )

    changed = change_report(ports.reports, report_id, assign)
    if changed is None:
        current = ports.reports.get(report_id)
        # A redelivery after routing whose alert failed: send what did not go out (claims skip the rest).
        if current is not None and current.status is Status.ASSIGNED:
            alerts.alert_owner(current, occasion=ROUTING_ALERT, wards=wards, ports=ports, now=now)
        return None
    routed, event = changed
    count("ReportRouted")
    measure("RoutingLatency", (now - routed.created_at).total_seconds(), MetricUnit.Seconds)
    logger.info("report routed", extra={"report_id": report_id, "owner": routed.owner_unit_id})
    alerts.alert_owner(routed, occasion=ROUTING_ALERT, wards=wards, ports=ports, now=now)
    notices.tell_reporter(routed, event, ports=ports)
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
    from phananh.routing.photos import hash_distance

    mine = [photo["perceptual_hash"] for photo in report.photos.values() if photo["state"] == "checked"]
    theirs = [photo["perceptual_hash"] for photo in other.photos.values() if photo["state"] == "checked"]
    return any(hash_distance(a, b) <= 6 for a in mine for b in theirs)
