"""Following a published report without an account: a device gives its push registration, or a
person their e-mail address, and is told the report's status changes until they unfollow, the
report ends, or FOLLOW_DAYS pass.

A follow holds no identity: the device token (sealed for the follower-push purpose) or the e-mail
address (sealed for the follower-email purpose, with its follow token for the links it is mailed;
only the outbox opens either), and the hash of the follow token, derived from the report and the
device or address (phananh.intake.tokens.follow_token), so following again is the same follow. The
token alone unfollows; a device is shown it, an address is mailed it, and it is stored nowhere in
the clear. An address follows nothing until it confirmed: following by e-mail writes a pending
follow (PENDING_HOURS) and queues one confirmation mail, whose link carries the token to the site;
whoever typed the address never sees the token, so nobody subscribes someone else's inbox. What a
follower is told (`follower_message`, `follower_mail`) is the report's public facts and its page's
link, never anything about the reporter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from phananh.intake import tokens
from phananh.intake.caller import Caller
from phananh.intake.ratelimit import BucketPolicy, address_bucket, take_token
from phananh.intake.submission import email_address, push_device
from phananh.outbox.effects import Effect, Kind
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
# An e-mail follow not confirmed within this lapses; until then the same address following again is
# sent no second confirmation.
PENDING_HOURS = 24
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
    """Follow a published report from the device `payload` registers ({platform, token}), or by the
    e-mail address it gives ({email}: see `_follow_by_email`); the same device following again
    renews the same follow. A report nobody may see is not found, as in the public view; one that
    ended (closed, whose last change went out) is a conflict; a request refused writes nothing.
    Each caller address has a token bucket, as for filing."""
    if isinstance(payload, dict) and "email" in payload:
        if set(payload) != {"email"}:
            raise _invalid_body()
        email = email_address(payload["email"], "email")
        report = _followable(report_id, caller, ports=ports, settings=settings, now=now)
        return _follow_by_email(report, email, ports=ports, now=now)
    offered = [platform for platform in Platform if settings.push_application_arn(platform)]
    device = push_device(payload, offered, field="") if isinstance(payload, dict) else None
    if device is None:
        raise _invalid_body()
    _followable(report_id, caller, ports=ports, settings=settings, now=now)
    follow_token = tokens.follow_token(ports.secret.hmac_key(), report_id, str(device.platform), device.token)
    expires_at = now + timedelta(days=FOLLOW_DAYS)
    ports.follows.put(Follow(
        report_id=report_id, follow_id=tokens.hash_token(follow_token),
        device_ciphertext=ports.contacts.seal_follower_device(device, report_id),
        expires_at=int(expires_at.timestamp()),
    ))
    return {"follow_token": follow_token, "report_id": report_id, "expires_at": iso(expires_at)}


def _invalid_body() -> InvalidInput:
    return InvalidInput("invalid_body", bilingual(
        "Nội dung phải là {\"platform\": \"fcm\" | \"apns\", \"token\": ...} hoặc {\"email\": ...}.",
        "The body must be {\"platform\": \"fcm\" | \"apns\", \"token\": ...} or {\"email\": ...}.",
    ))


def _followable(report_id: str, caller: Caller, *, ports: Ports, settings: Settings, now: datetime) -> Report:
    """The report, if it may be followed now, with a token taken from the caller's bucket."""
    report = ports.reports.get(report_id)
    if report is None or not report.is_public():
        raise NotFound()
    if report.status in ENDED_STATES:
        # Its last change is behind it: a follow would hold a device token or an address for nothing.
        raise StateConflict("report_ended", bilingual(
            "Phản ánh đã kết thúc: không còn thay đổi nào để theo dõi.",
            "The report has ended: there are no more changes to follow.",
        ))
    if caller.source_ip:
        take_token(ports.rate_limits, address_bucket(ports.secret.hmac_key(), caller.source_ip, purpose="follow-ip"),
                   BucketPolicy(settings.ip_bucket_capacity, settings.ip_refill_per_hour), now.timestamp())
    return report


def _follow_by_email(report: Report, email: str, *, ports: Ports, now: datetime) -> dict[str, Any]:
    """A pending follow of `email`, and its one confirmation mail queued, unless that address
    already follows the report or waits to confirm: then nothing is written and nothing sent. The
    reply is the same either way, so it tells nobody whether an address follows the report."""
    report_id = report.report_id
    # Addresses are compared without case: one inbox, one follow.
    follow_token = tokens.follow_token(ports.secret.hmac_key(), report_id, "email", email.casefold())
    follow_id = tokens.hash_token(follow_token)
    pending_until = int((now + timedelta(hours=PENDING_HOURS)).timestamp())
    pending = Follow(
        report_id=report_id, follow_id=follow_id, device_ciphertext=None, expires_at=pending_until,
        email_ciphertext=ports.contacts.seal_follower_email({"email": email, "token": follow_token}, report_id),
        pending=True,
    )
    if ports.follows.put_new(pending, now=int(now.timestamp())):
        confirmation = Effect(Kind.FOLLOW_CONFIRMATION, report_id, report.version, target=follow_id,
                              detail=str(pending_until))
        try:
            ports.queues.send_deliveries([confirmation.to_message()])
        except Exception:
            # No confirmation on its way: a pending follow left would hold back the next request's.
            ports.follows.remove(report_id, follow_id)
            raise
    return {"report_id": report_id, "pending": True, "message": bilingual(
        "Nếu địa chỉ này chưa theo dõi phản ánh, một thư xác nhận đã được gửi tới đó. "
        "Hãy mở liên kết trong thư (trong vòng 24 giờ) để bắt đầu theo dõi.",
        "Unless this address already follows the report, a confirmation e-mail was sent to it. "
        "Open the link in it (within 24 hours) to start following.",
    )}


