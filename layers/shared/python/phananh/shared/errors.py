"""Domain errors. Each carries a stable code and a bilingual message; the HTTP edge
(the web adapter) is the one place that turns them into status codes."""

from __future__ import annotations

from typing import Any

Text = dict[str, str]


def bilingual(vi: str, en: str) -> Text:
    return {"vi": vi, "en": en}


class DomainError(Exception):
    code = "error"

    def __init__(self, message: Text, *, details: dict[str, Any] | None = None):
        super().__init__(message["en"])
        self.message = message
        self.details = details or {}


class InvalidInput(DomainError):
    """The request is malformed or breaks a rule about its content."""

    def __init__(self, code: str, message: Text, *, field: str | None = None):
        super().__init__(message, details={"field": field} if field else None)
        self.code = code


def invalid_field(code: str, field: str, vi: str, en: str) -> InvalidInput:
    """InvalidInput naming the `field` it is about, with its message in Vietnamese and English."""
    return InvalidInput(code, bilingual(vi, en), field=field)


class NotFound(DomainError):
    code = "not_found"

    def __init__(self, message: Text | None = None):
        super().__init__(message or bilingual("Không tìm thấy.", "Not found."))


class StateConflict(DomainError):
    """Someone changed the record first, or the change is not allowed from its state."""

    def __init__(self, code: str, message: Text, *, current: dict[str, Any] | None = None):
        super().__init__(message, details={"current": current} if current else None)
        self.code = code


class Refused(DomainError):
    """A well-formed request that cannot be carried out as a whole (an import with errors or a gap);
    `details` says everything that stands in the way."""

    def __init__(self, code: str, message: Text, *, details: dict[str, Any]):
        super().__init__(message, details={"details": details})
        self.code = code


def keeps_changing() -> StateConflict:
    """A change lost its optimistic race to other writers on every attempt: the caller may try again."""
    return StateConflict("busy", bilingual("Phản ánh đang được cập nhật liên tục.", "The report keeps changing."))


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, retry_after_s: int):
        super().__init__(
            bilingual(
                f"Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau {retry_after_s} giây.",
                f"Too many requests. Please try again in {retry_after_s} seconds.",
            )
        )
        self.retry_after_s = retry_after_s


class IdempotencyConflict(DomainError):
    """The same Idempotency-Key came with another body, or while the first is still running."""

    def __init__(self, code: str, message: Text):
        super().__init__(message)
        self.code = code
