"""Proof of fix (routing.fix_location, routing.pipeline): an after-photo whose own GPS lies within 100 m
of the report's point marks the resolution "location verified"; one taken elsewhere, or without GPS,
does not; the officer's position itself is never kept."""

from datetime import timedelta

import pytest
from flows_on_fakes import POTHOLE, ROUTED_AT, routed
from photo_samples import jpeg_with_gps

from phananh.processing import commands
from phananh.report.model import Location
from phananh.report.photo_keys import RESULT_PHOTO_PREFIX
from phananh.routing import photo_check, pipeline
from phananh.routing.fix_location import FIX_LOCATION_RADIUS_M, taken_at_report_point
from phananh.routing.geo import haversine_m
from phananh.routing.intake_item import IntakeItem

POINT = Location(POTHOLE["location"]["lat"], POTHOLE["location"]["lon"])
# About 55 m and 220 m north of the report's point (0.001° of latitude is 111 m).
NEAR, FAR = (POINT.lat + 0.0005, POINT.lon), (POINT.lat + 0.002, POINT.lon)
NOW = ROUTED_AT + timedelta(hours=2)


def test_an_after_photo_within_100_m_of_the_point_verifies_the_location():
    assert haversine_m(POINT.lat, POINT.lon, *NEAR) < FIX_LOCATION_RADIUS_M < haversine_m(POINT.lat, POINT.lon, *FAR)
    assert taken_at_report_point(POINT, NEAR)
    assert not taken_at_report_point(POINT, FAR)


@pytest.mark.parametrize(("point", "gps"), [(POINT, None), (None, NEAR)])
def test_without_the_photos_gps_or_the_reports_point_nothing_is_verified(point, gps):
    assert not taken_at_report_point(point, gps)


def resolved_with_after_photos(ports, settings, officer, photos):
    """A report resolved with these after-photos, each checked and recorded as the functions would."""
    report, _ = routed(ports, settings)
    commands.acknowledge(officer, report.report_id, ports=ports, now=NOW)
    commands.resolve(officer, report.report_id, "Đã vá", photo_count=len(photos), ports=ports, now=NOW)
    for index, photo in enumerate(photos, start=1):
        item = IntakeItem("photo", report.report_id, photo_index=index, photo_kind=RESULT_PHOTO_PREFIX)
        ports.photos.upload(item.upload_key, photo)
        assert photo_check.check_upload(item, ports=ports, settings=settings)
        sent = ports.queues.photo_checks[-1]
        checked = IntakeItem("photo_checked", report.report_id, photo_index=index, photo_kind=RESULT_PHOTO_PREFIX,
                             check=sent.check, gps=sent.gps)
        assert pipeline.record_photo_check(checked, ports=ports, settings=settings, now=NOW) is not None
    return ports.reports.get(report.report_id)


def test_an_after_photo_taken_at_the_point_marks_the_result_location_verified(ports, settings, directory, officer):
    resolved = resolved_with_after_photos(ports, settings, officer, [jpeg_with_gps(*FAR, size=(400, 300)),
                                                                     jpeg_with_gps(*NEAR, size=(400, 300))])
    assert resolved.result.location_verified
    assert len(resolved.result_photos) == 2
    # Only the verdict is kept: the report's point stays the reporter's.
    assert resolved.location == POINT


def test_after_photos_taken_elsewhere_leave_the_location_not_verified(ports, settings, directory, officer):
    resolved = resolved_with_after_photos(ports, settings, officer, [jpeg_with_gps(*FAR, size=(400, 300))])
    assert resolved.result_photos["1"].is_checked
    assert not resolved.result.location_verified
