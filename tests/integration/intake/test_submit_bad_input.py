"""Every malformed request gets a 4xx JSON error in both languages, and nothing is written."""

import json

import boto3
import pytest

GOOD = {
    "category": "roads",
    "description": "Đèn đường hỏng",
    "location": {"lat": 9.779, "lon": 105.47},
}


def with_(**changes):
    body = dict(GOOD)
    for name, value in changes.items():
        if value is ...:
            body.pop(name)
        else:
            body[name] = value
    return json.dumps(body)


CASES = [
    ("not json", "{", "invalid_json"),
    ("empty body", "", "invalid_json"),
    ("invalid utf-8", b"\xff\xfe{}", "invalid_json"),
    ("array body", "[]", "invalid_body"),
    ("string body", '"hello"', "invalid_body"),
    ("missing category", with_(category=...), "missing_field"),
    ("category wrong type", with_(category=7), "invalid_type"),
    ("unknown category", with_(category="drop table"), "unknown_category"),
    ("nosql injection category", with_(category={"$ne": None}), "invalid_type"),
    ("missing description", with_(description=...), "missing_field"),
    ("blank description", with_(description="   \n "), "missing_field"),
    ("description too long", with_(description="ạ" * 4001), "too_long"),
    ("description wrong type", with_(description=["a"]), "invalid_type"),
    ("description with NUL", with_(description="abc\u0000def"), "invalid_characters"),
    ("no location or ward", with_(location=...), "missing_location"),
    ("location wrong type", with_(location=[9.7, 105.4]), "invalid_type"),
    ("lat as string", with_(location={"lat": "9.7", "lon": 105.47}), "invalid_type"),
    ("lat as bool", with_(location={"lat": True, "lon": 105.47}), "invalid_type"),
    ("lon missing", with_(location={"lat": 9.7}), "invalid_type"),
    ("lat out of range", with_(location={"lat": 91, "lon": 105.47}), "invalid_coordinates"),
    ("outside province (Hanoi)", with_(location={"lat": 21.03, "lon": 105.85}), "outside_service_area"),
    ("outside province (Ninh Kieu)", with_(location={"lat": 10.03, "lon": 105.78}), "outside_service_area"),
    ("null island", with_(location={"lat": 0, "lon": 0}), "outside_service_area"),
    ("unknown ward", with_(ward_code="00001"), "unknown_ward"),
    ("ward wrong type", with_(ward_code=31321), "invalid_type"),
    ("photo_count negative", with_(photo_count=-1), "invalid_photo_count"),
    ("photo_count too many", with_(photo_count=6), "invalid_photo_count"),
    ("photo_count string", with_(photo_count="2"), "invalid_type"),
    ("photo_count float", with_(photo_count=1.5), "invalid_type"),
    ("photo_count bool", with_(photo_count=True), "invalid_type"),
    ("address too long", with_(address="x" * 501), "too_long"),
    ("contact wrong type", with_(contact="0912345678"), "invalid_type"),
    ("contact empty", with_(contact={}), "missing_field"),
    ("bad phone", with_(contact={"phone": "12345"}), "invalid_phone"),
    ("bad email", with_(contact={"email": "not-an-email"}), "invalid_email"),
    ("share not bool", with_(contact={"phone": "0912345678", "share_with_officer": "yes"}), "invalid_type"),
    ("device id too long", with_(device_id="d" * 201), "too_long"),
    ("body too large", with_(address="x" * 70_000), "body_too_large"),
]


@pytest.mark.parametrize(("name", "body", "code"), CASES, ids=[case[0] for case in CASES])
def test_bad_bodies_are_refused_cleanly(aws, submit_api, name, body, code):
    response = submit_api.http.post(
        "/reports", headers={"Content-Type": "application/json"}, body=body
    )
    assert 400 <= response.status_code < 500, name
    assert response.json_body["code"] == code
    assert response.json_body["message"]["vi"] and response.json_body["message"]["en"]
    reports = boto3.resource("dynamodb").Table(aws.environment["PHANANH_REPORTS_TABLE"])
    assert reports.scan()["Count"] == 0


def test_a_wrong_content_type_is_415_in_our_shape(submit_api):
    response = submit_api.http.post("/reports", headers={"Content-Type": "text/plain"}, body="hi")
    assert response.status_code == 415
    assert response.json_body["code"] == "unsupported_media_type"
    assert response.json_body["message"]["vi"]


def test_a_wrong_method_is_405_in_our_shape(submit_api):
    response = submit_api.http.delete("/reports")
    assert response.status_code == 405
    assert response.json_body["code"] == "method_not_allowed"
