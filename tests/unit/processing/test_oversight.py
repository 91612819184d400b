"""What coordinators watch across every unit (processing.oversight) on the fake ports: the dashboard,
the escalations board and the CSV export."""

import csv
import io
from dataclasses import replace
from datetime import timedelta

import pytest
from flows_on_fakes import CONTACT, ROUTED_AT, routed

from phananh.processing import commands, oversight
from phananh.processing.sign_in import Forbidden
from phananh.report.deadlines import current_deadline
from phananh.report.lifecycle import Action, Publication
from phananh.report.model import AuditEvent
from phananh.shared.errors import InvalidInput
from phananh.shared.text_policy import safe_cell
from phananh.transparency import scorecards

NOW = ROUTED_AT + timedelta(hours=1)


def escalate(ports, report, level):
    """What the escalation state machine writes when a level fires for the current deadline."""
    at = current_deadline(report) + timedelta(minutes=5)
    after = replace(report, version=report.version + 1, escalation_level=level,
                    escalation_due=current_deadline(report), escalated_at=at)
    ports.reports.save_change(report, after, AuditEvent(
        report_id=report.report_id, version=after.version, at=at, actor="escalation", action=Action.ESCALATE,
        from_status=report.status, to_status=report.status))
    return after


def test_only_coordinators_watch_across_units(ports, settings, officer):
    for view in (
        lambda: oversight.dashboard(officer, days=None, ports=ports, now=NOW),
        lambda: oversight.escalations(officer, ports=ports, now=NOW),
        lambda: oversight.export_reports(officer, {}, ports=ports, now=NOW),
    ):
        with pytest.raises(Forbidden):
            view()


def test_the_board_lists_open_escalated_reports_by_level_the_most_overdue_first(
        ports, settings, coordinator, directory):
    quiet = routed(ports, settings)[0]
    later = escalate(ports, routed(ports, settings, now=ROUTED_AT + timedelta(hours=2))[0], 2)
    earlier = escalate(ports, routed(ports, settings, now=ROUTED_AT + timedelta(hours=1))[0], 2)
    top = escalate(ports, routed(ports, settings, category="lighting")[0], 3)
    board = oversight.escalations(coordinator, ports=ports, now=NOW + timedelta(days=30))["levels"]
    assert board["1"] == []
    assert [item["report_id"] for item in board["2"]] == [earlier.report_id, later.report_id]
    assert [(item["report_id"], item["unit_id"]) for item in board["3"]] == [(top.report_id, directory.other.unit_id)]
    item = board["2"][0]
    assert item["escalation_level"] == 2 and item["deadline_kind"] == "acknowledge" and item["past_due"]
    assert item["escalated_at"] == earlier.escalated_at.isoformat()
    assert item["location"] == {"lat": earlier.location.lat, "lon": earlier.location.lon}
    assert quiet.report_id not in {item["report_id"] for level in board.values() for item in level}


def test_the_board_names_who_works_each_report(ports, settings, coordinator, directory):
    report = routed(ports, settings)[0]
    named = commands.assign_officer(directory.principal(directory.unit_head), report.report_id,
                                    directory.officer.officer_id, ports=ports, now=NOW)
    escalate(ports, named, 1)
    [item] = oversight.escalations(coordinator, ports=ports, now=NOW)["levels"]["1"]
    assert item["assignee"] == {"officer_id": directory.officer.officer_id, "name": directory.officer.full_name}


def test_a_level_fired_for_an_earlier_deadline_is_off_the_board(ports, settings, coordinator, directory):
    report = escalate(ports, routed(ports, settings)[0], 1)
    acknowledged = commands.acknowledge(
        directory.principal(directory.officer), report.report_id, expected_version=report.version,
        ports=ports, now=NOW,
    )
    assert acknowledged.escalation_level == 1
    assert oversight.escalations(coordinator, ports=ports, now=NOW)["levels"]["1"] == []


def test_the_dashboard_counts_the_backlog_per_unit_and_the_scorecards_volumes(
        ports, settings, coordinator, directory):
    reports = [routed(ports, settings)[0] for _ in range(3)] + [routed(ports, settings, category="lighting")[0]]
    for report in reports:
        change = scorecards.increments(None, _image(report))
        ports.scorecards.apply(change, scorecards.scopes_of(change), ROUTED_AT)
    later = NOW + timedelta(days=10)
    view = oversight.dashboard(coordinator, days="30", ports=ports, now=later)
    assert view["days"] == 30 and len(view["daily"]) == 30 and view["to"] == view["daily"][-1]["date"]
    routed_day = scorecards.local_day(ROUTED_AT)
    assert [day["submitted"] for day in view["daily"] if day["date"] == routed_day] == [4]
    assert view["totals"] == {"submitted": 4, "resolved": 0, "open": 4, "overdue": 4, "on_time_pct": None}
    assert [(row["unit_id"], row["open"], row["overdue"]) for row in view["backlog"]] == [
        (directory.ward.unit_id, 3, 3), (directory.other.unit_id, 1, 1), (directory.coordinators.unit_id, 0, 0)]
    public = scorecards.scorecards({"period": "30"}, ports=ports, now=later)
    assert view["scorecards"]["units"] == public["units"] and view["scorecards"]["fields"] == public["fields"]


