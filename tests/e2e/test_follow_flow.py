"""Following a published report on the local stack, over HTTP as the province app would: a citizen
files a report, another device follows it once it is published, the owner unit acknowledges it, the
follower's push prints as `make dev` prints every push; the device unfollows with its token."""

import re
import uuid

import pytest
import requests
from local_stack_runner import banner_tokens, running_stack, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack():
    yield from running_stack()


def test_a_device_follows_a_published_report_is_pushed_its_moves_and_unfollows(stack):
    officer = {"Authorization": f"Bearer {banner_tokens(stack)['officer'][1]}"}
    receipt = requests.post(f"{stack.base_url}/reports", json={
        "category": "roads", "description": "Ổ gà sâu trước trường học", "location": {"lat": 9.779, "lon": 105.47},
    }, timeout=10).json()
    report_id = receipt["report_id"]
    public_url = f"{stack.base_url}/public/reports/{report_id}"
    wait_until(lambda: requests.get(public_url, timeout=10).status_code == 200)

    device = {"platform": "fcm", "token": f"follower:APA91b{uuid.uuid4().hex}{uuid.uuid4().hex}"}
    followed = requests.post(f"{public_url}/follow", json=device, timeout=10)
    assert followed.status_code == 200, followed.text
    token = followed.json()["follow_token"]

    acknowledged = requests.post(f"{stack.base_url}/officer/reports/{report_id}/acknowledge", json={},
                                 headers=officer, timeout=10)
    assert acknowledged.status_code == 200, acknowledged.text
    # (A follow made while the routing's change is still being delivered may hear of that one first.)
    line = stack.wait_for(rf"📱 push to GCM app …\S+: Phản ánh bạn theo dõi {report_id} .*Acknowledged by the unit",
                          limit_s=30)
    assert re.search(rf"{re.escape(stack.base_url)}/report/{report_id}\s*$", line)  # the site's page
    assert device["token"] not in "".join(stack.output)

    unfollowed = requests.delete(f"{stack.base_url}/public/follows", headers={"Authorization": f"Bearer {token}"},
                                 timeout=10)
    assert unfollowed.status_code == 204
    again = requests.delete(f"{stack.base_url}/public/follows", headers={"Authorization": f"Bearer {token}"},
                            timeout=10)
    assert (again.status_code, again.json()["code"]) == (404, "not_found")