def confirm_follow(follow_token: str | None, *, ports: Ports, now: datetime) -> dict[str, Any]:
    """Confirm the e-mail follow `follow_token` names (its mailed link): it is followed from now
    for FOLLOW_DAYS. Confirming again, or a follow that needs none (a device's), is answered as
    it stands; FollowTokenRefused for a token of the wrong shape, NotFound for no follow."""
    report_id, follow_id = _follow_key(follow_token)
    moment = int(now.timestamp())
    follow = ports.follows.get(report_id, follow_id, now=moment)
    if follow is not None and follow.pending:
        confirmed_until = int((now + timedelta(days=FOLLOW_DAYS)).timestamp())
        # Another confirmation of the same link may have won the race: either way it is confirmed.
        ports.follows.confirm(report_id, follow_id, expires_at=confirmed_until, now=moment)
        follow = ports.follows.get(report_id, follow_id, now=moment)
    if follow is None or follow.pending:
        raise NotFound(bilingual("Không có lượt theo dõi này.", "No such follow."))
    return {"report_id": report_id, "confirmed": True,
            "expires_at": iso(datetime.fromtimestamp(follow.expires_at, tz=now.tzinfo))}


def unfollow(follow_token: str | None, *, ports: Ports) -> None:
    """End the follow `follow_token` names: FollowTokenRefused for no token or one of the wrong
    shape, NotFound for a follow that does not exist (never made, ended, or lapsed)."""
    if not ports.follows.remove(*_follow_key(follow_token)):
        raise NotFound(bilingual("Không có lượt theo dõi này.", "No such follow."))


def _follow_key(follow_token: str | None) -> tuple[str, str]:
    """The report and the id of the follow the token names; FollowTokenRefused for no token or one
    of the wrong shape."""
    shape = _FOLLOW_TOKEN.fullmatch(follow_token or "")
    if shape is None:
        raise FollowTokenRefused()
    return shape.group(1), tokens.hash_token(follow_token)


def report_link(site_url: str, report_id: str) -> str:
    """The report's page on the public site; "" without a site."""
    return f"{site_url.rstrip('/')}/report/{report_id}" if site_url else ""


def site_link(site_url: str, path: str) -> str:
    """A page of the public site; the path alone without a site."""
    return f"{site_url.rstrip('/')}{path}"


def _which(report: Report, wards: WardDirectory) -> tuple[str, str]:
    """The report as a follower knows it: its id, its field and its ward (vi, en)."""
    category = get_category(report.category_code)
    ward = wards.get(report.ward_code) if report.ward_code else None
    field_vi, field_en = (category.name["vi"], category.name["en"]) if category else (report.category_code,) * 2
    where_vi, where_en = (f", {ward.name['vi']}", f", {ward.name['en']}") if ward else ("", "")
    return f"{report.report_id} ({field_vi}{where_vi})", f"{report.report_id} ({field_en}{where_en})"


def follower_message(report: Report, status: Status, wards: WardDirectory, *, site_url: str) -> str:
    """The push to a follower: which report (its field, its ward), its new state, its public page."""
    which_vi, which_en = _which(report, wards)
    label = STATUS_LABELS[status]
    link = report_link(site_url, report.report_id)
    return (f"Phản ánh bạn theo dõi {which_vi}: {label['vi']}. / "
            f"A report you follow, {which_en}: {label['en']}."
            + (f" {link}" if link else ""))


@dataclass(frozen=True)
class FollowerMail:
    subject: str
    body: str


def confirmation_mail(report: Report, wards: WardDirectory, follow_token: str, *, site_url: str) -> FollowerMail:
    """The one mail asking an address to confirm it follows the report: its link carries the follow
    token in the fragment, which browsers never send to a server (nor to its logs)."""
    which_vi, which_en = _which(report, wards)
    link = site_link(site_url, f"/follow#{follow_token}")
    return FollowerMail(
        subject=f"Xác nhận theo dõi phản ánh {report.report_id} / Confirm you follow report {report.report_id}",
        body=(
            f"Có người (có thể là bạn) muốn nhận thư khi phản ánh {which_vi} thay đổi trạng thái. "
            f"Để bắt đầu theo dõi, mở liên kết này trong vòng {PENDING_HOURS} giờ:\n{link}\n"
            "Nếu không phải bạn, hãy bỏ qua thư này: bạn sẽ không nhận thêm thư nào.\n\n"
            f"Someone (perhaps you) asked to be e-mailed when report {which_en} changes status. "
            f"To start following it, open this link within {PENDING_HOURS} hours:\n{link}\n"
            "If it was not you, ignore this e-mail: you will receive no other.\n"
        ),
    )


def follower_mail(report: Report, status: Status, wards: WardDirectory, follow_token: str, *,
                  site_url: str) -> FollowerMail:
    """The mail to a confirmed follower: which report, its new state, its public page, and the link
    that unfollows (the token, again in the fragment)."""
    which_vi, which_en = _which(report, wards)
    label = STATUS_LABELS[status]
    page = report_link(site_url, report.report_id) or f"/report/{report.report_id}"
    unfollow_link = site_link(site_url, f"/unfollow#{follow_token}")
    return FollowerMail(
        subject=f"Phản ánh {report.report_id}: {label['vi']} / Report {report.report_id}: {label['en']}",
        body=(
            f"Phản ánh bạn theo dõi {which_vi}: {label['vi']}.\nXem phản ánh: {page}\n"
            f"Ngừng theo dõi: {unfollow_link}\n\n"
            f"A report you follow, {which_en}: {label['en']}.\nSee the report: {page}\n"
            f"Stop following: {unfollow_link}\n"
        ),
    )
