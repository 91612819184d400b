"""What each audience sees of a report: the reporter with their tracking token, and the public.

Nothing else shapes a report for the outside world; the officers' view builds on `report_facts`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from phananh.intake import tokens
from phananh.intake.caller import Caller
from phananh.intake.ratelimit import BucketPolicy, address_bucket, take_token
from phananh.ports import Ports
from phananh.report.categories import get_category
from phananh.report.deadlines import clock_paused, deadline_outcome, is_publicly_overdue, resolve_deadline
from phananh.report.lifecycle import OPEN_STATES, STATUS_LABELS, Action, Status
from phananh.report.merges import followed_master
from phananh.report.model import AuditEvent, Photo, Report, iso, utcnow
from phananh.report.personal_data import personal_data_in
from phananh.report.ports import PhotoStorage
from phananh.routing.geo import haversine_m, load_wards
from phananh.shared.errors import NotFound, invalid_field
from phananh.shared.settings import Settings
from phananh.shared.text_policy import whole_number
from phananh.transparency.items import (
    PHOTO_LOCATION_GRID_M,
    headline,
    location_view,
    owner_lookup,
    owner_view,
    public_filter,
    public_item,
    resolved_at,
    ward_view,
)
from phananh.transparency.rating import rating_view

PUBLIC_LIMIT_MAX = 50
# The officers' notes everyone reads on a report's public page: what they wrote as they acknowledged,
# started, noted, resolved or transferred it (the console says so beside each of these notes).
PUBLIC_NOTES = frozenset({Action.ACKNOWLEDGE, Action.START_WORK, Action.NOTE, Action.RESOLVE, Action.TRANSFER})
# The reporter also reads why their report was rejected or merged (reports the public never sees).
_NOTES_FOR_THE_REPORTER = PUBLIC_NOTES | {Action.REJECT, Action.MERGE}


def photos_view(photos: dict[str, Photo], storage: PhotoStorage, *, evidence: bool = False) -> list[dict[str, str]]:
    """The checked photos, faces and plates blurred; with `evidence` (the owner unit's officers
    only) also the unblurred copy of each photo the check blurred something in."""
    in_order = [photos[index] for index in sorted(photos, key=int)]
    return [
        {"url": storage.photo_link(photo.image_key),
         "thumbnail_url": storage.photo_link(photo.thumbnail_key),
         **({"evidence_url": storage.photo_link(photo.evidence_key)} if evidence and photo.evidence_key else {})}
        for photo in in_order
        if photo.is_checked
    ]


def shown_note(note: str | None, *, to_everyone: bool) -> str | None:
    """An officer's note as an audience reads it. The console says that notes are public, but a note
    that seems to carry a phone number, an e-mail address or an ID number (a slip: "call her on …")
    is read only by the report's own reporter and the officers, never by the public or a follower."""
    if note and to_everyone and personal_data_in(note):
        return None
    return note


def _timeline(events: list[AuditEvent], notes: frozenset[Action], *, to_everyone: bool) -> list[dict[str, Any]]:
    """The public steps, with what the officers wrote at the steps named in `notes` (see shown_note)."""
    entries = []
    for event in events:
        if not event.public:
            continue
        entry = event.timeline_entry()
        note = shown_note(event.reason, to_everyone=to_everyone) if event.action in notes else None
        if note:
            entry["note"] = note
        entries.append(entry)
    return entries


def _acknowledged_at(report: Report, events: list[AuditEvent]) -> datetime | None:
    """When the owner unit now holding the report acknowledged it (none while a new owner has not)."""
    if report.status is Status.ASSIGNED:
        return None
    return max((event.at for event in events if event.action is Action.ACKNOWLEDGE), default=None)


