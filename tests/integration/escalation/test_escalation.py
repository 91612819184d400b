"""Escalation of missed deadlines on moto: the sweeper, and the real state machine executing.

moto runs Step Functions executions in threads, with Wait states sleeping in real time. Tests either
skip the waits (`skip_waits`) or hold every wait until they release it (`held_waits`), so that they
can change the report while an execution waits for its next level. The state machine only records
the levels: their messages go out when the outbox (the reports stream, then the delivery queue) is
drained (`drain_outbox`).
"""

import json
import threading
import time
from datetime import timedelta

import boto3
import pytest
from chalice.test import Client
from delivery_flows import drain_outbox
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction
from report_flows import routed_report

from phananh import bootstrap
from phananh.escalation import sweeper
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.deadlines import is_publicly_overdue
from phananh.report.model import utcnow
from phananh.routing.directory import COORDINATORS_ID, Officer
from phananh_local.apps import app_dir, load_chalice_app

REGION = "ap-southeast-1"
ROADS_UNIT = "so_xay_dung"
OFFICER = Principal("so_xay_dung.officer", ROADS_UNIT, frozenset({"officer"}))


@pytest.fixture
def state_machine_arn(seeded):
    arn = seeded.environment["PHANANH_ESCALATION_STATE_MACHINE_ARN"]
    yield arn
    # No execution may outlive its test: a late level would land in the next test's mailboxes.
    stop_running_executions()
    for execution in boto3.client("stepfunctions").list_executions(stateMachineArn=arn)["executions"]:
        wait_until_done(execution["executionArn"])


@pytest.fixture
def skip_waits(monkeypatch):
    monkeypatch.setattr(WaitFunction, "_wait_interval", lambda self, env, wait_seconds: None)


@pytest.fixture
def held_waits(monkeypatch):
    """Every Wait state blocks until the test sets the event (or the execution is stopped)."""
    release = threading.Event()

    def held(self, env, wait_seconds):
        deadline = time.monotonic() + 20
        while not release.wait(0.02) and env.is_running() and time.monotonic() < deadline:
            pass

    monkeypatch.setattr(WaitFunction, "_wait_interval", held)
    yield release
    # Stopped rather than released: a released execution would go on to its next level.
    stop_running_executions()
    release.set()


def stop_running_executions() -> None:
    sfn = boto3.client("stepfunctions")
    for machine in sfn.list_state_machines()["stateMachines"]:
        running = sfn.list_executions(stateMachineArn=machine["stateMachineArn"], statusFilter="RUNNING")
        for execution in running["executions"]:
            sfn.stop_execution(executionArn=execution["executionArn"])


def wait_until_done(execution_arn: str, timeout_s: float = 20) -> dict:
    sfn = boto3.client("stepfunctions")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        execution = sfn.describe_execution(executionArn=execution_arn)
        if execution["status"] != "RUNNING":
            return execution
        time.sleep(0.05)
    raise AssertionError(f"{execution_arn} still running")


def wait_for(condition, timeout_s: float = 20):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition never met")


def executions_of(arn: str, report_id: str) -> list[dict]:
    sfn = boto3.client("stepfunctions")
    executions = sfn.list_executions(stateMachineArn=arn)["executions"]
    return [item for item in executions if item["name"].startswith(report_id)]


def sweep(now) -> list[str]:
    return sweeper.sweep(ports=bootstrap.ports(), now=now)


def emails_about(report_id: str) -> list:
    """The escalation e-mails sent about the report, once the outbox delivered what there is."""
    drain_outbox()
    return [message for message in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
            if report_id in message.subject and "Quá hạn" in message.subject]


def recipients_by_level(report_id: str) -> dict[str, set[str]]:
    levels: dict[str, set[str]] = {}
    for message in emails_about(report_id):
        levels.setdefault(message.subject.split("]")[0], set()).update(message.destinations["ToAddresses"])
    return levels


def texts_about(report_id: str) -> dict[str, list[str]]:
    drain_outbox()
    texts: dict[str, list[str]] = {}
    for topic in sns_backends[DEFAULT_ACCOUNT_ID][REGION].topics.values():
        for _, text, *_ in topic.sent_notifications:
            if report_id in text and "Quá hạn" in text:
                texts.setdefault(topic.name, []).append(text)
    return texts


