"""Alerts to the officers who own a report: e-mail (SES) to each officer, SMS/push (SNS) through
the unit's topic. Vietnamese first, English second; never anything about the reporter.

Each channel of an alert (each officer's e-mail, the unit's SMS) is sent once: a claim in the
idempotency table, named by the report, the occasion and the channel, is taken with a lease before
sending, marked COMPLETED after the send and given back if the send fails. A claim its sender could
not give back (or whose sender crashed) is taken over once its lease has passed, so a retried
delivery sends it; until then the delivery fails, to be retried. One failing channel does not stop
the others; a retried delivery sends what failed and nothing that already went out. Delivery is
at least once: a channel is sent twice only when its completion could not be written (after a few
tries) and a later delivery of the same occasion comes after the lease. An address SES would refuse
is not sent to at all.

Every value a message inserts (what the reporter wrote, names from the directory) goes through
`inline`, so it can never start a line of its own (a forged "Hạn xử lý:" line, a header-looking line)
nor reorder the text with bidi controls. The messages are plain text; none has an HTML part.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from phananh.ports import Ports
from phananh.report.categories import get_category
from phananh.report.deadlines import current_deadline, resolve_deadline
from phananh.report.model import Report
from phananh.routing.directory import Officer, Unit, is_email_address
from phananh.routing.geo import WardDirectory
from phananh.routing.ports import DirectoryStore
from phananh.shared.clock import local_time_text
from phananh.shared.observability import count, logger

EXCERPT_CHARS = 160
SMS_EXCERPT_CHARS = 70
# Far longer than any redelivery: a queue gives up on a message within the hour.
ALERT_CLAIM_TTL = timedelta(days=30)
# How long a claim is its sender's: at least the longest a function holding one may run (120 s, the
# schedule's timeout), shorter than any queue's visibility timeout (six times its consumer's), so a
# redelivery finds the lease of a crashed or failed sender passed.
CLAIM_LEASE = timedelta(seconds=120)
# Writing a completion is retried in-process, with a pause doubling from COMPLETION_PAUSE_S (1.55 s
# in all): a sent channel whose completion is lost may be sent again once its lease passes. Three
# attempts doubled 2 e-mails of 1,000 reports under 10 % faults; six make it one in a million sends.
COMPLETION_ATTEMPTS = 6
COMPLETION_PAUSE_S = 0.05


class ClaimHeld(Exception):
    """A channel's claim is held by another sender whose lease has not passed: retry the delivery later."""


@dataclass(frozen=True)
class Alert:
    subject: str
    email_body: str
    sms_body: str


# Line and paragraph separators and control characters become spaces; format characters (bidi
# overrides and isolates, zero-width characters) are dropped.
_AS_SPACE = frozenset({"Cc", "Zl", "Zp"})
_DROPPED = frozenset({"Cf"})


def inline(value: object) -> str:
    """`value` as text that stays on its line and reads in order: one line, single-spaced."""
    kept = []
    for char in str(value):
        kind = unicodedata.category(char)
        if kind in _DROPPED:
            continue
        kept.append(" " if kind in _AS_SPACE else char)
    return " ".join("".join(kept).split())


