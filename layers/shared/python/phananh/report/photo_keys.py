"""Where a report's photos are kept in the photo storage: the reporter's and the officer's uploads
wait in quarantine until the photo check has made a checked copy and a thumbnail of each (faces and
plates blurred), the only objects anyone is ever given a link to; and, when it blurred something,
the unblurred evidence copy, which only the officers' views link to.
"""

from __future__ import annotations

import re

QUARANTINE_PREFIX = "quarantine/"
# After-photos of a resolution are uploaded as quarantine/{report_id}/r{n}; the reporter's as .../{n},
# and the photos of the reporter's answer to the report's q-th question as .../q{q}a{n}, so that
# the answers of two questions never share a key.
RESULT_PHOTO_PREFIX = "r"
QUESTION_PHOTO_PREFIX = "q"
# The kinds of photo a report takes, each named by its key prefix (a regular expression): the
# reporter's (none), the after-photos, an answer's (its question's number in it).
PHOTO_KIND_PATTERN = rf"(?:{RESULT_PHOTO_PREFIX}|{QUESTION_PHOTO_PREFIX}[1-9]a)?"
_PHOTO_KIND = re.compile(PHOTO_KIND_PATTERN)
CHECKED_PHOTO_PREFIX = "public/"
THUMBNAIL_PREFIX = "thumbs/"
# The unblurred checked copy: the owner unit's evidence, never in a public or reporter view.
EVIDENCE_PREFIX = "evidence/"
SIGNED_PHOTO_PREFIXES = (CHECKED_PHOTO_PREFIX, THUMBNAIL_PREFIX)
# Everything the photo check writes (and the route function takes down).
CHECKED_COPY_PREFIXES = (*SIGNED_PHOTO_PREFIXES, EVIDENCE_PREFIX)
# The checked copies of the answers' photos (<prefix><report>/<answer kind>…), as key globs: what the
# retention erases, and all it may (its grant).
ANSWER_COPY_GLOBS = tuple(f"{prefix}*/{QUESTION_PHOTO_PREFIX}*" for prefix in CHECKED_COPY_PREFIXES)


def answer_photo_kind(question_number: int) -> str:
    """The key prefix of the photos of the answer to the report's `question_number`-th question (from 1)."""
    return f"{QUESTION_PHOTO_PREFIX}{question_number}a"


def is_photo_kind(kind: object) -> bool:
    return isinstance(kind, str) and _PHOTO_KIND.fullmatch(kind) is not None


def question_number_of(kind: str) -> int | None:
    """Which question's answer a photo of this kind belongs to (from 1); None for another kind."""
    return int(kind[1:-1]) if kind.startswith(QUESTION_PHOTO_PREFIX) else None


def photo_key(report_id: str, index: int, key_prefix: str = "") -> str:
    """Where upload `index` of a report waits for its check; `key_prefix` names the kind of photo
    (RESULT_PHOTO_PREFIX for after-photos, answer_photo_kind(q) for an answer's; the reporter's photos
    have none)."""
    return f"{QUARANTINE_PREFIX}{report_id}/{key_prefix}{index}"


def upload_keys(report_id: str, count: int, *, key_prefix: str = "") -> list[str]:
    """The keys of `count` expected uploads of one kind, numbered from 1."""
    return [photo_key(report_id, index, key_prefix) for index in range(1, count + 1)]


def is_checked_photo(key: str) -> bool:
    """Whether `key` names a checked copy, thumbnail or evidence copy, never an unchecked upload."""
    return key.startswith(CHECKED_COPY_PREFIXES)
