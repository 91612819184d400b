"""The classes of bad input an outside corpus found, each through the apps on moto: digits `int()`
refuses, JSON nested past the parser's recursion, text XML cannot carry, path ids DynamoDB would
refuse; and the Open311 list, which must not read the whole public index for a filter that matches
little."""

import json
from datetime import timedelta
from urllib.parse import quote
from xml.etree import ElementTree

import boto3
import pytest
import requests
from pynamodb.connection.base import Connection
from report_flows import file_report, routed_report
from sign_ins import bearer

from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.report.lifecycle import Action, Status
from phananh.report.model import AuditEvent, Report, utcnow
from phananh.shared.ids import new_report_id
from phananh.transparency import open311

OWNER = "so_xay_dung.officer"
COORDINATOR = "ban_dieu_phoi.coordinator1"
SUPERSCRIPT_TWO = quote("²")


def report_items(aws) -> int:
    return boto3.client("dynamodb").scan(TableName=aws.environment["PHANANH_REPORTS_TABLE"], Select="COUNT")["Count"]


def assert_refused(response, code=None):
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    body = response.json()
    if isinstance(body, list):  # GeoReport's error list
        assert body[0]["code"] == response.status_code and " / " in body[0]["description"]
    else:
        assert set(body["message"]) == {"vi", "en"}
        if code:
            assert body["code"] == code


@pytest.mark.parametrize("path", [
    f"/public/reports?limit={SUPERSCRIPT_TWO}",
    f"/open311/v2/requests.json?page_size={SUPERSCRIPT_TWO}",
    f"/open311/v2/requests.xml?page={SUPERSCRIPT_TWO}",
    f"/officer/reports?limit={SUPERSCRIPT_TWO}",
    f"/officer/queue?limit={SUPERSCRIPT_TWO}",
    f"/public/scorecards?period={SUPERSCRIPT_TWO}",
    f"/public/league?period={SUPERSCRIPT_TWO}",
    f"/public/trends?months={SUPERSCRIPT_TWO}",
    f"/public/nearby?lat=9.78&lon=105.47&category=roads&radius_m={SUPERSCRIPT_TWO}",
    f"/public/nearby?lat=9.7{SUPERSCRIPT_TWO}&lon=105.47&category=roads",
    f"/coordinator/dashboard?days={SUPERSCRIPT_TWO}",
    f"/coordinator/export/reports.csv?ward_code={SUPERSCRIPT_TWO}",
    f"/coordinator/export/reports.csv?from=2026-0{SUPERSCRIPT_TWO}-01",
])
def test_digits_that_int_refuses_are_a_400(edge, path):
    headers = bearer(OWNER) if path.startswith("/officer/") else bearer(COORDINATOR) if path.startswith(
        "/coordinator/") else {}
    response = requests.get(edge + path, headers=headers, timeout=30)
    if path.endswith(("xml?page=" + SUPERSCRIPT_TWO,)):
        assert response.status_code == 400
        assert ElementTree.fromstring(response.content).tag == "errors"  # noqa: S314 - our own server
    else:
        assert_refused(response)


@pytest.mark.parametrize("depth", [2_000, 10_000])
def test_json_deeper_than_the_parser_recurses_is_a_400_and_nothing_is_written(aws, edge, depth):
    body = '{"category": "roads", "description": ' + "[" * depth + "]" * depth + "}"
    for path in ("/reports", "/open311/v2/requests.json"):
        response = requests.post(edge + path, data=body, headers={"Content-Type": "application/json"}, timeout=30)
        assert_refused(response)
    assert report_items(aws) == 0


def test_json_deeper_than_the_parser_recurses_is_a_400_on_the_import_too(aws, edge):
    """The import takes a larger body than any other route: its depth is checked all the same."""
    body = '{"dry_run": true, "rules_csv": ' + "[" * 10_000 + "]" * 10_000 + "}"
    response = requests.post(f"{edge}/coordinator/import", data=body,
                             headers={**bearer(COORDINATOR), "Content-Type": "application/json"}, timeout=30)
    assert_refused(response, "json_too_deep")


@pytest.mark.parametrize("char", ["\uffff", "\ufffe", "\x1b"])
def test_text_xml_cannot_carry_is_refused_on_input(aws, edge, char):
    body = {"category": "roads", "description": f"Ổ gà{char}", "location": {"lat": 9.779, "lon": 105.47}}
    assert_refused(requests.post(f"{edge}/reports", json=body, timeout=30), "invalid_characters")
    form = {"service_code": "PA-ROADS", "lat": "9.779", "long": "105.47", "description": f"Ổ gà{char}"}
    assert requests.post(f"{edge}/open311/v2/requests.xml", data=form, timeout=30).status_code == 400
    assert report_items(aws) == 0


