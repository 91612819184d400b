"""Filing a report from an anonymous citizen: rate limits, the idempotent claim, the record, the upload forms."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from phananh.intake import tokens
from phananh.intake.caller import Caller
from phananh.intake.ratelimit import BucketPolicy, address_bucket, network_of, take_token
from phananh.intake.submission import Submission, check_idempotency_key, parse_submission
from phananh.ports import Ports
from phananh.report.lifecycle import Action, Status, next_status
from phananh.report.model import AuditEvent, Report, iso, parse_iso
from phananh.report.photo_keys import upload_keys
from phananh.report.ports import ClaimTaken, FiledClaim
from phananh.report.push_device import Platform
from phananh.routing.geo import load_wards
from phananh.shared.errors import IdempotencyConflict, RateLimited, bilingual
from phananh.shared.ids import new_report_id
from phananh.shared.settings import Settings

REPORTER = "reporter"
Decision = tuple[Report, AuditEvent]


# A claim written by a transaction still under way, or one from before claims were written with the
# report they file (an IN_PROGRESS record until it expires).
def _in_progress() -> IdempotencyConflict:
    return IdempotencyConflict(
        "request_in_progress",
        bilingual(
            "Yêu cầu với Idempotency-Key này đang được xử lý. Vui lòng thử lại sau giây lát.",
            "A request with this Idempotency-Key is still being processed. Retry shortly.",
        ),
    )


def _request_hash(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _receipt(record: dict[str, Any], tracking_token: str, now: datetime, *, ports: Ports, with_uploads: bool = True
             ) -> dict[str, Any]:
    keys = upload_keys(record["report_id"], record["photo_count"]) if with_uploads else []
    forms = [ports.photos.upload_form(key, now) for key in keys]
    return {
        **record,
        "tracking_token": tracking_token,
        "uploads": [form.to_dict() for form in forms],
    }


def _throttle(ports: Ports, settings: Settings, secret: bytes, submission: Submission,
              caller: Caller, now: datetime) -> None:
    checks = []
    if submission.device_id:
        checks.append((
            "device#" + tokens.pseudonym(secret, "device", submission.device_id),
            BucketPolicy(settings.device_bucket_capacity, settings.device_refill_per_hour),
        ))
    if caller.source_ip:
        checks.append((
            address_bucket(secret, caller.source_ip),
            BucketPolicy(settings.ip_bucket_capacity, settings.ip_refill_per_hour),
        ))
    for bucket_key, policy in checks:
        take_token(ports.rate_limits, bucket_key, policy, now.timestamp())


def submit_report(
    payload: Any, caller: Caller, *, ports: Ports, settings: Settings, now: datetime
) -> dict[str, Any]:
    """File a report. Returns the receipt: id, status, tracking token (once) and photo uploads.

    With an Idempotency-Key, a retry of the same request by the same caller gets the same receipt
    (the token is derived from the key and the report its claim fixed, so it is never stored); a
    different request, or another caller, under that key fails.

    The common case is three AWS calls (four with a contact or push token to seal): one write per
    rate-limit bucket, then the report, its audit event and the key's claim in one transaction.
    """
    wards = load_wards(settings.wards_geojson_path)
    submission = parse_submission(
        payload, wards=wards, max_photos=settings.max_photos,
        service_area_margin_m=settings.service_area_margin_m,
        push_platforms=[platform for platform in Platform if settings.push_application_arn(platform)],
    )
    secret = ports.secret.hmac_key()
    key = check_idempotency_key(caller.idempotency_key) if caller.idempotency_key else None
    if key is None:
        _throttle(ports, settings, secret, submission, caller, now)
        return _file(submission, tokens.new_tracking_token(), new_report_id(now), ports=ports, now=now)

    request_hash = _request_hash(payload)
    stored_key = "reports:" + key
    who = _claimant(secret, submission, caller)

    def replay_earlier() -> dict[str, Any] | None:
        earlier = ports.claims.get(stored_key, now=int(now.timestamp()))
        if earlier is None:
            return None
        return _replay(earlier, request_hash, who, key, secret=secret, ports=ports, settings=settings, now=now)

    try:
        _throttle(ports, settings, secret, submission, caller, now)
    except RateLimited:
        # A retry of a request already filed is answered, however busy its bucket is since.
        replayed = replay_earlier()
        if replayed is None:
            raise
        return replayed
    report_id = new_report_id(now)
    claim = FiledClaim(
        key=stored_key, request_hash=request_hash, expires_at=int(now.timestamp()) + settings.idempotency_ttl_s,
        caller=who, report_id=report_id, response=_record(report_id, submission.photo_count, now),
        now=int(now.timestamp()),
    )
    try:
        return _file(submission, tokens.tracking_token_for_claim(secret, key, report_id), report_id, ports=ports,
                     now=now, claim=claim)
    except ClaimTaken:
        # A retry (or a concurrent copy) of a request: the first one's receipt, never a second report.
        replayed = replay_earlier()
        if replayed is None:
            raise _in_progress() from None
        return replayed


def _claimant(secret: bytes, submission: Submission, caller: Caller) -> str | None:
    """Who files under an Idempotency-Key: the device when the app names it, else the network.

    The device survives the phone changing networks between a request and its retry.
    """
    if submission.device_id:
        return tokens.pseudonym(secret, "device", submission.device_id)
    if caller.source_ip:
        return tokens.pseudonym(secret, "ip", network_of(caller.source_ip))
    return None


def _replay(earlier: Any, request_hash: str, claimant: str | None, key: str, *, secret: bytes, ports: Ports,
            settings: Settings, now: datetime) -> dict[str, Any]:
    # Someone else replaying a key they saw is told no more than about a different body.
    if earlier.request_hash != request_hash or earlier.caller != claimant:
        raise IdempotencyConflict(
            "idempotency_key_reused",
            bilingual(
                "Idempotency-Key này đã được dùng cho một yêu cầu khác.",
                "This Idempotency-Key was already used for a different request.",
            ),
        )
    if earlier.state != "COMPLETED":
        raise _in_progress()
    record = earlier.response
    tracking_token = tokens.tracking_token_for_claim(secret, key, record["report_id"])
    return _receipt(record, tracking_token, now, ports=ports, with_uploads=_awaits_photos(record, ports, settings, now))


def _awaits_photos(record: dict[str, Any], ports: Ports, settings: Settings, now: datetime) -> bool:
    """Upload forms are handed out again only while the report still waits for its photos."""
    if not record["photo_count"]:
        return False
    if now >= parse_iso(record["created_at"]) + timedelta(seconds=settings.photo_cutoff_s):
        return False
    report = ports.reports.get(record["report_id"])
    return report is not None and report.status is Status.RECEIVED


def _record(report_id: str, photo_count: int, now: datetime) -> dict[str, Any]:
    """What a receipt says of the report, kept in its idempotency record for a retry."""
    status = next_status(None, Action.SUBMIT)
    return {"report_id": report_id, "status": str(status), "created_at": iso(now), "photo_count": photo_count}


def _file(submission: Submission, tracking_token: str, report_id: str, *, ports: Ports,
          now: datetime, claim: FiledClaim | None = None) -> dict[str, Any]:
    contact = submission.contact
    report = Report(
        report_id=report_id,
        version=1,
        status=next_status(None, Action.SUBMIT),
        source="app",
        category_code=submission.category_code,
        description=submission.description,
        location=submission.location,
        ward_code=submission.ward_code,
        address=submission.address,
        photo_count=submission.photo_count,
        tracking_token_hash=tokens.hash_token(tracking_token),
        # Kept only as KMS ciphertexts, each sealed for its purpose: who may read a contact is not
        # who may push.
        contact_ciphertext=ports.contacts.seal_contact(contact.to_dict(), report_id) if contact else None,
        push_ciphertext=(
            ports.contacts.seal_push_device(submission.push_device, report_id)
            if submission.push_device else None
        ),
        contact_shared=bool(contact and contact.share_with_officer),
        created_at=now,
        updated_at=now,
        contact_provided=contact is not None,
        push_enabled=submission.push_device is not None,
    )
    event = AuditEvent(
        report_id=report_id, version=1, at=now, actor=REPORTER, action=Action.SUBMIT,
        from_status=None, to_status=report.status,
    )
    # Filed: its routing message (now, or at the photo cutoff) follows from the reports stream
    # (phananh.outbox), so a report stored is a report queued.
    ports.reports.create(report, event, claim)
    return _receipt(_record(report_id, report.photo_count, now), tracking_token, now, ports=ports)


