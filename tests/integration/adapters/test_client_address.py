"""The per-IP rate limit counts citizens, not the edge servers in front of the API.

In the cloud every request reaches the API from a CloudFront server, shared by all the citizens it
serves; the edge writes the viewer's address in the header the deployment names
(PHANANH_CLIENT_ADDRESS_HEADER, set from the template), and the local gateway does the same.
"""

import json
from urllib.parse import urlencode

import boto3
import pytest
import requests

from phananh.shared.settings import get_settings

EDGE_ADDRESS_HEADER = "x-phananh-viewer-address"
POTHOLE = {"category": "roads", "description": "Ổ gà lớn trước chợ Vị Thanh", "location": {"lat": 9.779, "lon": 105.47}}
OPEN311_POTHOLE = {"service_code": "PA-ROADS", "lat": "9.779", "long": "105.47", "description": "Ổ gà lớn"}


def file_from(api, viewer_address, via="reports"):
    """One submission arriving from the same edge server (the test client's sourceIp) for a viewer."""
    headers = {EDGE_ADDRESS_HEADER: viewer_address}
    if via == "open311":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return api.http.post("/open311/v2/requests.json", headers=headers, body=urlencode(OPEN311_POTHOLE))
    headers["Content-Type"] = "application/json"
    return api.http.post("/reports", headers=headers, body=json.dumps(POTHOLE))


def reports_stored(aws):
    return len(boto3.resource("dynamodb").Table(aws.environment["PHANANH_REPORTS_TABLE"]).scan()["Items"])


@pytest.fixture
def two_per_ip(monkeypatch):
    monkeypatch.setenv("PHANANH_IP_BUCKET_CAPACITY", "2")
    get_settings.cache_clear()


def test_the_deployment_names_the_header_its_edge_writes(aws):
    assert aws.environment["PHANANH_CLIENT_ADDRESS_HEADER"] == EDGE_ADDRESS_HEADER


@pytest.mark.parametrize("via", ["reports", "open311"])
def test_citizens_behind_one_edge_server_get_a_bucket_each(aws, submit_api, two_per_ip, via):
    accepted = 201 if via == "reports" else 200
    statuses = [file_from(submit_api, address, via).status_code
                for address in ("203.0.113.7:50001", "203.0.113.7:50002", "[2001:db8::9]:443", "2001:db8::9")]
    assert statuses == [accepted] * 4
    # Each citizen's own bucket is spent, whatever port or spelling their next connection has.
    assert file_from(submit_api, "203.0.113.7:50003", via).status_code == 429
    assert file_from(submit_api, "[2001:0db8::0009]:8443", via).status_code == 429
    assert file_from(submit_api, "198.51.100.20:50004", via).status_code == accepted
    assert reports_stored(aws) == 5


def test_without_the_setting_everyone_behind_the_edge_server_shares_its_bucket(
    aws, submit_api, two_per_ip, monkeypatch
):
    monkeypatch.setenv("PHANANH_CLIENT_ADDRESS_HEADER", "")
    get_settings.cache_clear()
    statuses = [file_from(submit_api, address).status_code
                for address in ("203.0.113.7:50001", "198.51.100.20:50002", "[2001:db8::9]:443")]
    assert statuses == [201, 201, 429]
    assert reports_stored(aws) == 2


def test_a_malformed_header_counts_against_the_source_address(aws, submit_api, two_per_ip):
    statuses = [file_from(submit_api, address).status_code for address in ("unknown", "203.0.113.7:", "::zz")]
    assert statuses == [201, 201, 429]


def _post_through(edge, forged_address):
    return requests.post(
        f"{edge}/reports", json=POTHOLE, headers={"X-Phananh-Viewer-Address": forged_address}, timeout=30
    ).status_code


def test_through_the_local_edge_a_client_cannot_choose_its_address(aws, edge, two_per_ip):
    # The gateway, like the cloud's edge function, writes the connection's address over the client's.
    statuses = [_post_through(edge, address) for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3")]
    assert statuses == [201, 201, 429]
    assert reports_stored(aws) == 2