def deadlines_view(report: Report, events: list[AuditEvent], now: datetime) -> dict[str, Any]:
    """Each deadline of the report, when it was done, and whether it was met (see deadline_outcome)."""

    def deadline(due: datetime | None, done: datetime | None) -> dict[str, Any]:
        return {"due_at": iso(due), "done_at": iso(done), "met": deadline_outcome(done, due, now)}

    return {
        "acknowledge": deadline(report.acknowledge_due_at, _acknowledged_at(report, events)),
        "resolve": deadline(resolve_deadline(report), resolved_at(report)),
    }


def awaiting_information(report: Report) -> dict[str, Any] | None:
    """While the owner unit waits for the reporter's answer to its question: since when, and until
    when at most the resolve clock is paused (None if this question pauses it no more). What was
    asked is not in it: the public reads that information was asked for, not what."""
    question = report.waiting_question
    if question is None or report.status not in OPEN_STATES:
        return None
    return {"since": iso(question.asked_at), "clock_paused_until": iso(question.pause_until)}


def questions_view(report: Report, storage: PhotoStorage, *, now: datetime, for_officers: bool = False
                   ) -> list[dict[str, Any]]:
    """Every question to the reporter, oldest first, with its answer, for the reporter and the owner
    unit: what was asked (and whether a photo), whether it still waits, the clock's pause, the answer
    (or that the retention erased it) and its own checked photos. `for_officers`: also which officer
    asked, and the photos' unblurred copies (see photos_view)."""
    waiting = report.waiting_question if report.status in OPEN_STATES else None
    return [
        {
            "number": number,
            "text": question.text,
            "photo_requested": question.photo_requested,
            "asked_at": iso(question.asked_at),
            **({"asked_by": question.asked_by} if for_officers else {}),
            "waiting": question is waiting,
            "clock_paused": question is waiting and clock_paused(report, now),
            "clock_paused_until": iso(question.pause_until),
            "answer": question.answer,
            "answered_at": iso(question.answered_at),
            "answer_erased": question.answer_erased,
            "answer_photo_count": question.answer_photo_count,
            "answer_photos": photos_view(question.answer_photos, storage, evidence=for_officers),
        }
        for number, question in enumerate(report.questions, start=1)
    ]


def result_view(
    report: Report, storage: PhotoStorage, *, to_everyone: bool, evidence: bool = False
) -> dict[str, Any] | None:
    """How the owner unit resolved the report: its note (see shown_note), the checked after-photos
    (with their unblurred copies for the officers: `evidence`, see photos_view), and whether one of
    them was taken at the report's point (phananh.routing.fix_location)."""
    if report.result is None:
        return None
    return {
        "note": shown_note(report.result.note, to_everyone=to_everyone),
        "at": iso(report.result.at),
        "photos": photos_view(report.result_photos, storage, evidence=evidence),
        "location_verified": report.result.location_verified,
    }


def report_facts(report: Report, settings: Settings, *, ports: Ports, exact_location: bool = False) -> dict[str, Any]:
    """What every audience sees of a report: the problem, where, who owns it, by when. The point is
    exact only for those who pass `exact_location` (see location_view)."""
    return {
        **headline(report),
        **location_view(report.location, exact=exact_location),
        "ward": ward_view(load_wards(settings.wards_geojson_path), report.ward_code),
        "address": report.address,
        "owner_unit": owner_view(ports.directory, report.owner_unit_id),
        "photos": photos_view(report.photos, ports.photos),
        "acknowledge_due_at": iso(report.acknowledge_due_at),
        # With the pauses while the unit's questions waited for the reporter (phananh.report.deadlines).
        "resolve_due_at": iso(resolve_deadline(report)),
        "awaiting_information": awaiting_information(report),
        # The last escalation level was reached for the deadline the report is now held to.
        "overdue": is_publicly_overdue(report),
    }


def _common_view(
    report: Report, events: list[AuditEvent], ports: Ports, settings: Settings, *, notes: frozenset[Action],
    own: bool,
) -> dict[str, Any]:
    """What the public and the report's own reporter (`own`: the exact point, every note) both read."""
    return {
        **report_facts(report, settings, ports=ports, exact_location=own),
        "result": result_view(report, ports.photos, to_everyone=not own),
        "rating": rating_view(report),
        "timeline": _timeline(events, notes, to_everyone=not own),
    }


