"""The photo check, the use case of its own function (functions/photos): that function may only read
quarantine/, write the checked copies and tell the route function what it made of the upload, so
the attacker's bytes are decoded where no report, contact, key or secret can be reached. It loads
nothing of routing, alerts or the reports table either.

Tolerates being run twice (S3 and SQS deliver at least once): an upload already handled is gone, and
the same bytes checked twice land on the same keys.
"""

from __future__ import annotations

import hashlib

from phananh.ports import Ports
from phananh.report.photo_keys import CHECKED_PHOTO_PREFIX, EVIDENCE_PREFIX, THUMBNAIL_PREFIX
from phananh.routing.intake_item import IntakeItem
from phananh.shared.observability import count, logger
from phananh.shared.settings import Settings


def _checked_record(
    item: IntakeItem, data: bytes, settings: Settings, ports: Ports
) -> tuple[dict, tuple[float, float] | None]:
    """What the photo check makes of one upload: the record to keep, and any GPS it carried."""
    from phananh.routing.photos import PhotoRejected, check_photo

    try:
        checked = check_photo(data, max_bytes=settings.photo_max_bytes)
    except PhotoRejected as rejection:
        count("PhotoRejected")
        logger.info("photo rejected", extra={"report_id": item.report_id, "reason": rejection.reason})
        return {"state": "rejected", "reason": rejection.reason}, None
    # Named by content: a later upload to the same slot (a stale form) never overwrites a photo
    # already published, and the same upload checked twice lands on the same keys.
    name = f"{item.photo_kind}{item.photo_index}-{hashlib.sha256(checked.image).hexdigest()[:16]}"
    image_key = f"{CHECKED_PHOTO_PREFIX}{item.report_id}/{name}.jpg"
    thumbnail_key = f"{THUMBNAIL_PREFIX}{item.report_id}/{name}.jpg"
    if checked.colour_profile == "unusable":
        # Kept with the colours as decoded; only the fact is told, never anything of the photo.
        count("PhotoProfileUnusable")
        logger.info("photo colour profile unusable", extra={"report_id": item.report_id})
    ports.photos.store_checked_photo(image_key, checked.image)
    ports.photos.store_checked_photo(thumbnail_key, checked.thumbnail)
    count("PhotoChecked")
    record = {
        "state": "checked", "image_key": image_key, "thumbnail_key": thumbnail_key,
        "width": checked.width, "height": checked.height, "perceptual_hash": checked.perceptual_hash,
    }
    if checked.evidence is not None:
        # Named after the published copy, which names the pixels the officers are shown blurred.
        record["evidence_key"] = f"{EVIDENCE_PREFIX}{item.report_id}/{name}.jpg"
        ports.photos.store_checked_photo(record["evidence_key"], checked.evidence)
        count("PhotoRedacted", checked.redacted)
    return record, checked.gps


def check_upload(item: IntakeItem, *, ports: Ports, settings: Settings) -> bool:
    """Check one uploaded photo (in the photos function), and tell the route function what came of
    it; False when the upload is gone (a redelivered event, already handled)."""
    size = ports.photos.upload_size(item.upload_key)
    if size is None:
        return False
    if size > settings.photo_max_bytes:
        # The upload form forbids this; never download what is too big to check.
        record, gps = {"state": "rejected", "reason": "too_large"}, None
    else:
        data = ports.photos.read_upload(item.upload_key)
        if data is None:
            return False
        record, gps = _checked_record(item, data, settings, ports)
    # Sent before the upload goes: a failure in between checks it again, and the route function
    # takes the second result for the redelivery it is.
    ports.queues.send_photo_check(
        item.report_id, item.photo_index, photo_kind=item.photo_kind, check=record, gps=gps
    )
    ports.photos.delete_upload(item.upload_key)
    return True
