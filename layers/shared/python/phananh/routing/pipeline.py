"""What happens after a report is filed and its photos are checked (routing.photo_check): the route
function records each check's result, if the report still waits for that photo, and routes the
report to the one unit responsible, whose officers are alerted at once. The after-photos an officer
uploads when resolving a report, and the photos of a reporter's answer to a question, go through the
same check.

Every step tolerates being run twice (S3 and SQS deliver at least once): a photo already recorded
is not recorded again, a report no longer RECEIVED is not routed again, and each alert channel is
sent once: a delivery retried after a failed alert sends only what did not go out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from phananh.ports import Ports
from phananh.report.categories import get_category
from phananh.report.changes import change_report
from phananh.report.deadlines import deadlines_for
from phananh.report.lifecycle import OPEN_STATES, Action, Status
from phananh.report.model import AuditEvent, Location, Photo, Question, Report
from phananh.report.ports import ReportStore
from phananh.routing.fix_location import taken_at_report_point
from phananh.routing.geo import haversine_m, load_wards
from phananh.routing.intake_item import IntakeItem
from phananh.routing.rules import RuleSet, owner_for, resolve_ward
from phananh.shared.observability import MetricUnit, count, logger, measure
from phananh.shared.settings import Settings
from phananh.transparency import publication

ROUTER = "system:route"
PHOTO_CHECKER = "system:photo-check"
# How far apart two reports sharing a near-identical photo may be and still be flagged (the reach of
# the geohash neighbourhood the lookup used to read); points alone must be within duplicate_radius_m.
SHARED_PHOTO_RADIUS_M = 150


def _answered_question(report: Report, item: IntakeItem) -> Question | None:
    """The question whose answer an answer photo belongs to, once answered."""
    number = item.question_number
    if number is None or not 1 <= number <= len(report.questions):
        return None
    question = report.questions[number - 1]
    return question if question.answered_at is not None else None


def _photo_slots(report: Report, item: IntakeItem) -> tuple[int, dict[str, Photo]]:
    """How many photos of the upload's kind the report expects, and those recorded so far."""
    if item.result_photo:
        return (report.result.photo_count if report.result else 0), report.result_photos
    if item.question_number is not None:
        question = _answered_question(report, item)
        return (question.answer_photo_count, question.answer_photos) if question else (0, {})
    return report.photo_count, report.photos


def _recorded(report: Report, item: IntakeItem, photo: Photo) -> dict[str, object]:
    """The change that records `photo` where the report keeps photos of the upload's kind."""
    index = str(item.photo_index)
    if item.result_photo:
        return {"result_photos": {**report.result_photos, index: photo}}
    if item.question_number is not None:
        number = item.question_number
        question = report.questions[number - 1]
        answered = replace(question, answer_photos={**question.answer_photos, index: photo})
        return {"questions": (*report.questions[:number - 1], answered, *report.questions[number:])}
    return {"photos": {**report.photos, index: photo}}


def _waiting_status(report: Report, item: IntakeItem) -> bool:
    """The report is where photos of this kind are taken: the reporter's until it is routed, the
    after-photos while its resolution stands, an answer's while the report is open after the answer."""
    if item.result_photo:
        return report.status is Status.RESOLVED
    if item.question_number is not None:
        return report.status in OPEN_STATES and _answered_question(report, item) is not None
    return report.status is Status.RECEIVED


def _waiting_for(report: Report, item: IntakeItem) -> bool:
    """Whether the report still waits for this photo: the reporter's until it is routed, the
    after-photos while its resolution stands. An upload through a stale form is refused."""
    expected, recorded = _photo_slots(report, item)
    return _waiting_status(report, item) and item.photo_index <= expected and str(item.photo_index) not in recorded