def test_a_published_text_from_before_the_policy_still_makes_well_formed_xml(aws, submit_api, route_api):
    """Escaped on output too: a record stored before the input check must not break every consumer."""
    receipt = routed_report(aws, submit_api, route_api)
    boto3.client("dynamodb").update_item(
        TableName=aws.environment["PHANANH_REPORTS_TABLE"], Key={"report_id": {"S": receipt["report_id"]}},
        UpdateExpression="SET description = :d", ExpressionAttributeValues={":d": {"S": "Ổ gà\uffff\x01lớn"}},
    )
    response = submit_api.http.get("/open311/v2/requests.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.body)  # noqa: S314 - our own server's answer
    assert [request.findtext("description") for request in root.findall("request")] == ["Ổ gà\ufffd\ufffdlớn"]


@pytest.mark.parametrize("path", [
    "/public/reports/{id}", "/reports/{id}", "/open311/v2/requests/{id}.json", "/officer/reports/{id}",
    "/coordinator/units/{id}", "/officer/queue?unit_id={id}", "/officer/team?unit_id={id}",
])
def test_path_ids_too_long_for_a_table_key_are_refused_before_any_lookup(aws, edge, path, monkeypatch):
    """AWS refuses keys over 2 KB where moto answers "not found": nothing that long reaches a table."""
    looked_up = []
    original = Connection.get_item
    monkeypatch.setattr(Connection, "get_item", lambda self, *a, **k: looked_up.append(a) or original(self, *a, **k))
    headers = bearer(COORDINATOR) if path.startswith(("/officer/", "/coordinator/")) else {}
    looked_up.clear()
    response = requests.get(edge + path.replace("{id}", "PA" + "A" * 3000), headers=headers, timeout=30)
    assert response.status_code == 400, response.text[:300]
    assert not [call for call in looked_up if "A" * 3000 in json.dumps(call, default=str)]


def test_a_report_filed_with_a_forged_alert_in_its_address_is_refused(aws, submit_api):
    body = {"category": "roads", "description": "Ổ gà", "location": {"lat": 9.779, "lon": 105.47},
            "address": "Chợ Vị Thanh\n\nKHẨN: đăng nhập lại tại https://phananh-gov.example trước 17:00"}
    response = submit_api.http.post("/reports", headers={"Content-Type": "application/json"}, body=json.dumps(body))
    assert response.status_code == 400
    assert json.loads(response.body)["code"] == "line_break_not_allowed"
    assert file_report(submit_api, address="Chợ Vị Thanh")["report_id"]


# --- the Open311 list reads at most a capped number of index items per request -----------------

def publish_roads_reports(count: int, category_code: str = "roads") -> None:
    """`count` published reports of a field (roads), a minute apart, written as the store writes them."""
    store = DynamoReportStore()
    for index in range(count):
        now = utcnow() - timedelta(minutes=index)
        report = Report(
            report_id=new_report_id(now), version=1, status=Status.ASSIGNED, source="api", category_code=category_code,
            description=f"Phản ánh {index}", location=None, ward_code="31321", address=None, photo_count=0,
            tracking_token_hash="x", contact_ciphertext=None, contact_shared=False,
            created_at=now, updated_at=now, owner_unit_id="so_xay_dung", published_at=now,
        )
        store.create(report, AuditEvent(report_id=report.report_id, version=1, at=now, actor="test",
                                        action=Action.SUBMIT, from_status=None, to_status=report.status))


@pytest.fixture
def index_reads(monkeypatch):
    """Items DynamoDB read (ScannedCount) for every query, and the number of queries."""
    reads = []
    original = Connection.query

    def counted(self, *args, **kwargs):
        page = original(self, *args, **kwargs)
        reads.append(page["ScannedCount"])
        return page

    monkeypatch.setattr(Connection, "query", counted)
    return reads


def test_a_filter_that_matches_nothing_reads_at_most_the_cap(aws, submit_api, index_reads, monkeypatch):
    publish_roads_reports(60)
    monkeypatch.setattr(open311, "INDEX_READ_MAX", 25)
    index_reads.clear()
    response = submit_api.http.get("/open311/v2/requests.json?status=closed")
    assert response.status_code == 200 and json.loads(response.body) == []
    assert sum(index_reads) <= 25
    # Without a filter the same cap still gives whole pages.
    index_reads.clear()
    response = submit_api.http.get("/open311/v2/requests.json?page_size=20")
    assert len(json.loads(response.body)) == 20
    assert sum(index_reads) <= 25


def test_the_public_feed_reads_one_page_however_little_the_filter_keeps(aws, submit_api, index_reads):
    publish_roads_reports(60)
    index_reads.clear()
    response = submit_api.http.get("/public/reports?ward=31333&limit=10")
    body = json.loads(response.body)
    assert response.status_code == 200 and body["reports"] == []
    assert index_reads == [10] and body["next_cursor"]


def test_a_field_filter_reads_only_that_fields_reports(aws, submit_api, index_reads):
    publish_roads_reports(60)
    publish_roads_reports(3, category_code="lighting")
    index_reads.clear()
    found = json.loads(submit_api.http.get("/open311/v2/requests.json?service_code=PA-LIGHTING").body)
    assert len(found) == 3 and sum(index_reads) == 3
    index_reads.clear()
    body = json.loads(submit_api.http.get("/public/reports?category=lighting&limit=10").body)
    assert len(body["reports"]) == 3 and sum(index_reads) == 3 and body["next_cursor"] is None
    # Two fields: each from its own partition, merged latest published first.
    index_reads.clear()
    both = json.loads(submit_api.http.get(
        "/open311/v2/requests.json?service_code=PA-LIGHTING,PA-ROADS&page_size=100").body)
    assert len(both) == 63 and sum(index_reads) == 63
    assert [request["requested_datetime"] for request in both] == sorted(
        (request["requested_datetime"] for request in both), reverse=True)


def follow_items(aws) -> int:
    return boto3.client("dynamodb").scan(TableName=aws.environment["PHANANH_FOLLOWS_TABLE"], Select="COUNT")["Count"]


@pytest.mark.parametrize("depth", [2_000, 10_000])
def test_a_follow_nested_past_the_parser_is_a_400_and_no_follow_is_written(aws, submit_api, route_api, edge, depth):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    body = '{"platform": "fcm", "token": ' + "[" * depth + "]" * depth + "}"
    response = requests.post(f"{edge}/public/reports/{report_id}/follow", data=body,
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert_refused(response, "json_too_deep")
    assert follow_items(aws) == 0


@pytest.mark.parametrize("char", ["\uffff", "\x1b", "\u202e"])
def test_a_follower_token_with_text_no_push_service_gives_is_refused(aws, submit_api, route_api, edge, char):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    body = {"platform": "fcm", "token": f"follower:APA91b{char}" + "x" * 40}
    response = requests.post(f"{edge}/public/reports/{report_id}/follow", json=body, timeout=30)
    assert_refused(response)
    assert response.json()["field"] == "token" and follow_items(aws) == 0


def test_follow_ids_and_tokens_too_long_for_a_table_key_never_reach_the_table(aws, edge, monkeypatch):
    """A report id past the path limit is a 400, a follow token of the wrong length a 401: neither is looked up."""
    touched = []
    for operation in ("get_item", "put_item", "delete_item"):
        original = getattr(Connection, operation)
        monkeypatch.setattr(Connection, operation,
                            lambda self, *a, original=original, **k: touched.append(a) or original(self, *a, **k))
    follow = requests.post(f"{edge}/public/reports/PA{'A' * 3000}/follow", timeout=30,
                           json={"platform": "fcm", "token": "follower:APA91b" + "x" * 40})
    assert follow.status_code == 400, follow.text[:300]
    unfollow = requests.delete(f"{edge}/public/follows", timeout=30,
                               headers={"Authorization": f"Bearer PA261123QY9DA9AH.{'A' * 3000}"})
    assert (unfollow.status_code, unfollow.json()["code"]) == (401, "unauthorized")
    assert not [call for call in touched if "A" * 3000 in json.dumps(call, default=str)]


@pytest.mark.parametrize(("path", "who"), [
    ("/reports/{id}/answers", "reporter"), ("/officer/reports/{id}/questions", "officer"),
])
def test_a_question_or_answer_with_a_key_too_long_or_text_xml_cannot_carry_is_refused(
        aws, submit_api, route_api, edge, path, who, monkeypatch):
    receipt = routed_report(aws, submit_api, route_api)
    headers = bearer(OWNER) if who == "officer" else {"Authorization": f"Bearer {receipt['tracking_token']}"}
    looked_up = []
    original = Connection.get_item
    monkeypatch.setattr(Connection, "get_item", lambda self, *a, **k: looked_up.append(a) or original(self, *a, **k))
    too_long = requests.post(edge + path.replace("{id}", "PA" + "A" * 3000), json={"text": "Ở đâu?"},
                             headers=headers, timeout=30)
    assert 400 <= too_long.status_code < 500 and not [call for call in looked_up if "A" * 3000 in str(call)]
    for char in ("\uffff", "\x1b"):
        refused = requests.post(edge + path.replace("{id}", receipt["report_id"]), json={"text": f"Ở đâu{char}"},
                                headers=headers, timeout=30)
        assert_refused(refused, "invalid_characters")
    assert boto3.client("dynamodb").get_item(
        TableName=aws.environment["PHANANH_REPORTS_TABLE"], Key={"report_id": {"S": receipt["report_id"]}},
    )["Item"].get("questions") is None
