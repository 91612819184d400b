"""Where a report's photos are kept in the photo storage: the reporter's and the officer's uploads
wait in quarantine until the photo check has made a checked copy and a thumbnail of each (faces and
plates blurred), the only objects anyone is ever given a link to; and, when it blurred something,
the unblurred evidence copy, which only the officers' views link to.
"""

from __future__ import annotations

QUARANTINE_PREFIX = "quarantine/"
# After-photos of a resolution are uploaded as quarantine/{report_id}/r{n}; the reporter's as .../{n},
# and the photos of the reporter's answer to a question as .../a{n}.
RESULT_PHOTO_PREFIX = "r"
ANSWER_PHOTO_PREFIX = "a"
# The kinds of photo a report takes, each named by its key prefix.
PHOTO_KINDS = ("", RESULT_PHOTO_PREFIX, ANSWER_PHOTO_PREFIX)
CHECKED_PHOTO_PREFIX = "public/"
THUMBNAIL_PREFIX = "thumbs/"
# The unblurred checked copy: the owner unit's evidence, never in a public or reporter view.
EVIDENCE_PREFIX = "evidence/"
SIGNED_PHOTO_PREFIXES = (CHECKED_PHOTO_PREFIX, THUMBNAIL_PREFIX)
# Everything the photo check writes (and the route function takes down).
CHECKED_COPY_PREFIXES = (*SIGNED_PHOTO_PREFIXES, EVIDENCE_PREFIX)
# The checked copies of the answers' photos (<prefix><report>/<answer kind>…), as key globs: what the
# retention erases, and all it may (its grant).
ANSWER_COPY_GLOBS = tuple(f"{prefix}*/{ANSWER_PHOTO_PREFIX}*" for prefix in CHECKED_COPY_PREFIXES)


def photo_key(report_id: str, index: int, key_prefix: str = "") -> str:
    """Where upload `index` of a report waits for its check; `key_prefix` names the kind of photo
    (RESULT_PHOTO_PREFIX for after-photos, ANSWER_PHOTO_PREFIX for an answer's; the reporter's photos
    have none)."""
    return f"{QUARANTINE_PREFIX}{report_id}/{key_prefix}{index}"


def upload_keys(report_id: str, count: int, *, key_prefix: str = "") -> list[str]:
    """The keys of `count` expected uploads of one kind, numbered from 1."""
    return [photo_key(report_id, index, key_prefix) for index in range(1, count + 1)]


def is_checked_photo(key: str) -> bool:
    """Whether `key` names a checked copy, thumbnail or evidence copy, never an unchecked upload."""
    return key.startswith(CHECKED_COPY_PREFIXES)
