"""Filing a report (intake.filing.submit_report) on the fake ports: the receipt, the work it hands on
(through the outbox: tests/flows_on_fakes.deliver_changes), retries under an Idempotency-Key, and the
rate limits."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fakes import PUSH, Routed, SealRefused
from flows_on_fakes import deliver_changes

from phananh.intake import filing
from phananh.intake.tokens import token_matches
from phananh.report.lifecycle import Action, Status
from phananh.report.ports import ClaimTaken
from phananh.shared.errors import IdempotencyConflict, InvalidInput, RateLimited

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
POTHOLE = {"category": "roads", "description": "Ổ gà lớn trước chợ Vị Thanh", "location": {"lat": 9.779, "lon": 105.47}}
CONTACT = {"phone": "0961234580", "email": "dan@example.vn", "share_with_officer": True}


def file(ports, settings, payload=POTHOLE, *, ip="203.0.113.7", key=None, now=NOW):
    return filing.submit_report(payload, filing.Caller(ip, idempotency_key=key), ports=ports, settings=settings,
                                now=now)


def test_a_filed_report_is_kept_received_with_its_trail_and_handed_to_routing(ports, settings):
    receipt = file(ports, settings)
    report = ports.reports.get(receipt["report_id"])
    assert receipt["status"] == "RECEIVED" and report.status is Status.RECEIVED
    assert token_matches(receipt["tracking_token"], report.tracking_token_hash)
    assert receipt["uploads"] == []
    assert [event.action for event in ports.reports.events(report.report_id)] == [Action.SUBMIT]
    deliver_changes(ports, settings, now=NOW)
    assert ports.queues.routed == [Routed(report.report_id)]


def test_photos_to_come_get_one_upload_form_each_and_routing_waits_for_the_cutoff(ports, settings):
    receipt = file(ports, settings, {**POTHOLE, "photo_count": 2})
    report_id = receipt["report_id"]
    assert [upload["key"] for upload in receipt["uploads"]] == [f"quarantine/{report_id}/{n}" for n in (1, 2)]
    deliver_changes(ports, settings, now=NOW + timedelta(seconds=100))  # the cutoff counts from the filing
    assert ports.queues.routed == [Routed(report_id, at_photo_cutoff=True, delay_s=settings.photo_cutoff_s - 100)]


def test_the_contact_and_push_token_are_kept_sealed_for_this_report_only(ports, settings):
    receipt = file(ports, settings, {**POTHOLE, "contact": CONTACT, "push": PUSH})
    report = ports.reports.get(receipt["report_id"])
    assert ports.contacts.unseal_contact(report.contact_ciphertext, report.report_id)["phone"] == "0961234580"
    assert ports.contacts.unseal_push_device(report.push_ciphertext, report.report_id).to_dict() == PUSH
    with pytest.raises(SealRefused):
        ports.contacts.unseal_contact(report.contact_ciphertext, "PA260302OTHER000")
    with pytest.raises(SealRefused):
        ports.contacts.unseal_push_device(report.contact_ciphertext, report.report_id)
    assert (report.contact_provided, report.contact_shared, report.push_enabled) == (True, True, True)


def test_a_report_whose_routing_message_cannot_be_sent_is_filed_and_queued_by_the_retried_change(ports, settings):
    def refuse(report_id):
        raise ConnectionError("queue down")

    send, ports.queues.send_to_routing = ports.queues.send_to_routing, refuse
    receipt = file(ports, settings)
    assert ports.reports.get(receipt["report_id"]).status is Status.RECEIVED
    with pytest.raises(ConnectionError):
        deliver_changes(ports, settings, now=NOW)
    ports.queues.send_to_routing = send
    deliver_changes(ports, settings, now=NOW)  # the stream's retry of the batch
    assert ports.queues.routed == [Routed(receipt["report_id"])]


def test_a_retry_under_the_same_key_gets_the_same_receipt_and_files_nothing_more(ports, settings):
    key = str(uuid.uuid4())
    first = file(ports, settings, key=key)
    again = file(ports, settings, key=key, now=NOW + timedelta(seconds=5))
    assert again == first
    deliver_changes(ports, settings, now=NOW + timedelta(seconds=5))
    assert len(ports.queues.routed) == 1


def test_a_retry_while_photos_are_awaited_gets_the_upload_forms_again(ports, settings):
    key, payload = str(uuid.uuid4()), {**POTHOLE, "photo_count": 1}
    first = file(ports, settings, payload, key=key)
    again = file(ports, settings, payload, key=key, now=NOW + timedelta(seconds=5))
    assert [upload["key"] for upload in again["uploads"]] == [upload["key"] for upload in first["uploads"]]
    late = file(ports, settings, payload, key=key, now=NOW + timedelta(seconds=settings.photo_cutoff_s))
    assert late["uploads"] == [] and late["tracking_token"] == first["tracking_token"]


def test_the_same_key_with_another_body_or_from_another_caller_is_refused(ports, settings):
    key = str(uuid.uuid4())
    file(ports, settings, key=key)
    with pytest.raises(IdempotencyConflict) as other_body:
        file(ports, settings, {**POTHOLE, "description": "Đèn đường tắt cả tuần"}, key=key)
    with pytest.raises(IdempotencyConflict) as other_caller:
        file(ports, settings, key=key, ip="198.51.100.9")
    assert other_body.value.code == other_caller.value.code == "idempotency_key_reused"


def test_a_copy_sent_while_the_first_is_being_written_is_told_to_retry_and_files_nothing(ports, settings):
    key = str(uuid.uuid4())
    # The store's answer while another transaction writes the same key: taken, though not readable yet.
    real_create = ports.reports.create
    ports.reports.create = lambda report, event, claim=None: (_ for _ in ()).throw(ClaimTaken(claim.key))
    with pytest.raises(IdempotencyConflict) as refused:
        file(ports, settings, key=key)
    assert refused.value.code == "request_in_progress" and ports.reports.changes == []
    ports.reports.create = real_create
    assert file(ports, settings, key=key)["status"] == "RECEIVED"


def test_a_failed_filing_leaves_no_claim_and_its_retry_files_the_report(ports, settings):
    key = str(uuid.uuid4())
    real_create = ports.reports.create
    ports.reports.create = lambda report, event, claim=None: (_ for _ in ()).throw(ConnectionError("table down"))
    with pytest.raises(ConnectionError):
        file(ports, settings, key=key)
    ports.reports.create = real_create
    assert file(ports, settings, key=key)["status"] == "RECEIVED"
    assert len(ports.reports.changes) == 1


def test_a_retry_of_a_filed_request_gets_its_receipt_even_when_its_network_is_at_its_limit(ports, settings):
    key = str(uuid.uuid4())
    first = file(ports, settings, key=key)
    for _ in range(settings.ip_bucket_capacity - 1):
        file(ports, settings)
    with pytest.raises(RateLimited):
        file(ports, settings)
    assert file(ports, settings, key=key) == first


def test_an_invalid_idempotency_key_is_refused_before_anything_is_filed(ports, settings):
    with pytest.raises(InvalidInput) as refused:
        file(ports, settings, key="not-a-uuid")
    assert refused.value.code == "invalid_idempotency_key"
    assert ports.reports.changes == []


def test_one_network_files_its_capacity_then_is_told_when_to_come_back(ports, settings):
    for _ in range(settings.ip_bucket_capacity):
        file(ports, settings)
    with pytest.raises(RateLimited) as refused:
        file(ports, settings)
    assert refused.value.retry_after_s == 3600 // settings.ip_refill_per_hour
    file(ports, settings, ip="198.51.100.9")  # another network has its own bucket
    file(ports, settings, now=NOW + timedelta(seconds=3600 // settings.ip_refill_per_hour))


def test_one_device_is_limited_whatever_network_it_uses(ports, settings):
    device = {**POTHOLE, "device_id": "device-123"}
    for n in range(settings.device_bucket_capacity):
        file(ports, settings, device, ip=f"203.0.113.{n + 1}")
    with pytest.raises(RateLimited):
        file(ports, settings, device, ip="198.51.100.9")


def test_a_refused_filing_under_a_key_may_be_retried_once_the_limit_allows(ports, settings):
    for _ in range(settings.ip_bucket_capacity):
        file(ports, settings)
    key = str(uuid.uuid4())
    with pytest.raises(RateLimited):
        file(ports, settings, key=key)
    later = NOW + timedelta(seconds=3600 // settings.ip_refill_per_hour)
    assert file(ports, settings, key=key, now=later)["status"] == "RECEIVED"
