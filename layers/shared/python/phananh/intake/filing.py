"""Citizen-side use cases: file a report, follow it with its tracking token, browse what is public.

What each audience may see is decided here, in `reporter_view` and `public_view`; nothing else
shapes a report for the outside world.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from phananh.adapters.aws import integrations
from phananh.adapters.dynamo.stores import DirectoryStore, IdempotencyStore, RateLimitStore, ReportStore
from phananh.intake import tokens
from phananh.intake.ratelimit import BucketPolicy, network_of, take_token
from phananh.intake.submission import Submission, check_idempotency_key, parse_submission
from phananh.report.categories import get_category
from phananh.report.deadlines import scaled_span
from phananh.report.lifecycle import STATUS_LABELS, Action, Status, is_published, next_status
from phananh.report.merges import followed_master
from phananh.report.model import AuditEvent, Location, Report, iso, parse_iso
from phananh.routing.geo import WardDirectory, load_wards, snap_to_grid
from phananh.routing.pipeline import change_report
from phananh.shared.errors import IdempotencyConflict, InvalidInput, NotFound, bilingual
from phananh.shared.ids import new_report_id
from phananh.shared.observability import count, logger
from phananh.shared.settings import Settings
from phananh.shared.text_policy import whole_number
from phananh.transparency.rating import rating_view

REPORTER = "reporter"
PUBLIC_LIMIT_MAX = 50
Decision = tuple[Report, AuditEvent]
# A point read from a photo's GPS is shown to the public on a grid this fine (see report_facts).
PHOTO_LOCATION_GRID_M = 100
# Actions whose reason an officer writes for the reporter (templates help): their timeline shows it.
_NOTES_FOR_THE_REPORTER = frozenset({
    Action.ACKNOWLEDGE, Action.START_WORK, Action.NOTE, Action.RESOLVE, Action.TRANSFER, Action.REJECT, Action.MERGE,
})


@dataclass(frozen=True)
class Stores:
    reports: ReportStore
    rate_limits: RateLimitStore
    idempotency: IdempotencyStore
    directory: DirectoryStore


@dataclass(frozen=True)
class Caller:
    """Who is asking, as far as an anonymous API can tell."""

    source_ip: str | None
    idempotency_key: str | None = None

    @classmethod
    def of_request(cls, source_ip: str | None, headers: Mapping[str, str], settings: Settings) -> Caller:
        return cls(
            source_ip=client_address(source_ip, headers, settings.client_address_header),
            idempotency_key=_header(headers, "idempotency-key"),
        )


def _header(headers: Mapping[str, str], name: str) -> str | None:
    name = name.lower()
    return next((value for key, value in headers.items() if key.lower() == name), None)


def client_address(source_ip: str | None, headers: Mapping[str, str], header_name: str) -> str | None:
    """The citizen's IP address, which the per-IP rate limit counts.

    Behind the edge the connection comes from one of its servers, shared by everyone it serves; the
    edge names the viewer in `header_name` (an address, or `address:port` as CloudFront's own
    CloudFront-Viewer-Address does, IPv6 in brackets then). No header configured, none sent or one
    that is not an address: the source address stands.
    """
    forwarded = _header(headers, header_name) if header_name else None
    address = _parse_address(forwarded.strip()) if forwarded else None
    return address or source_ip


def _parse_address(value: str) -> str | None:
    host = value
    if value.startswith("["):
        host, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not _is_port(rest)):
            return None
    elif value.count(":") == 1:
        host, _, port = value.partition(":")
        if not _is_port(":" + port):
            return None
    try:
        # One spelling per address, so that one citizen is one bucket however the edge writes it.
        return ipaddress.ip_address(host).compressed
    except ValueError:
        return None


def _is_port(suffix: str) -> bool:
    return suffix.startswith(":") and suffix[1:].isdigit() and int(suffix[1:]) <= 65535


def _request_hash(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _receipt(record: dict[str, Any], tracking_token: str, now: datetime, *, with_uploads: bool = True
             ) -> dict[str, Any]:
    forms = integrations.photo_upload_forms(record["report_id"], record["photo_count"], now) if with_uploads else []
    return {
        **record,
        "tracking_token": tracking_token,
        "uploads": [form.to_dict() for form in forms],
    }


def _throttle(stores: Stores, settings: Settings, secret: bytes, submission: Submission,
              caller: Caller, now: datetime) -> None:
    checks = []
    if submission.device_id:
        checks.append((
            "device#" + tokens.pseudonym(secret, "device", submission.device_id),
            BucketPolicy(settings.device_bucket_capacity, settings.device_refill_per_hour),
        ))
    if caller.source_ip:
        checks.append((
            "ip#" + tokens.pseudonym(secret, "ip", network_of(caller.source_ip)),
            BucketPolicy(settings.ip_bucket_capacity, settings.ip_refill_per_hour),
        ))
    for bucket_key, policy in checks:
        take_token(stores.rate_limits, bucket_key, policy, now.timestamp())


def submit_report(
    payload: Any, caller: Caller, *, stores: Stores, settings: Settings, now: datetime
) -> dict[str, Any]:
    """File a report. Returns the receipt: id, status, tracking token (once) and photo uploads.

    With an Idempotency-Key, a retry of the same request by the same caller gets the same receipt
    (the token is derived from the key and the report its claim fixed, so it is never stored); a
    different request, or another caller, under that key fails.
    """
    wards = load_wards(settings.wards_geojson_path)
    submission = parse_submission(
        payload, wards=wards, max_photos=settings.max_photos,
        service_area_margin_m=settings.service_area_margin_m,
    )
    secret = integrations.server_secret()
    key = check_idempotency_key(caller.idempotency_key) if caller.idempotency_key else None
    if key is None:
        _throttle(stores, settings, secret, submission, caller, now)
        return _file(submission, tokens.new_tracking_token(), new_report_id(now), stores=stores, settings=settings,
                     now=now)

    request_hash = _request_hash(payload)
    stored_key = "reports:" + key
    report_id = new_report_id(now)
    who = _claimant(secret, submission, caller)
    earlier = stores.idempotency.claim(
        stored_key, request_hash, int(now.timestamp()) + settings.idempotency_ttl_s,
        now=int(now.timestamp()), caller=who, report_id=report_id,
    )
    if earlier is not None:
        return _replay(earlier, request_hash, who, key, secret=secret, stores=stores, settings=settings, now=now)
    tracking_token = tokens.tracking_token_for_claim(secret, key, report_id)
    try:
        _throttle(stores, settings, secret, submission, caller, now)
        receipt = _file(submission, tracking_token, report_id, stores=stores, settings=settings, now=now)
    except Exception:
        stores.idempotency.release(stored_key)
        raise
    try:
        stores.idempotency.complete(
            stored_key, {name: receipt[name] for name in ("report_id", "status", "created_at", "photo_count")}
        )
    except Exception:
        # The report is filed: failing now would make the client file it again. A retry under this
        # key hears "in progress" (409) until the key expires, and never files a second report.
        logger.warning("idempotency record not completed", extra={"report_id": receipt["report_id"]}, exc_info=True)
        count("IdempotencyCompleteFailed")
    return receipt


def _claimant(secret: bytes, submission: Submission, caller: Caller) -> str | None:
    """Who files under an Idempotency-Key: the device when the app names it, else the network.

    The device survives the phone changing networks between a request and its retry.
    """
    if submission.device_id:
        return tokens.pseudonym(secret, "device", submission.device_id)
    if caller.source_ip:
        return tokens.pseudonym(secret, "ip", network_of(caller.source_ip))
    return None


def _replay(earlier: Any, request_hash: str, claimant: str | None, key: str, *, secret: bytes, stores: Stores,
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
        raise IdempotencyConflict(
            "request_in_progress",
            bilingual(
                "Yêu cầu với Idempotency-Key này đang được xử lý. Vui lòng thử lại sau giây lát.",
                "A request with this Idempotency-Key is still being processed. Retry shortly.",
            ),
        )
    record = earlier.response
    tracking_token = tokens.tracking_token_for_claim(secret, key, record["report_id"])
    return _receipt(record, tracking_token, now, with_uploads=_awaits_photos(record, stores, settings, now))


def _awaits_photos(record: dict[str, Any], stores: Stores, settings: Settings, now: datetime) -> bool:
    """Upload forms are handed out again only while the report still waits for its photos."""
    if not record["photo_count"]:
        return False
    if now >= parse_iso(record["created_at"]) + timedelta(seconds=settings.photo_cutoff_s):
        return False
    report = stores.reports.get(record["report_id"])
    return report is not None and report.status is Status.RECEIVED


def _file(submission: Submission, tracking_token: str, report_id: str, *, stores: Stores, settings: Settings,
          now: datetime) -> dict[str, Any]:
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
        contact_ciphertext=integrations.encrypt_contact(contact.to_dict(), report_id) if contact else None,
        push_ciphertext=(
            integrations.encrypt_push_endpoint(submission.push_endpoint, report_id)
            if submission.push_endpoint else None
        ),
        contact_shared=bool(contact and contact.share_with_officer),
        created_at=now,
        updated_at=now,
        contact_provided=contact is not None,
        push_enabled=submission.push_endpoint is not None,
    )
    event = AuditEvent(
        report_id=report_id, version=1, at=now, actor=REPORTER, action=Action.SUBMIT,
        from_status=None, to_status=report.status,
    )
    stores.reports.create(report, event)
    # Filed: nothing from here may fail the request, or the client's retry would file it twice.
    try:
        if report.photo_count == 0:
            integrations.enqueue_for_routing(report_id)
        else:
            # Uploads that never come must not strand the report: route it anyway after the cutoff.
            integrations.enqueue_for_routing(report_id, kind="report.photo_cutoff", delay_s=settings.photo_cutoff_s)
    except Exception:
        # Still RECEIVED, so the stranded-report job (escalation.jobs.route_stranded) queues it after the cutoff.
        logger.warning("filed report not queued for routing", extra={"report_id": report_id}, exc_info=True)
        count("RoutingQueueFailed")
    record = {
        "report_id": report_id,
        "status": str(report.status),
        "created_at": iso(now),
        "photo_count": report.photo_count,
    }
    return _receipt(record, tracking_token, now)


def category_view(code: str) -> dict[str, Any]:
    category = get_category(code)
    return {"code": code, "name": category.name if category else None}


def ward_view(wards: WardDirectory, code: str | None) -> dict[str, Any] | None:
    ward = wards.get(code) if code else None
    return {"code": ward.code, "name": ward.name} if ward else None


def owner_view(directory: DirectoryStore, unit_id: str | None) -> dict[str, Any] | None:
    unit = directory.unit(unit_id) if unit_id else None
    return {"unit_id": unit.unit_id, "name": unit.name} if unit else None


def photos_view(photos: dict[str, dict]) -> list[dict[str, str]]:
    checked = [photos[index] for index in sorted(photos, key=int)]
    return [
        {"url": integrations.photo_link(photo["image_key"]),
         "thumbnail_url": integrations.photo_link(photo["thumbnail_key"])}
        for photo in checked
        if photo["state"] == "checked"
    ]


def _timeline(events: list[AuditEvent], *, with_notes: bool = False) -> list[dict[str, Any]]:
    """The public steps; for the reporter, with what the officers wrote to them."""
    entries = []
    for event in events:
        if not event.public:
            continue
        entry = event.timeline_entry()
        if with_notes and event.reason and event.action in _NOTES_FOR_THE_REPORTER:
            entry["note"] = event.reason
        entries.append(entry)
    return entries


def result_view(report: Report) -> dict[str, Any] | None:
    """How the owner unit resolved the report: its note and the checked after-photos."""
    if report.result is None:
        return None
    return {
        "note": report.result["note"],
        "at": report.result["at"],
        "photos": photos_view(report.result_photos),
    }


def location_view(location: Location | None, *, exact: bool) -> dict[str, Any]:
    """Where the report is, as `report_facts` shows it: `location` and how coarse it was made.

    A point the reporter gave is theirs to publish. A point read from their photo's GPS is not:
    it may be where they stood, or their home if the photo was sent later, so everyone but the
    officers (and the reporter) gets the centre of its ~100 m grid cell.
    """
    if location is None:
        return {"location": None, "location_rounded_to_m": None}
    if exact or not location.from_photo:
        return {"location": {"lat": location.lat, "lon": location.lon}, "location_rounded_to_m": None}
    lat, lon = snap_to_grid(location.lat, location.lon, PHOTO_LOCATION_GRID_M)
    return {"location": {"lat": lat, "lon": lon}, "location_rounded_to_m": PHOTO_LOCATION_GRID_M}


def _headline(report: Report) -> dict[str, Any]:
    """What names a report in every view of it, a list's line or the whole: which, in what state, what."""
    return {
        "report_id": report.report_id,
        "status": str(report.status),
        "status_label": STATUS_LABELS[report.status],
        "category": category_view(report.category_code),
        "description": report.description,
    }


