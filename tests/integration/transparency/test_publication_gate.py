"""Publication apart from the workflow, on moto through the real apps: reports whose text seems to
carry personal data, or whose field is reviewed first, are routed and worked but kept off every
public view until a coordinator publishes them; a coordinator can take a report down with a reason;
and a point read from a photo's GPS is public only on a ~100 m grid."""

import json

import pytest
import requests
from photo_samples import jpeg_with_gps
from report_flows import deliver, file_report, queued_bodies, routed_report, upload
from sign_ins import bearer

from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.routing.geo import haversine_m

OWNER = "so_xay_dung.officer"
OWNER_HEAD = "so_xay_dung.head"
COORDINATOR = "ban_dieu_phoi.coordinator1"
V2 = "/open311/v2"
WITH_PHONE = "Ổ gà lớn trước chợ, ai cần hỏi gọi anh Tư 0912 345 678"


def public_report(submit_api, report_id):
    return submit_api.http.get(f"/public/reports/{report_id}")


def feed_ids(submit_api) -> list[str]:
    return [item["report_id"] for item in submit_api.http.get("/public/reports").json_body["reports"]]


def open311_ids(submit_api, report_id) -> tuple[list[str], list[str]]:
    """What Open311 lists by its date window and by id."""
    listed = json.loads(submit_api.http.get(f"{V2}/requests.json").body)
    by_id = json.loads(submit_api.http.get(f"{V2}/requests.json?service_request_id={report_id}").body)
    return [item["service_request_id"] for item in listed], [item["service_request_id"] for item in by_id]


def assert_not_public(submit_api, report_id):
    assert public_report(submit_api, report_id).status_code == 404
    assert report_id not in feed_ids(submit_api)
    listed, by_id = open311_ids(submit_api, report_id)
    assert report_id not in listed and by_id == []
    assert submit_api.http.get(f"{V2}/requests/{report_id}.json").status_code == 404


def assert_public(submit_api, report_id):
    assert public_report(submit_api, report_id).status_code == 200
    assert report_id in feed_ids(submit_api)
    listed, by_id = open311_ids(submit_api, report_id)
    assert report_id in listed and by_id == [report_id]


def reporter_view(submit_api, receipt):
    response = submit_api.http.get(
        f"/reports/{receipt['report_id']}", headers={"Authorization": f"Bearer {receipt['tracking_token']}"}
    )
    assert response.status_code == 200, response.body
    return response.json_body


def coordinator_post(edge, report_id, action, body, who=COORDINATOR):
    return requests.post(f"{edge}/coordinator/reports/{report_id}/{action}", json=body, headers=bearer(who), timeout=10)


def review_queue(edge, who=COORDINATOR, query=""):
    return requests.get(f"{edge}/coordinator/moderation{query}", headers=bearer(who), timeout=10)


def test_a_description_with_a_phone_number_is_routed_and_worked_but_held_until_a_coordinator_publishes_it(
    aws, submit_api, route_api, edge
):
    receipt = routed_report(aws, submit_api, route_api, description=WITH_PHONE)
    report_id = receipt["report_id"]
    stored = DynamoReportStore().get(report_id)
    assert (stored.status, stored.owner_unit_id) == ("ASSIGNED", "so_xay_dung")
    assert stored.publication == "held" and stored.held_for == ("phone",)
    assert_not_public(submit_api, report_id)
    assert reporter_view(submit_api, receipt)["publication"] == {"state": "held", "held_for": ["phone"]}

    # The owner unit works it as any other report meanwhile.
    queue = requests.get(f"{edge}/officer/reports?status=ASSIGNED", headers=bearer(OWNER), timeout=10).json()
    assert report_id in [item["report_id"] for item in queue["reports"]]
    acknowledged = requests.post(f"{edge}/officer/reports/{report_id}/acknowledge", json={},
                                 headers=bearer(OWNER), timeout=10)
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "ACKNOWLEDGED"
    assert_not_public(submit_api, report_id)

    as_coordinator = requests.get(f"{edge}/officer/reports/{report_id}", headers=bearer(COORDINATOR), timeout=10)
    assert {"publish", "unpublish"} <= set(as_coordinator.json()["allowed_actions"])
    assert "publish" not in acknowledged.json()["allowed_actions"]
    waiting = review_queue(edge)
    assert waiting.status_code == 200
    [item] = waiting.json()["reports"]
    assert item["report_id"] == report_id and [ground["code"] for ground in item["held_for"]] == ["phone"]
    assert set(item["held_for"][0]["label"]) == {"vi", "en"}

    published = coordinator_post(edge, report_id, "publish", {"note": "Số là đường dây nóng của chợ",
                                                              "version": item["version"]})
    assert published.status_code == 200, published.text
    view = published.json()
    assert view["status"] == "ACKNOWLEDGED" and view["publication"]["state"] == "published"
    assert "unpublish" in view["allowed_actions"] and "publish" not in view["allowed_actions"]
    assert view["timeline"][-1]["action"] == "publish"
    assert view["timeline"][-1]["actor"].endswith(COORDINATOR)
    assert_public(submit_api, report_id)
    assert review_queue(edge).json()["reports"] == []
    # The step is the coordinators' business: not on the public or the reporter's timeline.
    assert len(public_report(submit_api, report_id).json_body["timeline"]) == 3
    again = coordinator_post(edge, report_id, "publish", {})
    assert again.status_code == 409 and again.json()["code"] == "invalid_publication_change"


