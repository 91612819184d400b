"""Ratings and scorecards on the local stack: a citizen files a report, the owner unit acknowledges
and resolves it, the citizen rates the result; the public page shows the rating, and the scorecard
(kept from the reports table's stream by the local stream poller) counts it."""


import pytest
import requests
from local_stack_runner import banner_tokens, running_stack, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack():
    yield from running_stack()


def test_file_route_acknowledge_resolve_rate_and_everyone_sees_it(stack):
    officer = {"Authorization": f"Bearer {banner_tokens(stack)['officer'][1]}"}
    receipt = requests.post(f"{stack.base_url}/reports", json={
        "category": "roads", "description": "Đèn tín hiệu hỏng ở ngã tư", "location": {"lat": 9.779, "lon": 105.47},
    }, timeout=10).json()
    reporter = {"Authorization": f"Bearer {receipt['tracking_token']}"}
    report_id = receipt["report_id"]
    report_url = f"{stack.base_url}/reports/{report_id}"
    wait_until(lambda: requests.get(report_url, headers=reporter, timeout=10).json()["status"] == "ASSIGNED")

    base = f"{stack.base_url}/officer/reports/{report_id}"
    assert requests.post(f"{base}/acknowledge", json={}, headers=officer, timeout=10).status_code == 200
    resolved = requests.post(f"{base}/resolve", json={"note": "Đã thay đèn.", "photo_count": 1}, headers=officer,
                             timeout=10)
    assert resolved.status_code == 200, resolved.text

    rated = requests.post(f"{report_url}/rating", json={"score": 5, "fixed": True, "comment": "Rất nhanh"},
                          headers=reporter, timeout=10)
    assert rated.status_code == 201, rated.text
    public = requests.get(f"{stack.base_url}/public/reports/{report_id}", timeout=10).json()
    assert public["status"] == "CLOSED"
    assert public["result"]["note"] == "Đã thay đèn."
    assert public["rating"] == {**public["rating"], "score": 5, "fixed": True, "comment": "Rất nhanh"}

    def roads_scorecard():
        cards = requests.get(f"{stack.base_url}/public/scorecards?period=30", timeout=10).json()["fields"]
        card = next((card for card in cards if card["category"] == "roads"), None)
        return card if card and card["satisfaction"]["count"] >= 1 else None

    card = wait_until(roads_scorecard, limit_s=30)
    assert card["received"] >= 1 and card["resolved"] >= 1
