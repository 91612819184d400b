"""One piece of work for the pipeline: an upload to check, a check to record, a report to route."""

from __future__ import annotations

from dataclasses import dataclass

from phananh.report.photo_keys import RESULT_PHOTO_PREFIX, photo_key, question_number_of


@dataclass(frozen=True)
class IntakeItem:
    kind: str  # "photo" (an upload to check) | "photo_checked" | "submitted" | "photo_cutoff"
    report_id: str
    photo_index: int | None = None
    # Which of the report's photos (phananh.report.photo_keys.PHOTO_KIND_PATTERN, by key prefix): the
    # reporter's (""), an after-photo of the resolution, or a photo of the reporter's answer to a question.
    photo_kind: str = ""
    # What the photo check made of the upload ("photo_checked"): the record to keep, and its GPS.
    check: dict | None = None
    gps: tuple[float, float] | None = None

    @property
    def result_photo(self) -> bool:
        return self.photo_kind == RESULT_PHOTO_PREFIX

    @property
    def question_number(self) -> int | None:
        """For a photo of an answer, the number of the question it answers (from 1)."""
        return question_number_of(self.photo_kind)

    @property
    def upload_key(self) -> str:
        return photo_key(self.report_id, self.photo_index, self.photo_kind)
