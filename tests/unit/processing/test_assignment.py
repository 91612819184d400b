"""Naming the officer who works a report (processing.commands.assign_officer) on the fake ports: who
may, whom, the version check, the trail, the e-mail with its console link, and what clears it."""

from dataclasses import replace
from datetime import timedelta

import pytest
from flows_on_fakes import ROUTED_AT, deliver_changes, routed

from phananh.processing import commands
from phananh.processing.sign_in import Forbidden
from phananh.report.lifecycle import Action, Status
from phananh.shared.errors import InvalidInput, NotFound, StateConflict

NOW = ROUTED_AT + timedelta(hours=1)
CONSOLE = "https://phananh.example.vn/console"


@pytest.fixture
def console_settings(settings):
    return replace(settings, console_url=CONSOLE)


@pytest.fixture
def report(ports, settings, directory):
    return routed(ports, settings)[0]


@pytest.fixture
def head(directory):
    return directory.principal(directory.unit_head)


def _assign(principal, report_id, officer_id, ports, settings, **options):
    """Named (or cleared), and the e-mail the change calls for delivered (the outbox)."""
    assigned = commands.assign_officer(principal, report_id, officer_id, ports=ports, now=NOW, **options)
    deliver_changes(ports, settings, now=NOW)
    return assigned


def test_the_unit_head_names_an_officer_who_is_e_mailed_a_link_to_the_report(
        ports, console_settings, directory, report, head):
    emails = len(ports.notifier.emails)
    assigned = _assign(head, report.report_id, directory.officer.officer_id, ports, console_settings,
                       note="Anh xử lý giúp", expected_version=report.version)
    assert (assigned.assignee_id, assigned.status, assigned.owner_unit_id) == (
        directory.officer.officer_id, Status.ASSIGNED, report.owner_unit_id)
    assert assigned.version == report.version + 1
    event = ports.reports.events(report.report_id)[-1]
    assert (event.action, event.actor, event.public) == (Action.ASSIGN_OFFICER, head.actor, False)
    assert event.reason == f"{directory.officer.officer_id}: Anh xử lý giúp"
    [email] = ports.notifier.emails[emails:]
    assert email.recipients == [directory.officer.email]
    assert report.report_id in email.subject
    assert f"{CONSOLE}/reports/{report.report_id}" in email.body
    # The reporter hears of moves, not of who works on them.
    assert "dan@example.vn" not in email.body
    view = commands.officer_view(assigned, head, ports=ports, settings=console_settings)
    assert view["assignee"] == {"officer_id": directory.officer.officer_id, "name": directory.officer.full_name}


def test_a_coordinator_may_name_and_null_clears_without_an_e_mail(ports, settings, directory, report, coordinator):
    _assign(coordinator, report.report_id, directory.unit_head.officer_id, ports, settings)
    emails = len(ports.notifier.emails)
    cleared = _assign(coordinator, report.report_id, None, ports, settings)
    assert cleared.assignee_id is None
    assert ports.reports.events(report.report_id)[-1].reason == "—"
    assert len(ports.notifier.emails) == emails
    assert commands.officer_view(cleared, coordinator, ports=ports, settings=settings)["assignee"] is None


def test_an_officer_who_is_not_the_unit_head_may_not_assign(ports, settings, directory, report, officer):
    with pytest.raises(Forbidden):
        _assign(officer, report.report_id, directory.officer.officer_id, ports, settings)
    assert ports.reports.get(report.report_id).assignee_id is None


def test_another_units_head_does_not_see_the_report(ports, settings, directory, report):
    other_head = replace(directory.principal(directory.other_officer), roles=frozenset({"unit_head"}))
    with pytest.raises(NotFound):
        _assign(other_head, report.report_id, directory.other_officer.officer_id, ports, settings)


@pytest.mark.parametrize("officer_id", ["sxd.officer", "dp.coordinator", "nobody", "", 7, ["vt.officer"]])
def test_only_an_officer_of_the_owner_unit_may_be_named(ports, settings, report, head, officer_id):
    with pytest.raises(InvalidInput) as refused:
        _assign(head, report.report_id, officer_id, ports, settings)
    assert refused.value.details["field"] == "officer_id"


def test_naming_the_officer_already_named_is_refused(ports, settings, directory, report, head):
    _assign(head, report.report_id, directory.officer.officer_id, ports, settings)
    with pytest.raises(InvalidInput) as refused:
        _assign(head, report.report_id, directory.officer.officer_id, ports, settings)
    assert refused.value.code == "same_assignee"


def test_a_stale_version_is_a_conflict(ports, settings, directory, report, head, officer):
    commands.acknowledge(officer, report.report_id, ports=ports, now=NOW)
    with pytest.raises(StateConflict) as refused:
        _assign(head, report.report_id, directory.officer.officer_id, ports, settings,
                expected_version=report.version)
    assert refused.value.code == "version_conflict"
    assert refused.value.details["current"]["version"] == report.version + 1


def test_a_report_no_longer_open_cannot_be_assigned(ports, settings, directory, report, head, officer):
    commands.acknowledge(officer, report.report_id, ports=ports, now=NOW)
    commands.resolve(officer, report.report_id, "Đã vá", photo_count=1, ports=ports, now=NOW)
    with pytest.raises(StateConflict) as refused:
        _assign(head, report.report_id, directory.officer.officer_id, ports, settings)
    assert refused.value.code == "not_open"


def test_a_transfer_or_a_coordinators_assignment_clears_the_assignee(
        ports, settings, directory, report, head, officer, coordinator):
    _assign(head, report.report_id, directory.officer.officer_id, ports, settings)
    moved = commands.transfer(officer, report.report_id, "Thuộc Sở Xây dựng", to_unit_id=directory.other.unit_id,
                              ports=ports, now=NOW)
    assert moved.assignee_id is None
    other_head = replace(directory.principal(directory.other_officer), roles=frozenset({"unit_head"}))
    _assign(other_head, report.report_id, directory.other_officer.officer_id, ports, settings)
    back = commands.assign(coordinator, report.report_id, directory.ward.unit_id, ports=ports,
                           now=NOW)
    assert back.assignee_id is None


def test_only_those_who_may_are_offered_assign_officer(ports, settings, report, head, officer, coordinator):
    assert "assign_officer" in commands.allowed_actions(head, report)
    assert "assign_officer" in commands.allowed_actions(coordinator, report)
    assert "assign_officer" not in commands.allowed_actions(officer, report)


def test_a_failed_e_mail_does_not_undo_the_assignment_and_is_sent_by_its_redelivery(
        ports, settings, directory, report, head, monkeypatch):
    def refuse(*_args):
        raise RuntimeError("SES down")

    monkeypatch.setattr(ports.notifier, "send_email", refuse)
    assigned = commands.assign_officer(head, report.report_id, directory.officer.officer_id, ports=ports, now=NOW)
    with pytest.raises(RuntimeError):
        deliver_changes(ports, settings, now=NOW)  # the e-mail fails, and is to be retried
    assert ports.reports.get(report.report_id).assignee_id == assigned.assignee_id == directory.officer.officer_id
    monkeypatch.undo()
    deliver_changes(ports, settings, now=NOW)  # its redelivery
    assert [email.recipients for email in ports.notifier.emails[-1:]] == [[directory.officer.email]]


def test_the_body_must_say_officer_id():
    with pytest.raises(InvalidInput) as refused:
        commands.named_officer({"version": 3})
    assert refused.value.details["field"] == "officer_id"
    assert commands.named_officer({"officer_id": None}) is None
