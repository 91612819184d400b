"""Escalation of missed deadlines: the sweeper that finds them, and what each level says to whom.

The sweeper (functions/schedule, every 5 minutes) reads the breached reports from the due_watch
index (status, due_at ≤ now; no scan) and starts one Standard execution of the escalation state
machine (infra/statemachines/escalation.asl.json) per breach. The state machine records each level
on the report with a conditional UpdateItem, so a level fires exactly once, waits for the next
level's time and checks the report again; it stops as soon as the report is acknowledged, resolved,
transferred (a new deadline) or moderated away. It sends nothing: recording a level is a change of
the report like any other, and the outbox (phananh.outbox: the reports stream, then functions/deliver)
sends that level's messages, built here (`level_messages`), once per level and channel.

Levels (`escalation_times` in phananh.report.deadlines: the deadline, then the same allowance again):
1. the owner unit's head(s), and the unit's phones through its topic;
2. the coordinators;
3. the supervising unit's leadership (the owner's parent: the City People's Committee for a ward or
   a department), and the report is marked overdue publicly (`is_publicly_overdue` in phananh.report.deadlines).

Execution names are `{report_id}-{kind}-{deadline:%y%m%d%H%M%S}-L{level}`: the kind ("ack" or
"resolve") because a report acknowledged late may miss its resolve deadline too, and the deadline
because a transfer gives the new unit a fresh acknowledge deadline that may be missed again. Starting
a name twice is a no-op (Step Functions returns the running execution, or ExecutionAlreadyExists).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from phananh.escalation.alerts import email_recipients, inline, link_lines
from phananh.ports import Ports
from phananh.report.categories import get_category
from phananh.report.deadlines import (
    ESCALATION_LEVELS,
    WATCHED,
    current_deadline,
    escalated_for,
    escalation_times,
    scaled_span,
)
from phananh.report.model import Report, iso
from phananh.report.ports import ReportStore
from phananh.routing.directory import CITY_COMMITTEE_ID, COORDINATORS_ID, Unit
from phananh.routing.geo import WardDirectory
from phananh.routing.ports import DirectoryStore
from phananh.shared.clock import local_time_text
from phananh.shared.observability import count, logger, measure

# A chain that has not fired its next level this long after that level's time has died (a failed
# execution): the sweeper starts a new one from that level.
STALLED_AFTER = timedelta(minutes=15)
STEP_FUNCTIONS_TIME = "%Y-%m-%dT%H:%M:%SZ"



@dataclass(frozen=True)
class Breach:
    report: Report
    kind: str
    due: datetime
    times: tuple[datetime, ...]

    @property
    def recorded_level(self) -> int:
        return escalated_for(self.report, self.due)

    def due_level(self, now: datetime) -> int:
        """How many levels should have fired by `now`."""
        return sum(1 for moment in self.times if moment <= now)

    def level_to_start(self, now: datetime) -> int | None:
        """The level a new execution starts from, or None when none is needed: nothing fired yet,
        or the running chain is overdue with its next level (it died)."""
        recorded = self.recorded_level
        if recorded >= min(self.due_level(now), ESCALATION_LEVELS):
            return None
        if recorded == 0 or now >= self.times[recorded] + scaled_span(STALLED_AFTER):
            return recorded + 1
        return None

    def execution_name(self, level: int) -> str:
        return f"{self.report.report_id}-{self.kind}-{self.due.astimezone(UTC):%y%m%d%H%M%S}-L{level}"


def breach_of(report: Report) -> Breach | None:
    kind = WATCHED.get(report.status)
    due = current_deadline(report)
    if kind is None or due is None:
        return None
    category = get_category(report.category_code)
    if category is None:
        return None
    return Breach(report=report, kind=kind, due=due, times=tuple(escalation_times(category, kind, due)))


def breaches(reports: ReportStore, now: datetime) -> Iterator[Breach]:
    for status in WATCHED:
        for report in reports.due_by(status, now):
            breach = breach_of(report)
            if breach is not None:
                yield breach


# -- who hears of it, and what they read --------------------------------------------------------


@dataclass(frozen=True)
class NextUp:
    unit: Unit
    emails: list[str]


def next_up(level: int, report: Report, directory: DirectoryStore) -> NextUp | None:
    """The unit told at `level`, with the e-mail addresses of the people in it who hear of it."""
    owner = directory.unit(report.owner_unit_id) if report.owner_unit_id else None
    if level == 1:
        unit, roles = owner, {"unit_head"}
    elif level == 2:
        unit, roles = directory.unit(COORDINATORS_ID), {"coordinator", "unit_head"}
    else:
        parent_id = (owner.parent_unit_id if owner else None) or CITY_COMMITTEE_ID
        unit, roles = directory.unit(parent_id), {"unit_head"}
    if unit is None:
        return None
    return NextUp(unit=unit, emails=email_recipients(unit, directory, roles))


_WHAT = {
    "ack": ("chưa được tiếp nhận", "not acknowledged", "Hạn tiếp nhận", "Acknowledge deadline"),
    "resolve": ("chưa được xử lý xong", "not resolved", "Hạn xử lý", "Resolve deadline"),
}


def level_message(
    breach: Breach, level: int, owner: Unit | None, wards: WardDirectory, *, console_url: str = ""
) -> dict[str, str]:
    """Subject, e-mail and SMS of one level, Vietnamese then English; never anything about the reporter."""
    report = breach.report
    category = get_category(report.category_code)
    ward = wards.get(report.ward_code) if report.ward_code else None
    field_vi, field_en = (category.name["vi"], category.name["en"]) if category else (report.category_code,) * 2
    ward_vi, ward_en = (ward.name["vi"], ward.name["en"]) if ward else ("chưa xác định", "unknown ward")
    owner_vi, owner_en = (owner.name["vi"], owner.name["en"]) if owner else (report.owner_unit_id or "—",) * 2
    field_vi, field_en, ward_vi, ward_en, owner_vi, owner_en = map(
        inline, (field_vi, field_en, ward_vi, ward_en, owner_vi, owner_en)
    )
    what_vi, what_en, due_vi, due_en = _WHAT[breach.kind]
    due = local_time_text(breach.due)
    public_vi = " Phản ánh được đánh dấu quá hạn công khai." if level == ESCALATION_LEVELS else ""
    public_en = " The report is now publicly marked overdue." if level == ESCALATION_LEVELS else ""
    subject = (
        f"[Quá hạn cấp {level}] Phản ánh {report.report_id} {what_vi} / "
        f"Overdue, level {level}: report {report.report_id} {what_en}"
    )
    email_body = "\n".join([
        f"Phản ánh {report.report_id} {what_vi} đúng hạn (cảnh báo cấp {level}/{ESCALATION_LEVELS}).{public_vi}",
        f"Lĩnh vực: {field_vi}. Địa bàn: {ward_vi}. Đơn vị chủ trì: {owner_vi}.",
        f"{due_vi}: {due} (giờ Việt Nam).",
        "",
        f"Report {report.report_id} was {what_en} in time "
        f"(escalation level {level} of {ESCALATION_LEVELS}).{public_en}",
        f"Field: {field_en}. Ward: {ward_en}. Owner: {owner_en}.",
        f"{due_en}: {due} (Vietnam time).",
        *link_lines(console_url, report.report_id),
    ])
    sms_body = (
        f"Quá hạn cấp {level}: phản ánh {report.report_id} ({field_vi}, {owner_vi}) {what_vi}, hạn {due}. / "
        f"Overdue L{level}: report {report.report_id} {what_en}, due {due}."
    )
    return {"subject": subject, "email_body": email_body, "sms_body": sms_body}


@dataclass(frozen=True)
class LevelMessages:
    """Whom one level tells, and what: e-mail to each address, SMS through the unit's topic (if any)."""

    target: NextUp
    subject: str
    email_body: str
    sms_body: str


