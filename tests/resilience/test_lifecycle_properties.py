"""The lifecycle as a property (hypothesis, stateful): random submissions, routings, transfers,
acknowledgements, progress notes, resolutions, ratings and escalations, called on the domain against
moto. After every step, for every report: an open report has exactly one owner unit, the one its
queue index names; its audit trail has one event per version, with no gap; each event takes up
the state where the previous one left it; and the last event names the report's state. An action
the lifecycle refuses changes nothing; one it allows lands where the table of moves says."""

import time
from itertools import pairwise

import boto3
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction

from phananh import bootstrap
from phananh.adapters.dynamo.models import ReportModel
from phananh.escalation import sweeper
from phananh.intake import filing
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.lifecycle import MOVES, OPEN_STATES, Action, Status
from phananh.report.model import utcnow
from phananh.routing import pipeline
from phananh.routing.directory import COORDINATORS_ID
from phananh.shared.errors import DomainError
from phananh.shared.settings import get_settings
from phananh.transparency import rating

UNITS = ("so_xay_dung", "so_y_te", "ubnd_31321", COORDINATORS_ID)
LIFECYCLE_RUN = settings(
    max_examples=8, stateful_step_count=12, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def officer_of(unit_id: str) -> Principal:
    return Principal(f"{unit_id}.officer", unit_id, frozenset({"officer"}))


class Lifecycle(RuleBasedStateMachine):
    reports = Bundle("reports")

    def __init__(self):
        super().__init__()
        self.ports = bootstrap.ports()
        self.store = self.ports.reports
        self.settings = get_settings()
        self.tokens: dict[str, str] = {}
        self.moves = 0

    def _attempt(self, report_id: str, action: Action | None, change) -> None:
        """Run `change`; refused, it must leave the report as it was; allowed, it must land where
        the lifecycle's table says (`action`), one or more versions on."""
        before = self.store.get(report_id)
        try:
            change()
        except DomainError:
            assert self.store.get(report_id) == before
            return
        after = self.store.get(report_id)
        if action is not None and after.version > before.version:
            # A rating closes the report, or reopens it (a poor score, not fixed).
            landed = (Status.CLOSED, Status.IN_PROGRESS) if action is Action.CLOSE else (MOVES[action].target,)
            assert after.status in landed
            self.moves += 1

    @rule(target=reports, category=st.sampled_from(["roads", "urban_order", "lighting", "flooding"]),
          lat=st.floats(9.770, 9.790))
    def submit(self, category, lat):
        payload = {"category": category, "description": "Phản ánh thử", "location": {"lat": lat, "lon": 105.47}}
        receipt = filing.submit_report(payload, filing.Caller(None), ports=self.ports, settings=self.settings,
                                       now=utcnow())
        self.tokens[receipt["report_id"]] = receipt["tracking_token"]
        return receipt["report_id"]

    @rule(report_id=reports)
    def route(self, report_id):
        self._attempt(report_id, Action.ROUTE, lambda: pipeline.route_report(
            report_id, ports=self.ports, settings=self.settings, now=utcnow()
        ))

    def _owner(self, report_id: str) -> Principal:
        return officer_of(self.store.get(report_id).owner_unit_id or COORDINATORS_ID)

    def _context(self) -> dict:
        return {"ports": self.ports, "now": utcnow()}

    @rule(report_id=reports, unit_id=st.sampled_from(UNITS))
    def transfer(self, report_id, unit_id):
        self._attempt(report_id, Action.TRANSFER, lambda: commands.transfer(
            self._owner(report_id), report_id, "Không thuộc thẩm quyền", to_unit_id=unit_id,
            **self._context(),
        ))

    @rule(report_id=reports)
    def acknowledge(self, report_id):
        self._attempt(report_id, Action.ACKNOWLEDGE, lambda: commands.acknowledge(
            self._owner(report_id), report_id, **self._context()
        ))

    @rule(report_id=reports)
    def progress(self, report_id):
        self._attempt(report_id, None, lambda: commands.add_progress(
            self._owner(report_id), report_id, "Đang xử lý", **self._context()
        ))

    @rule(report_id=reports)
    def resolve(self, report_id):
        self._attempt(report_id, Action.RESOLVE, lambda: commands.resolve(
            self._owner(report_id), report_id, "Đã xử lý xong", photo_count=1, **self._context()
        ))

    @rule(report_id=reports, score=st.integers(1, 5), fixed=st.booleans())
    def rate(self, report_id, score, fixed):
        self._attempt(report_id, Action.CLOSE, lambda: rating.rate(
            report_id, self.tokens[report_id], {"score": score, "fixed": fixed}, ports=self.ports, now=utcnow()
        ))

    @rule(report_id=reports)
    def escalate(self, report_id):
        """The deadline passes: the sweeper's execution for the level due runs to its end."""
        breach = sweeper.breach_of(self.store.get(report_id))
        if breach is None:
            return
        payload = sweeper.execution_input(breach, 1, directory=self.ports.directory)
        self.ports.escalations.start_escalation(breach.execution_name(1), payload)
        sfn = boto3.client("stepfunctions")
        deadline = time.monotonic() + 20
        arn = self.settings.escalation_state_machine_arn
        while sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]:
            assert time.monotonic() < deadline
            time.sleep(0.02)

    @invariant()
    def the_trail_explains_every_change(self):
        for report_id in self.tokens:
            report = self.store.get(report_id)
            trail = self.store.events(report_id)
            assert [event.version for event in trail] == list(range(1, report.version + 1))
            assert trail[0].action is Action.SUBMIT and trail[0].from_status is None
            for previous, event in pairwise(trail):
                assert event.from_status is previous.to_status, (previous, event)
                if event.from_status is not event.to_status:
                    assert event.action in MOVES and MOVES[event.action].target is event.to_status
            assert trail[-1].to_status is report.status

    @invariant()
    def each_open_report_has_exactly_one_owner(self):
        for report_id in self.tokens:
            report = self.store.get(report_id)
            if report.status in OPEN_STATES:
                assert self.ports.directory.unit(report.owner_unit_id) is not None
                stored = ReportModel.get(report_id, consistent_read=True)
                assert stored.owner_status == f"{report.owner_unit_id}#{report.status}"
                owners = [event for event in self.store.events(report_id)
                          if event.action in (Action.ROUTE, Action.TRANSFER)]
                assert owners, "an owner nobody named"


@pytest.fixture
def instant_waits(monkeypatch):
    monkeypatch.setattr(WaitFunction, "_wait_interval", lambda self, env, wait_seconds: None)


def test_the_lifecycle_keeps_one_owner_and_a_complete_trail(aws, seeded, instant_waits, quiet_logs):
    run_state_machine_as_test(Lifecycle, settings=LIFECYCLE_RUN)
