"""Ratings on moto: the reporter rates a resolved report through the rate app with the tracking
token; a low "not fixed" rating reopens it once; a coordinator can hide an abusive comment; the
public page shows the rating and never the reporter's private details."""

import json

import pytest
import requests
from fakes import FCM_TOKEN, PUSH
from report_flows import routed_report
from sign_ins import bearer

from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.processing.sign_in import Forbidden
from phananh.report.deadlines import current_deadline
from phananh.report.model import parse_iso, utcnow
from phananh.routing.directory import COORDINATORS_ID
from phananh.shared.errors import StateConflict
from phananh.transparency import rating

OFFICER = Principal("so_xay_dung.officer", "so_xay_dung", frozenset({"officer"}))
COORDINATOR = Principal("ban_dieu_phoi.coordinator1", COORDINATORS_ID, frozenset({"coordinator"}))
JSON = {"Content-Type": "application/json"}


def _context(ports):
    return {"ports": ports, "now": utcnow()}


def resolved_report(aws, submit_api, route_api, ports, **fields):
    receipt = routed_report(aws, submit_api, route_api, **fields)
    commands.acknowledge(OFFICER, receipt["report_id"], **_context(ports))
    commands.resolve(OFFICER, receipt["report_id"], "Đã vá ổ gà", photo_count=1, **_context(ports))
    return receipt


def post_rating(rate_api, receipt, body, token=None):
    token = receipt["tracking_token"] if token is None else token
    return rate_api.http.post(
        f"/reports/{receipt['report_id']}/rating",
        headers={**JSON, "Authorization": f"Bearer {token}"}, body=json.dumps(body),
    )


def test_a_good_rating_closes_the_report_and_the_public_page_shows_it(
    aws, submit_api, route_api, rate_api, ports
):
    receipt = resolved_report(aws, submit_api, route_api, ports)
    answer = post_rating(rate_api, receipt, {"score": 5, "fixed": True, "comment": "Cảm ơn, sửa rất nhanh"})
    assert answer.status_code == 201, answer.body
    assert answer.json_body["status"] == "CLOSED"
    assert answer.json_body["reopened"] is False

    public = submit_api.http.get(f"/public/reports/{receipt['report_id']}").json_body
    assert public["status"] == "CLOSED"
    assert public["result"]["note"] == "Đã vá ổ gà"
    assert public["rating"]["score"] == 5
    assert public["rating"]["fixed"] is True
    assert public["rating"]["comment"] == "Cảm ơn, sửa rất nhanh"
    events = ports.reports.events(receipt["report_id"])
    assert events[-1].action == "close" and events[-1].actor == "reporter"
    # The comment lives on the report (where it can be hidden), not in the audit trail.
    assert "Cảm ơn" not in (events[-1].reason or "")


def test_only_the_token_holder_of_a_resolved_report_rates_it_once(aws, submit_api, route_api, rate_api, ports):
    receipt = routed_report(aws, submit_api, route_api)
    early = post_rating(rate_api, receipt, {"score": 4, "fixed": True})
    assert early.status_code == 409 and early.json_body["code"] == "not_rateable"

    commands.acknowledge(OFFICER, receipt["report_id"], **_context(ports))
    commands.resolve(OFFICER, receipt["report_id"], "Xong", photo_count=1, **_context(ports))
    other = routed_report(aws, submit_api, route_api)
    for token in (other["tracking_token"], "not-a-token", ""):
        wrong = post_rating(rate_api, receipt, {"score": 4, "fixed": True}, token=token)
        assert wrong.status_code == 404, token
        assert set(wrong.json_body) == {"code", "message"}
    missing = post_rating(rate_api, {**receipt, "report_id": "PA000000XXXXXXXX"}, {"score": 4, "fixed": True})
    assert missing.status_code == 404

    for bad in ({"score": 0, "fixed": True}, {"score": 6, "fixed": True}, {"score": True, "fixed": True},
                {"score": 3}, {"score": 3, "fixed": "yes"}, {"score": 3, "fixed": True, "comment": "x" * 1001},
                {"score": 3.5, "fixed": True}, [1, 2]):
        refused = post_rating(rate_api, receipt, bad)
        assert refused.status_code == 400, bad
        assert set(refused.json_body["message"]) == {"vi", "en"}

    assert post_rating(rate_api, receipt, {"score": 3, "fixed": True, "comment": "x" * 1000}).status_code == 201
    again = post_rating(rate_api, receipt, {"score": 5, "fixed": True})
    assert again.status_code == 409 and again.json_body["code"] == "already_rated"
    assert ports.reports.get(receipt["report_id"]).rating.score == 3