def test_a_missed_acknowledge_deadline_climbs_three_levels_once_each(
    aws, submit_api, route_api, ports, state_machine_arn, skip_waits
):
    receipt = routed_report(aws, submit_api, route_api, contact={"phone": "0911222333", "share_with_officer": True})
    report_id = receipt["report_id"]
    routed = ports.reports.get(report_id)
    due = routed.acknowledge_due_at

    [name] = sweep(due + timedelta(minutes=1))
    assert name == f"{report_id}-ack-{due:%y%m%d%H%M%S}-L1"
    [execution] = executions_of(state_machine_arn, report_id)
    assert wait_until_done(execution["executionArn"])["status"] == "SUCCEEDED"

    report = ports.reports.get(report_id)
    assert (report.escalation_level, report.escalation_due) == (3, due)
    assert report.version == routed.version + 3  # each level moved the version on: no stale write undoes it
    trail = ports.reports.events(report_id)
    escalations = [event for event in trail if event.action == "escalate"]
    assert [(event.version, event.reason, event.public) for event in escalations] == [
        (routed.version + level, f"level {level} (ack)", False) for level in (1, 2, 3)
    ]
    assert [event.version for event in trail] == list(range(1, report.version + 1))  # no gap in the trail
    assert report.status == "ASSIGNED"
    assert is_publicly_overdue(report)

    levels = recipients_by_level(report_id)
    assert list(levels) == [f"[Quá hạn cấp {level}" for level in (1, 2, 3)]
    level1, level2, level3 = levels.values()
    emails = emails_about(report_id)
    # One e-mail per address and level, each once.
    assert len(emails) == sum(len(addresses) for addresses in levels.values())
    assert level1 == {"so_xay_dung.head@example.vn"}
    assert {f"{COORDINATORS_ID}.coordinator1@example.vn", f"{COORDINATORS_ID}.head@example.vn"} <= level2
    assert level3 == {"ubnd_thanh_pho.head@example.vn"}  # the department's supervisor
    assert "công khai" in emails[-1].body and "publicly marked overdue" in emails[-1].body
    texts = texts_about(report_id)
    assert {name: len(items) for name, items in texts.items()} == {
        "phananh-unit-so_xay_dung": 1, f"phananh-unit-{COORDINATORS_ID}": 1, "phananh-unit-ubnd_thanh_pho": 1,
    }
    sent = [email.subject + email.body for email in emails] + [text for items in texts.values() for text in items]
    for message in sent:
        assert "0911222333" not in message and receipt["tracking_token"] not in message

    public = submit_api.http.get(f"/public/reports/{report_id}").json_body
    assert (public["status"], public["overdue"]) == ("ASSIGNED", True)

    # Sweeping again, however often, starts nothing more and sends nothing more.
    assert sweep(due + timedelta(minutes=2)) == []
    assert sweep(due + timedelta(days=30)) == []
    assert len(emails_about(report_id)) == len(emails)


def test_the_sweeper_run_three_times_escalates_once(aws, submit_api, route_api, ports, state_machine_arn, held_waits):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    now = ports.reports.get(report_id).acknowledge_due_at + timedelta(minutes=1)

    first = sweep(now)
    wait_for(lambda: ports.reports.get(report_id).escalation_level == 1 and emails_about(report_id))
    later = [sweep(now + timedelta(minutes=5 * run)) for run in (1, 2)]

    assert len(first) == 1 and later == [[], []]
    [execution] = executions_of(state_machine_arn, report_id)
    assert execution["status"] == "RUNNING"  # waiting for level 2's time
    assert len(emails_about(report_id)) == 1
    assert ports.reports.get(report_id).escalation_level == 1


def test_a_second_start_of_the_same_execution_is_a_no_op(aws, submit_api, route_api, ports, state_machine_arn,
                                                          held_waits):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    breach = sweeper.breach_of(ports.reports.get(report_id))
    payload = sweeper.execution_input(breach, 1, directory=ports.directory)
    name = breach.execution_name(1)
    ports.escalations.start_escalation(name, payload)
    wait_for(lambda: ports.reports.get(report_id).escalation_level == 1 and emails_about(report_id))
    # Same name: the running execution answers (same input) or ExecutionAlreadyExists (any other).
    ports.escalations.start_escalation(name, payload)
    assert ports.escalations.start_escalation(name, {**payload, "index": 0, "extra": 1}) is False
    assert len(executions_of(state_machine_arn, report_id)) == 1
    assert len(emails_about(report_id)) == 1


