"""The views of a report for each audience (transparency.views) on the fake ports: the public's, the
reporter's (with the tracking token), a merged report's reporter following the master, the feed."""

import math
from dataclasses import replace
from datetime import timedelta

import pytest
from fakes import PUSH
from flows_on_fakes import CONTACT, ROUTED_AT, routed
from sample_reports import assigned, filed_event

from phananh.intake.caller import Caller
from phananh.processing import commands
from phananh.report.deadlines import ESCALATION_LEVELS
from phananh.report.lifecycle import Action
from phananh.report.model import AuditEvent, Location
from phananh.routing.geo import METRES_PER_DEGREE, haversine_m, snap_to_grid
from phananh.shared.clock import VIETNAM
from phananh.shared.errors import InvalidInput, NotFound, RateLimited
from phananh.transparency import rating, views
from phananh.transparency.items import PHOTO_LOCATION_GRID_M

NOW = ROUTED_AT + timedelta(hours=1)


def test_the_public_sees_a_published_report_with_the_officers_public_notes_and_its_deadlines(
        ports, settings, officer):
    report, _ = routed(ports, settings, address="Chợ Vị Thanh")
    commands.acknowledge(officer, report.report_id, note="Đội sẽ đến trong hôm nay", ports=ports, now=NOW)
    view = views.public_view(report.report_id, ports=ports, settings=settings, now=NOW)
    assert (view["status"], view["owner_unit"]["unit_id"]) == ("ACKNOWLEDGED", report.owner_unit_id)
    assert view["ward"]["code"] == "31321" and view["address"] == "Chợ Vị Thanh"
    step = view["timeline"][-1]
    assert (step["status"], step["note"]) == ("ACKNOWLEDGED", "Đội sẽ đến trong hôm nay")
    acknowledge, resolve = view["deadlines"]["acknowledge"], view["deadlines"]["resolve"]
    assert acknowledge["due_at"] == view["acknowledge_due_at"] and acknowledge["done_at"] == NOW.isoformat()
    assert acknowledge["met"] is True
    assert (resolve["due_at"], resolve["done_at"], resolve["met"]) == (view["resolve_due_at"], None, None)


def test_a_deadline_gone_by_undone_is_missed_and_a_late_resolution_stays_missed(ports, settings, officer):
    report, _ = routed(ports, settings)
    late = report.resolve_due_at + timedelta(hours=2)
    pending = views.public_view(report.report_id, ports=ports, settings=settings, now=late)["deadlines"]
    assert (pending["acknowledge"]["met"], pending["resolve"]["met"]) == (False, False)
    commands.acknowledge(officer, report.report_id, ports=ports, now=late)
    commands.resolve(officer, report.report_id, "Đã vá ổ gà", photo_count=1, ports=ports,
                     now=late + timedelta(minutes=5))
    view = views.public_view(report.report_id, ports=ports, settings=settings, now=late + timedelta(days=1))
    done = view["deadlines"]["resolve"]
    assert (done["done_at"], done["met"]) == ((late + timedelta(minutes=5)).isoformat(), False)
    assert view["timeline"][-1]["note"] == "Đã vá ổ gà"


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
        views.public_view(held.report_id, ports=ports, settings=settings, now=NOW)
    shown, _ = routed(ports, settings)
    commands.unpublish(coordinator, shown.report_id, "riêng tư", ports=ports, now=NOW)
    with pytest.raises(NotFound):
        views.public_view(shown.report_id, ports=ports, settings=settings, now=NOW)


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
    for query in ({"from": "2026-3-01"}, {"to": "01/03/2026"}, {"from": "2026-03-05", "to": "2026-03-01"},
                  {"overdue": "yes"}, {"from": "２０２６-03-01"}):
        with pytest.raises(InvalidInput) as refused:
            views.public_feed(query, ports=ports, settings=settings)
        assert refused.value.details["field"] in query