def test_not_fixed_and_a_low_score_reopens_once_with_a_new_resolve_clock(
    aws, submit_api, route_api, rate_api, ports
):
    receipt = resolved_report(aws, submit_api, route_api, ports)
    before = ports.reports.get(receipt["report_id"])
    answer = post_rating(rate_api, receipt, {"score": 1, "fixed": False, "comment": "Vẫn còn ổ gà"})
    assert answer.status_code == 201, answer.body
    assert answer.json_body["status"] == "IN_PROGRESS" and answer.json_body["reopened"] is True

    reopened = ports.reports.get(receipt["report_id"])
    assert reopened.owner_unit_id == before.owner_unit_id == "so_xay_dung"
    assert reopened.reopen_count == 1
    assert reopened.resolve_due_at > parse_iso(answer.json_body["rating"]["at"])
    assert current_deadline(reopened) == reopened.resolve_due_at
    event = ports.reports.events(receipt["report_id"])[-1]
    assert (event.action, event.from_status, event.to_status) == ("reopen", "RESOLVED", "IN_PROGRESS")
    # Back in the owner's queue, and rated once already for that resolution.
    assert post_rating(rate_api, receipt, {"score": 1, "fixed": False}).json_body["code"] == "already_rated"

    # Resolved again: a new resolution may be rated; a second "not fixed" closes it for good.
    commands.resolve(OFFICER, receipt["report_id"], "Đã vá lại", photo_count=1, **_context(ports))
    second = post_rating(rate_api, receipt, {"score": 1, "fixed": False})
    assert second.status_code == 201, second.body
    assert second.json_body["status"] == "CLOSED"
    assert ports.reports.get(receipt["report_id"]).reopen_count == 1


def test_a_low_score_that_says_fixed_closes(aws, submit_api, route_api, rate_api, ports):
    receipt = resolved_report(aws, submit_api, route_api, ports)
    assert post_rating(rate_api, receipt, {"score": 2, "fixed": True}).json_body["status"] == "CLOSED"
    other = resolved_report(aws, submit_api, route_api, ports)
    assert post_rating(rate_api, other, {"score": 3, "fixed": False}).json_body["status"] == "CLOSED"


def test_only_the_masters_own_reporter_rates_it(aws, submit_api, route_api, rate_api, ports):
    master = routed_report(aws, submit_api, route_api)
    duplicate = routed_report(aws, submit_api, route_api)
    commands.merge(COORDINATOR, duplicate["report_id"], master["report_id"], **_context(ports))
    commands.acknowledge(OFFICER, master["report_id"], **_context(ports))
    commands.resolve(OFFICER, master["report_id"], "Xong", photo_count=1, **_context(ports))

    refused = post_rating(rate_api, duplicate, {"score": 4, "fixed": True})
    assert refused.status_code == 409, refused.body
    assert refused.json_body["code"] == "rated_by_master_reporter"
    assert refused.json_body["current"]["merged_into"] == master["report_id"]
    assert ports.reports.get(master["report_id"]).status == "RESOLVED"
    assert ports.reports.get(duplicate["report_id"]).status == "DUPLICATE"

    # The master's reporter can still say "not fixed" and send it back.
    reopened = post_rating(rate_api, master, {"score": 1, "fixed": False})
    assert reopened.status_code == 201, reopened.body
    assert ports.reports.get(master["report_id"]).status == "IN_PROGRESS"
    follows = submit_api.http.get(
        f"/reports/{duplicate['report_id']}", headers={"Authorization": f"Bearer {duplicate['tracking_token']}"}
    ).json_body
    assert follows["status"] == "IN_PROGRESS" and follows["rating"]["score"] == 1


