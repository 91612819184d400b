"""Following a published report without an account: a device gives its push registration and is
pushed the report's status changes until it unfollows, the report ends, or FOLLOW_DAYS pass.

A follow holds no identity: the device token, sealed for the follower-push purpose (only the outbox
opens it), and the hash of the follow token, derived from the report and the device
(phananh.intake.tokens.follow_token), so following again from the same device is the same follow,
its time renewed. The token alone unfollows; it is shown to the device and stored nowhere. What a
follower is pushed (`follower_message`) is the report's public facts and its page's link, never
anything about the reporter.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from phananh.intake import tokens
from phananh.intake.caller import Caller
from phananh.intake.ratelimit import BucketPolicy, address_bucket, take_token
from phananh.intake.submission import push_device
from phananh.ports import Ports
from phananh.report.categories import get_category
from phananh.report.lifecycle import ENDED_STATES, STATUS_LABELS, Status
from phananh.report.model import Report, iso
from phananh.report.push_device import Platform
from phananh.routing.geo import WardDirectory
from phananh.shared.errors import DomainError, InvalidInput, NotFound, StateConflict, bilingual
from phananh.shared.ids import REPORT_ID_PATTERN
from phananh.shared.settings import Settings
from phananh.transparency.ports import Follow

# A follow nobody renews lapses (DynamoDB's TTL): an app uninstalled leaves nothing behind for long.
FOLLOW_DAYS = 180
# A follow token: the report's id, a dot, 16 bytes of HMAC in unpadded URL-safe base64.
_FOLLOW_TOKEN = re.compile(rf"({REPORT_ID_PATTERN})\.[A-Za-z0-9_-]{{22}}")


class FollowTokenRefused(DomainError):
    """No follow token, or one that cannot be one (an unknown but well-formed token is NotFound)."""

    code = "unauthorized"

    def __init__(self) -> None:
        super().__init__(bilingual(
            "Cần mã theo dõi hợp lệ (Authorization: Bearer <follow_token>).",
            "A valid follow token is required (Authorization: Bearer <follow_token>).",
        ))


def follow_report(report_id: str, payload: Any, caller: Caller, *, ports: Ports, settings: Settings,
                  now: datetime) -> dict[str, Any]:
    """Follow a published report from the device `payload` registers ({platform, token}); the same
    device following again renews the same follow. A report nobody may see is not found, as in
    the public view; one that ended (closed, whose last push went out) is a conflict; a request
    refused writes nothing. Each caller address has a token bucket, as for filing."""
    offered = [platform for platform in Platform if settings.push_application_arn(platform)]
    device = push_device(payload, offered, field="") if isinstance(payload, dict) else None
    if device is None:
        raise InvalidInput("invalid_body", bilingual(
            "Nội dung phải là {\"platform\": \"fcm\" | \"apns\", \"token\": ...}.",
            "The body must be {\"platform\": \"fcm\" | \"apns\", \"token\": ...}.",
        ))
    report = ports.reports.get(report_id)
    if report is None or not report.is_public():
        raise NotFound()
    if report.status in ENDED_STATES:
        # Its last change is behind it: a follow would hold a device token for nothing.
        raise StateConflict("report_ended", bilingual(
            "Phản ánh đã kết thúc: không còn thay đổi nào để theo dõi.",
            "The report has ended: there are no more changes to follow.",
        ))
    secret = ports.secret.hmac_key()
    if caller.source_ip:
        take_token(ports.rate_limits, address_bucket(secret, caller.source_ip, purpose="follow-ip"),
                   BucketPolicy(settings.ip_bucket_capacity, settings.ip_refill_per_hour), now.timestamp())
    follow_token = tokens.follow_token(secret, report_id, str(device.platform), device.token)
    expires_at = now + timedelta(days=FOLLOW_DAYS)
    ports.follows.put(Follow(
        report_id=report_id, follow_id=tokens.hash_token(follow_token),
        device_ciphertext=ports.contacts.seal_follower_device(device, report_id),
        expires_at=int(expires_at.timestamp()),
    ))
    return {"follow_token": follow_token, "report_id": report_id, "expires_at": iso(expires_at)}


def unfollow(follow_token: str | None, *, ports: Ports) -> None:
    """End the follow `follow_token` names: FollowTokenRefused for no token or one of the wrong
    shape, NotFound for a follow that does not exist (never made, ended, or lapsed)."""
    shape = _FOLLOW_TOKEN.fullmatch(follow_token or "")
    if shape is None:
        raise FollowTokenRefused()
    if not ports.follows.remove(shape.group(1), tokens.hash_token(follow_token)):
        raise NotFound(bilingual("Không có lượt theo dõi này.", "No such follow."))


def report_link(site_url: str, report_id: str) -> str:
    """The report's page on the public site; "" without a site."""
    return f"{site_url.rstrip('/')}/report/{report_id}" if site_url else ""


def follower_message(report: Report, status: Status, wards: WardDirectory, *, site_url: str) -> str:
    """The push to a follower: which report (its field, its ward), its new state, its public page."""
    category = get_category(report.category_code)
    ward = wards.get(report.ward_code) if report.ward_code else None
    field_vi, field_en = (category.name["vi"], category.name["en"]) if category else (report.category_code,) * 2
    where_vi, where_en = (f", {ward.name['vi']}", f", {ward.name['en']}") if ward else ("", "")
    label = STATUS_LABELS[status]
    link = report_link(site_url, report.report_id)
    return (f"Phản ánh bạn theo dõi {report.report_id} ({field_vi}{where_vi}): {label['vi']}. / "
            f"A report you follow, {report.report_id} ({field_en}{where_en}): {label['en']}."
            + (f" {link}" if link else ""))