def test_a_feed_item_says_where_who_owns_it_whether_it_is_overdue_and_how_it_ended(
        ports, settings, officer):
    report, token = routed(ports, settings)
    commands.acknowledge(officer, report.report_id, ports=ports, now=NOW)
    commands.resolve(officer, report.report_id, "Đã vá", photo_count=1, ports=ports, now=NOW + timedelta(hours=1))
    rating.rate(report.report_id, token, {"score": 4, "fixed": True}, ports=ports, now=NOW + timedelta(hours=2))
    item = views.public_feed({}, ports=ports, settings=settings)["reports"][0]
    assert item["location"] == {"lat": report.location.lat, "lon": report.location.lon}
    assert item["location_rounded_to_m"] is None
    assert item["owner_unit"]["unit_id"] == report.owner_unit_id
    assert (item["overdue"], item["resolved_at"], item["rating_score"]) == (
        False, (NOW + timedelta(hours=1)).isoformat(), 4)
    # Rated fixed: a confirmed fix; its after-photo never came, so the location is not verified.
    assert (item["fix_confirmed"], item["fix_location_verified"]) == (True, False)


def test_a_feed_item_says_nothing_of_the_fix_while_it_is_not_settled(ports, settings, officer):
    report, token = routed(ports, settings)
    commands.acknowledge(officer, report.report_id, ports=ports, now=NOW)
    [waiting] = views.public_feed({}, ports=ports, settings=settings)["reports"]
    assert (waiting["fix_confirmed"], waiting["fix_location_verified"]) == (None, None)
    commands.resolve(officer, report.report_id, "Đã vá", photo_count=1, ports=ports, now=NOW + timedelta(hours=1))
    rating.rate(report.report_id, token, {"score": 3, "fixed": False}, ports=ports, now=NOW + timedelta(hours=2))
    [closed] = views.public_feed({}, ports=ports, settings=settings)["reports"]
    assert (closed["status"], closed["fix_confirmed"]) == ("CLOSED", False)


def test_the_feed_keeps_the_days_filed_and_the_overdue_asked_for(ports, settings):
    first = routed(ports, settings)[0]
    # Filed the next Vietnam day (02:00 UTC is 09:00 in Vietnam).
    second = routed(ports, settings, now=ROUTED_AT + timedelta(days=1))[0]
    day = first.created_at.astimezone(VIETNAM).date()

    def ids(query):
        return [item["report_id"] for item in views.public_feed(query, ports=ports, settings=settings)["reports"]]

    assert ids({"from": str(day), "to": str(day)}) == [first.report_id]
    assert ids({"from": str(day + timedelta(days=1))}) == [second.report_id]
    assert ids({"to": str(day)}) == [first.report_id]
    assert ids({"overdue": "false"}) == [second.report_id, first.report_id]
    assert ids({"overdue": "true"}) == []
    escalated = second.changed(NOW, escalation_level=ESCALATION_LEVELS, escalation_due=second.acknowledge_due_at)
    ports.reports.save_change(second, escalated, AuditEvent(
        report_id=second.report_id, version=escalated.version, at=NOW, actor="escalation", action=Action.ESCALATE,
        from_status=second.status, to_status=second.status, public=False))
    assert ids({"overdue": "true"}) == [second.report_id]
    assert ids({"overdue": "false"}) == [first.report_id]


# --- GET /public/nearby ---------------------------------------------------------------------------

HERE = {"lat": 9.779, "lon": 105.47}


def _north(metres: float) -> dict:
    return {"lat": HERE["lat"] + metres / METRES_PER_DEGREE, "lon": HERE["lon"]}


def _east(metres: float) -> dict:
    return {"lat": HERE["lat"], "lon": HERE["lon"] + metres / (METRES_PER_DEGREE * math.cos(math.radians(HERE["lat"])))}


def nearby(ports, settings, caller=None, **query):
    asked = {"lat": str(HERE["lat"]), "lon": str(HERE["lon"]), "category": "roads", **query}
    return views.public_nearby(asked, caller or Caller(None), ports=ports, settings=settings, now=NOW)


def test_nearby_lists_the_fields_open_reports_nearest_first_with_their_distance(ports, settings, directory):
    far, near, here = (routed(ports, settings, location=_north(metres))[0] for metres in (120, 40, 0))
    answer = nearby(ports, settings)
    assert [(item["report_id"], item["distance_m"]) for item in answer["reports"]] == [
        (here.report_id, 0), (near.report_id, 40), (far.report_id, 120)]
    # Each is the feed's item of the report, with its distance.
    feed = {item["report_id"]: item for item in views.public_feed({}, ports=ports, settings=settings)["reports"]}
    assert all(item == {**feed[item["report_id"]], "distance_m": item["distance_m"]} for item in answer["reports"])