def _image(report):
    """The report as the reports table's stream carries it (a plain dict, dates as ISO text)."""
    return {
        "report_id": report.report_id, "version": report.version, "status": str(report.status),
        "category_code": report.category_code, "owner_unit_id": report.owner_unit_id,
        "updated_at": report.updated_at.isoformat(), "published_at": report.published_at.isoformat(),
    }


@pytest.mark.parametrize("days", ["0", "367", "ba", "-1", "1.5", "٣"])
def test_the_dashboard_takes_1_to_366_days(ports, coordinator, days):
    with pytest.raises(InvalidInput) as refused:
        oversight.dashboard(coordinator, days=days, ports=ports, now=NOW)
    assert refused.value.details["field"] == "days"


def _rows(text):
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_export_has_public_facts_only_and_filters(ports, settings, coordinator, directory):
    public = routed(ports, settings, contact=CONTACT, address="12 Trần Hưng Đạo")[0]
    held = routed(ports, settings, description="Gọi tôi 0961234580 nhé", category="lighting")[0]
    hidden = replace(held, version=held.version + 1, publication=Publication.UNPUBLISHED)
    ports.reports.save_change(held, hidden, AuditEvent(
        report_id=held.report_id, version=hidden.version, at=NOW, actor="dp.coordinator", action=Action.UNPUBLISH,
        from_status=held.status, to_status=held.status))
    text = oversight.export_reports(coordinator, {}, ports=ports, now=NOW)
    assert "0961234580" not in text and "dan@example.vn" not in text
    rows = {row["report_id"]: row for row in _rows(text)}
    assert list(next(iter(rows.values()))) == list(oversight.EXPORT_COLUMNS)
    assert rows[public.report_id]["description"] == public.description and rows[public.report_id]["public"] == "yes"
    assert rows[held.report_id]["description"] == "" and rows[held.report_id]["public"] == "no"
    only_lighting = _rows(oversight.export_reports(coordinator, {"category": "lighting"}, ports=ports, now=NOW))
    assert [row["report_id"] for row in only_lighting] == [held.report_id]
    of_unit = _rows(oversight.export_reports(coordinator, {"unit_id": directory.ward.unit_id}, ports=ports, now=NOW))
    assert [row["report_id"] for row in of_unit] == [public.report_id]
    before = (ROUTED_AT - timedelta(days=2)).date().isoformat()
    assert _rows(oversight.export_reports(coordinator, {"to": before}, ports=ports, now=NOW)) == []


def test_an_export_filtered_on_a_unit_that_does_not_exist_is_refused(ports, coordinator):
    # A typo in the unit would otherwise give an empty file that looks like "no reports".
    with pytest.raises(InvalidInput) as refused:
        oversight.export_reports(coordinator, {"unit_id": "so_khong_co"}, ports=ports, now=NOW)
    assert (refused.value.code, refused.value.details["field"]) == ("unknown_unit", "unit_id")


def test_a_cell_that_would_run_as_a_formula_is_kept_as_text(ports, settings, coordinator):
    routed(ports, settings, description="=HYPERLINK(\"http://x\",\"bấm\")", address="+84 chợ")
    row = _rows(oversight.export_reports(coordinator, {}, ports=ports, now=NOW))[0]
    assert row["description"].startswith("'=") and row["address"] == "'+84 chợ"
    assert [safe_cell(value) for value in ("-1", "@a", "\tx", "ok", None, 3)] == [
        "'-1", "'@a", "'\tx", "ok", "", "3"]


def test_an_export_matching_too_many_reports_is_refused(ports, settings, coordinator, monkeypatch):
    for _ in range(3):
        routed(ports, settings)
    monkeypatch.setattr(oversight, "EXPORT_ROWS_MAX", 2)
    with pytest.raises(InvalidInput) as refused:
        oversight.export_reports(coordinator, {}, ports=ports, now=NOW)
    assert refused.value.code == "export_too_wide"
    monkeypatch.setattr(oversight, "EXPORT_ROWS_MAX", 5)
    monkeypatch.setattr(oversight, "EXPORT_READ_MAX", 2)
    with pytest.raises(InvalidInput):
        oversight.export_reports(coordinator, {"category": "lighting"}, ports=ports, now=NOW)


@pytest.mark.parametrize("query, field", [
    ({"status": "LOST"}, "status"), ({"category": "astrology"}, "category"), ({"from": "2026-13-01"}, "from"),
    ({"to": "02/03/2026"}, "to"), ({"from": "2026-03-05", "to": "2026-03-01"}, "from"),
    ({"from": "2025-01-01", "to": "2026-03-01"}, "from"), ({"ward_code": "x" * 65}, "ward_code"),
    ({"unit_id": "a\nb"}, "unit_id"),
])
def test_bad_export_filters_are_named(ports, coordinator, query, field):
    with pytest.raises(InvalidInput) as refused:
        oversight.export_reports(coordinator, query, ports=ports, now=NOW)
    assert refused.value.details["field"] == field