def report_facts(
    report: Report, directory: DirectoryStore, settings: Settings, *, exact_location: bool = False
) -> dict[str, Any]:
    """What every audience sees of a report: the problem, where, who owns it, by when. The point is
    exact only for those who pass `exact_location` (see location_view)."""
    return {
        **_headline(report),
        **location_view(report.location, exact=exact_location),
        "ward": ward_view(load_wards(settings.wards_geojson_path), report.ward_code),
        "address": report.address,
        "owner_unit": owner_view(directory, report.owner_unit_id),
        "photos": photos_view(report.photos),
        "acknowledge_due_at": iso(report.acknowledge_due_at),
        "resolve_due_at": iso(report.resolve_due_at),
        # The last escalation level was reached for the deadline the report is now held to.
        "overdue": report.publicly_overdue(),
    }


def _common_view(
    report: Report, stores: Stores, settings: Settings, *, with_notes: bool = False, exact_location: bool = False
) -> dict[str, Any]:
    return {
        **report_facts(report, stores.directory, settings, exact_location=exact_location),
        "result": result_view(report),
        "rating": rating_view(report),
        "timeline": _timeline(stores.reports.events(report.report_id), with_notes=with_notes),
    }


def _following(
    own_timeline: list[dict[str, Any]], master: Report, absorbed_id: str, stores: Stores
) -> dict[str, Any]:
    """A merged report as its reporter sees it: its own steps up to the merge, then the master's
    state, deadlines, result and public steps since it took the report in. What officers wrote to the
    master's reporter stays theirs (it may carry that person's name or address)."""
    events = stores.reports.events(master.report_id)
    # The master's ABSORB event names the report it took in.
    merged_at = next(
        (event.version for event in events if event.action is Action.ABSORB and event.reason == absorbed_id), 0
    )
    since_merge = [event for event in events if event.version > merged_at]
    return {
        "status": str(master.status),
        "status_label": STATUS_LABELS[master.status],
        "owner_unit": owner_view(stores.directory, master.owner_unit_id),
        "acknowledge_due_at": iso(master.acknowledge_due_at),
        "resolve_due_at": iso(master.resolve_due_at),
        "result": result_view(master),
        "rating": rating_view(master),
        "merged_into": master.report_id,
        "timeline": own_timeline + _timeline(since_merge),
    }


