"""The officer and coordinator API over real HTTP, through the local edge gateway (which checks
tokens as API Gateway's Cognito authorizer does), on moto's Cognito and the deployed template."""

import json
import threading

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.cognitoidp.models import cognitoidp_backends
from moto.core import DEFAULT_ACCOUNT_ID
from report_flows import routed_report
from sign_ins import bearer

from phananh.shared.settings import get_settings
from phananh_local.identities import id_token_for

OWNER = "so_xay_dung.officer"
OWNER_HEAD = "so_xay_dung.head"
OTHER_UNIT = "ubnd_31321.officer"
COORDINATOR = "ban_dieu_phoi.coordinator1"


def forged_token() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings = get_settings()
    region = settings.user_pool_id.split("_")[0]
    claims = {
        "iss": f"https://cognito-idp.{region}.amazonaws.com/{settings.user_pool_id}",
        "aud": settings.user_pool_client_id, "token_use": "id", "sub": "x", "cognito:username": OWNER,
        "cognito:groups": ["coordinator"], "exp": 4_000_000_000, "iat": 1_700_000_000,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "forged"})


def expired_token() -> str:
    """Signed with the pool's real key, but expired an hour ago."""
    settings = get_settings()
    region = settings.user_pool_id.split("_")[0]
    pool = cognitoidp_backends[DEFAULT_ACCOUNT_ID][region].user_pools[settings.user_pool_id]
    token, _ = pool.create_jwt(settings.user_pool_client_id, OWNER, "id", expires_in=-3600,
                               extra_data={"cognito:groups": ["officer"]})
    return token


def routes(report_id: str) -> list[tuple[str, str, dict | None]]:
    officer = f"/officer/reports/{report_id}"
    coordinator = f"/coordinator/reports/{report_id}"
    return [
        ("GET", "/officer/me", None),
        ("GET", "/officer/reports?status=ASSIGNED", None),
        ("GET", officer, None),
        ("POST", f"{officer}/acknowledge", {}),
        ("POST", f"{officer}/progress", {"note": "Đang kiểm tra"}),
        ("POST", f"{officer}/resolve", {"note": "Xong", "photo_count": 1}),
        ("POST", f"{officer}/questions", {"text": "Ổ gà ở bên nào?"}),
        ("POST", f"{officer}/transfer", {"to_unit_id": "so_y_te", "reason": "Không thuộc"}),
        ("GET", "/officer/templates?category=roads", None),
        ("GET", "/officer/queue", None),
        ("POST", f"{officer}/assignee", {"officer_id": OWNER}),
        ("GET", "/officer/team", None),
        ("GET", "/officer/escalations", None),
        ("GET", "/officer/units", None),
        ("POST", f"{coordinator}/assign", {"unit_id": "so_y_te"}),
        ("POST", f"{coordinator}/reject", {"grounds": "spam", "reason": "Quảng cáo"}),
        ("POST", f"{coordinator}/merge", {"master_id": "PA261123AAAAAAAA"}),
    ]


@pytest.mark.parametrize("credential", ["none", "garbage", "forged", "expired", "tracking_token", "basic"])
def test_every_route_refuses_a_caller_without_a_valid_officer_token(aws, submit_api, route_api, edge, credential):
    receipt = routed_report(aws, submit_api, route_api)
    header = {
        "none": None,
        "garbage": "Bearer garbage",
        "forged": f"Bearer {forged_token()}",
        "expired": f"Bearer {expired_token()}",
        "tracking_token": f"Bearer {receipt['tracking_token']}",
        "basic": f"Basic {id_token_for(OWNER)}",
    }[credential]
    for method, path, body in routes(receipt["report_id"]):
        response = requests.request(
            method, edge + path, json=body, headers={"Authorization": header} if header else {}, timeout=10
        )
        assert response.status_code == 401, (method, path, response.text)
        assert response.json()["code"] == "unauthorized"
        assert receipt["report_id"] not in response.text


def test_another_units_officer_sees_nothing_and_changes_nothing(aws, submit_api, route_api, edge):
    receipt = routed_report(aws, submit_api, route_api)
    for method, path, body in routes(receipt["report_id"]):
        if path in ("/officer/me", "/officer/reports?status=ASSIGNED", "/officer/templates?category=roads",
                    "/officer/queue", "/officer/team", "/officer/escalations", "/officer/units"):
            continue
        response = requests.request(method, edge + path, json=body, headers=bearer(OTHER_UNIT), timeout=10)
        assert response.status_code in (403, 404), (method, path, response.text)
        assert "Ổ gà" not in response.text
    queue = requests.get(f"{edge}/officer/reports?status=ASSIGNED", headers=bearer(OTHER_UNIT), timeout=10).json()
    assert receipt["report_id"] not in json.dumps(queue)
    owner_view = requests.get(f"{edge}/officer/reports/{receipt['report_id']}", headers=bearer(OWNER), timeout=10)
    assert owner_view.json()["status"] == "ASSIGNED"


