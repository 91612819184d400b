"""Filing under an Idempotency-Key, through the use case on moto's DynamoDB, at chosen moments.

A retry by the same caller gets its receipt again; nobody else, and nothing after the key's record
expired, gets the token of a report filed before.
"""

import uuid
from datetime import timedelta

import boto3
import pytest

from phananh import bootstrap
from phananh.intake import filing
from phananh.report.lifecycle import Action
from phananh.report.model import AuditEvent, utcnow
from phananh.shared.errors import IdempotencyConflict, NotFound
from phananh.shared.settings import get_settings
from phananh.transparency import views

POTHOLE = {"category": "roads", "description": "Ổ gà lớn trước chợ Vị Thanh", "location": {"lat": 9.779, "lon": 105.47}}
OTHER = {**POTHOLE, "description": "Đèn đường tắt cả tuần"}


@pytest.fixture
def ports(aws):
    return bootstrap.ports()


def file(ports, payload, key, *, ip="203.0.113.7", now=None):
    return filing.submit_report(payload, filing.Caller(ip, idempotency_key=key), ports=ports,
                                   settings=get_settings(), now=now or utcnow())


def view(ports, receipt, token=None):
    return views.reporter_view(receipt["report_id"], token or receipt["tracking_token"], ports=ports,
                                   settings=get_settings())


def idempotency_table(aws):
    return boto3.resource("dynamodb").Table(aws.environment["PHANANH_IDEMPOTENCY_TABLE"])


def test_the_same_caller_retrying_gets_the_same_receipt_and_token(ports):
    key = str(uuid.uuid4())
    first = file(ports, POTHOLE, key)
    again = file(ports, POTHOLE, key.upper())
    assert {name: again[name] for name in ("report_id", "tracking_token", "status", "created_at")} == {
        name: first[name] for name in ("report_id", "tracking_token", "status", "created_at")
    }
    assert view(ports, again)["report_id"] == first["report_id"]


def test_a_key_reused_once_its_record_expired_files_a_new_report(aws, ports):
    key = str(uuid.uuid4())
    now = utcnow()
    victim = file(ports, POTHOLE, key, now=now)
    # DynamoDB deletes expired records late: this one is still in the table, and must count as absent.
    later = now + timedelta(seconds=get_settings().idempotency_ttl_s + 1)
    stranger = file(ports, OTHER, key, ip="198.51.100.9", now=later)
    assert stranger["report_id"] != victim["report_id"]
    assert stranger["tracking_token"] != victim["tracking_token"]
    with pytest.raises(NotFound):
        view(ports, victim, token=stranger["tracking_token"])


def test_a_key_reused_once_its_record_was_deleted_never_yields_the_earlier_token(aws, ports):
    key = str(uuid.uuid4())
    victim = file(ports, POTHOLE, key)
    idempotency_table(aws).delete_item(Key={"idempotency_key": "reports:" + key})  # what TTL does
    stranger = file(ports, POTHOLE, key, ip="198.51.100.9")
    assert stranger["tracking_token"] != victim["tracking_token"]
    with pytest.raises(NotFound):
        view(ports, victim, token=stranger["tracking_token"])
    assert view(ports, victim)["report_id"] == victim["report_id"]


def test_a_replay_by_another_caller_is_refused(ports):
    key = str(uuid.uuid4())
    file(ports, POTHOLE, key, ip="203.0.113.7")
    with pytest.raises(IdempotencyConflict) as refused:
        file(ports, POTHOLE, key, ip="198.51.100.9")
    assert refused.value.code == "idempotency_key_reused"


def test_a_device_retrying_from_another_network_gets_its_receipt(ports):
    key = str(uuid.uuid4())
    payload = {**POTHOLE, "device_id": "phone-42"}
    first = file(ports, payload, key, ip="203.0.113.7")
    again = file(ports, payload, key, ip="2001:db8:5::1")
    assert again["tracking_token"] == first["tracking_token"]


def test_the_idempotency_record_holds_neither_token_nor_address(aws, ports):
    receipt = file(ports, {**POTHOLE, "device_id": "phone-42"}, str(uuid.uuid4()))
    stored = repr(idempotency_table(aws).scan()["Items"])
    for secret in (receipt["tracking_token"], "203.0.113.7", "phone-42"):
        assert secret not in stored


def test_a_replay_after_the_photo_cutoff_hands_out_no_upload_forms(ports):
    key, now = str(uuid.uuid4()), utcnow()
    payload = {**POTHOLE, "photo_count": 2}
    first = file(ports, payload, key, now=now)
    assert len(first["uploads"]) == 2
    assert len(file(ports, payload, key, now=now + timedelta(seconds=60))["uploads"]) == 2
    late = file(ports, payload, key, now=now + timedelta(seconds=get_settings().photo_cutoff_s))
    assert late["report_id"] == first["report_id"] and late["tracking_token"] == first["tracking_token"]
    assert late["uploads"] == []


def test_a_replay_once_the_report_moved_on_hands_out_no_upload_forms(ports):
    key, now = str(uuid.uuid4()), utcnow()
    payload = {**POTHOLE, "photo_count": 1}
    first = file(ports, payload, key, now=now)
    before = ports.reports.get(first["report_id"])
    after = before.moved(Action.ROUTE, now, owner_unit_id="ward-31321", ward_code="31321",
                         acknowledge_due_at=now + timedelta(hours=4))
    ports.reports.save_change(before, after, AuditEvent(
        report_id=before.report_id, version=after.version, at=now, actor="system:route",
        action=Action.ROUTE, from_status=before.status, to_status=after.status,
    ))
    assert file(ports, payload, key, now=now + timedelta(seconds=5))["uploads"] == []


def test_the_report_keeps_no_device_pseudonym(aws, ports):
    file(ports, {**POTHOLE, "device_id": "phone-42"}, None)
    [stored] = boto3.resource("dynamodb").Table(aws.environment["PHANANH_REPORTS_TABLE"]).scan()["Items"]
    assert "device_hash" not in stored
