"""Government units and their officers.

Units form a supervisor tree through `parent_unit_id`; the City People's Committee is the root.
The directory itself is data in the directory table (the local stack seeds a demo one:
phananh_local.demo_directory).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from phananh.shared.errors import Text

UnitKind = Literal["city_committee", "ward_committee", "department", "coordinators", "police", "utility"]
Role = Literal["officer", "unit_head", "coordinator"]

CITY_COMMITTEE_ID = "ubnd_thanh_pho"
COORDINATORS_ID = "ban_dieu_phoi"

@dataclass(frozen=True)
class Unit:
    unit_id: str
    name: Text = field(hash=False)
    kind: UnitKind
    ward_code: str | None
    parent_unit_id: str | None
    email: str
    phone: str
    # The SNS topic that reaches the unit's officers by SMS/push; made when the unit is created.
    topic_arn: str | None = None
    # A disabled unit gets no new reports: routing passes over rules naming it (routing.rules.owner_for).
    active: bool = True


@dataclass(frozen=True)
class Officer:
    officer_id: str
    unit_id: str
    full_name: str
    email: str
    phone: str
    role: Role
    # When the post's current sign-in was created: tokens issued earlier were an earlier holder's.
    credentials_since: datetime | None = None


# Contacts as SES and SNS take them, each matched whole (`$` would let a trailing newline by):
# a plain ASCII address (no display name, no comma or second address, no space) and an E.164
# Vietnamese number in ASCII digits (`\d` would take any script's digits).
_EMAIL_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_EMAIL_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
_EMAIL = re.compile(f"{_EMAIL_LOCAL}@{_EMAIL_DOMAIN}")
_EMAIL_LOCAL_MAX, _EMAIL_MAX = 64, 254
_PHONE = re.compile(r"\+84[0-9]{9,10}")
# Officer and unit ids: lower-case ASCII letters, digits, `_` and `.`.
_ID = re.compile(r"[a-z0-9_.]{2,64}")


def is_directory_id(value: Any) -> bool:
    """Whether `value` is written as a unit's or an officer's id may be (whether one exists aside)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def is_email_address(value: Any) -> bool:
    return (
        isinstance(value, str) and len(value) <= _EMAIL_MAX and _EMAIL.fullmatch(value) is not None
        and len(value.rpartition("@")[0]) <= _EMAIL_LOCAL_MAX
    )


def is_phone_number(value: Any) -> bool:
    return isinstance(value, str) and _PHONE.fullmatch(value) is not None