def level_messages(
    report: Report, kind: str, due: datetime, level: int, *, directory: DirectoryStore, wards: WardDirectory,
    console_url: str = "",
) -> LevelMessages | None:
    """The messages of `level` fired for the `kind` deadline `due` of `report`; None when the unit
    to tell is gone from the directory (logged)."""
    target = next_up(level, report, directory)
    if target is None:
        logger.error("nobody to escalate to", extra={"report_id": report.report_id, "level": level})
        return None
    category = get_category(report.category_code)
    times = tuple(escalation_times(category, kind, due)) if category else (due,)
    owner = directory.unit(report.owner_unit_id) if report.owner_unit_id else None
    message = level_message(Breach(report=report, kind=kind, due=due, times=times), level, owner, wards,
                            console_url=console_url)
    return LevelMessages(target=target, **message)


def execution_input(breach: Breach, first_level: int, *, directory: DirectoryStore) -> dict[str, Any]:
    """What the state machine needs, levels `first_level`..3 worked out here: each level's time and
    the next's (a level nobody would hear of is left out). Deterministic for one breach, so a second
    start of the same name is recognised as the same execution."""
    report = breach.report
    levels = []
    for level in range(first_level, ESCALATION_LEVELS + 1):
        target = next_up(level, report, directory)
        if target is None or not target.emails:
            logger.error("nobody to escalate to", extra={"report_id": report.report_id, "level": level})
            continue
        levels.append({
            "level": str(level),
            "unit_id": target.unit.unit_id,
            "at": breach.times[level - 1].astimezone(UTC).strftime(STEP_FUNCTIONS_TIME),
            "next_at": breach.times[min(level, ESCALATION_LEVELS - 1)].astimezone(UTC).strftime(STEP_FUNCTIONS_TIME),
            "last": False,
        })
    if levels:
        levels[-1]["last"] = True
    return {
        "report_id": report.report_id,
        "kind": breach.kind,
        "status": str(report.status),
        "due": iso(breach.due),
        "index": 0,
        "levels": levels,
    }


def sweep(*, ports: Ports, now: datetime) -> list[str]:
    """Start an escalation for every missed deadline that needs one; the names started."""
    started = []
    overdue = list(breaches(ports.reports, now))
    measure("OverdueReports", len(overdue))
    for breach in overdue:
        level = breach.level_to_start(now)
        if level is None:
            continue
        payload = execution_input(breach, level, directory=ports.directory)
        if not payload["levels"]:
            continue
        name = breach.execution_name(level)
        try:
            if ports.escalations.start_escalation(name, payload):
                started.append(name)
        except Exception:
            # One report's trouble must not stop the sweep; the next sweep tries again.
            logger.exception("starting an escalation failed", extra={"report_id": breach.report.report_id})
            count("EscalationStartFailed")
    if started:
        count("EscalationStarted", len(started))
        logger.info("escalations started", extra={"executions": started})
    return started
