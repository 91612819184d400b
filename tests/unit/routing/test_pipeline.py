"""The intake pipeline (routing.pipeline) on the fake ports: a photo checked and recorded, the report
routed to its one owner, the owner alerted (from the outbox) once however often the work is delivered."""

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from directory_for_tests import WARD_UNIT
from fakes import PUSH
from flows_on_fakes import deliver_changes
from photo_samples import astronaut_face, jpeg_with_gps
from PIL import Image

from phananh.intake import filing
from phananh.report.lifecycle import Action, Publication, Status
from phananh.routing import photo_check, pipeline
from phananh.routing.directory import COORDINATORS_ID
from phananh.routing.intake_item import IntakeItem

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=1)
POTHOLE = {"category": "roads", "description": "Ổ gà lớn trước chợ Vị Thanh", "location": {"lat": 9.779, "lon": 105.47}}


def filed(ports, settings, payload=POTHOLE):
    receipt = filing.submit_report(payload, filing.Caller("203.0.113.7"), ports=ports, settings=settings, now=NOW)
    return receipt["report_id"]


def route(ports, settings, report_id, **kwargs):
    """Routed, and what the change calls for delivered (the outbox)."""
    routed = pipeline.route_report(report_id, ports=ports, settings=settings, now=LATER, **kwargs)
    deliver_changes(ports, settings, now=LATER)
    return routed


# --- photos --------------------------------------------------------------------------------------

def checked_and_recorded(ports, settings, report_id, index=1, photo=None):
    """The photos function's check of one upload, then the route function's record of its result."""
    item = IntakeItem("photo", report_id, photo_index=index)
    ports.photos.upload(item.upload_key, photo or jpeg_with_gps(size=(400, 300)))
    assert photo_check.check_upload(item, ports=ports, settings=settings)
    sent = ports.queues.photo_checks[-1]
    result = IntakeItem("photo_checked", report_id, photo_index=sent.photo_index, photo_kind=sent.photo_kind,
                        check=sent.check, gps=sent.gps)
    return result, pipeline.record_photo_check(result, ports=ports, settings=settings, now=LATER)


def test_a_checked_photo_is_stored_its_upload_deleted_and_its_result_recorded(ports, settings, directory):
    report_id = filed(ports, settings, {**POTHOLE, "photo_count": 1})
    _, report = checked_and_recorded(ports, settings, report_id)
    photo = report.photos["1"]
    assert photo.state == "checked"
    assert set(ports.photos.checked) == {photo.image_key, photo.thumbnail_key}
    assert ports.photos.uploads == {}
    assert ports.reports.events(report_id)[-1].action is Action.ATTACH_PHOTO


def face_photo():
    scene = Image.new("RGB", (800, 600), (120, 130, 110))
    scene.paste(astronaut_face(120), (200, 150))
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def test_a_photo_with_a_face_keeps_its_unblurred_copy_apart_as_evidence(ports, settings):
    report_id = filed(ports, settings, {**POTHOLE, "photo_count": 1})
    _, report = checked_and_recorded(ports, settings, report_id, photo=face_photo())
    photo = report.photos["1"]
    assert photo.evidence_key.startswith(f"evidence/{report_id}/")
    assert set(ports.photos.checked) == {photo.image_key, photo.thumbnail_key, photo.evidence_key}
    assert ports.photos.checked[photo.evidence_key] != ports.photos.checked[photo.image_key]


def test_the_evidence_copy_is_taken_down_with_a_photo_no_report_waits_for(ports, settings, directory):
    report_id = filed(ports, settings, {**POTHOLE, "photo_count": 1})
    route(ports, settings, report_id, even_without_photos=True)  # the cutoff came first
    result, recorded = checked_and_recorded(ports, settings, report_id, photo=face_photo())
    assert recorded is None
    assert ports.photos.checked == {}
    assert result.check["evidence_key"] in ports.photos.deleted


def test_an_upload_already_handled_is_not_checked_again(ports, settings):
    item = IntakeItem("photo", filed(ports, settings, {**POTHOLE, "photo_count": 1}), photo_index=1)
    assert not photo_check.check_upload(item, ports=ports, settings=settings)
    assert ports.queues.photo_checks == []


def test_what_is_not_a_photo_is_recorded_as_rejected(ports, settings):
    report_id = filed(ports, settings, {**POTHOLE, "photo_count": 1})
    _, report = checked_and_recorded(ports, settings, report_id, photo=b"#!/bin/sh\necho not a photo\n")
    assert report.photos["1"].state == "rejected"
    assert ports.photos.checked == {}


def test_a_photos_gps_places_a_report_filed_without_a_point(ports, settings):
    no_point = {key: value for key, value in POTHOLE.items() if key != "location"}
    report_id = filed(ports, settings, {**no_point, "ward_code": "31321", "photo_count": 1})
    _, report = checked_and_recorded(ports, settings, report_id, photo=jpeg_with_gps(9.7791, 105.4702, size=(400, 300)))
    assert report.location.from_photo and round(report.location.lat, 4) == 9.7791


def test_a_check_result_delivered_twice_is_recorded_once_and_its_copies_kept(ports, settings):
    report_id = filed(ports, settings, {**POTHOLE, "photo_count": 1})
    result, report = checked_and_recorded(ports, settings, report_id)
    assert pipeline.record_photo_check(result, ports=ports, settings=settings, now=LATER) is None
    assert ports.reports.get(report_id).version == report.version
    assert report.photos["1"].image_key in ports.photos.checked