def test_an_acknowledged_report_is_never_escalated_for_acknowledgement(
    aws, submit_api, route_api, ports, state_machine_arn, skip_waits
):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    routed = ports.reports.get(report_id)
    # The sweeper read the report just before the officer acknowledged it.
    stale = sweeper.breach_of(routed)
    commands.acknowledge(OFFICER, report_id, ports=ports, now=utcnow())

    assert sweep(routed.acknowledge_due_at + timedelta(minutes=1)) == []
    payload = sweeper.execution_input(stale, 1, directory=ports.directory)
    ports.escalations.start_escalation(stale.execution_name(1), payload)
    [execution] = executions_of(state_machine_arn, report_id)
    assert wait_until_done(execution["executionArn"])["status"] == "SUCCEEDED"

    report = ports.reports.get(report_id)
    assert report.status == "ACKNOWLEDGED" and report.escalation_level == 0
    assert emails_about(report_id) == [] and texts_about(report_id) == {}


def test_resolving_the_report_stops_the_chain(aws, submit_api, route_api, ports, state_machine_arn, held_waits):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    context = {"ports": ports, "now": utcnow()}
    commands.acknowledge(OFFICER, report_id, **context)
    resolve_due = ports.reports.get(report_id).resolve_due_at

    [name] = sweep(resolve_due + timedelta(minutes=1))
    assert "-resolve-" in name
    wait_for(lambda: ports.reports.get(report_id).escalation_level == 1 and emails_about(report_id))
    # The officer resolves while the chain waits for level 2; the change wins over the escalation's version.
    commands.resolve(OFFICER, report_id, "Đã vá ổ gà.", photo_count=1, **context)
    held_waits.set()

    [execution] = executions_of(state_machine_arn, report_id)
    assert wait_until_done(execution["executionArn"])["status"] == "SUCCEEDED"
    report = ports.reports.get(report_id)
    assert report.status == "RESOLVED" and report.escalation_level == 1
    assert len(emails_about(report_id)) == 1
    assert not is_publicly_overdue(report)


def test_the_schedule_app_sweeps_on_its_schedule(seeded, state_machine_arn):
    with Client(load_chalice_app("schedule").app, project_dir=str(app_dir("schedule"))) as client:
        event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                                resources=[])
        assert client.lambda_.invoke("sweep_deadlines", event).payload == {"started": []}


def test_the_state_machine_definition_is_the_shared_file(seeded, state_machine_arn):
    from phananh_local.assembly import REPO_ROOT

    described = boto3.client("stepfunctions").describe_state_machine(stateMachineArn=state_machine_arn)
    definition = json.loads(described["definition"])
    shared = json.loads((REPO_ROOT / "infra" / "statemachines" / "escalation.asl.json").read_text(encoding="utf-8"))
    assert definition["States"].keys() == shared["States"].keys()
    assert definition["States"]["RecordLevel"]["Parameters"]["TableName"] == seeded.environment["PHANANH_REPORTS_TABLE"]
    assert "${" not in described["definition"]


def test_addresses_ses_would_refuse_are_left_out_of_a_level(aws, submit_api, route_api, ports, seeded):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    [head] = [officer for officer in ports.directory.officers_of(ROADS_UNIT) if officer.role == "unit_head"]
    bad = Officer(**{**head.__dict__, "officer_id": f"{ROADS_UNIT}.head2", "email": "a@example.vn\n"})
    ports.directory.put_officers([bad])
    try:
        target = sweeper.next_up(1, ports.reports.get(report_id), ports.directory)
    finally:
        ports.directory.delete_officer(bad.officer_id)
    assert target.emails == [head.email]


def test_a_report_waiting_for_its_reporters_answer_is_not_escalated_by_a_chain_started_before_the_question(
    aws, submit_api, route_api, ports, state_machine_arn, skip_waits
):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    commands.acknowledge(OFFICER, report_id, ports=ports, now=utcnow())
    acknowledged = ports.reports.get(report_id)
    # The sweeper read the report, held to its stored resolve deadline, just before the question.
    stale = sweeper.breach_of(acknowledged)
    asked = commands.ask_reporter(OFFICER, report_id, "Ổ gà ở làn nào?", pause_working_days=3, ports=ports,
                                  now=utcnow())
    assert asked.waiting_question.pause_until is not None

    # The paused deadline is the one the index holds: the stored one breaches nothing now.
    assert sweep(acknowledged.resolve_due_at + timedelta(minutes=1)) == []
    ports.escalations.start_escalation(stale.execution_name(1), sweeper.execution_input(stale, 1,
                                                                                         directory=ports.directory))
    [execution] = executions_of(state_machine_arn, report_id)
    assert wait_until_done(execution["executionArn"])["status"] == "SUCCEEDED"
    report = ports.reports.get(report_id)
    assert report.escalation_level == 0 and emails_about(report_id) == []