def reporter_view(report_id: str, tracking_token: str | None, *, stores: Stores,
                  settings: Settings) -> dict[str, Any]:
    """The reporter's own view. A wrong token looks exactly like a report that does not exist."""
    report = stores.reports.get(report_id) if tracking_token else None
    if report is None or not tokens.token_matches(tracking_token, report.tracking_token_hash):
        raise NotFound()
    view = {
        # The reporter sees the point their photo gave exactly: they know it already, and only they
        # can tell that it is wrong (a photo taken somewhere else) before the officers go there.
        **_common_view(report, stores, settings, with_notes=True, exact_location=True),
        "location_from_photo": bool(report.location and report.location.from_photo),
        "publication": publication_view(report),
        "merged_into": None,
        "photo_count": report.photo_count,
        "created_at": iso(report.created_at),
        "updated_at": iso(report.updated_at),
        "contact": {"provided": report.contact_provided, "shared_with_officer": report.contact_shared},
        "push_enabled": report.push_enabled,
    }
    merge = followed_master(report, stores.reports.get)
    if merge is not None:
        view.update(_following(view["timeline"], *merge, stores))
    return view


def _public_summary(report: Report, wards: WardDirectory) -> dict[str, Any]:
    return {
        **_headline(report),
        "ward": ward_view(wards, report.ward_code),
        "published_at": iso(report.published_at),
    }