def test_a_photo_the_report_no_longer_waits_for_is_taken_down(ports, settings, directory):
    report_id = filed(ports, settings, {**POTHOLE, "photo_count": 1})
    route(ports, settings, report_id, even_without_photos=True)  # the cutoff came first
    result, recorded = checked_and_recorded(ports, settings, report_id)
    assert recorded is None
    assert ports.photos.checked == {}
    assert result.check["image_key"] in ports.photos.deleted


# --- routing -------------------------------------------------------------------------------------

def test_a_report_is_routed_to_the_one_owner_with_its_clocks_started_and_its_officers_alerted(
        ports, settings, directory):
    report_id = filed(ports, settings)
    routed = route(ports, settings, report_id)
    assert (routed.status, routed.owner_unit_id, routed.ward_code) == (Status.ASSIGNED, WARD_UNIT, "31321")
    assert routed.acknowledge_due_at > LATER and routed.resolve_due_at > routed.acknowledge_due_at
    assert routed.publication is Publication.PUBLISHED and routed.published_at == LATER
    assert sorted(email.recipients[0] for email in ports.notifier.emails) == sorted(
        officer.email for officer in (directory.officer, directory.unit_head)
    )
    assert [published.topic_arn for published in ports.notifier.published] == [directory.ward.topic_arn]
    assert report_id in ports.notifier.emails[0].subject + ports.notifier.emails[0].body


def test_a_report_no_rule_covers_goes_to_the_coordinators_with_the_reason(ports, settings, directory):
    routed = route(ports, settings, filed(ports, settings, {**POTHOLE, "category": "waste"}))
    assert routed.owner_unit_id == COORDINATORS_ID
    assert "waste" in ports.reports.events(routed.report_id)[-1].reason
    assert [email.recipients for email in ports.notifier.emails] == [[directory.coordinator.email]]


def test_a_report_waiting_for_photos_is_routed_once_they_are_all_in_or_at_the_cutoff(ports, settings, directory):
    report_id = filed(ports, settings, {**POTHOLE, "photo_count": 2})
    assert route(ports, settings, report_id) is None
    checked_and_recorded(ports, settings, report_id, 1)
    assert route(ports, settings, report_id) is None
    assert route(ports, settings, report_id, even_without_photos=True).status is Status.ASSIGNED


def test_a_redelivered_report_is_not_routed_again_nor_alerted_twice(ports, settings, directory):
    report_id = filed(ports, settings)
    routed = route(ports, settings, report_id)
    sent = (len(ports.notifier.emails), len(ports.notifier.published))
    assert route(ports, settings, report_id) is None
    assert ports.reports.get(report_id).version == routed.version
    assert (len(ports.notifier.emails), len(ports.notifier.published)) == sent


def test_a_redelivery_after_a_failed_alert_sends_only_what_did_not_go_out(ports, settings, directory):
    report_id = filed(ports, settings)
    publish = ports.notifier.publish_to_topic
    ports.notifier.publish_to_topic = lambda *args: (_ for _ in ()).throw(ConnectionError("SNS down"))
    with pytest.raises(ConnectionError):
        route(ports, settings, report_id)
    assert ports.reports.get(report_id).status is Status.ASSIGNED  # the routing stands
    emails = len(ports.notifier.emails)
    ports.notifier.publish_to_topic = publish
    assert route(ports, settings, report_id) is None  # the intake message again: nothing to route
    assert len(ports.notifier.emails) == emails  # the owner alert redelivered: only the text goes out
    assert len(ports.notifier.published) == 1


def test_a_report_close_to_one_being_handled_is_flagged_as_a_possible_duplicate(ports, settings, directory):
    first = route(ports, settings, filed(ports, settings))
    second = route(ports, settings, filed(ports, settings, {**POTHOLE, "location": {"lat": 9.7791, "lon": 105.47}}))
    assert second.possible_duplicates == (first.report_id,)


def test_a_report_whose_text_seems_to_carry_a_phone_number_is_held_for_review(ports, settings, directory):
    routed = route(ports, settings, filed(ports, settings, {**POTHOLE, "description": "Gọi tôi 0961234580 nhé"}))
    assert routed.publication is Publication.HELD and routed.held_for == ("phone",)
    assert routed.status is Status.ASSIGNED


def test_the_reporter_hears_of_the_routing_by_push(ports, settings, directory):
    route(ports, settings, filed(ports, settings, {**POTHOLE, "push": PUSH}))
    assert [pushed.device.to_dict() for pushed in ports.notifier.pushes] == [PUSH]


def test_a_report_changed_under_the_router_is_routed_on_the_fresh_copy(ports, settings, directory):
    report_id = filed(ports, settings)
    real_get, raced = ports.reports.get, []

    def get_then_race(wanted):
        current = real_get(wanted)
        if current is not None and not raced:
            raced.append(True)
            noted = current.changed(NOW + timedelta(seconds=30), address="Chợ Vị Thanh")
            ports.reports.save_change(current, noted, replace(ports.reports.events(wanted)[0], version=2,
                                                              action=Action.NOTE))
        return current

    ports.reports.get = get_then_race
    routed = route(ports, settings, report_id)
    assert routed.version == 3 and routed.address == "Chợ Vị Thanh"