def record_photo_check(item: IntakeItem, *, ports: Ports, settings: Settings, now: datetime) -> Report | None:
    """Record a photo check's result on its report (in the route function); None if the report no
    longer waits for it, whose checked copies are then taken down again."""
    photo, gps = Photo.from_record(item.check), item.gps

    def attach(current: Report) -> tuple[Report, AuditEvent] | None:
        if not _waiting_for(current, item):
            return None
        changes = _recorded(current, item, photo)
        # Only the reporter's photo tells where the problem is; of an after-photo's GPS only whether
        # it was taken there is kept (one such photo verifies the resolution's location), and an
        # answer photo's GPS is not kept.
        if "photos" in changes and current.location is None and gps and _in_service_area(gps, settings):
            changes["location"] = Location(*gps, from_photo=True)
        if item.result_photo and current.result and taken_at_report_point(current.location, gps):
            changes["result"] = replace(current.result, location_verified=True)
        after = current.changed(now, **changes)
        return after, AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=PHOTO_CHECKER,
            action=Action.ATTACH_PHOTO, from_status=current.status, to_status=current.status,
            reason=photo.reason, public=False,
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
    recorded = _photo_slots(report, item)[1].get(str(item.photo_index)) if report else None
    if recorded is not None and recorded.image_key == item.check["image_key"]:
        return
    count("PhotoRefused")
    logger.info("photo refused: the report no longer waits for it", extra={"report_id": item.report_id})
    ports.photos.delete_checked_photo(item.check["image_key"])
    ports.photos.delete_checked_photo(item.check["thumbnail_key"])
    if "evidence_key" in item.check:
        ports.photos.delete_checked_photo(item.check["evidence_key"])


def _in_service_area(point: tuple[float, float], settings: Settings) -> bool:
    wards = load_wards(settings.wards_geojson_path)
    return wards.within_service_area(point[0], point[1], settings.service_area_margin_m)


def _unit_active(ports: Ports) -> Callable[[str], bool]:
    """Whether routing may send a report to a unit: not when it is disabled. A rule naming a unit the
    directory lacks still routes there, as before units could be disabled (the rule check reports it)."""

    def is_active(unit_id: str) -> bool:
        unit = ports.directory.unit(unit_id)
        return unit is None or unit.active

    return is_active


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
        decision = owner_for(rules, current.category_code, resolution.ward, is_active=_unit_active(ports))
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

    # The owner's alert and the reporter's push follow from the reports stream (phananh.outbox), so
    # a routing saved is never left unalerted, whatever happens to this function after the write.
    changed = change_report(ports.reports, report_id, assign)
    if changed is None:
        return None
    routed, _ = changed
    count("ReportRouted")
    measure("RoutingLatency", (now - routed.created_at).total_seconds(), MetricUnit.Seconds)
    logger.info("report routed", extra={"report_id": report_id, "owner": routed.owner_unit_id})
    return routed


def _possible_duplicates(report: Report, reports: ReportStore, settings: Settings) -> tuple[str, ...]:
    """Reports of the same field still being handled within a few tens of metres, or sharing a photo."""
    if report.location is None:
        return ()
    found = []
    search_radius_m = max(settings.duplicate_radius_m, SHARED_PHOTO_RADIUS_M)
    for other in reports.nearby(report.category_code, report.location.lat, report.location.lon, search_radius_m):
        if other.report_id == report.report_id or other.location is None:
            continue
        distance = haversine_m(report.location.lat, report.location.lon, other.location.lat, other.location.lon)
        if distance <= settings.duplicate_radius_m or _shares_a_photo(report, other):
            found.append(other.report_id)
    return tuple(sorted(found))


def _shares_a_photo(report: Report, other: Report) -> bool:
    from phananh.routing.photos import hash_distance

    mine = [photo.perceptual_hash for photo in report.photos.values() if photo.is_checked]
    theirs = [photo.perceptual_hash for photo in other.photos.values() if photo.is_checked]
    return any(hash_distance(a, b) <= 6 for a in mine for b in theirs)
