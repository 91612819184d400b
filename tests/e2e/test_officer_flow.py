"""A report's whole way on the local stack, as its people live it: a citizen files it, the owner
unit's officer (signed in with a real Cognito token) acknowledges and resolves it with an after-photo,
and the citizen sees the result."""


import pytest
import requests
from local_stack_runner import banner_tokens, running_stack, wait_until
from photo_samples import jpeg_with_gps

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack():
    yield from running_stack()


def test_file_route_acknowledge_resolve_with_an_after_photo_and_the_reporter_sees_it(stack):
    tokens = banner_tokens(stack)
    assert set(tokens) == {"officer", "unit_head", "coordinator"}
    officer_id, token = tokens["officer"]
    assert officer_id == "so_xay_dung.officer"
    officer = {"Authorization": f"Bearer {token}"}

    receipt = requests.post(f"{stack.base_url}/reports", json={
        "category": "roads", "description": "Sụt lún mặt đường trước trường học",
        "location": {"lat": 9.779, "lon": 105.47},
    }, timeout=10).json()
    reporter = {"Authorization": f"Bearer {receipt['tracking_token']}"}
    report_url = f"{stack.base_url}/reports/{receipt['report_id']}"
    wait_until(lambda: requests.get(report_url, headers=reporter, timeout=10).json()["status"] == "ASSIGNED")

    queue = requests.get(f"{stack.base_url}/officer/reports?status=ASSIGNED", headers=officer, timeout=10)
    assert queue.status_code == 200
    assert receipt["report_id"] in [item["report_id"] for item in queue.json()["reports"]]

    base = f"{stack.base_url}/officer/reports/{receipt['report_id']}"
    assert requests.post(f"{base}/acknowledge", json={}, headers=officer, timeout=10).status_code == 200
    resolved = requests.post(
        f"{base}/resolve", json={"note": "Đã vá mặt đường, thông xe an toàn.", "photo_count": 1},
        headers=officer, timeout=10,
    )
    assert resolved.status_code == 200, resolved.text
    [upload] = resolved.json()["uploads"]
    posted = requests.post(
        upload["url"], data={**upload["fields"], "Content-Type": "image/jpeg"},
        files={"file": ("after.jpg", jpeg_with_gps(colour=(20, 160, 60)), "image/jpeg")}, timeout=10,
    )
    assert posted.status_code in (200, 201, 204)

    def result_with_photo():
        view = requests.get(report_url, headers=reporter, timeout=10).json()
        return view if view.get("result", {}).get("photos") else None

    view = wait_until(result_with_photo)
    assert view["status"] == "RESOLVED"
    assert view["result"]["note"] == "Đã vá mặt đường, thông xe an toàn."
    assert requests.get(view["result"]["photos"][0]["url"], timeout=10).status_code == 200
    assert [step["status"] for step in view["timeline"]][-1] == "RESOLVED"


def test_the_officer_api_refuses_what_the_cloud_refuses(stack):
    for headers in ({}, {"Authorization": "Bearer garbage"}, {"Authorization": "Basic eyJ"}):
        response = requests.get(f"{stack.base_url}/officer/reports", headers=headers, timeout=10)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"
