"""A filed report's way to its alerts survives its handlers dying at any AWS call.

The way: the route function takes the report's intake message and saves the routing (the state
change: report and audit event in one transaction); the deliver function forwards that change from
the reports stream as its effects (SendMessageBatch to the delivery queue), then delivers each
effect: every channel claimed, sent (SES, SNS), its claim completed.

A child process (resilience/crash_driver.py) runs those handlers on the real code against a moto
server sharing this process's account, and ends itself with os._exit at the Nth AWS call its
domain clients make: before the call, or just after the state change's write returned. Then the
delivery runs again here, as the event sources would redeliver: the intake message visible again
(visibility timeout shortened to nothing, as in the `intake` fixture), the stream read again from
its last checkpoint (Lambda retries a batch whose invocation died), a claim left IN_PROGRESS taken
over after its lease. After it: the report routed once, each officer e-mailed once, the unit's SMS
topic and the reporter's app (its SNS endpoint made at the first push) published to once.

The points are every call from the intake message to the last send, minus one kind: a kill after a
send and before its claim is completed. Nothing then tells the redelivery the channel was sent, and
it sends it again when the lease has passed: delivery is at least once (docs/reliability.md), and
test_a_kill_between_a_send_and_its_completion_sends_it_at_most_twice shows the double.

A seeded sample of the points runs in `make test`; PHANANH_CRASH_POINTS=all runs every one, a
number runs that many.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import random
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.server import ThreadedMotoServer
from moto.sns.models import sns_backends
from report_flows import file_report
from resilience.crash_driver import KILLED
from resilience.harness import REGION, emails_sent, texts_sent

from phananh.adapters.dynamo.reports import DynamoReportStore

TESTS = Path(__file__).resolve().parents[1]
SEED = 16
SAMPLED = 2
SENDS = frozenset({"ses.SendEmail", "ses.SendRawEmail", "sns.Publish"})
STATE_CHANGE = "dynamodb.TransactWriteItems"
# The roads unit's officers, each e-mailed the alert.
OFFICERS = ["so_xay_dung.head@example.vn", "so_xay_dung.officer@example.vn"]


@pytest.fixture(scope="module")
def moto_url(deployed_account):
    """A moto server on this process's account: what the child writes outlives the child."""
    # One access line per AWS call of every child would drown a failure's report.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Driver:
    """resilience/crash_driver.py started once on the deployment, forking a child per run."""

    def __init__(self, deployment, moto_url: str, workdir: Path):
        deployment_path = workdir / "deployment.pickle"
        deployment_path.write_bytes(pickle.dumps(deployment))
        self.log = open(workdir / "driver.log", "w+")  # noqa: SIM115 - open while the driver runs
        environment = {
            **os.environ,
            "AWS_ENDPOINT_URL": moto_url,
            "PYTHONPATH": os.pathsep.join(
                str(TESTS.parent / part) for part in ("layers/shared/python", "infra/cdk", "infra/local", "tests")
            ),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "resilience.crash_driver", str(deployment_path)], env=environment,
            cwd=TESTS.parent, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True,
        )

    def run(self, job: dict) -> int:
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, self.errors()
        return int(answer)

    def errors(self) -> str:
        self.log.seek(0)
        return self.log.read()[-3000:]

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture(scope="module")
def driver(deployed_account, moto_url, tmp_path_factory):
    started = Driver(deployed_account, moto_url, tmp_path_factory.mktemp("crash"))
    yield started
    started.stop()