def _following(
    own_timeline: list[dict[str, Any]], master: Report, absorbed_id: str, ports: Ports
) -> dict[str, Any]:
    """A merged report as its reporter sees it: its own steps up to the merge, then the master's
    state, deadlines, result and public steps since it took the report in, with the notes everyone
    reads (what officers wrote only to the master's reporter stays theirs)."""
    events = ports.reports.events(master.report_id)
    # The master's ABSORB event names the report it took in.
    merged_at = next(
        (event.version for event in events if event.action is Action.ABSORB and event.reason == absorbed_id), 0
    )
    since_merge = [event for event in events if event.version > merged_at]
    return {
        "status": str(master.status),
        "status_label": STATUS_LABELS[master.status],
        "owner_unit": owner_view(ports.directory, master.owner_unit_id),
        "acknowledge_due_at": iso(master.acknowledge_due_at),
        "resolve_due_at": iso(resolve_deadline(master)),
        "result": result_view(master, ports.photos, to_everyone=True),
        "rating": rating_view(master),
        "merged_into": master.report_id,
        "timeline": own_timeline + _timeline(since_merge, PUBLIC_NOTES, to_everyone=True),
    }


def reporter_view(report_id: str, tracking_token: str | None, *, ports: Ports,
                  settings: Settings) -> dict[str, Any]:
    """The reporter's own view. A wrong token looks exactly like a report that does not exist."""
    report = ports.reports.get(report_id) if tracking_token else None
    if report is None or not tokens.token_matches(tracking_token, report.tracking_token_hash):
        raise NotFound()
    view = {
        # The reporter sees the point their photo gave exactly: they know it already, and only they
        # can tell that it is wrong (a photo taken somewhere else) before the officers go there.
        **_common_view(report, ports.reports.events(report.report_id), ports, settings,
                       notes=_NOTES_FOR_THE_REPORTER, own=True),
        "location_from_photo": bool(report.location and report.location.from_photo),
        "publication": publication_view(report),
        "merged_into": None,
        "photo_count": report.photo_count,
        "created_at": iso(report.created_at),
        "updated_at": iso(report.updated_at),
        "contact": {"provided": report.contact_provided, "shared_with_officer": report.contact_shared},
        "push_enabled": report.push_enabled,
        "questions": questions_view(report, ports.photos, now=utcnow()),
    }
    merge = followed_master(report, ports.reports.get)
    if merge is not None:
        view.update(_following(view["timeline"], *merge, ports))
    return view


def publication_view(report: Report) -> dict[str, Any]:
    """Whether the public sees the report, and why routing held it for review."""
    return {"state": str(report.publication), "held_for": list(report.held_for)}


def public_view(report_id: str, *, ports: Ports, settings: Settings, now: datetime) -> dict[str, Any]:
    """A published report's page: its facts, result, rating, deadlines and public steps with the
    officers' public notes."""
    report = ports.reports.get(report_id)
    if report is None or not report.is_public():
        raise NotFound()
    events = ports.reports.events(report.report_id)
    return {
        **_common_view(report, events, ports, settings, notes=PUBLIC_NOTES, own=False),
        "published_at": iso(report.published_at),
        "deadlines": deadlines_view(report, events, now),
    }


