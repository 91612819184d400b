"""The ports: what the contexts need from stores and services, as Protocols. Adapters implement them
(adapters/dynamo, adapters/aws); tests pass in-memory fakes (tests/fakes.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from phananh.report.lifecycle import Status
from phananh.report.model import AuditEvent, ContactView, Page, Report


class EarlierClaim(Protocol):
    """What an idempotency key was claimed for before: the request, by whom, and how it ended."""

    idempotency_key: str
    request_hash: str
    state: str  # "IN_PROGRESS" | "COMPLETED"
    caller: str | None
    report_id: str | None
    response: Any


class ReportStore(Protocol):
    def create(self, report: Report, event: AuditEvent) -> None: ...

    def get(self, report_id: str) -> Report | None: ...

    def save_change(self, before: Report, after: Report, event: AuditEvent) -> None: ...

    def save_changes(self, changes: Sequence[tuple[Report, Report, AuditEvent]]) -> None: ...

    def events(self, report_id: str) -> list[AuditEvent]: ...

    def record_contact_view(self, view: ContactView) -> None: ...

    def contact_views(self, report_id: str) -> list[ContactView]: ...

    def nearby(self, category_code: str, lat: float, lon: float) -> list[Report]: ...

    def published(
        self,
        *,
        limit: int,
        cursor: str | None,
        ward_code: str | None = None,
        category_code: str | None = None,
        status: Status | None = None,
    ) -> Page: ...

    def unit_queue(self, unit_id: str, status: Status, *, limit: int, cursor: str | None) -> Page: ...

    def awaiting_review(self, *, limit: int, cursor: str | None) -> Page: ...


class RateLimitStore(Protocol):
    def start(self, bucket_key: str, full_at: float, *, now: float) -> bool: ...

    def take(self, bucket_key: str, interval: float, *, now: float, latest: float) -> bool: ...

    def full_at(self, bucket_key: str) -> float | None: ...


class IdempotencyStore(Protocol):
    def claim(
        self, key: str, request_hash: str, expires_at: int, *,
        now: int | None = None, caller: str | None = None, report_id: str | None = None,
    ) -> EarlierClaim | None: ...

    def complete(self, key: str, response: dict) -> None: ...

    def release(self, key: str) -> None: ...
