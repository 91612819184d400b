"""The citizen API through Chalice's test client, on moto resources deployed from the template."""

import json
from datetime import timedelta

import boto3
import pytest
from delivery_flows import drain_outbox
from fakes import FCM_TOKEN, PUSH

from phananh.adapters.aws.kms import KmsContactVault
from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.report.lifecycle import Action, Status
from phananh.report.model import AuditEvent
from phananh_local.demo_directory import ward_committee_id

VI_THANH = {"lat": 9.779, "lon": 105.47}
JSON = {"Content-Type": "application/json"}


def valid_report(**overrides):
    body = {
        "category": "roads",
        "description": "Ổ gà lớn trước chợ Vị Thanh, xe máy dễ té.",
        "location": VI_THANH,
        "address": "Đường 3 Tháng 2, Phường Vị Thanh",
        "photo_count": 0,
    }
    body.update(overrides)
    return body


def post_report(api, body, headers=None):
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    return api.http.post("/reports", headers={**JSON, **(headers or {})}, body=raw)


def table_items(aws, setting):
    table = boto3.resource("dynamodb").Table(aws.environment[setting])
    return table.scan()["Items"]


def intake_messages(aws):
    """What the intake queue holds once the outbox has forwarded the changes so far."""
    drain_outbox()
    sqs = boto3.client("sqs")
    queue_url = aws.environment["PHANANH_INTAKE_QUEUE_URL"]
    response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
    return [json.loads(message["Body"]) for message in response.get("Messages", [])]


def test_categories_are_listed_in_both_languages(submit_api):
    response = submit_api.http.get("/categories")
    assert response.status_code == 200
    categories = response.json_body["categories"]
    assert len(categories) >= 10
    roads = next(category for category in categories if category["code"] == "roads")
    assert roads["name"]["vi"] and roads["name"]["en"]
    assert roads["service_code"]


def test_filing_a_report_stores_it_privately_and_queues_it_for_routing(aws, submit_api):
    contact = {"phone": "0912 345 678", "email": "nguoidan@example.vn", "share_with_officer": True}
    response = post_report(submit_api, valid_report(contact=contact, device_id="device-canary-42"))

    assert response.status_code == 201
    receipt = response.json_body
    assert receipt["status"] == "RECEIVED"
    assert receipt["uploads"] == []
    assert response.headers["Location"] == f"/reports/{receipt['report_id']}"
    token = receipt["tracking_token"]

    [stored] = table_items(aws, "PHANANH_REPORTS_TABLE")
    stored_text = repr(stored)
    for secret in (token, "0912345678", "nguoidan@example.vn", "device-canary-42"):
        assert secret not in stored_text
    assert stored["contact_shared"] is True
    assert stored["version"] == 1
    assert "device_hash" not in stored

    [event] = table_items(aws, "PHANANH_AUDIT_TABLE")
    assert (event["action"], event["to_status"], event["actor"]) == ("submit", "RECEIVED", "reporter")

    assert intake_messages(aws) == [{"type": "report.submitted", "report_id": receipt["report_id"]}]


def test_the_contact_is_encrypted_for_that_report_only(aws, submit_api):
    decrypt_contact = KmsContactVault().unseal_contact

    receipt = post_report(submit_api, valid_report(contact={"email": "a@example.vn"})).json_body
    [stored] = table_items(aws, "PHANANH_REPORTS_TABLE")
    ciphertext = stored["contact_ciphertext"].value
    assert decrypt_contact(ciphertext, receipt["report_id"])["email"] == "a@example.vn"
    with pytest.raises(Exception, match="InvalidCiphertext"):
        decrypt_contact(ciphertext, "PA000000OTHER")


def test_the_push_token_is_sealed_apart_from_the_contact_for_another_purpose(aws, submit_api):
    """Each ciphertext opens only under its own purpose: the roles that push (KMS grants conditioned
    on kms:EncryptionContext:purpose) never hold the reporter's phone or e-mail, and back."""
    vault = KmsContactVault()
    decrypt_contact, decrypt_push_device = vault.unseal_contact, vault.unseal_push_device

    receipt = post_report(submit_api, valid_report(contact={"email": "a@example.vn"}, push=PUSH)).json_body
    [stored] = table_items(aws, "PHANANH_REPORTS_TABLE")
    contact, push = stored["contact_ciphertext"].value, stored["push_ciphertext"].value
    assert "push" not in decrypt_contact(contact, receipt["report_id"])
    assert decrypt_push_device(push, receipt["report_id"]).to_dict() == PUSH
    assert FCM_TOKEN not in repr(stored)
    for opened_as_the_other_kind in (lambda: decrypt_push_device(contact, receipt["report_id"]),
                                     lambda: decrypt_contact(push, receipt["report_id"])):
        with pytest.raises(Exception, match="InvalidCiphertext"):
            opened_as_the_other_kind()