@pytest.mark.parametrize("description", [
    "Rác đổ trước nhà, liên hệ chu.nha@example.vn",
    "Xe đậu trước cửa, chủ xe CCCD 079203001234",
])
def test_an_email_or_a_citizen_id_holds_the_report_too(aws, submit_api, route_api, description):
    receipt = routed_report(aws, submit_api, route_api, description=description)
    assert DynamoReportStore().get(receipt["report_id"]).publication == "held"
    assert_not_public(submit_api, receipt["report_id"])


def test_a_field_set_to_review_first_waits_for_a_coordinator_and_a_plain_report_is_public_at_routing(
    aws, submit_api, route_api, edge
):
    reviewed = routed_report(aws, submit_api, route_api, category="security", description="Tụ tập gây rối ban đêm")
    plain = routed_report(aws, submit_api, route_api, description="Ổ gà lớn trước chợ ngày 12/05/2024, số 123/45")
    assert DynamoReportStore().get(reviewed["report_id"]).held_for == ("review_first",)
    assert_not_public(submit_api, reviewed["report_id"])
    assert DynamoReportStore().get(plain["report_id"]).publication == "published"
    assert_public(submit_api, plain["report_id"])
    assert [item["report_id"] for item in review_queue(edge).json()["reports"]] == [reviewed["report_id"]]


def test_a_coordinator_unpublishes_with_a_reason_and_the_unit_works_on(aws, submit_api, route_api, edge):
    receipt = routed_report(aws, submit_api, route_api)
    report_id = receipt["report_id"]
    assert_public(submit_api, report_id)

    missing_reason = coordinator_post(edge, report_id, "unpublish", {})
    assert missing_reason.status_code == 400 and missing_reason.json()["message"]["vi"]
    unpublished = coordinator_post(edge, report_id, "unpublish", {"reason": "Ảnh thấy rõ biển số xe"})
    assert unpublished.status_code == 200, unpublished.text
    assert unpublished.json()["publication"]["state"] == "unpublished"
    assert unpublished.json()["timeline"][-1]["reason"] == "Ảnh thấy rõ biển số xe"
    assert_not_public(submit_api, report_id)
    # Taken down is not waiting for review.
    assert review_queue(edge).json()["reports"] == []
    assert reporter_view(submit_api, receipt)["publication"]["state"] == "unpublished"

    resolved = requests.post(f"{edge}/officer/reports/{report_id}/acknowledge", json={},
                             headers=bearer(OWNER), timeout=10)
    assert resolved.status_code == 200
    assert_not_public(submit_api, report_id)
    assert coordinator_post(edge, report_id, "publish", {}).status_code == 200
    assert_public(submit_api, report_id)