def publication_view(report: Report) -> dict[str, Any]:
    """Whether the public sees the report, and why routing held it for review."""
    return {"state": str(report.publication), "held_for": list(report.held_for)}


def public_view(report_id: str, *, stores: Stores, settings: Settings) -> dict[str, Any]:
    report = stores.reports.get(report_id)
    if report is None or not report.is_public():
        raise NotFound()
    return {**_common_view(report, stores, settings), "published_at": iso(report.published_at)}


def _positive_limit(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    return whole_number(raw, "limit", lowest=1, highest=PUBLIC_LIMIT_MAX, code="invalid_limit")


def public_feed(query: dict[str, str], *, stores: Stores, settings: Settings) -> dict[str, Any]:
    """Published reports, newest first, filtered by ward, category or status, with a cursor."""
    wards = load_wards(settings.wards_geojson_path)
    ward_code = query.get("ward")
    if ward_code is not None and wards.get(ward_code) is None:
        raise InvalidInput(
            "unknown_ward", bilingual("Mã phường/xã không tồn tại.", "Unknown ward code."), field="ward"
        )
    category_code = query.get("category")
    if category_code is not None and get_category(category_code) is None:
        raise InvalidInput(
            "unknown_category", bilingual("Lĩnh vực không tồn tại.", "Unknown category."), field="category"
        )
    status = None
    if "status" in query:
        status = Status.__members__.get(query["status"])
        if status is None or not is_published(status):
            raise InvalidInput(
                "invalid_status",
                bilingual("Trạng thái không hợp lệ cho danh sách công khai.",
                          "Not a status the public list shows."),
                field="status",
            )
    page = stores.reports.published(
        limit=_positive_limit(query.get("limit"), settings.public_page_size),
        cursor=query.get("cursor"),
        ward_code=ward_code,
        category_code=category_code,
        status=status,
    )
    return {
        "reports": [_public_summary(report, wards) for report in page.items],
        "next_cursor": page.cursor,
    }


# -- the reporter's rights over their personal data (Personal Data Protection Law) ---------------


def own_report(report_id: str, tracking_token: str | None, reports: ReportStore) -> Report:
    """The report this tracking token is for. A wrong token looks exactly like a report that does not exist."""
    report = reports.get(report_id) if tracking_token else None
    if report is None or not tokens.token_matches(tracking_token, report.tracking_token_hash):
        raise NotFound()
    return report


def consent_view(report: Report) -> dict[str, Any]:
    """What the reporter gave and agreed to, and whether it has been erased."""
    return {
        "contact_provided": report.contact_provided,
        "shared_with_officer": report.contact_shared,
        "push_enabled": report.push_enabled,
        "contact_erased_at": iso(report.contact_erased_at),
    }


def _reporters_change(report_id: str, tracking_token: str | None, decide: Callable[[Report], Decision | None], *,
                      reports: ReportStore) -> dict[str, Any]:
    own_report(report_id, tracking_token, reports)
    change_report(reports, report_id, decide)
    return {"report_id": report_id, "consent": consent_view(reports.get(report_id))}


def withdraw_contact_consent(report_id: str, tracking_token: str | None, *, reports: ReportStore,
                             now: datetime) -> dict[str, Any]:
    """The reporter no longer lets the officers see their contact. Asking again changes nothing."""

    def decide(current: Report) -> Decision | None:
        if not current.contact_shared:
            return None
        after = current.changed(now, contact_shared=False)
        return after, AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=REPORTER,
            action=Action.CONSENT_WITHDRAWN, from_status=current.status, to_status=current.status,
            reason="Người phản ánh rút lại đồng ý chia sẻ liên hệ / the reporter withdrew consent to share the contact",
            public=False,
        )

    return _reporters_change(report_id, tracking_token, decide, reports=reports)


