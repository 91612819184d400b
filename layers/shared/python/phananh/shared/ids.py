"""Report ids: `PA`, the filing day (UTC) as yymmdd, then 8 random characters.

The random part is drawn from Crockford's base32 (no I, L, O, U, so an id can be read out over the
phone); recognising an id takes any 8 of [0-9A-Z], since the check says whether a value can be an
id, not whether we issued it. A value that cannot be a report's id is never looked up.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

# No anchors, so that it can stand inside a longer pattern (an S3 key); is_report_id tests a whole value.
REPORT_ID_PATTERN = r"PA[0-9]{6}[0-9A-Z]{8}"
_REPORT_ID = re.compile(REPORT_ID_PATTERN)
_RANDOM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RANDOM_CHARS = 8


def is_report_id(value: Any) -> bool:
    """Whether `value` is a string shaped like a report id, all of it (not even a trailing newline more)."""
    return isinstance(value, str) and _REPORT_ID.fullmatch(value) is not None


def new_report_id(now: datetime) -> str:
    suffix = "".join(secrets.choice(_RANDOM_ALPHABET) for _ in range(_RANDOM_CHARS))
    return f"PA{now:%y%m%d}{suffix}"