def test_nearby_keeps_within_the_radius_asked_for(ports, settings, directory):
    close = routed(ports, settings, location=_north(100))[0]
    middling = routed(ports, settings, location=_north(260))[0]
    routed(ports, settings, location=_north(700))

    def found(**query):
        return [item["report_id"] for item in nearby(ports, settings, **query)["reports"]]

    assert found() == [close.report_id]  # 150 m by default
    assert found(radius_m="300") == [close.report_id, middling.report_id]
    assert found(radius_m="500") == [close.report_id, middling.report_id]
    assert found(radius_m="50") == []


def test_nearby_finds_a_photo_located_report_by_the_rounded_point_the_public_sees(ports, settings, directory):
    # A point read from a photo is shown at its grid cell's centre: it is that point's distance that
    # counts, though the report itself lies farther than the radius.
    beyond = next(
        point for point in (_east(metres) for metres in [*range(151, 250), *range(-151, -250, -1)])
        if haversine_m(*HERE.values(), *snap_to_grid(point["lat"], point["lon"], PHOTO_LOCATION_GRID_M)) <= 145
    )
    report = assigned(location=Location(beyond["lat"], beyond["lon"], from_photo=True))
    ports.reports.create(report, filed_event(report))
    assert [item["report_id"] for item in nearby(ports, settings)["reports"]] == [report.report_id]


def test_nearby_shows_only_what_the_public_sees_and_still_open(ports, settings, officer, coordinator):
    shown = routed(ports, settings, location=_north(10))[0]
    routed(ports, settings, location=_north(20), category="lighting")  # another field
    routed(ports, settings, location=_north(30), description="Gọi 0961234580")  # held for review
    resolved = routed(ports, settings, location=_north(40))[0]
    commands.acknowledge(officer, resolved.report_id, ports=ports, now=NOW)
    commands.resolve(officer, resolved.report_id, "Đã vá", photo_count=1, ports=ports, now=NOW)
    rejected = routed(ports, settings, location=_north(50))[0]
    commands.reject(coordinator, rejected.report_id, "spam", "Quảng cáo", ports=ports, now=NOW)
    assert [item["report_id"] for item in nearby(ports, settings)["reports"]] == [shown.report_id]


def test_nearby_tells_nothing_personal(ports, settings, directory):
    report, token = routed(ports, settings, location=_north(10), contact=CONTACT, device_id="phone-of-dan",
                           push=PUSH)
    answer = str(nearby(ports, settings))
    assert report.report_id in answer
    for personal in (token, CONTACT["phone"], CONTACT["email"], "phone-of-dan", PUSH["token"], "198.18."):
        assert personal not in answer


def test_nearby_is_limited_per_caller_address(ports, settings, directory):
    strict = replace(settings, nearby_bucket_capacity=2, nearby_refill_per_hour=1)
    caller = Caller("203.0.113.7")
    for _ in range(2):
        nearby(ports, strict, caller)
    with pytest.raises(RateLimited):
        nearby(ports, strict, caller)
    nearby(ports, strict, Caller("203.0.113.8"))  # another address has its own bucket


@pytest.mark.parametrize(("query", "field", "code"), [
    ({"lat": None}, "lat", "missing_field"),
    ({"lon": "1e2"}, "lon", "invalid_coordinates"),
    ({"lat": "91"}, "lat", "invalid_coordinates"),
    ({"lat": "nan"}, "lat", "invalid_coordinates"),
    ({"category": None}, "category", "missing_field"),
    ({"category": "astrology"}, "category", "unknown_category"),
    ({"radius_m": "0"}, "radius_m", "invalid_radius"),
    ({"radius_m": "501"}, "radius_m", "invalid_radius"),
])
def test_nearby_refuses_a_bad_question(ports, settings, query, field, code):
    asked = {"lat": "9.779", "lon": "105.47", "category": "roads", **query}
    with pytest.raises(InvalidInput) as refused:
        views.public_nearby({name: value for name, value in asked.items() if value is not None}, Caller(None),
                            ports=ports, settings=settings, now=NOW)
    assert (refused.value.code, refused.value.details["field"]) == (code, field)
