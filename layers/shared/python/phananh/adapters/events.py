"""The shapes of the events that reach the pipeline: S3 notifications on the photo check's queue and
the messages on the routing queue (written by phananh.adapters.aws.sqs), read into `IntakeItem`s; the
SQS batch loop with partial failures; and the reports table's stream images.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_plus

from phananh.report.model import Question, Rating, Result
from phananh.report.photo_keys import (
    CHECKED_PHOTO_PREFIX,
    EVIDENCE_PREFIX,
    PHOTO_KIND_PATTERN,
    QUARANTINE_PREFIX,
    THUMBNAIL_PREFIX,
    is_photo_kind,
)
from phananh.routing.intake_item import IntakeItem
from phananh.shared.ids import REPORT_ID_PATTERN, is_report_id
from phananh.shared.observability import logger

# A photo's kind: its key prefix (phananh.report.photo_keys.PHOTO_KIND_PATTERN), none for the reporter's.
_KIND = r"(" + PHOTO_KIND_PATTERN + r")"
_UPLOAD_KEY = re.compile(r"^" + QUARANTINE_PREFIX + r"(" + REPORT_ID_PATTERN + r")/" + _KIND + r"([1-9][0-9]?)$")
PHOTO_CHECKED = "photo.checked"
# Route a report at once; route it whether its photos all arrived or not (sent with a delay).
REPORT_SUBMITTED = "report.submitted"
PHOTO_CUTOFF = "report.photo_cutoff"
# A checked copy's file name: the slot, and a digest of the content (see routing.photo_check._checked_record).
_CHECKED_NAME = _KIND + r"[1-9][0-9]?-[0-9a-f]{16}\.jpg"


class UnreadableMessage(ValueError):
    """A message no retry can make sense of: it is logged and dropped, never retried."""

# The reports table's stream, as the apps that read it name it in their decorators (Chalice needs an
# ARN when it reads them): the CDK app puts the real one in the template (phananh_cdk.app_stack), the
# local stack polls the stream the template names.
REPORTS_STREAM_PLACEHOLDER = "arn:aws:dynamodb:ap-southeast-1:000000000000:table/set-by-cdk/stream/set-by-cdk"


def _message_object(body: str) -> dict:
    try:
        message = json.loads(body)
    except ValueError:
        raise UnreadableMessage("not JSON") from None
    if not isinstance(message, dict):
        raise UnreadableMessage("not an object")
    return message


def parse_upload_message(body: str) -> list[IntakeItem]:
    """The uploads one S3 notification on the photo check's queue announces."""
    message = _message_object(body)
    if message.get("Event") == "s3:TestEvent":
        return []
    if isinstance(message.get("Records"), list):
        return [_upload_item(record) for record in message["Records"]]
    raise UnreadableMessage("unknown message")


def parse_intake_message(body: str) -> list[IntakeItem]:
    """The work one message on the routing queue asks for: a report filed, its photo cutoff, or
    the result of a photo check."""
    message = _message_object(body)
    kind = message.get("type")
    if kind in (REPORT_SUBMITTED, PHOTO_CUTOFF):
        report_id = message.get("report_id")
        if not isinstance(report_id, str):
            raise UnreadableMessage("no report_id")
        return [IntakeItem(kind.removeprefix("report."), report_id)]
    if kind == PHOTO_CHECKED:
        return [_checked_item(message)]
    raise UnreadableMessage("unknown message")


def routing_message(kind: str, report_id: str) -> dict[str, Any]:
    return {"type": kind, "report_id": report_id}


def photo_checked_message(
    report_id: str, photo_index: int, *, photo_kind: str, check: dict[str, Any], gps: tuple[float, float] | None
) -> dict[str, Any]:
    return {
        "type": PHOTO_CHECKED, "report_id": report_id, "photo_index": photo_index,
        "photo_kind": photo_kind, "check": check, "gps": list(gps) if gps else None,
    }


def _checked_item(message: dict) -> IntakeItem:
    """A photo check's result, read as what it claims and no more: the photo check handled the
    attacker's bytes, so its word names this report's photo slot and checked copies only."""
    report_id, index, kind = message.get("report_id"), message.get("photo_index"), message.get("photo_kind")
    check, gps = message.get("check"), message.get("gps")
    if not is_report_id(report_id):
        raise UnreadableMessage("no report_id")
    if isinstance(index, bool) or not isinstance(index, int) or not 1 <= index <= 99:
        raise UnreadableMessage("no photo slot")
    if not is_photo_kind(kind):
        raise UnreadableMessage("no photo slot")
    if not isinstance(check, dict) or check.get("state") not in ("checked", "rejected"):
        raise UnreadableMessage("no check result")
    if check["state"] == "checked":
        keys = [("image_key", CHECKED_PHOTO_PREFIX), ("thumbnail_key", THUMBNAIL_PREFIX)]
        if "evidence_key" in check:  # only when the check blurred something
            keys.append(("evidence_key", EVIDENCE_PREFIX))
        for key, prefix in keys:
            value = check.get(key)
            pattern = re.escape(f"{prefix}{report_id}/") + _CHECKED_NAME
            if not (isinstance(value, str) and re.fullmatch(pattern, value)):
                raise UnreadableMessage(f"{key} outside the report's checked photos")
    if gps is not None and not (
        isinstance(gps, list) and len(gps) == 2
        and all(isinstance(value, int | float) and not isinstance(value, bool) for value in gps)
    ):
        raise UnreadableMessage("gps is not a point")
    return IntakeItem(
        "photo_checked", report_id, index, photo_kind=kind, check=check,
        gps=(float(gps[0]), float(gps[1])) if gps else None,
    )


def each_message(records: Iterable, parse: Callable[[str], list[IntakeItem]],
                 handle: Callable[[IntakeItem], None]) -> dict:
    """An SQS batch handled message by message: one that fails goes back to its queue alone
    (partial batch response); one no retry can read is logged and dropped."""
    failures = []
    for record in records:
        message_id = record.to_dict()["messageId"]
        try:
            items = parse(record.body)
        except UnreadableMessage as problem:
            logger.warning("dropped an unreadable message", extra={"problem": str(problem)})
            continue
        try:
            for item in items:
                handle(item)
        except Exception:
            logger.exception("message failed; it will be retried", extra={"message_id": message_id})
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}


def _upload_item(record: dict) -> IntakeItem:
    try:
        # S3 URL-encodes keys in notifications (spaces as '+').
        key = unquote_plus(record["s3"]["object"]["key"])
    except (KeyError, TypeError):
        raise UnreadableMessage("S3 record without a key") from None
    match = _UPLOAD_KEY.match(key)
    if not match or not str(record.get("eventName", "")).startswith("ObjectCreated"):
        raise UnreadableMessage(f"not an upload we expect: {key[:80]!r}")
    return IntakeItem("photo", match.group(1), int(match.group(3)), photo_kind=match.group(2) or "")


def stream_image(raw: dict | None) -> dict | None:
    """A DynamoDB stream image of a report as a plain dict, its result, rating and questions typed
    (phananh.report.model), its merged reports a list."""
    if not raw:
        return None
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    image = {name: deserializer.deserialize(value) for name, value in raw.items()}
    for name, kind in (("result", Result), ("rating", Rating)):
        record = json.loads(image[name]) if isinstance(image.get(name), str) else None
        image[name] = kind.from_record(record) if record else None
    questions = image.get("questions")
    image["questions"] = tuple(Question.from_record(record) for record in json.loads(questions)) if isinstance(
        questions, str) else ()
    merged = image.get("merged_reports")
    image["merged_reports"] = json.loads(merged) if isinstance(merged, str) else []
    return image
