"""Alerts to the officers who own a report: e-mail (SES) to each officer, SMS/push (SNS) through
the unit's topic. Vietnamese first, English second; never anything about the reporter.

Each channel of an alert is sent once: a claim in the idempotency table, named by the report, the
occasion and the channel, is taken before sending and given back if the send fails. A retried
delivery therefore sends what failed and nothing that already went out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from phananh import integrations
from phananh.categories import get_category
from phananh.directory import Unit
from phananh.entities import Report
from phananh.geo import WardDirectory
from phananh.observability import count, logger
from phananh.store import DirectoryStore, IdempotencyStore

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


def _excerpt(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def new_report_alert(report: Report, unit: Unit, wards: WardDirectory) -> Alert:
    category = get_category(report.category_code)
    ward = wards.get(report.ward_code) if report.ward_code else None
    field_vi, field_en = (category.name["vi"], category.name["en"]) if category else (report.category_code,) * 2
    ward_vi, ward_en = (ward.name["vi"], ward.name["en"]) if ward else ("chưa xác định", "unknown ward")
    acknowledge_by, resolve_by = _local(report.acknowledge_due_at), _local(report.resolve_due_at)
    excerpt = _excerpt(report.description, EXCERPT_CHARS)
    subject = f"[Phản ánh {report.report_id}] {field_vi} – {ward_vi} / New report: {field_en}"
    email_body = "\n".join([
        f"Đơn vị {unit.name['vi']} nhận một phản ánh mới.",
        f"Mã phản ánh: {report.report_id}",
        f"Lĩnh vực: {field_vi}",
        f"Địa bàn: {ward_vi}" + (f" – {report.address}" if report.address else ""),
        f"Nội dung: {excerpt}",
        f"Hạn tiếp nhận: {acknowledge_by}. Hạn xử lý: {resolve_by} (giờ Việt Nam).",
        "",
        f"{unit.name['en']} has a new report.",
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


def alert_owner(
    report: Report, *, occasion: str, directory: DirectoryStore, wards: WardDirectory, claims: IdempotencyStore,
    now: datetime,
) -> None:
    """Alert the owner unit's officers of `report`, once per `occasion` and channel.

    Raises when a channel fails, after giving its claim back, so that a retry sends that channel.
    """
    unit = directory.unit(report.owner_unit_id) if report.owner_unit_id else None
    if unit is None:
        logger.error("owner unit missing; nobody alerted", extra={"report_id": report.report_id})
        return
    alert = new_report_alert(report, unit, wards)
    recipients = sorted({officer.email for officer in directory.officers_of(unit.unit_id) if officer.email})
    channels: list[tuple[str, Callable[[], object]]] = []
    if recipients:
        channels.append(("email", lambda: integrations.send_email(recipients, alert.subject, alert.email_body)))
    if unit.topic_arn:
        channels.append(("sms", lambda: integrations.publish(unit.topic_arn, alert.subject, alert.sms_body)))
    expires_at = int((now + ALERT_CLAIM_TTL).timestamp())
    sent = 0
    for channel, send in channels:
        claim = f"alert:{report.report_id}:{occasion}:{channel}"
        if claims.claim(claim, "alert", expires_at) is not None:
            continue  # sent by an earlier delivery (or being sent by a concurrent one)
        try:
            send()
        except Exception:
            claims.release(claim)
            raise
        sent += 1
    if sent:
        count("AlertSent")
