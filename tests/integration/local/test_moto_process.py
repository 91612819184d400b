"""moto in a process of its own (phananh_local.moto_process), as `make dev` runs it: the Lambda
invocations moto makes come back to the stack's invocation endpoint, the alerts it records print
once the stack asks, and the child ends with the stack's pipe."""

import json
import threading
import time
from contextlib import contextmanager

import boto3
import pytest
import requests
from local_stack_runner import free_port

from phananh_local.dispatch import InvocationServer
from phananh_local.server import MotoProcess

REGION = "ap-southeast-1"


class RecordingInvocations(InvocationServer):
    """The stack's side with the handler replaced by a record: what moto's process posted."""

    def __init__(self):
        super().__init__("127.0.0.1")
        self.received: list[tuple[str, dict]] = []

    def run(self, name, event):
        self.received.append((name, event))
        return json.dumps({"handled": name}), False


@contextmanager
def running_moto():
    invocations = RecordingInvocations()
    threading.Thread(target=invocations.serve_forever, daemon=True).start()
    moto = MotoProcess("127.0.0.1", free_port(), invocations.url)
    try:
        moto.wait_ready(timeout_s=60)
        yield moto, invocations
    finally:
        moto.stop()
        invocations.shutdown()


@pytest.fixture(autouse=True)
def local_credentials(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                        "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def moto_child():
    with running_moto() as running:
        yield running


def _client(moto, service):
    return boto3.client(service, endpoint_url=moto.endpoint, region_name=REGION)


def _eventually(check, limit_s=20):
    deadline = time.monotonic() + limit_s
    while not (found := check()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def test_a_lambda_invocation_moto_makes_runs_in_the_stacks_process(moto_child):
    moto, invocations = moto_child
    role = _client(moto, "iam").create_role(
        RoleName="canary", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []})
    )["Role"]["Arn"]
    function_arn = _client(moto, "lambda").create_function(
        FunctionName="route", Runtime="python3.11", Role=role, Handler="app.handler", Code={"ZipFile": b"PK"}
    )["FunctionArn"]
    sns = _client(moto, "sns")
    topic = sns.create_topic(Name="canary")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function_arn)

    sns.publish(TopicArn=topic, Message="probe from moto's process")

    assert _eventually(lambda: invocations.received), "moto's process posted no invocation"
    name, event = invocations.received[0]
    assert name == "route"
    assert event["Records"][0]["Sns"]["Message"] == "probe from moto's process"


def test_an_invocation_of_a_function_the_stack_does_not_serve_is_an_error_not_a_hang():
    invocations = InvocationServer("127.0.0.1")
    threading.Thread(target=invocations.serve_forever, daemon=True).start()
    try:
        answer = requests.post(f"{invocations.url}/invoke/nothing-here", json={}, timeout=10).json()
        assert answer["error"] is True
        assert "no local handler for nothing-here" in json.loads(answer["payload"])["errorMessage"]
        assert requests.post(f"{invocations.url}/elsewhere", json={}, timeout=10).status_code == 404
    finally:
        invocations.shutdown()


def test_alerts_print_once_asked_and_only_what_is_sent_from_then_on(capfd):
    # Started here, not by a fixture: the child writes to the standard output it inherits, capfd's.
    with running_moto() as (moto, _):
        _alerts_printed_by(moto, capfd)


def _alerts_printed_by(moto, capfd):
    ses = _client(moto, "ses")
    ses.verify_email_identity(EmailAddress="noreply@example.vn")

    def send(subject):
        ses.send_email(Source="noreply@example.vn", Destination={"ToAddresses": ["unit@example.vn"]},
                       Message={"Subject": {"Data": subject}, "Body": {"Text": {"Data": "x"}}})

    send("before the stack was up")
    moto.print_alerts(REGION)
    time.sleep(1)  # the printer notes what was sent before it started
    send("after the stack was up")

    output: list[str] = []

    def printed_so_far() -> str:
        output.append(capfd.readouterr().out)
        return "".join(output)

    printed = _eventually(lambda: "after the stack was up" in printed_so_far())
    assert printed, f"the child printed no alert: {''.join(output)!r}"
    printed = "".join(output)
    assert "✉ e-mail to {'ToAddresses': ['unit@example.vn']}: after the stack was up" in printed
    assert "before the stack was up" not in printed


def test_the_child_ends_when_the_stack_closes_its_pipe(moto_child):
    moto, _ = moto_child
    moto.stop()

    assert moto.child.returncode == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{moto.endpoint}/moto-api/config", timeout=2)