def test_a_report_with_photos_gets_one_upload_form_each_and_waits_for_them(aws, submit_api):
    receipt = post_report(submit_api, valid_report(photo_count=2)).json_body
    uploads = receipt["uploads"]
    assert [upload["key"] for upload in uploads] == [
        f"quarantine/{receipt['report_id']}/1",
        f"quarantine/{receipt['report_id']}/2",
    ]
    for upload in uploads:
        assert upload["fields"]["key"] == upload["key"]
        assert upload["max_bytes"] == 10 * 1024 * 1024
        assert upload["fields"]["policy"]
    assert intake_messages(aws) == []
    queue = boto3.client("sqs").get_queue_attributes(
        QueueUrl=aws.environment["PHANANH_INTAKE_QUEUE_URL"], AttributeNames=["ApproximateNumberOfMessagesDelayed"]
    )
    assert queue["Attributes"]["ApproximateNumberOfMessagesDelayed"] == "1"  # the photo cutoff


def test_the_reporter_follows_the_report_with_the_token(submit_api):
    receipt = post_report(submit_api, valid_report()).json_body
    path = f"/reports/{receipt['report_id']}"

    response = submit_api.http.get(path, headers={"Authorization": f"Bearer {receipt['tracking_token']}"})
    assert response.status_code == 200
    view = response.json_body
    assert view["status"] == "RECEIVED"
    assert view["ward"] is None
    assert view["category"]["name"]["vi"]
    assert view["timeline"] == [
        {"at": receipt["created_at"], "status": "RECEIVED", "label": view["status_label"]}
    ]
    assert view["contact"] == {"provided": False, "shared_with_officer": False}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic abc", "Bearer "])
def test_without_the_right_token_a_report_does_not_exist(submit_api, authorization):
    receipt = post_report(submit_api, valid_report()).json_body
    headers = {"Authorization": authorization} if authorization else {}
    response = submit_api.http.get(f"/reports/{receipt['report_id']}", headers=headers)
    missing = submit_api.http.get("/reports/PA000000NOTHERE", headers=headers)
    assert response.status_code == missing.status_code == 404
    assert response.json_body == missing.json_body
    assert response.json_body["code"] == "not_found"


def test_a_retry_with_the_same_key_returns_the_same_receipt(aws, submit_api):
    headers = {"Idempotency-Key": "7d0b4c52-91a3-4f0e-8a6d-2b5e9c1f3a01"}
    first = post_report(submit_api, valid_report(photo_count=1), headers)
    second = post_report(submit_api, valid_report(photo_count=1), headers)
    assert first.status_code == second.status_code == 201
    for field in ("report_id", "tracking_token", "status", "created_at"):
        assert first.json_body[field] == second.json_body[field]
    assert second.json_body["uploads"][0]["key"] == first.json_body["uploads"][0]["key"]
    assert len(table_items(aws, "PHANANH_REPORTS_TABLE")) == 1
    stored_keys = repr(table_items(aws, "PHANANH_IDEMPOTENCY_TABLE"))
    assert first.json_body["tracking_token"] not in stored_keys


def test_the_same_key_with_another_body_is_refused(aws, submit_api):
    headers = {"Idempotency-Key": "7d0b4c52-91a3-4f0e-8a6d-2b5e9c1f3a02"}
    assert post_report(submit_api, valid_report(), headers).status_code == 201
    response = post_report(submit_api, valid_report(description="Khác hẳn"), headers)
    assert response.status_code == 422
    assert response.json_body["code"] == "idempotency_key_reused"
    assert len(table_items(aws, "PHANANH_REPORTS_TABLE")) == 1


@pytest.mark.parametrize("key", ["short", "retry-key-0001", "00000000-0000-0000-0000-000000000001"])
def test_a_malformed_or_guessable_idempotency_key_is_refused(aws, submit_api, key):
    response = post_report(submit_api, valid_report(), {"Idempotency-Key": key})
    assert response.status_code == 400
    assert response.json_body["code"] == "invalid_idempotency_key"
    assert "UUID" in response.json_body["message"]["vi"] and "UUID" in response.json_body["message"]["en"]
    assert table_items(aws, "PHANANH_REPORTS_TABLE") == []


