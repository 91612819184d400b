"""The escalation sweeper (escalation.sweeper.sweep) on the fake ports: a missed deadline starts its
chain of levels once, and a chain that died is started again from the level it reached."""

from dataclasses import replace
from datetime import timedelta

import pytest
from flows_on_fakes import ROUTED_AT, routed

from phananh.escalation import sweeper
from phananh.processing import commands
from phananh.routing.geo import load_wards


@pytest.fixture
def wards(settings):
    return load_wards(settings.wards_geojson_path)


@pytest.fixture
def report(ports, settings, directory):
    return routed(ports, settings)[0]


def sweep(ports, wards, now):
    return sweeper.sweep(ports=ports, now=now)


def test_nothing_starts_before_a_deadline_is_missed(ports, wards, report):
    assert sweep(ports, wards, report.acknowledge_due_at - timedelta(seconds=1)) == []
    assert ports.escalations.started == {}


def test_a_missed_acknowledgement_starts_one_chain_of_three_levels_up_the_units(ports, wards, report, directory):
    [name] = sweep(ports, wards, report.acknowledge_due_at + timedelta(minutes=1))
    assert name.startswith(f"{report.report_id}-ack-") and name.endswith("-L1")
    payload = ports.escalations.started[name]
    assert (payload["report_id"], payload["kind"], payload["status"]) == (report.report_id, "ack", "ASSIGNED")
    levels = payload["levels"]
    assert [level["level"] for level in levels] == ["1", "2"]  # the city committee is not in this directory
    assert [level["unit_id"] for level in levels] == [directory.ward.unit_id, directory.coordinators.unit_id]
    assert levels[1]["last"] is True
    # No message in it: the outbox sends each recorded level's (sweeper.level_messages).
    assert not {"emails", "topic_arn", "subject", "email_body", "sms_body"} & {key for level in levels for key in level}


def test_each_level_tells_the_next_people_up_and_never_of_the_reporter(ports, wards, report, directory):
    first, second = (
        sweeper.level_messages(report, "ack", report.acknowledge_due_at, level, directory=ports.directory, wards=wards)
        for level in (1, 2)
    )
    assert first.target.emails == [directory.unit_head.email]
    assert first.target.unit.topic_arn == directory.ward.topic_arn
    assert second.target.emails == [directory.coordinator.email]
    assert report.report_id in first.subject and "0961234580" not in first.email_body + first.sms_body


def test_a_second_sweep_starts_nothing_more(ports, wards, report):
    sweep(ports, wards, report.acknowledge_due_at + timedelta(minutes=1))
    assert sweep(ports, wards, report.acknowledge_due_at + timedelta(minutes=2)) == []
    assert len(ports.escalations.started) == 1


def test_a_chain_that_died_after_a_level_is_started_again_from_the_next(ports, settings, wards, report):
    due = report.acknowledge_due_at
    [first] = sweep(ports, wards, due + timedelta(minutes=1))
    times = sweeper.breach_of(report).times
    # The state machine fired level 1 (it writes the report), then died before level 2.
    current = ports.reports.get(report.report_id)
    fired = replace(current, version=current.version + 1, escalation_level=1, escalation_due=due, escalated_at=due)
    ports.reports.save_change(current, fired, replace(ports.reports.events(report.report_id)[-1],
                                                      version=fired.version))
    assert sweep(ports, wards, times[1] + timedelta(minutes=1)) == []  # still in time for its next level
    [again] = sweep(ports, wards, times[1] + sweeper.STALLED_AFTER)
    assert again.endswith("-L2") and again != first
    assert [level["level"] for level in ports.escalations.started[again]["levels"]] == ["2"]


def test_an_acknowledged_report_is_watched_against_its_resolve_deadline(ports, settings, wards, report, directory):
    commands.acknowledge(directory.principal(directory.officer), report.report_id, ports=ports,
                         now=ROUTED_AT + timedelta(minutes=5))
    assert sweep(ports, wards, report.acknowledge_due_at + timedelta(minutes=1)) == []
    [name] = sweep(ports, wards, report.resolve_due_at + timedelta(minutes=1))
    assert "-resolve-" in name


def test_one_failing_start_does_not_stop_the_sweep(ports, settings, wards, report):
    other = routed(ports, settings)[0]
    start = ports.escalations.start_escalation

    def fail_for_the_first(name, payload):
        if name.startswith(report.report_id):
            raise ConnectionError("Step Functions down")
        return start(name, payload)

    ports.escalations.start_escalation = fail_for_the_first
    started = sweep(ports, wards, max(report.acknowledge_due_at, other.acknowledge_due_at) + timedelta(minutes=1))
    assert [name.split("-")[0] for name in started] == [other.report_id]


def test_a_report_waiting_for_the_reporters_answer_is_not_escalated_at_its_stored_deadline(
        ports, settings, wards, report, directory):
    officer = directory.principal(directory.officer)
    commands.acknowledge(officer, report.report_id, ports=ports, now=ROUTED_AT + timedelta(minutes=5))
    waiting = commands.ask_reporter(officer, report.report_id, "Ổ gà ở làn nào?", pause_working_days=3,
                                    ports=ports, now=ROUTED_AT + timedelta(minutes=10))
    assert sweep(ports, wards, report.resolve_due_at + timedelta(minutes=1)) == []
    # Once the pause allowed is over and the moved deadline passes, it escalates as any other.
    moved = waiting.resolve_due_at + (waiting.waiting_question.pause_until - waiting.waiting_question.asked_at)
    [name] = sweep(ports, wards, moved + timedelta(minutes=1))
    assert "-resolve-" in name
