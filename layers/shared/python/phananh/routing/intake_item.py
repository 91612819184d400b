"""One piece of work for the pipeline: an upload to check, a check to record, a report to route."""

from __future__ import annotations

from dataclasses import dataclass

from phananh.report.photo_keys import ANSWER_PHOTO_PREFIX, RESULT_PHOTO_PREFIX, photo_key


@dataclass(frozen=True)
class IntakeItem:
    kind: str  # "photo" (an upload to check) | "photo_checked" | "submitted" | "photo_cutoff"
    report_id: str
    photo_index: int | None = None
    # Which of the report's photos (phananh.report.photo_keys.PHOTO_KINDS, by key prefix): the
    # reporter's (""), an after-photo of the resolution, or a photo of the reporter's answer.
    photo_kind: str = ""
    # What the photo check made of the upload ("photo_checked"): the record to keep, and its GPS.
    check: dict | None = None
    gps: tuple[float, float] | None = None

    @property
    def result_photo(self) -> bool:
        return self.photo_kind == RESULT_PHOTO_PREFIX

    @property
    def answer_photo(self) -> bool:
        return self.photo_kind == ANSWER_PHOTO_PREFIX

    @property
    def upload_key(self) -> str:
        return photo_key(self.report_id, self.photo_index, self.photo_kind)
