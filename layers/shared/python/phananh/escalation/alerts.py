"""Alerts to the officers who own a report: e-mail (SES) to each officer, SMS/push (SNS) through
the unit's topic. Vietnamese first, English second; never anything about the reporter.

Each channel of an alert (each officer's e-mail, the unit's SMS) is sent once: a claim in the
idempotency table, named by the report, the occasion and the channel, is taken before sending and
given back if the send fails. One failing channel does not stop the others; a retried delivery sends
what failed and nothing that already went out. An address SES would refuse is not sent to at all.

Every value a message inserts (what the reporter wrote, names from the directory) goes through
`inline`, so it can never start a line of its own (a forged "Hạn xử lý:" line, a header-looking line)
nor reorder the text with bidi controls. The messages are plain text; none has an HTML part.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from phananh.ports import Ports
from phananh.report.categories import get_category
from phananh.report.model import Report
from phananh.routing.directory import Unit, is_email_address
from phananh.routing.geo import WardDirectory
from phananh.shared.observability import count, logger

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
EXCERPT_CHARS = 160
SMS_EXCERPT_CHARS = 70
# Far longer than any redelivery: a queue gives up on a message within the hour.
ALERT_CLAIM_TTL = timedelta(days=30)


@dataclass(frozen=True)
class Alert:
    subject: str
    email_body: str
    sms_body: str


def _local(moment: datetime | None) -> str:
    return moment.astimezone(LOCAL_TIME).strftime("%H:%M %d/%m/%Y") if moment else "—"


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


def new_report_alert(report: Report, unit: Unit, wards: WardDirectory) -> Alert:
    category = get_category(report.category_code)
    ward = wards.get(report.ward_code) if report.ward_code else None
    field_vi, field_en = (category.name["vi"], category.name["en"]) if category else (report.category_code,) * 2
    ward_vi, ward_en = (ward.name["vi"], ward.name["en"]) if ward else ("chưa xác định", "unknown ward")
    field_vi, field_en, ward_vi, ward_en = map(inline, (field_vi, field_en, ward_vi, ward_en))
    unit_vi, unit_en = inline(unit.name["vi"]), inline(unit.name["en"])
    address = inline(report.address) if report.address else ""
    acknowledge_by, resolve_by = _local(report.acknowledge_due_at), _local(report.resolve_due_at)
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
    ])
    sms_body = (
        f"Phản ánh {report.report_id}: {field_vi}, {ward_vi}. {_excerpt(report.description, SMS_EXCERPT_CHARS)} "
        f"Hạn tiếp nhận {acknowledge_by}. / New report {report.report_id}, acknowledge by {acknowledge_by}."
    )
    return Alert(subject=subject, email_body=email_body, sms_body=sms_body)


def alert_owner(report: Report, *, occasion: str, wards: WardDirectory, ports: Ports, now: datetime) -> None:
    """Alert the owner unit's officers of `report`, once per `occasion` and channel.

    Every channel is tried; if any failed, raises (after giving its claim back) once the others are
    sent, so that a retry sends just that channel.
    """
    unit = ports.directory.unit(report.owner_unit_id) if report.owner_unit_id else None
    if unit is None:
        logger.error("owner unit missing; nobody alerted", extra={"report_id": report.report_id})
        return
    alert = new_report_alert(report, unit, wards)
    addresses = {officer.email for officer in ports.directory.officers_of(unit.unit_id) if officer.email}
    refused = sorted(address for address in addresses if not is_email_address(address))
    if refused:
        # Recorded before validation was strict: SES would refuse the call; the others still hear of it.
        logger.error("officer addresses SES would refuse; not alerted", extra={"unit_id": unit.unit_id,
                                                                               "count": len(refused)})
        count("AlertAddressRefused", len(refused))
    def email_to(address: str) -> Callable[[], object]:
        return lambda: ports.notifier.send_email([address], alert.subject, alert.email_body)

    channels = [(f"email:{address}", email_to(address)) for address in sorted(addresses - set(refused))]
    if unit.topic_arn:
        channels.append(("sms", lambda: ports.notifier.publish_to_topic(unit.topic_arn, alert.subject, alert.sms_body)))
    expires_at = int((now + ALERT_CLAIM_TTL).timestamp())
    sent, failures = 0, []
    for channel, send in channels:
        claim = f"alert:{report.report_id}:{occasion}:{channel}"
        if ports.claims.claim(claim, "alert", expires_at, now=int(now.timestamp())) is not None:
            continue  # sent by an earlier delivery (or being sent by a concurrent one)
        try:
            send()
        except Exception as failure:
            ports.claims.release(claim)
            logger.warning("alert channel failed", extra={"report_id": report.report_id,
                                                          "channel": channel.partition(":")[0]}, exc_info=True)
            failures.append(failure)
            continue
        sent += 1
    if sent:
        count("AlertSent")
    if failures:
        raise failures[0]
