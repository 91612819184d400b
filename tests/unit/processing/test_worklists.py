"""The console's lists (processing.worklists) on the fake ports: the whole open queue of a unit, its
team's workload, the escalations it received, and the units a report may go to."""

from dataclasses import replace
from datetime import timedelta

import pytest
from flows_on_fakes import ROUTED_AT, routed

from phananh.processing import commands, worklists
from phananh.processing.sign_in import Forbidden
from phananh.report.deadlines import current_deadline
from phananh.report.lifecycle import Action
from phananh.report.model import AuditEvent, iso
from phananh.shared.errors import InvalidInput, NotFound

NOW = ROUTED_AT + timedelta(hours=2)


@pytest.fixture
def three_open(ports, settings, directory, officer):
    """Three open reports of the ward unit, one per state, routed an hour apart; and one of another unit."""
    assigned = routed(ports, settings, now=ROUTED_AT)[0]
    acknowledged = routed(ports, settings, now=ROUTED_AT + timedelta(minutes=20))[0]
    in_progress = routed(ports, settings, now=ROUTED_AT + timedelta(minutes=40))[0]
    commands.acknowledge(officer, acknowledged.report_id, ports=ports, now=NOW)
    commands.acknowledge(officer, in_progress.report_id, ports=ports, now=NOW)
    commands.add_progress(officer, in_progress.report_id, "Đang vá", ports=ports, now=NOW)
    routed(ports, settings, category="lighting", description="Đèn đường hỏng")
    return [ports.reports.get(report.report_id) for report in (assigned, acknowledged, in_progress)]


def _escalate(ports, report_id, level, *, at, due=None):
    """What the escalation state machine writes when it fires `level` (for the current deadline, or `due`)."""
    current = ports.reports.get(report_id)
    fired = replace(current, version=current.version + 1, escalation_level=level,
                    escalation_due=due or current_deadline(current), escalated_at=at)
    event = AuditEvent(report_id=report_id, version=fired.version, at=at, actor="system:escalation",
                       action=Action.ESCALATE, from_status=current.status, to_status=current.status, public=False)
    ports.reports.save_change(current, fired, event)


def test_the_queue_holds_every_open_state_of_the_unit_the_earliest_deadline_first(ports, officer, three_open):
    queue = worklists.unit_open_queue(officer, ports=ports, now=NOW)
    assert queue["unit_id"] == officer.unit_id
    assert queue["counts"] == {"ASSIGNED": 1, "ACKNOWLEDGED": 1, "IN_PROGRESS": 1}
    dues = [item["due_at"] for item in queue["reports"]]
    assert dues == sorted(dues)
    assert {item["report_id"] for item in queue["reports"]} == {report.report_id for report in three_open}
    assert queue["next_cursor"] is None
    first = next(item for item in queue["reports"] if item["report_id"] == three_open[0].report_id)
    assert first["status"] == "ASSIGNED" and first["deadline_kind"] == "acknowledge"
    assert first["due_at"] == iso(three_open[0].acknowledge_due_at)
    assert first["location"] == {"lat": three_open[0].location.lat, "lon": three_open[0].location.lon}
    assert (first["escalation_level"], first["assignee"], first["category"]["code"]) == (0, None, "roads")
    started = next(item for item in queue["reports"] if item["report_id"] == three_open[2].report_id)
    assert started["deadline_kind"] == "resolve" and started["due_at"] == iso(three_open[2].resolve_due_at)
    # Never anything about the reporter.
    assert not {"contact", "contact_ciphertext", "tracking_token_hash"} & set(first)


def test_the_queue_pages_through_every_report_once(ports, officer, three_open):
    seen, cursor = [], None
    for _ in range(5):
        page = worklists.unit_open_queue(officer, cursor=cursor, limit=1, ports=ports, now=NOW)
        seen += [item["report_id"] for item in page["reports"]]
        assert page["counts"] == {"ASSIGNED": 1, "ACKNOWLEDGED": 1, "IN_PROGRESS": 1}
        cursor = page["next_cursor"]
        if cursor is None:
            break
    whole = worklists.unit_open_queue(officer, limit=200, ports=ports, now=NOW)
    assert seen == [item["report_id"] for item in whole["reports"]]
    assert len(seen) == 3


@pytest.mark.parametrize("cursor", ["", "not base64!", "WzFd", "eyJhIjogMX0", "x" * 300])
def test_a_cursor_the_queue_never_gave_is_refused(ports, officer, three_open, cursor):
    with pytest.raises(InvalidInput) as refused:
        worklists.unit_open_queue(officer, cursor=cursor, ports=ports, now=NOW)
    assert refused.value.code == "invalid_cursor"