def _excerpt(text: str, limit: int) -> str:
    flat = inline(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _field_and_ward(report: Report, wards: WardDirectory) -> tuple[str, str, str, str]:
    """The report's field and ward, in Vietnamese and English, each fit for one line of a message."""
    category = get_category(report.category_code)
    ward = wards.get(report.ward_code) if report.ward_code else None
    field_vi, field_en = (category.name["vi"], category.name["en"]) if category else (report.category_code,) * 2
    ward_vi, ward_en = (ward.name["vi"], ward.name["en"]) if ward else ("chưa xác định", "unknown ward")
    return inline(field_vi), inline(field_en), inline(ward_vi), inline(ward_en)


def console_link(console_url: str, report_id: str) -> str:
    """The report's page in the officers' console (the alert e-mails' deep link); "" without a console."""
    return f"{console_url.rstrip('/')}/reports/{report_id}" if console_url else ""


def link_lines(console_url: str, report_id: str) -> list[str]:
    """The lines an alert e-mail ends with: the report in the console, when there is one."""
    link = console_link(console_url, report_id)
    return ["", f"Mở phản ánh / Open the report: {link}"] if link else []


def new_report_alert(report: Report, unit: Unit, wards: WardDirectory, *, console_url: str = "") -> Alert:
    field_vi, field_en, ward_vi, ward_en = _field_and_ward(report, wards)
    unit_vi, unit_en = inline(unit.name["vi"]), inline(unit.name["en"])
    address = inline(report.address) if report.address else ""
    acknowledge_by, resolve_by = local_time_text(report.acknowledge_due_at), local_time_text(resolve_deadline(report))
    excerpt = _excerpt(report.description, EXCERPT_CHARS)
    subject = f"[Phản ánh {report.report_id}] {field_vi} – {ward_vi} / New report: {field_en}"
    email_body = "\n".join([
        f"Đơn vị {unit_vi} nhận một phản ánh mới.",
        f"Mã phản ánh: {report.report_id}",
        f"Lĩnh vực: {field_vi}",
        f"Địa bàn: {ward_vi}" + (f" – {address}" if address else ""),
        f"Nội dung: {excerpt}",
        f"Hạn tiếp nhận: {acknowledge_by}. Hạn xử lý: {resolve_by} (giờ Việt Nam).",
        "",
        f"{unit_en} has a new report.",
        f"Report: {report.report_id}",
        f"Field: {field_en}",
        f"Ward: {ward_en}",
        f"Description: {excerpt}",
        f"Acknowledge by {acknowledge_by}; resolve by {resolve_by} (Vietnam time).",
        *link_lines(console_url, report.report_id),
    ])
    sms_body = (
        f"Phản ánh {report.report_id}: {field_vi}, {ward_vi}. {_excerpt(report.description, SMS_EXCERPT_CHARS)} "
        f"Hạn tiếp nhận {acknowledge_by}. / New report {report.report_id}, acknowledge by {acknowledge_by}."
    )
    return Alert(subject=subject, email_body=email_body, sms_body=sms_body)


def email_recipients(
    unit: Unit, directory: DirectoryStore, roles: Collection[str] | None = None, *, unit_inbox: bool = False,
) -> list[str]:
    """Whom a message to `unit` is e-mailed to: its officers (those with one of `roles`, when given)
    with an address SES takes, sorted; when none has one, the unit's own address if SES takes it.
    With `unit_inbox`, the unit's own address first: one e-mail to its shared inbox, the officers'
    addresses only when SES would refuse the unit's.

    An address SES would refuse (recorded before addresses were checked strictly) is left out, logged
    and counted: in a call with others it would make SES refuse them all.
    """
    if unit_inbox and is_email_address(unit.email):
        return [unit.email]
    chosen = {
        officer.email for officer in directory.officers_of(unit.unit_id)
        if officer.email and (roles is None or officer.role in roles)
    }
    refused = {address for address in chosen if not is_email_address(address)}
    if refused:
        logger.error("officer addresses SES would refuse; left out", extra={"unit_id": unit.unit_id,
                                                                            "count": len(refused)})
        count("AlertAddressRefused", len(refused))
    usable = sorted(chosen - refused)
    if usable:
        return usable
    return [unit.email] if is_email_address(unit.email) else []


def alert_owner(
    report: Report, *, occasion_key: str, wards: WardDirectory, ports: Ports, now: datetime, console_url: str = "",
    unit_inbox: bool = False,
) -> None:
    """Alert the owner unit's officers of `report`, once per occasion (named by `occasion_key`) and channel
    (the e-mail to the unit's shared inbox instead of each officer's with `unit_inbox`).

    Every channel is tried; if any failed, raises (after giving its claim back) once the others are
    sent, so that a retry sends just that channel.
    """
    unit = ports.directory.unit(report.owner_unit_id) if report.owner_unit_id else None
    if unit is None:
        logger.error("owner unit missing; nobody alerted", extra={"report_id": report.report_id})
        return
    alert = new_report_alert(report, unit, wards, console_url=console_url)
    def email_to(address: str) -> Callable[[], object]:
        return lambda: ports.notifier.send_email([address], alert.subject, alert.email_body)

    recipients = email_recipients(unit, ports.directory, unit_inbox=unit_inbox)
    channels = [(f"email:{address}", email_to(address)) for address in recipients]
    if unit.topic_arn:
        channels.append(("sms", lambda: ports.notifier.publish_to_topic(unit.topic_arn, alert.subject, alert.sms_body)))
    send_once(occasion_key, channels, ports=ports, now=now, log_extra={"report_id": report.report_id})


def assignee_alert(report: Report, officer: Officer, wards: WardDirectory, *, console_url: str = "") -> Alert:
    """The e-mail to the officer a unit head named to work `report`."""
    field_vi, field_en, ward_vi, ward_en = _field_and_ward(report, wards)
    name = inline(officer.full_name)
    due = local_time_text(current_deadline(report))
    subject = f"[Phản ánh {report.report_id}] Giao cho bạn xử lý / Assigned to you: {field_en}"
    email_body = "\n".join([
        f"{name}, bạn được giao xử lý phản ánh {report.report_id}.",
        f"Lĩnh vực: {field_vi}. Địa bàn: {ward_vi}.",
        f"Nội dung: {_excerpt(report.description, EXCERPT_CHARS)}",
        f"Hạn hiện tại: {due} (giờ Việt Nam).",
        "",
        f"{name}, report {report.report_id} is assigned to you.",
        f"Field: {field_en}. Ward: {ward_en}.",
        f"Current deadline: {due} (Vietnam time).",
        *link_lines(console_url, report.report_id),
    ])
    return Alert(subject=subject, email_body=email_body, sms_body="")


def alert_assignee(
    report: Report, officer: Officer, *, occasion_key: str, wards: WardDirectory, ports: Ports, now: datetime,
    console_url: str = "",
) -> None:
    """E-mail `officer` that `report` is theirs to work, once per occasion. An address SES would
    refuse is not sent to."""
    if not is_email_address(officer.email):
        logger.error("assignee has no address SES takes; not alerted", extra={"report_id": report.report_id})
        count("AlertAddressRefused")
        return
    alert = assignee_alert(report, officer, wards, console_url=console_url)
    channels = [(f"email:{officer.email}",
                 lambda: ports.notifier.send_email([officer.email], alert.subject, alert.email_body))]
    send_once(occasion_key, channels, ports=ports, now=now, log_extra={"report_id": report.report_id})


def send_once(
    occasion_key: str, channels: list[tuple[str, Callable[[], object]]], *, ports: Ports, now: datetime,
    lease: timedelta | None = None, log_extra: dict | None = None,
) -> int:
    """Send each channel of `occasion_key` not sent before, each under its own leased claim (for
    `lease`, CLAIM_LEASE unless told); the number sent now. Raises, once every channel was tried, if
    one failed or is held by another sender (to be retried)."""
    expires_at, moment = int((now + ALERT_CLAIM_TTL).timestamp()), int(now.timestamp())
    lease_until = int((now + (CLAIM_LEASE if lease is None else lease)).timestamp())
    sent, failures = 0, []
    for channel, send in channels:
        claim = f"{occasion_key}:{channel}"
        earlier = ports.claims.claim(claim, "alert", expires_at, now=moment, lease_until=lease_until)
        if earlier is not None:
            # Without a lease: a claim taken before leases existed, which meant "sent".
            if earlier.state == "IN_PROGRESS" and earlier.lease_until is not None:
                failures.append(ClaimHeld(claim))
            continue
        try:
            send()
        except Exception as failure:
            _give_back(claim, ports)
            logger.warning("alert channel failed", extra={**(log_extra or {}), "channel": channel.partition(":")[0]},
                           exc_info=True)
            failures.append(failure)
            continue
        _complete(claim, ports, log_extra)
        sent += 1
    if sent:
        count("AlertSent")
    if failures:
        raise failures[0]
    return sent


def _give_back(claim: str, ports: Ports) -> None:
    """Best effort: a claim not given back is taken over once its lease passes."""
    try:
        ports.claims.release(claim)
    except Exception:
        logger.warning("giving a claim back failed; its lease will free it", exc_info=True)
        count("ClaimReleaseFailed")


def _complete(claim: str, ports: Ports, log_extra: dict | None) -> None:
    for attempt in range(COMPLETION_ATTEMPTS):
        if attempt:
            time.sleep(COMPLETION_PAUSE_S * 2 ** (attempt - 1))
        try:
            ports.claims.complete(claim, {})
            return
        except Exception:
            logger.warning("completing a claim failed", extra=log_extra or {}, exc_info=True)
    # Sent, so the delivery must not fail: a retry after the lease would send it again.
    count("ClaimCompletionFailed")