def test_only_coordinators_moderate_publication(aws, submit_api, route_api, edge):
    receipt = routed_report(aws, submit_api, route_api, description=WITH_PHONE)
    report_id = receipt["report_id"]
    for who in (OWNER, OWNER_HEAD):
        for action, body in (("publish", {}), ("unpublish", {"reason": "x"})):
            response = coordinator_post(edge, report_id, action, body, who=who)
            assert response.status_code == 403 and response.json()["code"] == "forbidden"
        listed = review_queue(edge, who=who)
        assert listed.status_code == 403 and report_id not in listed.text
    assert DynamoReportStore().get(report_id).publication == "held"
    assert [event.action for event in DynamoReportStore().events(report_id)] == ["submit", "route"]


def test_a_rejected_report_can_never_be_published(aws, submit_api, route_api, edge):
    receipt = routed_report(aws, submit_api, route_api, description=WITH_PHONE)
    report_id = receipt["report_id"]
    assert coordinator_post(edge, report_id, "reject", {"grounds": "spam", "reason": "Quảng cáo"}).status_code == 200
    refused = coordinator_post(edge, report_id, "publish", {})
    assert refused.status_code == 409 and refused.json()["code"] == "not_publishable"
    assert_not_public(submit_api, report_id)
    assert review_queue(edge).json()["reports"] == []


def test_the_review_queue_pages_and_refuses_a_public_feed_cursor(aws, submit_api, route_api, edge):
    held = [routed_report(aws, submit_api, route_api, description=WITH_PHONE)["report_id"] for _ in range(3)]
    for _ in range(2):
        routed_report(aws, submit_api, route_api)
    first = review_queue(edge, query="?limit=2").json()
    second = review_queue(edge, query=f"?limit=2&cursor={first['next_cursor']}").json()
    paged = [item["report_id"] for item in first["reports"] + second["reports"]]
    # (Filed within the same second, they share their routing time: the order among them is the index's.)
    assert len(first["reports"]) == 2 and sorted(paged) == sorted(held)
    feed_cursor = submit_api.http.get("/public/reports?limit=1").json_body["next_cursor"]
    refused = review_queue(edge, query=f"?cursor={feed_cursor}")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_cursor"
    assert review_queue(edge, query="?limit=0").status_code == 400


def test_a_point_from_the_photos_gps_is_public_only_on_a_100_m_grid(aws, submit_api, route_api, edge):
    exact = (9.77913, 105.47027)
    receipt = file_report(submit_api, photo_count=1, location=None, ward_code="31321")
    upload(aws, receipt, 1, jpeg_with_gps(lat=exact[0], lon=exact[1]))
    deliver(route_api, queued_bodies(aws))
    report_id = receipt["report_id"]
    stored = DynamoReportStore().get(report_id)
    assert stored.location.from_photo and stored.location.lat == pytest.approx(exact[0], abs=1e-5)

    public = public_report(submit_api, report_id).json_body
    point = (public["location"]["lat"], public["location"]["lon"])
    assert public["location_rounded_to_m"] == 100
    assert 5 < haversine_m(*point, *exact) <= 75
    # The same rounded point however often it is read: nothing to average away.
    assert all(public_report(submit_api, report_id).json_body["location"] == public["location"] for _ in range(3))
    [request] = json.loads(submit_api.http.get(f"{V2}/requests/{report_id}.json").body)
    assert (request["lat"], request["long"]) == point

    mine = reporter_view(submit_api, receipt)
    assert mine["location"]["lat"] == pytest.approx(exact[0], abs=1e-5) and mine["location_from_photo"] is True
    assert mine["location_rounded_to_m"] is None
    officer = requests.get(f"{edge}/officer/reports/{report_id}", headers=bearer(OWNER), timeout=10).json()
    assert officer["location"]["lat"] == pytest.approx(exact[0], abs=1e-5)
    assert officer["location"]["lon"] == pytest.approx(exact[1], abs=1e-5)


def test_a_point_the_reporter_gave_is_published_as_given(aws, submit_api, route_api):
    receipt = routed_report(aws, submit_api, route_api, location={"lat": 9.77913, "lon": 105.47027})
    public = public_report(submit_api, receipt["report_id"]).json_body
    assert public["location"] == {"lat": 9.77913, "lon": 105.47027}
    assert public["location_rounded_to_m"] is None
