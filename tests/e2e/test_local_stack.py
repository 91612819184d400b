"""The local stack as a newcomer meets it: started like `make dev`, used over HTTP as docs/api.md shows."""

import json
import re
import subprocess
import time
from pathlib import Path

import pytest
import requests
from local_stack_runner import port_is_free, running_stack
from photo_samples import CAMERA_SERIAL, jpeg_with_gps

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
# The page whose e2e-marked curl block this test runs as it is written.
API_GUIDE = REPO_ROOT / "docs" / "api.md"
GUIDE_BASE_URL = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def stack():
    yield from running_stack()


def guide_curl() -> str:
    text = API_GUIDE.read_text(encoding="utf-8")
    block = re.search(r"<!-- e2e:[^>]*-->\s*```sh\n(.*?)```", text, re.DOTALL)
    assert block, f"{API_GUIDE.relative_to(REPO_ROOT)} lost its e2e-marked curl example"
    return block.group(1)


def test_the_banner_says_where_to_point_a_client(stack):
    banner = "".join(stack.output)
    assert stack.base_url in banner
    assert "curl -s -X POST" in banner
    assert "Alerts" in banner


def test_the_api_guides_curl_files_a_report_and_the_reporter_can_follow_it(stack):
    command = guide_curl().replace(GUIDE_BASE_URL, stack.base_url)
    answer = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30, check=True)
    receipt = json.loads(answer.stdout)
    assert receipt["status"] == "RECEIVED"
    assert len(receipt["uploads"]) == 1

    followed = requests.get(
        f"{stack.base_url}/reports/{receipt['report_id']}",
        headers={"Authorization": f"Bearer {receipt['tracking_token']}"}, timeout=10,
    )
    assert followed.status_code == 200
    assert followed.json()["description"] == "Ổ gà lớn trước chợ Vị Thanh, xe máy dễ té."
    assert followed.headers["Content-Type"].startswith("application/json")

    again = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(again.stdout)["report_id"] == receipt["report_id"]


def test_a_photo_posted_to_its_upload_form_is_checked_and_the_report_routed_and_alerted(stack):
    receipt = requests.post(
        f"{stack.base_url}/reports",
        json={"category": "lighting", "description": "Đèn đường tắt cả tuần",
              "ward_code": "31321", "photo_count": 1},
        timeout=10,
    ).json()
    [upload] = receipt["uploads"]
    photo = jpeg_with_gps()
    posted = requests.post(
        upload["url"],
        data={**upload["fields"], "Content-Type": "image/jpeg"},
        files={"file": ("photo.jpg", photo, "image/jpeg")},
        timeout=10,
    )
    assert posted.status_code in (200, 201, 204), posted.text


    sqs = stack.aws("sqs")
    # The photo check's queue first: its result is on the intake queue before its upload message goes.
    queue_urls = [sqs.get_queue_url(QueueName=name)["QueueUrl"] for name in ("phananh-uploads", "phananh-intake")]
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        waiting = [sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"] for url in queue_urls]
        if all(queue[name] == "0" for queue in waiting for name in names):
            break
        time.sleep(0.3)
    assert all(queue[name] == "0" for queue in waiting for name in names), waiting
    for url in queue_urls:
        dead_letters = sqs.get_queue_url(QueueName=url.rsplit("/", 1)[1] + "-dlq")["QueueUrl"]
        dead = sqs.get_queue_attributes(QueueUrl=dead_letters, AttributeNames=names)["Attributes"]
        assert dead["ApproximateNumberOfMessages"] == "0"

    view = requests.get(
        f"{stack.base_url}/reports/{receipt['report_id']}",
        headers={"Authorization": f"Bearer {receipt['tracking_token']}"}, timeout=10,
    ).json()
    assert view["status"] == "ASSIGNED"
    assert view["owner_unit"]["unit_id"] == "so_xay_dung"
    served = requests.get(view["photos"][0]["url"], timeout=10)
    assert served.status_code == 200
    assert served.content.startswith(b"\xff\xd8") and CAMERA_SERIAL.encode() not in served.content
    stack.wait_for(rf"e-mail to .*{receipt['report_id']}", 10)


def test_errors_over_http_keep_their_shape(stack):
    bad = requests.post(f"{stack.base_url}/reports", data="{", headers={"Content-Type": "application/json"},
                        timeout=10)
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_json"
    unknown = requests.get(f"{stack.base_url}/no/such/path", timeout=10)
    assert unknown.status_code == 404
    assert unknown.json()["message"]["vi"]


def test_ctrl_c_stops_everything_and_frees_the_ports(stack):
    assert stack.interrupt() == 0
    stack.wait_for(r"stopped", 5)
    assert port_is_free(stack.port)
    assert port_is_free(stack.moto_port)