class Crashes:
    def __init__(self, delivery, submit_api, driver: Driver, workdir: Path):
        self.delivery, self.submit_api, self.driver, self.workdir = delivery, submit_api, driver, workdir
        self.runs = 0

    def file(self) -> tuple[str, str]:
        """A report filed with an app's push token of its own, its routing message on the intake queue
        (its INSERT forwarded); the report's id and token (its SNS endpoint is the deliver function's
        to make, at the first push)."""
        self.runs += 1
        token = f"crash-device-{uuid.uuid4()}:APA91b"
        report_id = file_report(self.submit_api, push={"platform": "fcm", "token": token})["report_id"]
        assert self.delivery.stream.poll_once() >= 1
        return report_id, token

    def run_child(self, kill_at: tuple[str, int] | None) -> tuple[int, list[str]]:
        """The way delivered in a child killed at `kill_at`; its exit code and the calls it began."""
        trace_path = self.workdir / f"trace-{self.runs}.txt"
        code = self.driver.run(
            {"stream_iterators": self.delivery.stream.iterators, "trace_path": str(trace_path), "kill_at": kill_at}
        )
        assert code in (0, KILLED), self.driver.errors()
        return code, trace_path.read_text().split()

    def sent(self, report_id: str, token: str) -> dict:
        """What reached anyone about the report: e-mails per address, SMS to the unit, pushes."""
        emails = Counter(address for message in emails_sent() if report_id in message.subject + message.body
                         for address in message.destinations["ToAddresses"])
        endpoints = [endpoint for endpoint in sns_backends[DEFAULT_ACCOUNT_ID][REGION].platform_endpoints.values()
                     if endpoint.token == token]
        return {
            "emails": dict(emails),
            "texts": sum(1 for arn, text in texts_sent()
                         if report_id in text and arn not in {endpoint.arn for endpoint in endpoints}),
            "pushes": sum(len(endpoint.messages) for endpoint in endpoints),
            "routed": [event.action for event in DynamoReportStore().events(report_id)].count("route"),
        }


EXACTLY_ONCE = {"emails": dict.fromkeys(OFFICERS, 1), "texts": 1, "pushes": 1, "routed": 1}


@pytest.fixture
def crashes(intake, submit_api, driver, tmp_path):
    return Crashes(intake, submit_api, driver, tmp_path)


@pytest.fixture
def the_way(crashes) -> list[str]:
    """The AWS calls from the intake message to the last alert, in order, as an uncrashed child made
    them (and sent everything exactly once)."""
    report_id, token = crashes.file()
    code, calls = crashes.run_child(None)
    assert code == 0
    assert crashes.sent(report_id, token) == EXACTLY_ONCE
    assert calls.count(STATE_CHANGE) == 1 and SENDS & set(calls)
    return calls


def points(the_way: list[str]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(the kill points from the intake message to the last send, the points between a send and its
    completion), each ("before" | "after", the number of the call)."""
    last_send = max(number for number, call in enumerate(the_way, 1) if call in SENDS)
    exactly_once = [("after", the_way.index(STATE_CHANGE) + 1)]
    doubling = []
    for number in range(1, last_send + 1):
        after_a_send = number > 1 and the_way[number - 2] in SENDS
        (doubling if after_a_send else exactly_once).append(("before", number))
    return exactly_once, doubling


def chosen(candidates: list[tuple[str, int]], always: list[tuple[str, int]], sampled: int) -> list[tuple[str, int]]:
    wanted = os.environ.get("PHANANH_CRASH_POINTS", "")
    if wanted == "all":
        return candidates
    count = int(wanted) if wanted else sampled
    rest = [point for point in candidates if point not in always]
    return always + random.Random(SEED).sample(rest, min(count, len(rest)))


def crash_and_redeliver(crashes, point) -> dict:
    report_id, token = crashes.file()
    code, calls = crashes.run_child(point)
    assert code == KILLED, f"{point}: the child ran to the end ({len(calls)} calls)"
    crashes.delivery.drain()
    return crashes.sent(report_id, token)


def test_a_kill_anywhere_from_the_intake_message_to_the_last_send_still_sends_everything_once(crashes, the_way):
    exactly_once, _ = points(the_way)
    first_send = next(number for number, call in enumerate(the_way, 1) if call in SENDS)
    # The state change's write and its returning, and the moment just before the first send.
    always = [point for point in exactly_once if point[0] == "after" or point == ("before", the_way.index(
        STATE_CHANGE) + 1) or point == ("before", first_send)]
    for point in chosen(exactly_once, always, SAMPLED):
        assert crash_and_redeliver(crashes, point) == EXACTLY_ONCE, (point, the_way[point[1] - 1])


def test_a_kill_between_a_send_and_its_completion_sends_it_at_most_twice(crashes, the_way):
    _, doubling = points(the_way)
    for point in chosen(doubling, [], 1):
        sent = crash_and_redeliver(crashes, point)
        channel = the_way[point[1] - 2]
        assert sent["routed"] == 1
        counts = [*sent["emails"].values(), sent["texts"], sent["pushes"]]
        assert sorted(sent["emails"]) == OFFICERS and min(counts) == 1, (point, channel, sent)
        assert max(counts) <= 2 and sum(counts) <= len(OFFICERS) + 3, (point, channel, sent)
