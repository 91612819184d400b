"""Reports built directly in a chosen state, for tests of the stores and of the use cases on fakes."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from phananh.report.lifecycle import Action, Publication, Status
from phananh.report.model import AuditEvent, Location, Report

FILED_AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
VI_THANH = Location(9.779, 105.47)


def new_id() -> str:
    return "PA260302" + uuid.uuid4().hex[:8].upper()


def received(**fields) -> Report:
    """A report just filed, not routed yet."""
    report = Report(
        report_id=new_id(), version=1, status=Status.RECEIVED, source="citizen", category_code="roads",
        description="Ổ gà lớn trước chợ Vị Thanh", location=VI_THANH, ward_code=None, address=None,
        photo_count=0, tracking_token_hash="hash-of-the-token", contact_ciphertext=None, contact_shared=False,
        created_at=FILED_AT, updated_at=FILED_AT,
    )
    return replace(report, **fields)


def assigned(unit_id: str = "ward-vi-thanh-1", *, at: datetime = FILED_AT, **fields) -> Report:
    """A report routed to its owner unit at `at`, due to be acknowledged a day later."""
    routed = dict(
        status=Status.ASSIGNED, owner_unit_id=unit_id, ward_code="93101", created_at=at, updated_at=at,
        published_at=at, acknowledge_due_at=at + timedelta(days=1), resolve_due_at=at + timedelta(days=5),
        publication=Publication.PUBLISHED,
    )
    return received(**{**routed, **fields})


def event_of(after: Report, action: Action, *, actor: str = "test", before: Report | None = None) -> AuditEvent:
    """The audit event of the change that made `after`."""
    return AuditEvent(
        report_id=after.report_id, version=after.version, at=after.updated_at, actor=actor, action=action,
        from_status=before.status if before else None, to_status=after.status,
    )


def filed_event(report: Report) -> AuditEvent:
    return event_of(report, Action.SUBMIT, actor="reporter")
