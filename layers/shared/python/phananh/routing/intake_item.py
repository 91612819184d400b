"""One piece of work for the pipeline: an upload to check, a check to record, a report to route."""

from __future__ import annotations

from dataclasses import dataclass

from phananh.report.photo_keys import RESULT_PHOTO_PREFIX, photo_key


@dataclass(frozen=True)
class IntakeItem:
    kind: str  # "photo" (an upload to check) | "photo_checked" | "submitted" | "photo_cutoff"
    report_id: str
    photo_index: int | None = None
    # An after-photo of the resolution rather than one of the reporter's photos.
    result_photo: bool = False
    # What the photo check made of the upload ("photo_checked"): the record to keep, and its GPS.
    check: dict | None = None
    gps: tuple[float, float] | None = None

    @property
    def key_prefix(self) -> str:
        return RESULT_PHOTO_PREFIX if self.result_photo else ""

    @property
    def upload_key(self) -> str:
        return photo_key(self.report_id, self.photo_index, self.key_prefix)
