"""The scheduled jobs besides escalation (functions/schedule): the daily digest to every unit,
closing resolved reports nobody rated (after a reminder to rate), routing reports whose photos
never came, cleaning up uploads that were never checked, and erasing the reporter's personal data
once its retention is over.

Every job finds its reports through an index (due_watch: status and the deadline of that state;
owner_queue: unit, status and deadline), never a scan, and tolerates running twice: each change is
a conditional write decided again on the report as it is then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from phananh.escalation.alerts import ClaimHeld, email_recipients, send_once
from phananh.ports import Ports
from phananh.report.categories import get_category
from phananh.report.changes import change_report
from phananh.report.deadlines import (
    RATING_REMINDER_BEFORE,
    current_deadline,
    deadline_reached,
    due_on_local_day,
    is_past_due,
    scaled_span,
)
from phananh.report.lifecycle import ENDED_STATES, Action, Status
from phananh.report.model import AuditEvent, Report
from phananh.report.ports import ReportStore
from phananh.routing.directory import Unit
from phananh.shared.clock import VIETNAM
from phananh.shared.observability import count
from phananh.shared.settings import Settings

SCHEDULER = "system:schedule"
# An upload still in quarantine this long after it was made was never checked: the intake queue
# handles one within minutes, and gives up (dead-letter queue) after 5 × 6 minutes.
QUARANTINE_MAX_AGE = timedelta(hours=1)
DIGEST_LIST_MAX = 20
# A digest is one SES call: a claim outlives its send by far, and has passed before Lambda's first
# retry of a failed scheduled run (about a minute later), which then takes it over.
DIGEST_LEASE = timedelta(seconds=30)
_DIGEST_STATES = (Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)


# -- daily digest --------------------------------------------------------------------------------


@dataclass
class Digest:
    unit: Unit
    new: list[Report] = field(default_factory=list)
    due_today: list[Report] = field(default_factory=list)
    overdue: list[Report] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.new or self.due_today or self.overdue)


def unit_digest(unit: Unit, reports: ReportStore, now: datetime) -> Digest:
    """A unit's open work this morning: new (not yet acknowledged), due today (Vietnam's day), overdue."""
    digest = Digest(unit)
    today = now.astimezone(VIETNAM).date()
    for status in _DIGEST_STATES:
        for report in reports.owner_queue(unit.unit_id, status):
            if status is Status.ASSIGNED:
                digest.new.append(report)
            if is_past_due(report, now):
                digest.overdue.append(report)
            elif due_on_local_day(report, today):
                digest.due_today.append(report)
    return digest


def _line(report: Report) -> str:
    category = get_category(report.category_code)
    field_vi = category.name["vi"] if category else report.category_code
    due = current_deadline(report)
    due_text = due.astimezone(VIETNAM).strftime("%H:%M %d/%m") if due else "—"
    return f"  - {report.report_id} · {field_vi} · {report.status} · hạn/due {due_text}"


def _section(title: str, items: list[Report]) -> list[str]:
    lines = [f"{title}: {len(items)}"]
    lines += [_line(report) for report in items[:DIGEST_LIST_MAX]]
    if len(items) > DIGEST_LIST_MAX:
        lines.append(f"  … +{len(items) - DIGEST_LIST_MAX}")
    return lines


def digest_message(digest: Digest, now: datetime) -> tuple[str, str]:
    day = now.astimezone(VIETNAM).strftime("%d/%m/%Y")
    subject = (
        f"[Phản ánh] Tổng hợp ngày {day}: {len(digest.new)} mới, {len(digest.due_today)} đến hạn, "
        f"{len(digest.overdue)} quá hạn / Daily digest: {len(digest.new)} new, {len(digest.due_today)} due today, "
        f"{len(digest.overdue)} overdue"
    )
    body = "\n".join([
        f"{digest.unit.name['vi']} – tổng hợp phản ánh ngày {day}.",
        f"{digest.unit.name['en']} – reports digest for {day}.",
        "",
        *_section("Mới, chưa tiếp nhận / New, not yet acknowledged", digest.new),
        "",
        *_section("Đến hạn hôm nay / Due today", digest.due_today),
        "",
        *_section("Quá hạn / Overdue", digest.overdue),
    ])
    return subject, body


def send_daily_digests(*, ports: Ports, now: datetime) -> int:
    """One e-mail per unit with open work, to its officers, once a day; the number sent.

    Each unit's day is a leased claim (escalation.alerts.send_once): a schedule firing twice sends it
    once, and a failed or crashed run raises, so that the retried invocation, coming after the
    lease, sends what did not go out.
    """
    directory = ports.directory
    day = now.astimezone(VIETNAM).date().isoformat()
    sent, failure = 0, None
    for unit in directory.units():
        digest = unit_digest(unit, ports.reports, now)
        if digest.is_empty():
            continue
        recipients = email_recipients(unit, directory)
        if not recipients:
            continue
        subject, body = digest_message(digest, now)
        try:
            sent += send_once(
                f"digest:{unit.unit_id}:{day}",
                [("email", partial(ports.notifier.send_email, recipients, subject, body))],
                ports=ports, now=now, lease=DIGEST_LEASE, log_extra={"unit_id": unit.unit_id},
            )
        except ClaimHeld:
            continue  # another run of the schedule is sending it now
        except Exception as error:
            count("DigestFailed")
            failure = failure or error
    count("DigestSent", sent)
    if failure is not None:
        raise failure
    return sent


# -- resolved reports: reminder to rate, then closing -------------------------------------------


def close_unrated(*, ports: Ports, now: datetime) -> list[str]:
    """Close every resolved report whose time to be rated is over (RESOLVED → CLOSED)."""
    closed = []
    for report in ports.reports.due_by(Status.RESOLVED, now):

        def decide(current: Report) -> tuple[Report, AuditEvent] | None:
            if current.status is not Status.RESOLVED or not deadline_reached(current, now):
                return None
            after = current.moved(Action.CLOSE, now)
            return after, AuditEvent(
                report_id=current.report_id, version=after.version, at=now, actor=SCHEDULER, action=Action.CLOSE,
                from_status=current.status, to_status=after.status,
                reason="Tự động đóng: người phản ánh không đánh giá trong thời hạn / closed unrated",
            )

        changed = change_report(ports.reports, report.report_id, decide)
        if changed is not None:
            closed.append(report.report_id)  # the reporters hear of it from the reports stream
    count("ReportClosedUnrated", len(closed))
    return closed


def remind_to_rate(*, ports: Ports, now: datetime) -> list[str]:
    """Once, shortly before a resolved report closes: a push asking the reporter to rate it (recorded
    on the report, and sent from the reports stream)."""
    reminded = []
    for report in ports.reports.due_by(Status.RESOLVED, now + scaled_span(RATING_REMINDER_BEFORE)):
        if report.rating_reminded_at is not None or current_deadline(report) is None or deadline_reached(report, now):
            continue

        def decide(current: Report) -> tuple[Report, AuditEvent] | None:
            if current.status is not Status.RESOLVED or current.rating_reminded_at is not None:
                return None
            after = current.changed(now, rating_reminded_at=now)
            return after, AuditEvent(
                report_id=current.report_id, version=after.version, at=now, actor=SCHEDULER, action=Action.NOTE,
                from_status=current.status, to_status=current.status, reason="rating reminder", public=False,
            )

        changed = change_report(ports.reports, report.report_id, decide)
        if changed is not None:
            reminded.append(report.report_id)
    count("RatingReminded", len(reminded))
    return reminded


# -- stranded reports and uploads ----------------------------------------------------------------


def route_stranded(*, ports: Ports, settings: Settings, now: datetime) -> list[str]:
    """Reports still RECEIVED past the photo cutoff go to the route function as a cutoff message
    (routed without the missing photos): a safety net, should the routing message the reports stream
    queues for a new report (phananh.outbox) ever be lost."""
    cutoff = now - scaled_span(timedelta(seconds=settings.photo_cutoff_s))
    stranded = [report.report_id for report in ports.reports.due_by(Status.RECEIVED, cutoff)]
    for report_id in stranded:
        ports.queues.send_to_routing_at_photo_cutoff(report_id)
    count("StrandedRouted", len(stranded))
    return stranded


def clean_quarantine(*, ports: Ports, now: datetime) -> list[str]:
    """Delete uploads that were never checked (the bucket's lifecycle rule expires them too, later)."""
    deleted = ports.photos.delete_stale_uploads(now - QUARANTINE_MAX_AGE)
    count("QuarantineCleaned", len(deleted))
    return deleted


# -- retention of the reporter's personal data ---------------------------------------------------


def erase_expired_personal_data(*, ports: Ports, settings: Settings, now: datetime) -> list[str]:
    """Erase what an ended report still holds of its reporter (`Report.personal_data_held`) once
    `personal_data_retention_days` have passed since it ended, each with an audit event that says
    what kinds were erased, never what they said.

    The due_watch index holds an ended report under the time it ended only while it holds such
    data, so each run reads just the reports due now (no scan) and an erased report drops out: a
    second run finds nothing. The index keeps the time it ended, not the time to erase, so a change
    of the retention applies to every report at once.
    """
    ended_by = now - scaled_span(timedelta(days=settings.personal_data_retention_days))
    erased = []
    for status in sorted(ENDED_STATES):
        for report in ports.reports.due_by(status, ended_by):
            if report.ended_at is None or report.ended_at > ended_by:
                continue
            _erase_answers_elsewhere(report, ports)

            def decide(current: Report) -> tuple[Report, AuditEvent] | None:
                held = current.personal_data_held()
                if not held or current.ended_at is None or current.ended_at > ended_by:
                    return None
                after = current.without_personal_data(now)
                return after, AuditEvent(
                    report_id=current.report_id, version=after.version, at=now, actor=SCHEDULER,
                    action=Action.CONTACT_ERASED, from_status=current.status, to_status=current.status,
                    reason=f"Hết thời hạn lưu trữ / retention over; erased: {', '.join(held)}", public=False,
                )

            if change_report(ports.reports, report.report_id, decide) is not None:
                erased.append(report.report_id)
    count("PersonalDataErased", len(erased))
    return erased


# What an answer's audit event says once the retention erased the answer: the event stays (the trail
# keeps that information was received, and when), its text does not.
ERASED_ANSWER = "[Đã xoá khi hết thời hạn lưu trữ / erased when the retention ended]"


def _erase_answers_elsewhere(report: Report, ports: Ports) -> None:
    """What the report's answers left outside the report: their text in the audit events and their
    photos' checked copies (the uploads left quarantine within the hour, see clean_quarantine).
    Before the report's own change, so that a run that stops in between leaves the report holding
    them, due again, and the next run does both; each step may be done twice."""
    for key in report.answer_photo_keys():
        ports.photos.delete_checked_photo(key)
    for version in report.answer_event_versions():
        ports.reports.erase_event_reason(report.report_id, version, ERASED_ANSWER)
