"""The one policy for text that strangers and officers send us, and for numbers written as text.

Every free-text field goes through `clean_text`: it comes out in composed Unicode (NFC), trimmed,
within its length, and refused (InvalidInput naming the field) when it could deceive a reader or
break a consumer downstream:

- a single-line field (an address, a name, an id) keeps no line break, so it cannot start a
  forged paragraph in an officer's e-mail; multi-line fields (descriptions, notes, reasons,
  comments) keep `\\n` and tabs, with `\\r\\n` and `\\r` made `\\n`;
- a single-line field writes its numbers in ASCII digits: it is what officers search and match
  (a house number, a device id), and other numerals ("𝟏𝟐", "١٢", "½", "²") look alike but never match;
- bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are refused:
  they make a text read differently from what it holds ("Trojan Source");
- a text with nothing visible in it (only format characters, Hangul fillers, whitespace, ...) is
  refused: it would be a report or note nobody can read;
- code points XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/U+FFFF) and the other
  Unicode noncharacters are refused, so whatever we store can be published as GeoReport XML.

Integers in query strings go through `whole_number`: ASCII digits only (`str.isdigit` also accepts
"²" and "٣", which `int` then refuses or reads as something else), a bounded number of them.

Pure: no HTTP, no AWS.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from phananh.shared.errors import InvalidInput
from phananh.shared.errors import invalid_field as _invalid

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Characters that show nothing on their own but are not whitespace or format characters to Unicode:
# the Hangul fillers, the Braille blank and the combining grapheme joiner.
_BLANK_LETTERS = frozenset("\u3164\u115f\u1160\uffa0\u2800\u034f")
# Categories that draw nothing without a visible character beside them.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"})
# Line breaks besides \n that a renderer honours (\v, \f, NEL, LINE and PARAGRAPH SEPARATOR).
_OTHER_LINE_BREAKS = frozenset("\r\x0b\x0c\x85\u2028\u2029")
_MULTILINE_CONTROLS = frozenset("\n\t")
_DIGITS = re.compile(r"[0-9]+")


def is_noncharacter(char: str) -> bool:
    """U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, ...)."""
    point = ord(char)
    return 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE


def is_xml_character(char: str) -> bool:
    """XML 1.0's Char production: tab, LF, CR, and U+0020 on, less surrogates, U+FFFE and U+FFFF."""
    point = ord(char)
    return (
        char in "\t\n\r"
        or 0x20 <= point <= 0xD7FF
        or 0xE000 <= point <= 0xFFFD
        or 0x10000 <= point <= 0x10FFFF
    )


def utf8_safe(text: str) -> str:
    """Text UTF-8 can carry: a lone surrogate echoed from a request would fail the reply (a 500)."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _is_visible(char: str) -> bool:
    return char not in _BLANK_LETTERS and unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def _is_other_numeral(char: str) -> bool:
    return unicodedata.category(char) in ("Nd", "Nl", "No") and not "0" <= char <= "9"


def _refused_character(char: str, multiline: bool) -> bool:
    if multiline and char in _MULTILINE_CONTROLS:
        return False
    category = unicodedata.category(char)
    return category in ("Cc", "Cs") or not is_xml_character(char) or is_noncharacter(char)


def clean_text(
    value: Any, field: str, *, max_length: int, required: bool, multiline: bool = False
) -> str | None:
    """A text field by the policy above; None when absent (or blank) and not required."""
    if value is None:
        if required:
            raise _invalid("missing_field", field, f"Thiếu trường '{field}'.", f"'{field}' is required.")
        return None
    if not isinstance(value, str):
        raise _invalid(
            "invalid_type", field, f"Trường '{field}' phải là chuỗi ký tự.", f"'{field}' must be a string."
        )
    # Lone surrogates first: valid in a JSON escape, but no UTF-8 can carry them.
    if any(unicodedata.category(char) == "Cs" for char in value):
        raise _control_characters(field)
    # Phones send Vietnamese in either composed or decomposed form; store one form.
    text = unicodedata.normalize("NFC", value).strip()
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    elif any(char == "\n" or char in _OTHER_LINE_BREAKS for char in text):
        raise _invalid(
            "line_break_not_allowed", field,
            f"Trường '{field}' chỉ được có một dòng.", f"'{field}' must be a single line.",
        )
    if any(_refused_character(char, multiline) for char in text):
        raise _control_characters(field)
    if not multiline and any(_is_other_numeral(char) for char in text):
        raise _invalid(
            "non_ascii_digits", field,
            f"Trường '{field}' chỉ được viết số bằng chữ số 0–9.", f"'{field}' must write numbers with the digits 0–9.",
        )
    if any(char in BIDI_CONTROLS for char in text):
        raise _invalid(
            "bidi_control_not_allowed", field,
            f"Trường '{field}' chứa ký tự đảo chiều văn bản (như U+202E), không được phép.",
            f"'{field}' contains text-direction controls (such as U+202E), which are not allowed.",
        )
    if text and not any(_is_visible(char) for char in text):
        raise _invalid(
            "invisible_text", field,
            f"Trường '{field}' chỉ gồm ký tự vô hình.", f"'{field}' holds only invisible characters.",
        )
    if required and not text:
        raise _invalid(
            "missing_field", field, f"Trường '{field}' không được để trống.", f"'{field}' must not be empty."
        )
    if len(text) > max_length:
        raise _invalid(
            "too_long", field,
            f"Trường '{field}' dài quá {max_length} ký tự.",
            f"'{field}' is longer than {max_length} characters.",
        )
    return text or None


def _control_characters(field: str) -> InvalidInput:
    return _invalid(
        "invalid_characters", field,
        f"Trường '{field}' chứa ký tự điều khiển không hợp lệ.",
        f"'{field}' contains control characters.",
    )


def page_size(limit: Any, *, default: int, highest: int) -> int:
    """A list's page size as a use case takes it: None for the default, else an int from 1 to `highest`."""
    limit = default if limit is None else limit
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= highest:
        raise _invalid("invalid_limit", "limit", f"limit phải từ 1 đến {highest}.", f"limit must be 1 to {highest}.")
    return limit


def whole_number(raw: str, field: str, *, lowest: int, highest: int, code: str) -> int:
    """An integer from `lowest` to `highest` written in ASCII digits, or InvalidInput(code)."""
    if not (_DIGITS.fullmatch(raw) and len(raw) <= len(str(highest)) and lowest <= int(raw) <= highest):
        raise _invalid(
            code, field,
            f"{field} phải từ {lowest} đến {highest}.", f"{field} must be {lowest} to {highest}.",
        )
    return int(raw)


# What a spreadsheet would run as a formula (or DDE) when a cell starts with it.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula gets an apostrophe first."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def calendar_day(raw: str, field: str) -> date:
    """A day written YYYY-MM-DD (a query's `from` or `to`), or InvalidInput("invalid_date") naming `field`."""
    if len(raw) == 10 and raw.isascii():
        try:
            return datetime.strptime(raw, "%Y-%m-%d").date()
        except ValueError:
            pass
    raise _invalid("invalid_date", field, f"'{field}' phải có dạng YYYY-MM-DD.", f"'{field}' must be YYYY-MM-DD.")