@pytest.mark.parametrize("limit", [0, 201, -1, True, "5", 2.5])
def test_a_page_size_out_of_range_is_refused(ports, officer, limit):
    with pytest.raises(InvalidInput) as refused:
        worklists.unit_open_queue(officer, limit=limit, ports=ports, now=NOW)
    assert refused.value.code == "invalid_limit"


def test_only_coordinators_read_another_units_lists(ports, officer, coordinator, directory, three_open):
    for read in (worklists.unit_open_queue, worklists.unit_escalations, worklists.team_workload):
        with pytest.raises(Forbidden):
            read(officer, unit_id=directory.other.unit_id, ports=ports, now=NOW)
        with pytest.raises(NotFound):
            read(coordinator, unit_id="no_such_unit", ports=ports, now=NOW)
        with pytest.raises(InvalidInput):
            read(coordinator, unit_id=["ubnd"], ports=ports, now=NOW)
    queue = worklists.unit_open_queue(coordinator, unit_id=officer.unit_id, ports=ports, now=NOW)
    assert queue["counts"] == {"ASSIGNED": 1, "ACKNOWLEDGED": 1, "IN_PROGRESS": 1}
    other = worklists.unit_open_queue(coordinator, unit_id=directory.other.unit_id, ports=ports, now=NOW)
    assert other["counts"]["ASSIGNED"] == 1 and other["reports"][0]["category"]["code"] == "lighting"


def test_the_team_view_counts_open_and_overdue_per_officer_and_the_unassigned(
        ports, settings, directory, officer, three_open):
    head = directory.principal(directory.unit_head)
    for report in three_open[:2]:
        commands.assign_officer(head, report.report_id, directory.officer.officer_id,
                                ports=ports, now=NOW)
    later = three_open[0].acknowledge_due_at + timedelta(minutes=1)  # the ASSIGNED one is past due
    team = worklists.team_workload(head, ports=ports, now=later)
    assert team["unit_id"] == officer.unit_id
    by_id = {row["officer_id"]: row for row in team["officers"]}
    assert by_id[directory.officer.officer_id] == {
        "officer_id": directory.officer.officer_id, "name": directory.officer.full_name, "role": "officer",
        "open": 2, "overdue": 1,
    }
    assert by_id[directory.unit_head.officer_id]["open"] == 0
    assert team["unassigned"] == {"open": 1, "overdue": 0}
    with pytest.raises(Forbidden):
        worklists.team_workload(officer, ports=ports, now=NOW)


def test_escalations_list_the_open_escalated_reports_highest_level_first(ports, officer, three_open):
    assigned, acknowledged, in_progress = three_open
    _escalate(ports, assigned.report_id, 1, at=NOW)
    _escalate(ports, in_progress.report_id, 2, at=NOW + timedelta(hours=1))
    # A level fired for an earlier deadline does not count for the current one.
    _escalate(ports, acknowledged.report_id, 3, at=NOW, due=acknowledged.acknowledge_due_at)
    listed = worklists.unit_escalations(officer, ports=ports, now=NOW)
    assert listed["unit_id"] == officer.unit_id
    assert [(item["report_id"], item["escalation_level"]) for item in listed["reports"]] == [
        (in_progress.report_id, 2), (assigned.report_id, 1)]
    assert listed["reports"][0]["escalated_at"] == iso(NOW + timedelta(hours=1))
    queue = worklists.unit_open_queue(officer, ports=ports, now=NOW)
    assert {item["report_id"]: item["escalation_level"] for item in queue["reports"]} == {
        assigned.report_id: 1, acknowledged.report_id: 0, in_progress.report_id: 2}


def test_the_transfer_picker_lists_the_active_units_by_name_and_a_disabled_one_takes_no_transfer(
        ports, settings, directory, officer, coordinator, three_open):
    ports.directory.put_units([replace(directory.other, active=False)])
    units = worklists.transfer_choices(ports=ports)["units"]
    assert [unit["unit_id"] for unit in units] == [directory.coordinators.unit_id, directory.ward.unit_id]
    assert units[1] == {"unit_id": directory.ward.unit_id, "name": directory.ward.name}
    report_id = three_open[0].report_id
    with pytest.raises(InvalidInput) as refused:
        commands.transfer(officer, report_id, "Thuộc Sở", to_unit_id=directory.other.unit_id, ports=ports, now=NOW)
    assert refused.value.code == "unit_disabled"
    with pytest.raises(InvalidInput):
        commands.assign(coordinator, report_id, directory.other.unit_id, ports=ports, now=NOW)
    assert ports.reports.get(report_id).owner_unit_id == officer.unit_id