def test_officers_cannot_moderate(aws, submit_api, route_api, edge):
    receipt = routed_report(aws, submit_api, route_api)
    response = requests.post(
        f"{edge}/coordinator/reports/{receipt['report_id']}/reject",
        json={"grounds": "spam", "reason": "x"}, headers=bearer(OWNER_HEAD), timeout=10,
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_the_owner_works_a_report_through_and_a_second_resolve_is_a_conflict(aws, submit_api, route_api, edge):
    receipt = routed_report(aws, submit_api, route_api)
    report_url = f"{edge}/officer/reports/{receipt['report_id']}"
    me = requests.get(f"{edge}/officer/me", headers=bearer(OWNER), timeout=10).json()
    assert me["unit"]["unit_id"] == "so_xay_dung" and me["roles"] == ["officer"]

    queue = requests.get(f"{edge}/officer/reports?status=ASSIGNED", headers=bearer(OWNER), timeout=10).json()
    assert [item["report_id"] for item in queue["reports"]] == [receipt["report_id"]]

    acknowledged = requests.post(f"{report_url}/acknowledge", json={}, headers=bearer(OWNER), timeout=10)
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "ACKNOWLEDGED"
    again = requests.post(f"{report_url}/acknowledge", json={}, headers=bearer(OWNER), timeout=10)
    assert again.status_code == 409 and again.json()["current"]["status"] == "ACKNOWLEDGED"

    missing_note = requests.post(f"{report_url}/resolve", json={}, headers=bearer(OWNER), timeout=10)
    assert missing_note.status_code == 400
    no_after_photo = requests.post(f"{report_url}/resolve", json={"note": "Đã xử lý"}, headers=bearer(OWNER),
                                   timeout=10)
    assert no_after_photo.status_code == 400 and no_after_photo.json()["code"] == "after_photo_required"
    assert set(no_after_photo.json()["message"]) == {"vi", "en"}

    version = acknowledged.json()["version"]
    results = []

    def resolve_as(officer_id):
        results.append(requests.post(f"{report_url}/resolve",
                                     json={"note": "Đã xử lý", "photo_count": 1, "version": version},
                                     headers=bearer(officer_id), timeout=10))

    racers = [threading.Thread(target=resolve_as, args=(officer,)) for officer in (OWNER, OWNER_HEAD)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(response.status_code for response in results) == [200, 409]
    conflict = next(response for response in results if response.status_code == 409).json()
    assert conflict["current"]["status"] == "RESOLVED"

    reporter = requests.get(
        f"{edge}/reports/{receipt['report_id']}", headers={"Authorization": f"Bearer {receipt['tracking_token']}"},
        timeout=10,
    ).json()
    assert reporter["status"] == "RESOLVED"


def test_a_coordinator_rejects_spam_and_it_is_never_published(aws, submit_api, route_api, edge):
    receipt = routed_report(aws, submit_api, route_api)
    assert requests.get(f"{edge}/public/reports/{receipt['report_id']}", timeout=10).status_code == 200
    rejected = requests.post(
        f"{edge}/coordinator/reports/{receipt['report_id']}/reject",
        json={"grounds": "spam", "reason": "Quảng cáo"}, headers=bearer(COORDINATOR), timeout=10,
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "REJECTED"
    assert requests.get(f"{edge}/public/reports/{receipt['report_id']}", timeout=10).status_code == 404


def test_templates_and_bad_bodies(aws, submit_api, route_api, edge):
    templates = requests.get(f"{edge}/officer/templates?category=roads", headers=bearer(OWNER), timeout=10).json()
    assert templates["templates"] and templates["templates"][0]["text"]["vi"]
    receipt = routed_report(aws, submit_api, route_api)
    for body in ("{", "[]", json.dumps({"to_unit_id": 5, "reason": "x"}), json.dumps({"reason": "x"})):
        response = requests.post(
            f"{edge}/officer/reports/{receipt['report_id']}/transfer", data=body,
            headers={**bearer(OWNER), "Content-Type": "application/json"}, timeout=10,
        )
        assert 400 <= response.status_code < 500, body
        assert response.json()["message"]["vi"]


def test_a_transfer_answers_200_with_what_the_officer_may_still_see(aws, submit_api, route_api, edge):
    receipt = routed_report(aws, submit_api, route_api)
    response = requests.post(
        f"{edge}/officer/reports/{receipt['report_id']}/transfer",
        json={"to_unit_id": "so_y_te", "reason": "Thuộc Sở Y tế"}, headers=bearer(OWNER), timeout=10,
    )
    assert response.status_code == 200, response.text
    handed_over = response.json()
    assert handed_over["report_id"] == receipt["report_id"]
    assert handed_over["status"] == "ASSIGNED"
    assert handed_over["owner_unit"]["unit_id"] == "so_y_te"
    assert handed_over["allowed_actions"] == []
    # Nothing of the report itself: that is the new owner's now.
    assert "Ổ gà" not in response.text and "timeline" not in handed_over

    by_coordinator = requests.post(
        f"{edge}/officer/reports/{receipt['report_id']}/transfer",
        json={"to_unit_id": "so_xay_dung", "reason": "Trả lại"}, headers=bearer(COORDINATOR), timeout=10,
    )
    assert by_coordinator.status_code == 200
    assert by_coordinator.json()["timeline"]  # a coordinator may still act on it: the whole view
