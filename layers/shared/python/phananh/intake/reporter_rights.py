"""The reporter's rights over their personal data (Personal Data Protection Law): withdraw consent,
erase the contact, download everything held.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from phananh.intake import tokens
from phananh.intake.filing import REPORTER, Decision
from phananh.ports import Ports
from phananh.report.changes import change_report
from phananh.report.deadlines import scaled_span
from phananh.report.lifecycle import Action
from phananh.report.model import AuditEvent, Report, iso
from phananh.report.ports import ReportStore
from phananh.shared.errors import NotFound
from phananh.shared.settings import Settings
from phananh.transparency.views import reporter_view


def own_report(report_id: str, tracking_token: str | None, reports: ReportStore) -> Report:
    """The report this tracking token is for. A wrong token looks exactly like a report that does not exist."""
    report = reports.get(report_id) if tracking_token else None
    if report is None or not tokens.token_matches(tracking_token, report.tracking_token_hash):
        raise NotFound()
    return report


def consent_view(report: Report) -> dict[str, Any]:
    """What the reporter gave and agreed to, and whether it has been erased."""
    return {
        "contact_provided": report.contact_provided,
        "shared_with_officer": report.contact_shared,
        "push_enabled": report.push_enabled,
        "contact_erased_at": iso(report.contact_erased_at),
    }


def _reporters_change(report_id: str, tracking_token: str | None, decide: Callable[[Report], Decision | None], *,
                      reports: ReportStore) -> dict[str, Any]:
    own_report(report_id, tracking_token, reports)
    change_report(reports, report_id, decide)
    return {"report_id": report_id, "consent": consent_view(reports.get(report_id))}


def withdraw_contact_consent(report_id: str, tracking_token: str | None, *, ports: Ports,
                             now: datetime) -> dict[str, Any]:
    """The reporter no longer lets the officers see their contact. Asking again changes nothing."""

    def decide(current: Report) -> Decision | None:
        if not current.contact_shared:
            return None
        after = current.changed(now, contact_shared=False)
        return after, AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=REPORTER,
            action=Action.CONSENT_WITHDRAWN, from_status=current.status, to_status=current.status,
            reason="Người phản ánh rút lại đồng ý chia sẻ liên hệ / the reporter withdrew consent to share the contact",
            public=False,
        )

    return _reporters_change(report_id, tracking_token, decide, reports=ports.reports)


def erase_contact(report_id: str, tracking_token: str | None, *, ports: Ports,
                  now: datetime) -> dict[str, Any]:
    """The reporter's contact and push token erased now; the report stays, followed with the token.
    Asking again changes nothing.

    The answers to the unit's questions are not erased here: like the description and photos they
    are what the report is about, which the unit works from while it is open (and which the reporter
    chose to send, unlike the contact, which only serves to reach them). The retention erases them,
    text and photos, once the report ended (phananh.escalation.jobs.erase_expired_personal_data)."""

    def decide(current: Report) -> Decision | None:
        if not current.holds_sealed_details():
            return None
        held = [kind for kind in current.personal_data_held() if kind in ("contact", "push token")]
        after = current.without_contact(now)
        return after, AuditEvent(
            report_id=current.report_id, version=after.version, at=now, actor=REPORTER,
            action=Action.CONTACT_ERASED, from_status=current.status, to_status=current.status,
            reason=f"Xoá theo yêu cầu của người phản ánh / erased at the reporter's request: {', '.join(held)}",
            public=False,
        )

    return _reporters_change(report_id, tracking_token, decide, reports=ports.reports)


def personal_data(report_id: str, tracking_token: str | None, *, ports: Ports, settings: Settings,
                  now: datetime) -> dict[str, Any]:
    """Everything held about the reporter of this report, for them to download: the report as they
    follow it (facts, state, timeline, result), their contact decrypted, their consent, their own
    rating comment (even one a coordinator hid), who looked at their contact and why, and when
    what remains will be erased."""
    report = own_report(report_id, tracking_token, ports.reports)
    sealed = ports.contacts.unseal_contact(report.contact_ciphertext, report_id) if report.contact_ciphertext else None
    push_device = (
        ports.contacts.unseal_push_device(report.push_ciphertext, report_id) if report.push_ciphertext else None
    )
    rating = report.rating
    ended_at = report.ended_at
    erase_after = None
    if ended_at is not None and report.personal_data_held():
        erase_after = ended_at + scaled_span(timedelta(days=settings.personal_data_retention_days))
    return {
        "generated_at": iso(now),
        "report": reporter_view(report_id, tracking_token, ports=ports, settings=settings),
        "contact": {"phone": (sealed or {}).get("phone"), "email": (sealed or {}).get("email"),
                    "push": push_device.to_dict() if push_device else None} if sealed or push_device else None,
        "consent": consent_view(report),
        "rating": {"score": rating.score, "fixed": rating.fixed, "comment": rating.comment,
                   "comment_hidden": rating.comment_hidden, "at": iso(rating.at)} if rating else None,
        "contact_views": [{"at": iso(view.at), "purpose": view.purpose}
                          for view in ports.reports.contact_views(report_id)],
        "retention": {
            "days": settings.personal_data_retention_days,
            "ended_at": iso(ended_at),
            "erase_after": iso(erase_after),
        },
    }