def test_a_coordinator_hides_an_abusive_comment_and_the_score_stays(aws, submit_api, route_api, rate_api, ports):
    receipt = resolved_report(aws, submit_api, route_api, ports)
    post_rating(rate_api, receipt, {"score": 2, "fixed": True, "comment": "Lời lẽ xúc phạm"})
    with pytest.raises(Forbidden):
        rating.hide_comment(OFFICER, receipt["report_id"], "abuse", ports=ports, now=utcnow())

    hidden = rating.hide_comment(COORDINATOR, receipt["report_id"], "Xúc phạm", ports=ports, now=utcnow())
    assert hidden.rating.comment_hidden is True
    # Hiding twice changes nothing more.
    again = rating.hide_comment(COORDINATOR, receipt["report_id"], None, ports=ports, now=utcnow())
    assert again.version == hidden.version
    public = submit_api.http.get(f"/public/reports/{receipt['report_id']}").json_body
    assert public["rating"] == {**public["rating"], "score": 2, "comment": None, "comment_hidden": True}
    assert "xúc phạm" not in json.dumps(public, ensure_ascii=False).lower()
    event = ports.reports.events(receipt["report_id"])[-1]
    assert event.public is False and event.actor == COORDINATOR.actor

    unrated = resolved_report(aws, submit_api, route_api, ports)
    with pytest.raises(StateConflict):
        rating.hide_comment(COORDINATOR, unrated["report_id"], None, ports=ports, now=utcnow())


def test_published_answers_never_carry_private_details(aws, submit_api, route_api, rate_api, ports):
    receipt = resolved_report(
        aws, submit_api, route_api, ports,
        contact={"phone": "0912345678", "email": "dan@example.vn", "share_with_officer": True},
        device_id="device-secret-42",
        push=PUSH,
    )
    post_rating(rate_api, receipt, {"score": 5, "fixed": True, "comment": "Tốt"})
    stored = ports.reports.get(receipt["report_id"])
    secrets_ = [
        "0912345678", "dan@example.vn", "device-secret-42", FCM_TOKEN, "endpoint/GCM", receipt["tracking_token"],
        stored.tracking_token_hash, "perceptual_hash", "127.0.0.1",
    ]
    forbidden_keys = {"contact", "device_hash", "tracking_token", "tracking_token_hash", "push_enabled",
                      "contact_ciphertext", "source_ip", "perceptual_hash", "width", "height", "by"}
    for path in (f"/public/reports/{receipt['report_id']}", "/public/reports"):
        answer = submit_api.http.get(path)
        assert answer.status_code == 200
        text = answer.body.decode()
        for secret in secrets_:
            assert secret not in text, (path, secret)
        assert not forbidden_keys & _keys(json.loads(text)), path


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


def test_the_edge_sends_ratings_to_the_rate_app_and_hiding_to_the_coordinators(
    aws, submit_api, route_api, ports, edge
):
    receipt = resolved_report(aws, submit_api, route_api, ports)
    reporter = {"Authorization": f"Bearer {receipt['tracking_token']}"}
    report_id = receipt["report_id"]
    rated = requests.post(f"{edge}/reports/{report_id}/rating", json={"score": 1, "fixed": True, "comment": "Tệ"},
                          headers=reporter, timeout=10)
    assert rated.status_code == 201, rated.text
    assert requests.get(f"{edge}/reports/{report_id}", headers=reporter, timeout=10).json()["rating"]["score"] == 1
    # Other paths under /reports/ stay with the citizen API.
    assert requests.get(f"{edge}/reports/{report_id}/ratings", timeout=10).status_code == 404

    hide = f"{edge}/coordinator/reports/{report_id}/rating/hide"
    assert requests.post(hide, json={}, headers=bearer(OFFICER.officer_id), timeout=10).status_code == 403
    hidden = requests.post(hide, json={"reason": "Xúc phạm"}, headers=bearer(COORDINATOR.officer_id), timeout=10)
    assert hidden.status_code == 200, hidden.text
    # The coordinator still reads what was hidden; the public does not.
    assert hidden.json()["rating"] == {**hidden.json()["rating"], "comment": "Tệ", "comment_hidden": True}
    public = requests.get(f"{edge}/public/reports/{report_id}", timeout=10).json()
    assert public["rating"]["score"] == 1 and public["rating"]["comment"] is None
