"""Open311 GeoReport v2 through the submit app: every endpoint in XML and JSON, errors included, and
a report filed through it routed like any other and then seen through requests/{id}."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree

import boto3
import pytest
from report_flows import deliver, file_report, queued_bodies

from phananh import bootstrap
from phananh.adapters.aws.kms import KmsContactVault
from phananh.adapters.dynamo.directory import DynamoDirectoryStore
from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.categories import all_categories, get_category
from phananh.report.model import utcnow
from phananh.shared.settings import get_settings

V2 = "/open311/v2"
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
ROADS = get_category("roads").service_code
POTHOLE = {
    "service_code": ROADS,
    "lat": "9.779",
    "long": "105.47",
    "address_string": "Đường 3 Tháng 2, Phường Vị Thanh",
    "description": "Ổ gà lớn trước chợ Vị Thanh",
}


def xml_of(response):
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    text = response.body.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(text.split("\n", 1)[1])  # noqa: S314 - our own server's answer


def json_of(response):
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.body)


def post_form(api, fields, fmt="json", headers=None):
    return api.http.post(f"{V2}/requests.{fmt}", headers={**FORM, **(headers or {})}, body=urlencode(fields))


def stored_reports(aws):
    return boto3.resource("dynamodb").Table(aws.environment["PHANANH_REPORTS_TABLE"]).scan()["Items"]


def assert_error(response, status, fmt, words):
    assert response.status_code == status
    if fmt == "xml":
        root = xml_of(response)
        assert root.tag == "errors"
        [error] = root.findall("error")
        code, description = error.findtext("code"), error.findtext("description")
    else:
        [error] = json_of(response)
        code, description = error["code"], error["description"]
    assert int(code) == status
    assert " / " in description  # Vietnamese, then English
    assert words in description


def test_discovery_names_the_endpoint_and_its_formats(submit_api):
    document = json_of(submit_api.http.get(f"{V2}/discovery.json", headers={"Host": "api.example.vn"}))
    [endpoint] = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://api.example.vn/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]

    root = xml_of(submit_api.http.get(f"{V2}/discovery.xml"))
    assert root.tag == "discovery"
    assert [node.text for node in root.findall("endpoints/endpoint/formats/format")] == endpoint["formats"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_services_are_our_fields(submit_api, fmt):
    response = submit_api.http.get(f"{V2}/services.{fmt}")
    assert response.status_code == 200
    if fmt == "xml":
        root = xml_of(response)
        assert root.tag == "services"
        listed = [
            {child.tag: child.text for child in service} for service in root.findall("service")
        ]
    else:
        listed = json_of(response)
    assert [service["service_code"] for service in listed] == [c.service_code for c in all_categories()]
    roads = next(service for service in listed if service["service_code"] == ROADS)
    name = get_category("roads").name
    assert roads["service_name"] == f"{name['vi']} / {name['en']}"
    assert str(roads["metadata"]).lower() == "true"
    assert roads["type"] == "realtime"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_service_definition_lists_its_attributes_with_their_values(submit_api, fmt):
    response = submit_api.http.get(f"{V2}/services/{ROADS}.{fmt}")
    assert response.status_code == 200
    if fmt == "xml":
        root = xml_of(response)
        assert root.tag == "service_definition"
        assert root.findtext("service_code") == ROADS
        [ward, consent] = root.findall("attributes/attribute")
        assert (ward.findtext("code"), ward.findtext("datatype"), ward.findtext("required")) == (
            "ward_code", "singlevaluelist", "false"
        )
        assert "31321" in [value.findtext("key") for value in ward.findall("values/value")]
        assert [value.findtext("key") for value in consent.findall("values/value")] == ["true", "false"]
    else:
        definition = json_of(response)
        [ward, consent] = definition["attributes"]
        assert (ward["code"], ward["order"], consent["code"], consent["order"]) == (
            "ward_code", 1, "share_with_officer", 2
        )
        assert len(ward["values"]) == 28


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_or_format_is_not_found(submit_api, fmt):
    assert_error(submit_api.http.get(f"{V2}/services/NO-SUCH.{fmt}"), 404, fmt, "Unknown service_code")
    assert submit_api.http.get(f"{V2}/services/{ROADS}.html").status_code == 404


def test_a_request_filed_through_open311_is_routed_and_seen_with_its_owner_and_deadline(
    aws, submit_api, route_api
):
    fields = {**POTHOLE, "email": "nguoidan@example.vn", "phone": "0912345678", "first_name": "An",
              "last_name": "Nguyễn", "device_id": "open311-device-canary", "attribute[share_with_officer]": "true"}
    response = post_form(submit_api, fields, "xml")
    assert response.status_code == 200, response.body
    root = xml_of(response)
    assert root.tag == "service_requests"
    request_id = root.findtext("request/service_request_id")
    assert "working days" in root.findtext("request/service_notice")
    assert root.find("request/token") is None

    [stored] = stored_reports(aws)
    assert stored["report_id"] == request_id
    stored_text = repr(stored)
    for private in ("nguoidan@example.vn", "0912345678", "open311-device-canary", "Nguyễn"):
        assert private not in stored_text
    assert stored["contact_shared"] is True
    sealed = KmsContactVault().unseal_contact(stored["contact_ciphertext"].value, request_id)
    assert (sealed["email"], sealed["phone"]) == ("nguoidan@example.vn", "0912345678")

    # Not public until routed, exactly like a report filed through POST /reports.
    assert_error(submit_api.http.get(f"{V2}/requests/{request_id}.json"), 404, "json", "Not found")
    assert deliver(route_api, queued_bodies(aws)) == {"batchItemFailures": []}

    report = DynamoReportStore().get(request_id)
    owner = DynamoDirectoryStore().unit(report.owner_unit_id)
    [seen] = json_of(submit_api.http.get(f"{V2}/requests/{request_id}.json"))
    assert seen["status"] == "open"
    assert seen["service_code"] == ROADS
    assert seen["agency_responsible"] == f"{owner.name['vi']} / {owner.name['en']}"
    assert seen["expected_datetime"].endswith("+07:00")
    assert datetime.fromisoformat(seen["expected_datetime"]) == report.resolve_due_at
    assert datetime.fromisoformat(seen["requested_datetime"]) == report.created_at
    assert (seen["lat"], seen["long"]) == (9.779, 105.47)
    assert seen["address"] == POTHOLE["address_string"]
    for private in ("email", "phone", "device_id", "token", "first_name"):
        assert private not in seen
    assert "nguoidan" not in json.dumps(seen)

    request = xml_of(submit_api.http.get(f"{V2}/requests/{request_id}.xml")).find("request")
    assert request.findtext("service_request_id") == request_id
    assert request.findtext("agency_responsible") == seen["agency_responsible"]
    assert request.findtext("expected_datetime") == seen["expected_datetime"]
    assert request.findtext("status") == "open"


def test_a_json_body_with_an_attribute_object_is_accepted(aws, submit_api):
    body = {"service_code": ROADS, "description": "Đèn tắt", "attribute": {"ward_code": "31321"}, "email": "a@b.vn"}
    response = submit_api.http.post(
        f"{V2}/requests.json", headers={"Content-Type": "application/json"}, body=json.dumps(body)
    )
    assert response.status_code == 200, response.body
    [reply] = json_of(response)
    [stored] = stored_reports(aws)
    assert stored["report_id"] == reply["service_request_id"]
    assert stored["ward_code"] == "31321"
    assert stored["contact_shared"] is False  # no consent given: the officers do not see it


def test_a_media_url_is_never_fetched_nor_kept_and_the_notice_says_so(aws, submit_api):
    canary = "https://media.example.net/canary-photo.jpg"
    [reply] = json_of(post_form(submit_api, {**POTHOLE, "media_url": canary}))
    assert "media_url was not fetched" in reply["service_notice"]
    [stored] = stored_reports(aws)
    assert canary not in repr(stored)
    assert stored["photo_count"] == 0


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"service_code": None}, 400, "service_code is required"),
        ({"service_code": "NO-SUCH"}, 404, "Unknown service_code"),
        ({"lat": None, "long": None}, 400, "address_string or address_id alone cannot be placed"),
        ({"long": None}, 400, "lat and long must be sent together"),
        ({"lat": "north"}, 400, "'lat' must be a number"),
        ({"lat": "21.03", "long": "105.85"}, 400, "outside the area"),
        ({"description": None}, 400, "'description' is required"),
        ({"attribute[colour]": "red"}, 400, "'colour' is not in the service definition"),
        ({"attribute[share_with_officer]": "maybe"}, 400, "true or false"),
        ({"media_url": "file:///etc/passwd"}, 400, "media_url must be an http(s) URL"),
        ({"email": "not-an-email"}, 400, "e-mail address is not valid"),
        ({"favourite": "x"}, 400, "'favourite' is not a GeoReport field"),
    ],
)
def test_bad_requests_are_refused_in_the_format_asked_and_nothing_is_stored(
    aws, submit_api, fmt, change, status, words
):
    fields = {name: value for name, value in {**POTHOLE, **change}.items() if value is not None}
    assert_error(post_form(submit_api, fields, fmt), status, fmt, words)
    assert stored_reports(aws) == []


def test_a_body_that_is_not_utf8_or_not_an_object_is_refused(submit_api):
    assert_error(
        submit_api.http.post(f"{V2}/requests.json", headers=FORM, body=b"description=\xff\xfe"), 400, "json", "UTF-8"
    )
    assert_error(
        submit_api.http.post(f"{V2}/requests.xml", headers={"Content-Type": "application/json"}, body="[1]"),
        400, "xml", "JSON object",
    )


def test_retries_with_one_idempotency_key_file_one_report(aws, submit_api):
    headers = {"Idempotency-Key": "5e2f8a14-3c6b-4d97-b0e1-7a9c2d4f6b83"}
    first = json_of(post_form(submit_api, POTHOLE, headers=headers))
    again = json_of(post_form(submit_api, POTHOLE, headers=headers))
    assert first[0]["service_request_id"] == again[0]["service_request_id"]
    assert len(stored_reports(aws)) == 1


def test_the_same_rate_limit_holds_through_open311(aws, submit_api, monkeypatch):
    monkeypatch.setenv("PHANANH_DEVICE_BUCKET_CAPACITY", "1")
    get_settings.cache_clear()
    fields = {**POTHOLE, "device_id": "busy-phone"}
    assert post_form(submit_api, fields).status_code == 200
    # The same device through the citizen API shares the bucket.
    refused = post_form(submit_api, fields, "xml")
    assert_error(refused, 429, "xml", "Too many requests")
    assert int(refused.headers["Retry-After"]) > 0
    assert len(stored_reports(aws)) == 1


def routed(aws, submit_api, route_api, **fields):
    receipt = file_report(submit_api, **fields)
    deliver(route_api, queued_bodies(aws))
    return receipt["report_id"]


def test_requests_are_listed_by_window_status_service_and_ids(aws, submit_api, route_api):
    road = routed(aws, submit_api, route_api)
    light = routed(aws, submit_api, route_api, category="lighting", description="Đèn đường tắt")
    unrouted = file_report(submit_api)["report_id"]

    listed = json_of(submit_api.http.get(f"{V2}/requests.json"))
    assert sorted(request["service_request_id"] for request in listed) == sorted([light, road])

    lighting = get_category("lighting").service_code
    by_service = json_of(submit_api.http.get(f"{V2}/requests.json?service_code={lighting}"))
    assert [request["service_request_id"] for request in by_service] == [light]
    assert json_of(submit_api.http.get(f"{V2}/requests.json?status=closed")) == []
    assert len(json_of(submit_api.http.get(f"{V2}/requests.json?status=open,closed"))) == 2

    pages = [json_of(submit_api.http.get(f"{V2}/requests.json?page_size=1&page={page}")) for page in (1, 2, 3)]
    assert sorted(page[0]["service_request_id"] for page in pages[:2]) == sorted([light, road])
    assert pages[2] == []

    by_ids = xml_of(submit_api.http.get(f"{V2}/requests.xml?service_request_id={road},{unrouted},PA000000NOSUCH0"))
    assert [node.text for node in by_ids.findall("request/service_request_id")] == [road]

    past = datetime.now(UTC) - timedelta(days=200)
    window = {"start_date": past.isoformat(), "end_date": (past + timedelta(days=30)).isoformat()}
    assert json_of(submit_api.http.get(f"{V2}/requests.json?{urlencode(window)}")) == []


def test_a_resolved_report_is_closed_with_the_units_note(aws, submit_api, route_api):
    report_id = routed(aws, submit_api, route_api)
    officer = Principal("so_xay_dung.officer", "so_xay_dung", frozenset({"officer"}))
    ports = bootstrap.ports()
    context = {"ports": ports, "now": utcnow()}
    commands.acknowledge(officer, report_id, **context)
    commands.resolve(officer, report_id, "Đã vá ổ gà", photo_count=1, **context)

    [seen] = json_of(submit_api.http.get(f"{V2}/requests.json?status=closed"))
    assert seen["service_request_id"] == report_id
    assert seen["status"] == "closed"
    assert seen["status_notes"] == "Đã xử lý xong / Resolved: Đã vá ổ gà"
    assert json_of(submit_api.http.get(f"{V2}/requests.json?status=open")) == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"start_date": "2026-01-01"}, "ISO 8601 with a time zone"),
        ({"start_date": "yesterday"}, "ISO 8601 with a time zone"),
        ({"start_date": "0001-01-01T00:00:00+01:00"}, "ISO 8601 with a time zone"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "more than 90 days"),
        ({"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "must precede"),
        ({"status": "pending"}, "open or closed"),
        ({"service_code": "NO-SUCH"}, "Unknown service_code"),
        ({"page_size": "500"}, "page_size must be 1 to 100"),
        ({"page": "0"}, "page must be"),
    ],
)
def test_bad_queries_are_refused(submit_api, fmt, query, words):
    assert_error(submit_api.http.get(f"{V2}/requests.{fmt}?{urlencode(query)}"), 400, fmt, words)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_requests_and_tokens_are_not_found(submit_api, fmt):
    assert_error(submit_api.http.get(f"{V2}/requests/PA261123AAAAAAAA.{fmt}"), 404, fmt, "Not found")
    assert_error(submit_api.http.get(f"{V2}/requests/not-an-id.{fmt}"), 404, fmt, "Not found")
    assert_error(submit_api.http.get(f"{V2}/tokens/12345.{fmt}"), 404, fmt, "No such token")


def test_a_configured_jurisdiction_must_be_named(aws, submit_api, monkeypatch):
    monkeypatch.setenv("PHANANH_OPEN311_JURISDICTION_ID", "cantho.gov.vn")
    get_settings.cache_clear()
    assert_error(submit_api.http.get(f"{V2}/services.xml"), 400, "xml", "jurisdiction_id is required")
    assert_error(submit_api.http.get(f"{V2}/services.json?jurisdiction_id=hanoi.gov.vn"), 404, "json", "Unknown")
    assert submit_api.http.get(f"{V2}/services.json?jurisdiction_id=cantho.gov.vn").status_code == 200
    assert_error(post_form(submit_api, POTHOLE), 400, "json", "jurisdiction_id is required")
    filed = post_form(submit_api, {**POTHOLE, "jurisdiction_id": "cantho.gov.vn"})
    assert filed.status_code == 200, filed.body
    assert submit_api.http.get(f"{V2}/requests.json?jurisdiction_id=cantho.gov.vn").status_code == 200