def _positive_limit(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    return whole_number(raw, "limit", lowest=1, highest=PUBLIC_LIMIT_MAX, code="invalid_limit")


def public_feed(query: dict[str, str], *, ports: Ports, settings: Settings) -> dict[str, Any]:
    """Published reports, newest first, filtered (see public_filter), with a cursor. A page is one
    read of `limit` index items: a narrow filter may keep fewer, and the cursor goes on from there."""
    wards = load_wards(settings.wards_geojson_path)
    wanted = public_filter(query, wards)
    page = ports.reports.published(
        limit=_positive_limit(query.get("limit"), settings.public_page_size),
        cursor=query.get("cursor"),
        ward_code=wanted.ward_code,
        category_code=wanted.category_code,
        status=wanted.status,
        filed_from=wanted.filed_from,
        filed_to=wanted.filed_to,
    )
    owners = owner_lookup(ports.directory)
    return {
        "reports": [public_item(report, wards, owners) for report in page.items if wanted.keeps_overdue(report)],
        "next_cursor": page.cursor,
    }


NEARBY_RADIUS_M, NEARBY_RADIUS_MAX_M, NEARBY_LIMIT = 150, 500, 10
# A coordinate as a query string writes it: ASCII digits only (float() would also read "١٢", "1e2", "nan").
_COORDINATE = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,15})?")


def _coordinate(query: dict[str, str], name: str, limit: float) -> float:
    raw = query.get(name)
    if raw is None:
        raise invalid_field("missing_field", name, f"Thiếu '{name}'.", f"'{name}' is required.")
    if not _COORDINATE.fullmatch(raw) or not -limit <= float(raw) <= limit:
        raise invalid_field(
            "invalid_coordinates", name,
            f"'{name}' phải là số thập phân từ -{limit:g} đến {limit:g}.",
            f"'{name}' must be a decimal number from -{limit:g} to {limit:g}.",
        )
    return float(raw)


def nearby_query(query: dict[str, str]) -> tuple[float, float, str, int]:
    """The point, the field and the radius (metres) GET /public/nearby asks about, checked."""
    lat, lon = _coordinate(query, "lat", 90), _coordinate(query, "lon", 180)
    category_code = query.get("category")
    if category_code is None:
        raise invalid_field("missing_field", "category", "Thiếu 'category'.", "'category' is required.")
    if get_category(category_code) is None:
        raise invalid_field("unknown_category", "category", "Lĩnh vực không tồn tại.", "Unknown category.")
    radius = query.get("radius_m")
    radius_m = NEARBY_RADIUS_M if radius is None else whole_number(
        radius, "radius_m", lowest=1, highest=NEARBY_RADIUS_MAX_M, code="invalid_radius"
    )
    return lat, lon, category_code, radius_m


def public_nearby(query: dict[str, str], caller: Caller, *, ports: Ports, settings: Settings,
                  now: datetime) -> dict[str, Any]:
    """Published reports of a field still open near a point, nearest first: what a citizen about to
    file may follow instead. Distances are measured to the point the public sees (location_view), so
    that asking from many places reveals no more than the public view. Each caller address has a
    token bucket: the search is anonymous and costs a query or two (phananh.routing.latitude_bands)."""
    lat, lon, category_code, radius_m = nearby_query(query)
    if caller.source_ip:
        take_token(
            ports.rate_limits, address_bucket(ports.secret.hmac_key(), caller.source_ip, purpose="nearby-ip"),
            BucketPolicy(settings.nearby_bucket_capacity, settings.nearby_refill_per_hour), now.timestamp(),
        )
    found = []
    # The index holds the reports' own points; a point shown rounded lies within a grid cell of it.
    for report in ports.reports.nearby(category_code, lat, lon, radius_m + PHOTO_LOCATION_GRID_M):
        shown = location_view(report.location, exact=False)["location"]
        if not report.is_public() or report.status not in OPEN_STATES or shown is None:
            continue
        distance_m = haversine_m(lat, lon, shown["lat"], shown["lon"])
        if distance_m <= radius_m:
            found.append((distance_m, report))
    found.sort(key=lambda pair: (pair[0], pair[1].report_id))
    wards, owners = load_wards(settings.wards_geojson_path), owner_lookup(ports.directory)
    return {
        "reports": [
            {**public_item(report, wards, owners), "distance_m": round(distance_m)}
            for distance_m, report in found[:NEARBY_LIMIT]
        ],
    }