def test_one_device_is_slowed_down_with_retry_after(aws, submit_api, monkeypatch):
    from phananh.shared.settings import get_settings

    monkeypatch.setenv("PHANANH_DEVICE_BUCKET_CAPACITY", "2")
    get_settings.cache_clear()
    statuses = [
        post_report(submit_api, valid_report(device_id="busy-device")).status_code for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    refused = post_report(submit_api, valid_report(device_id="busy-device"))
    assert refused.json_body["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 360
    assert post_report(submit_api, valid_report(device_id="another-device")).status_code == 201
    assert len(table_items(aws, "PHANANH_REPORTS_TABLE")) == 3


def route_to(report_id, unit_id, *, minutes_later=1):
    """Move a stored report to ASSIGNED the way the route function will: one audited change."""
    store = DynamoReportStore()
    before = store.get(report_id)
    now = before.created_at + timedelta(minutes=minutes_later)
    after = before.moved(Action.ROUTE, now, owner_unit_id=unit_id, ward_code="31321",
                         acknowledge_due_at=now + timedelta(hours=4))
    store.save_change(before, after, AuditEvent(
        report_id=report_id, version=after.version, at=now, actor="system:route",
        action=Action.ROUTE, from_status=before.status, to_status=after.status,
    ))
    return after


def test_only_routed_reports_are_public_and_they_carry_no_personal_data(submit_api):
    contact = {"phone": "0987654321", "share_with_officer": True}
    receipt = post_report(submit_api, valid_report(contact=contact, device_id="dev-77")).json_body
    report_id = receipt["report_id"]
    assert submit_api.http.get(f"/public/reports/{report_id}").status_code == 404
    assert submit_api.http.get("/public/reports").json_body["reports"] == []

    route_to(report_id, ward_committee_id("31321"))
    response = submit_api.http.get(f"/public/reports/{report_id}")
    assert response.status_code == 200
    public = response.json_body
    assert public["status"] == "ASSIGNED"
    assert public["ward"]["code"] == "31321"
    assert [step["status"] for step in public["timeline"]] == ["RECEIVED", "ASSIGNED"]
    feed = submit_api.http.get("/public/reports").json_body["reports"]
    assert [item["report_id"] for item in feed] == [report_id]
    for body in (response.body.decode(), json.dumps(feed)):
        for private in ("0987654321", receipt["tracking_token"], "dev-77", "contact", "device", "token"):
            assert private not in body


def test_the_public_feed_pages_newest_first_and_filters(submit_api):
    ids = []
    for minutes in (1, 2, 3):
        report_id = post_report(submit_api, valid_report()).json_body["report_id"]
        route_to(report_id, ward_committee_id("31321"), minutes_later=minutes)
        ids.append(report_id)
    first = submit_api.http.get("/public/reports?limit=2").json_body
    second = submit_api.http.get(f"/public/reports?limit=2&cursor={first['next_cursor']}").json_body
    seen = [item["report_id"] for item in first["reports"] + second["reports"]]
    assert seen == ids[::-1]

    by_ward = submit_api.http.get("/public/reports?ward=31321&status=ASSIGNED").json_body["reports"]
    assert len(by_ward) == 3
    assert submit_api.http.get("/public/reports?ward=31333").json_body["reports"] == []
    assert submit_api.http.get("/public/reports?category=lighting").json_body["reports"] == []


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("cursor=not-a-cursor", "invalid_cursor"),
        ("cursor=WyJhIiwiYiJd", "invalid_cursor"),
        ("limit=0", "invalid_limit"),
        ("limit=abc", "invalid_limit"),
        ("limit=51", "invalid_limit"),
        ("ward=99999", "unknown_ward"),
        ("category=nope", "unknown_category"),
        ("status=REJECTED", "invalid_status"),
        ("status=received", "invalid_status"),
    ],
)
def test_bad_feed_queries_are_400(submit_api, query, code):
    response = submit_api.http.get(f"/public/reports?{query}")
    assert response.status_code == 400
    assert response.json_body["code"] == code


def test_a_report_is_ordered_by_publication_not_by_filing(submit_api):
    early = post_report(submit_api, valid_report()).json_body["report_id"]
    late = post_report(submit_api, valid_report()).json_body["report_id"]
    route_to(late, ward_committee_id("31321"), minutes_later=1)
    route_to(early, ward_committee_id("31321"), minutes_later=5)
    feed = submit_api.http.get("/public/reports").json_body["reports"]
    assert [item["report_id"] for item in feed] == [early, late]
    assert feed[0]["status"] == Status.ASSIGNED