def erase_contact(report_id: str, tracking_token: str | None, *, reports: ReportStore,
                  now: datetime) -> dict[str, Any]:
    """The reporter's contact and push endpoint erased now; the report stays, followed with the token.
    Asking again changes nothing."""

    def decide(current: Report) -> Decision | None:
        if not current.holds_sealed_details():
            return None
        held = [kind for kind in current.personal_data_held() if kind in ("contact", "push endpoint")]
        after = current.without_contact(now)
        return after, AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=REPORTER,
            action=Action.CONTACT_ERASED, from_status=current.status, to_status=current.status,
            reason=f"Xoá theo yêu cầu của người phản ánh / erased at the reporter's request: {', '.join(held)}",
            public=False,
        )

    return _reporters_change(report_id, tracking_token, decide, reports=reports)


def personal_data(report_id: str, tracking_token: str | None, *, stores: Stores, settings: Settings,
                  now: datetime) -> dict[str, Any]:
    """Everything held about the reporter of this report, for them to download: the report as they
    follow it (facts, state, timeline, result), their contact decrypted, their consent, their own
    rating comment (even one a coordinator hid), who looked at their contact and why, and when
    what remains will be erased."""
    report = own_report(report_id, tracking_token, stores.reports)
    sealed = integrations.decrypt_contact(report.contact_ciphertext, report_id) if report.contact_ciphertext else None
    push_endpoint = (
        integrations.decrypt_push_endpoint(report.push_ciphertext, report_id) if report.push_ciphertext else None
    )
    rating = report.rating
    ended_at = report.ended_at
    erase_after = None
    if ended_at is not None and report.personal_data_held():
        erase_after = ended_at + scaled_span(timedelta(days=settings.personal_data_retention_days))
    return {
        "generated_at": iso(now),
        "report": reporter_view(report_id, tracking_token, stores=stores, settings=settings),
        "contact": {"phone": (sealed or {}).get("phone"), "email": (sealed or {}).get("email"),
                    "push_endpoint": push_endpoint} if sealed or push_endpoint else None,
        "consent": consent_view(report),
        "rating": {name: rating.get(name) for name in ("score", "fixed", "comment", "comment_hidden", "at")}
        if rating else None,
        "contact_views": [{"at": iso(view.at), "purpose": view.purpose}
                          for view in stores.reports.contact_views(report_id)],
        "retention": {
            "days": settings.personal_data_retention_days,
            "ended_at": iso(ended_at),
            "erase_after": iso(erase_after),
        },
    }
