"""What a citizen may send when filing a report, checked field by field.

Everything here is pure: it turns an untrusted JSON value into a `Submission` or raises
InvalidInput naming the field, in Vietnamese and English.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from phananh.report.categories import get_category
from phananh.report.model import Location
from phananh.report.push_device import Platform, PushDevice
from phananh.routing.geo import WardDirectory
from phananh.shared.errors import InvalidInput, bilingual
from phananh.shared.errors import invalid_field as _invalid
from phananh.shared.text_policy import clean_text

DESCRIPTION_MAX = 4000
ADDRESS_MAX = 500
DEVICE_ID_MAX = 200
EMAIL_MAX = 254
_PHONE = re.compile(r"^(?:\+84|0)\d{9,10}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
# A random UUID (version 4, 122 random bits): a key a stranger can guess would let them replay the
# filing it names within the idempotency window.
IDEMPOTENCY_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.IGNORECASE)
# What each push service's tokens look like. An FCM registration token is URL-safe text (about
# 160 characters today; Firebase promises no length, so the bound is generous but keeps the sealed
# token well inside KMS's 4 KB). An APNs device token is 32 bytes in hex today; Apple warns it may
# grow, and SNS takes up to 400 hex digits.
PUSH_TOKENS = {
    Platform.FCM: re.compile(r"[A-Za-z0-9_:\-]{32,1024}"),
    Platform.APNS: re.compile(r"(?:[0-9a-fA-F]{2}){32,200}"),
}
PUSH_TOKEN_MAX = 1024


@dataclass(frozen=True)
class Contact:
    phone: str | None
    email: str | None
    share_with_officer: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "phone": self.phone, "email": self.email,
            "share_with_officer": self.share_with_officer,
        }


@dataclass(frozen=True)
class Submission:
    category_code: str
    description: str
    location: Location | None
    ward_code: str | None
    address: str | None
    photo_count: int
    contact: Contact | None
    device_id: str | None
    push_device: PushDevice | None = None


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _invalid("invalid_type", field, f"Trường '{field}' phải là số.", f"'{field}' must be a number.")
    return float(value)


def _location(value: Any, wards: WardDirectory, margin_m: int) -> Location | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _invalid(
            "invalid_type", "location",
            "Vị trí phải có dạng {\"lat\": ..., \"lon\": ...}.",
            "location must look like {\"lat\": ..., \"lon\": ...}.",
        )
    lat = _number(value.get("lat"), "location.lat")
    lon = _number(value.get("lon"), "location.lon")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _invalid(
            "invalid_coordinates", "location",
            "Tọa độ nằm ngoài phạm vi hợp lệ.", "The coordinates are out of range.",
        )
    if not wards.within_service_area(lat, lon, margin_m):
        raise _invalid(
            "outside_service_area", "location",
            "Vị trí nằm ngoài địa bàn tiếp nhận phản ánh.",
            "The location is outside the area this service covers.",
        )
    return Location(lat, lon)


def _photo_count(value: Any, max_photos: int) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(
            "invalid_type", "photo_count", "Số ảnh phải là số nguyên.", "photo_count must be an integer."
        )
    if not 0 <= value <= max_photos:
        raise _invalid(
            "invalid_photo_count", "photo_count",
            f"Số ảnh phải từ 0 đến {max_photos}.", f"photo_count must be between 0 and {max_photos}.",
        )
    return value


def _contact(value: Any) -> Contact | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _invalid(
            "invalid_type", "contact", "Thông tin liên hệ không hợp lệ.", "contact must be an object."
        )
    phone = clean_text(value.get("phone"), "contact.phone", max_length=32, required=False)
    email = email_address(value.get("email"), "contact.email", required=False)
    if phone is None and email is None:
        raise _invalid(
            "missing_field", "contact",
            "Thông tin liên hệ cần số điện thoại hoặc email.",
            "contact needs a phone number or an e-mail address.",
        )
    if phone is not None:
        phone = _PHONE_SEPARATORS.sub("", phone)
        if not _PHONE.match(phone):
            raise _invalid(
                "invalid_phone", "contact.phone",
                "Số điện thoại không hợp lệ.", "The phone number is not valid.",
            )
    share = value.get("share_with_officer", False)
    if not isinstance(share, bool):
        raise _invalid(
            "invalid_type", "contact.share_with_officer",
            "Trường 'share_with_officer' phải là true hoặc false.",
            "'share_with_officer' must be true or false.",
        )
    return Contact(phone=phone, email=email, share_with_officer=share)


def email_address(value: Any, field: str, *, required: bool = True) -> str | None:
    """An e-mail address to write to: a contact's, or a follower's (phananh.transparency.following)."""
    email = clean_text(value, field, max_length=EMAIL_MAX, required=required)
    if email is not None and not _EMAIL.match(email):
        raise _invalid("invalid_email", field, "Email không hợp lệ.", "The e-mail address is not valid.")
    return email


def push_device(value: Any, offered: Collection[Platform], *, field: str = "push") -> PushDevice | None:
    """An app's push registration {platform, token}: a submission's `push`, or a follow's whole body
    (`field` "", so the errors name `platform` and `token`). `offered`: the services there is an
    SNS platform application for."""
    if value is None:
        return None
    name = field or "body"
    prefix = f"{field}." if field else ""
    if not isinstance(value, dict):
        raise _invalid(
            "invalid_type", name,
            f"{name} phải có dạng {{\"platform\": \"fcm\" | \"apns\", \"token\": ...}}.",
            f"{name} must look like {{\"platform\": \"fcm\" | \"apns\", \"token\": ...}}.",
        )
    platform = clean_text(value.get("platform"), f"{prefix}platform", max_length=16, required=True)
    if platform not in set(Platform):
        raise _invalid(
            "invalid_push_platform", f"{prefix}platform",
            f"{prefix}platform phải là \"fcm\" hoặc \"apns\".", f"{prefix}platform must be \"fcm\" or \"apns\".",
        )
    platform = Platform(platform)
    if platform not in offered:
        raise _invalid(
            "push_platform_unavailable", f"{prefix}platform",
            f"Hệ thống chưa gửi thông báo qua {platform.upper()}.",
            f"This service does not push through {platform.upper()} yet.",
        )
    token = clean_text(value.get("token"), f"{prefix}token", max_length=PUSH_TOKEN_MAX, required=True)
    if not PUSH_TOKENS[platform].fullmatch(token):
        # The message describes the shape; it never echoes the token.
        raise _invalid(
            "invalid_push_token", f"{prefix}token",
            f"{prefix}token không phải mã thiết bị hợp lệ của "
            + ("FCM (chữ, số, _ : -)." if platform is Platform.FCM else "APNs (64 chữ số thập lục phân trở lên)."),
            f"{prefix}token is not a valid "
            + ("FCM registration token (letters, digits, _ : -)." if platform is Platform.FCM
               else "APNs device token (64 or more hexadecimal digits)."),
        )
    # APNs tokens are hex: one spelling, so the same device always makes the same endpoint.
    return PushDevice(platform, token.lower() if platform is Platform.APNS else token)


def _no_push_endpoint(payload: dict[str, Any]) -> None:
    """The old field, an SNS endpoint ARN no phone can make: refused out loud, so that an app still
    sending it learns why it gets no pushes rather than silently getting none."""
    if "push_endpoint" in payload:
        raise _invalid(
            "push_endpoint_replaced", "push_endpoint",
            "push_endpoint không còn được hỗ trợ: gửi mã thiết bị trong push {\"platform\", \"token\"}.",
            "push_endpoint is no longer accepted: send the device token as push {\"platform\", \"token\"}.",
        )


def parse_submission(
    payload: Any, *, wards: WardDirectory, max_photos: int, service_area_margin_m: int,
    push_platforms: Collection[Platform] = tuple(Platform),
) -> Submission:
    """`push_platforms`: the push services the deployment has a platform application for."""
    if not isinstance(payload, dict):
        raise InvalidInput(
            "invalid_body",
            bilingual("Nội dung yêu cầu phải là một đối tượng JSON.", "The request body must be a JSON object."),
        )
    category_code = clean_text(payload.get("category"), "category", max_length=64, required=True)
    if get_category(category_code) is None:
        raise _invalid(
            "unknown_category", "category",
            "Lĩnh vực không tồn tại. Xem GET /categories.",
            "Unknown category. See GET /categories.",
        )
    ward_code = clean_text(payload.get("ward_code"), "ward_code", max_length=16, required=False)
    if ward_code is not None and wards.get(ward_code) is None:
        raise _invalid(
            "unknown_ward", "ward_code",
            "Mã phường/xã không thuộc địa bàn.", "The ward code is not in the service area.",
        )
    _no_push_endpoint(payload)
    location = _location(payload.get("location"), wards, service_area_margin_m)
    if location is None and ward_code is None:
        raise _invalid(
            "missing_location", "location",
            "Cần vị trí (location) hoặc mã phường/xã (ward_code).",
            "A location or a ward_code is required.",
        )
    return Submission(
        category_code=category_code,
        description=clean_text(
            payload.get("description"), "description", max_length=DESCRIPTION_MAX, required=True, multiline=True
        ),
        location=location,
        ward_code=ward_code,
        address=clean_text(payload.get("address"), "address", max_length=ADDRESS_MAX, required=False),
        photo_count=_photo_count(payload.get("photo_count"), max_photos),
        contact=_contact(payload.get("contact")),
        device_id=clean_text(payload.get("device_id"), "device_id", max_length=DEVICE_ID_MAX, required=False),
        push_device=push_device(payload.get("push"), push_platforms),
    )


def check_idempotency_key(key: str) -> str:
    """The key in one spelling (lower case), so that a retry is recognised however it is written."""
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise InvalidInput(
            "invalid_idempotency_key",
            bilingual(
                "Idempotency-Key phải là một UUID ngẫu nhiên (phiên bản 4), "
                "ví dụ 0b5c6a7e-2f1d-4c1b-9a57-3c0f8f6b2d11.",
                "Idempotency-Key must be a random UUID (version 4), e.g. 0b5c6a7e-2f1d-4c1b-9a57-3c0f8f6b2d11.",
            ),
            field="Idempotency-Key",
        )
    return key.lower()
