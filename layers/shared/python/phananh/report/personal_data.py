"""Personal data in the text a reporter writes for the public: phone numbers, e-mail addresses and
citizen ID numbers. A description that seems to carry one is held for a coordinator's review
(phananh.transparency.publication) instead of being published as written.

The patterns look for what these numbers look like in Vietnam, and are tuned against what a report
about a street is full of: dates, times, amounts of money, house numbers, report ids, plates.
- Phones: 0 or +84, then a mobile number (3/5/7/8/9 and 8 more digits) or a landline (2 and 9
  more); single spaces, dots or dashes may separate the digits.
- Citizen ID (CCCD): 12 digits opening with a province code (001–096).
- Old ID card (CMND): 9 digits, only where the text names an ID card just before them (9 digits
  alone are too often something else).
A number counts only whole: never a piece of a longer run of digits.
"""

from __future__ import annotations

import re
from enum import StrEnum


class PersonalData(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    NATIONAL_ID = "national_id"


# Between two digits of one number: nothing, or one space, dot or dash.
_GAP = r"[ .\-]?"
# Not a piece of a longer number: no digit (or digit and separator) right before or right after.
_START = r"(?<!\d)(?<!\d[ .\-])"
_END = rf"(?!{_GAP}\d)"


def _digits(count: int) -> str:
    return rf"(?:{_GAP}\d){{{count}}}"


_PHONE = re.compile(
    _START
    + r"(?:\(?\+84\)?|0)" + _GAP
    + r"(?:[35789]" + _digits(8) + r"|2" + _digits(9) + r")"
    + _END
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# The province codes of the 12-digit number run from 001 to 096.
_CITIZEN_ID = re.compile(_START + r"0(?:0[1-9]|[1-8]\d|9[0-6])" + _digits(9) + _END)
_ID_CARD_NAMES = r"(?:cmnd|cmt|chứng minh(?: nhân dân| thư)?|cccd|căn cước(?: công dân)?|định danh|id card)"
_OLD_ID_CARD = re.compile(
    _ID_CARD_NAMES + r"(?:\s*(?:số|so|no\.?|:|#))*\s*(\d{9})(?!" + _GAP + r"\d)", re.IGNORECASE
)


def personal_data_in(text: str | None) -> frozenset[PersonalData]:
    """The kinds of personal data `text` seems to carry (empty if none)."""
    if not text:
        return frozenset()
    found = set()
    if _PHONE.search(text):
        found.add(PersonalData.PHONE)
    if _EMAIL.search(text):
        found.add(PersonalData.EMAIL)
    if _CITIZEN_ID.search(text) or _OLD_ID_CARD.search(text):
        found.add(PersonalData.NATIONAL_ID)
    return frozenset(found)
