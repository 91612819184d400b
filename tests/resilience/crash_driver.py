"""The child processes of tests/resilience/test_crash.py: the route and deliver functions, on the real
code, against the test's moto server, delivering one filed report's way from its intake message to
its alerts as their event sources would, and killed with os._exit at a chosen AWS call.

No seam in the code under test: a botocore hook on every client the domain uses (as
tests/resilience/aws_faults.py hooks them) counts the calls, writes each one's name to the trace
file before it is made, and ends the process before (or just after) the Nth one. The process dies
as a Lambda invocation dies: the message it received stays on its queue, the stream records it
read are not checkpointed, a claim it took stays IN_PROGRESS.

`python -m resilience.crash_driver <deployment.pickle>` imports the code and loads the apps once,
then forks one child per run asked on its standard input (a JSON line: the stream's checkpoint to
read from, the trace file, the kill point or null) and answers each with the child's exit code on a
line of its standard output (the handlers' own logs go to its standard error).
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import traceback
from datetime import timedelta

from resilience.aws_faults import _fresh_domain_clients
from resilience.harness import IntakeDelivery

from phananh.escalation import alerts
from phananh.routing.geo import load_wards
from phananh.shared.settings import get_settings
from phananh_local.dispatch import handler_for

KILLED = 137  # what the parent of a SIGKILLed process sees, as when Lambda's runtime is killed


class Killer:
    """Counts the AWS calls; ends the process at `kill_at`: ("before" | "after", the call's number)."""

    def __init__(self, trace, kill_at: tuple[str, int] | None):
        self.trace, self.kill_at, self.calls = trace, kill_at, 0

    def before(self, model, **_):
        self.calls += 1
        self.trace.write(f"{model.service_model.service_name}.{model.name}\n")
        self.trace.flush()
        if self.kill_at == ("before", self.calls):
            os._exit(KILLED)

    def after(self, **_):
        if self.kill_at == ("after", self.calls):
            os._exit(KILLED)


def run(deployment, domain_clients: list, job: dict) -> None:
    """One run, in a forked child. The domain's clients were made before the fork, never used there
    (no connection to share); the event sources' clients are made here."""
    # A lease over when taken: a claim this child leaves behind is one the redelivery can take over
    # at once, as it would after the lease (the visibility timeout) in the cloud.
    alerts.CLAIM_LEASE = timedelta(seconds=-1)
    delivery = IntakeDelivery(deployment)
    delivery.stream.iterators = dict(job["stream_iterators"])
    with open(job["trace_path"], "w") as trace:
        killer = Killer(trace, tuple(job["kill_at"]) if job["kill_at"] else None)
        for client in domain_clients:
            client.meta.events.register("before-call", killer.before)
            client.meta.events.register("after-call", killer.after)
        delivery.drain()


def serve(deployment) -> None:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    for spec in deployment.functions:
        if spec.app in ("route", "deliver", "photos") and not spec.is_api:
            handler_for(spec)
    # Read once here, as a warm Lambda holds it: each child would spend a second parsing the wards.
    load_wards(get_settings().wards_geojson_path)
    # Made once: a second each child would spend building them.
    domain_clients = _fresh_domain_clients()
    for line in sys.stdin:
        job = json.loads(line)
        sys.stderr.flush()
        child = os.fork()
        if child == 0:
            code = 0
            try:
                run(deployment, domain_clients, job)
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        _, status = os.waitpid(child, 0)
        answers.write(f"{os.waitstatus_to_exitcode(status)}\n")
        answers.flush()


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as deployment_file:
        serve(pickle.load(deployment_file))  # noqa: S301 - written by the test that started this process
