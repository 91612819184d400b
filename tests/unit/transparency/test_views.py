"""The views of a report for each audience (transparency.views) on the fake ports: the public's, the
reporter's (with the tracking token), a merged report's reporter following the master, the feed."""

from datetime import timedelta

import pytest
from flows_on_fakes import ROUTED_AT, routed

from phananh.processing import commands
from phananh.shared.errors import InvalidInput, NotFound
from phananh.transparency import views

NOW = ROUTED_AT + timedelta(hours=1)


def test_the_public_sees_a_published_report_without_the_officers_notes(
        ports, settings, officer):
    report, _ = routed(ports, settings, address="Chợ Vị Thanh")
    commands.acknowledge(officer, report.report_id, note="Anh Tâm sẽ gọi lại", ports=ports,
                         now=NOW)
    view = views.public_view(report.report_id, ports=ports, settings=settings)
    assert (view["status"], view["owner_unit"]["unit_id"]) == ("ACKNOWLEDGED", report.owner_unit_id)
    assert view["ward"]["code"] == "31321" and view["address"] == "Chợ Vị Thanh"
    assert "Anh Tâm" not in str(view["timeline"])


def test_the_reporter_sees_their_report_with_the_notes_and_nobody_sees_it_with_a_wrong_token(
        ports, settings, officer):
    report, token = routed(ports, settings)
    commands.acknowledge(officer, report.report_id, note="Anh Tâm sẽ gọi lại", ports=ports,
                         now=NOW)
    view = views.reporter_view(report.report_id, token, ports=ports, settings=settings)
    assert "Anh Tâm sẽ gọi lại" in str(view["timeline"])
    assert view["location"]["lat"] == report.location.lat
    for wrong in (None, "not-the-token"):
        with pytest.raises(NotFound):
            views.reporter_view(report.report_id, wrong, ports=ports, settings=settings)


def test_an_unpublished_or_held_report_is_not_public(ports, settings, coordinator):
    held, _ = routed(ports, settings, description="Gọi 0961234580")
    with pytest.raises(NotFound):
        views.public_view(held.report_id, ports=ports, settings=settings)
    shown, _ = routed(ports, settings)
    commands.unpublish(coordinator, shown.report_id, "riêng tư", ports=ports, now=NOW)
    with pytest.raises(NotFound):
        views.public_view(shown.report_id, ports=ports, settings=settings)


def test_a_merged_reports_reporter_follows_the_master(ports, settings, officer, coordinator):
    duplicate, token = routed(ports, settings)
    master, _ = routed(ports, settings, description="Ổ gà lớn")
    commands.merge(coordinator, duplicate.report_id, master.report_id, ports=ports, now=NOW)
    commands.acknowledge(officer, master.report_id, ports=ports, now=NOW + timedelta(hours=1))
    view = views.reporter_view(duplicate.report_id, token, ports=ports, settings=settings)
    assert (view["merged_into"], view["status"]) == (master.report_id, "ACKNOWLEDGED")
    assert [entry["status"] for entry in view["timeline"]][-2:] == ["DUPLICATE", "ACKNOWLEDGED"]


def test_the_feed_lists_public_reports_newest_first_with_filters_and_a_cursor(ports, settings, coordinator):
    reports = [routed(ports, settings, now=ROUTED_AT + timedelta(minutes=n))[0] for n in range(3)]
    lights = routed(ports, settings, now=ROUTED_AT + timedelta(minutes=5), category="lighting")[0]
    routed(ports, settings, description="Gọi 0961234580")  # held for review
    page = views.public_feed({"limit": "3"}, ports=ports, settings=settings)
    rest = views.public_feed({"limit": "3", "cursor": page["next_cursor"]}, ports=ports, settings=settings)
    assert [item["report_id"] for item in page["reports"] + rest["reports"]] == [
        lights.report_id, *(report.report_id for report in reversed(reports))]
    only_lights = views.public_feed({"category": "lighting"}, ports=ports, settings=settings)
    assert [item["report_id"] for item in only_lights["reports"]] == [lights.report_id]
    for query in ({"ward": "00000"}, {"category": "astrology"}, {"status": "RECEIVED"}, {"limit": "0"}):
        with pytest.raises(InvalidInput):
            views.public_feed(query, ports=ports, settings=settings)
