"""moto's server in a process of its own, started by `make dev` (phananh_local.server).

Why a process: the local stack was one interpreter, so moto parsing and answering every AWS call
took the interpreter lock from the gateway, the handlers and the pollers, and the stack used one
core of the machine's two. It also kept every table and bucket in the stack's own memory, so a
growth of the stack's memory could not be told from moto's growing store. Here moto answers on its
port; the stack's process talks to it over HTTP, as the functions talk to AWS.

What moto does itself comes back to the stack's process: a Lambda invocation moto makes (a Step
Functions task, an SNS subscription's delivery) is posted to the stack's invocation endpoint
(phananh_local.dispatch.InvocationServer), which runs our handler there, where the event sources'
handlers run. The alerts moto records are printed from here, to the terminal both processes share.

The parent controls this process through its standard input: a line `alerts <region>` starts
printing what is sent from then on (what the demo history sent before is not news); end of input
(the parent stopped or died) stops the server and ends the process, so no moto outlives its stack.

    python -m phananh_local.moto_process --host 127.0.0.1 --port 5005 --invoke-url http://127.0.0.1:PORT
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from typing import Any

import requests

# A task of a state machine waits for its handler as long as Lambda would let it run.
INVOKE_TIMEOUT_S = 900


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="phananh_local.moto_process", description=__doc__)
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--invoke-url", required=True, help="where moto's own Lambda invocations are posted")
    return parser.parse_args()


def forward_invocations(invoke_url: str) -> None:
    """moto's Lambda invocations run our handlers in the stack's process (use_docker is off)."""
    from moto.awslambda.models import LambdaFunction

    session = requests.Session()

    def invoke_in_stack(function: Any, event: str | dict | None = None) -> tuple[str, bool, str]:
        payload = json.loads(event) if isinstance(event, str | bytes) else (event or {})
        try:
            answer = session.post(f"{invoke_url}/invoke/{function.function_name}", json=payload,
                                  timeout=INVOKE_TIMEOUT_S)
            answer.raise_for_status()
            result = answer.json()
        except (requests.RequestException, ValueError) as error:
            return json.dumps({"errorType": type(error).__name__, "errorMessage": str(error)}), True, ""
        return result["payload"], result["error"], ""

    LambdaFunction._invoke_lambda = invoke_in_stack


def start_moto(host: str, port: int) -> Any:
    from phananh_local.moto_fixes import (
        docker_client_missing_without_docker,
        serialize_dynamodb_transactions,
        track_model_instances_weakly,
    )
    from phananh_local.s3_post_policy import PolicyCheckingMotoServer

    # moto's server logs every request; the terminal is for the stack's access log and the alerts.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    serialize_dynamodb_transactions()
    docker_client_missing_without_docker()
    track_model_instances_weakly()
    # moto checks TOTP codes only when told to; without it any six digits would pass the second factor.
    os.environ["MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP"] = "true"
    # moto's Step Functions interpreter calls back into its own server on this port.
    os.environ["MOTO_PORT"] = str(port)
    server = PolicyCheckingMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    requests.post(
        f"http://{host}:{port}/moto-api/config",
        json={"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}},
        timeout=10,
    ).raise_for_status()
    return server


class AlertPrinter(threading.Thread):
    """Shows every e-mail (SES) and SMS/push (SNS) the system sends in `region`, as it is sent."""

    def __init__(self, region: str, stop: threading.Event):
        super().__init__(name="alerts", daemon=True)
        self.region = region
        self.stop = stop
        self.printed: set[str] = {key for key, _ in self._sent()}

    def run(self) -> None:
        while not self.stop.wait(0.5):
            for key, line in self._sent():
                if key not in self.printed:
                    self.printed.add(key)
                    print(line, flush=True)

    def _sent(self) -> list[tuple[str, str]]:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends
        from moto.sns.models import sns_backends

        lines = []
        for message in list(ses_backends[DEFAULT_ACCOUNT_ID][self.region].sent_messages):
            subject = getattr(message, "subject", "")
            lines.append((f"ses:{message.id}", f"  ✉ e-mail to {message.destinations}: {subject}"))
        sns = sns_backends[DEFAULT_ACCOUNT_ID][self.region]
        for topic in list(sns.topics.values()):
            for message_id, text, *_ in list(topic.sent_notifications):
                lines.append((f"sns:{message_id}", f"  ☎ {topic.name}: {text[:300]}"))
        for message_id, (phone, text) in list(sns.sms_messages.items()):
            lines.append((f"sms:{message_id}", f"  ☎ SMS to {phone}: {text[:300]}"))
        # Reporters' and followers' apps, named by push service and endpoint id: the token stays off the terminal.
        for endpoint in list(sns.platform_endpoints.values()):
            device = f"{endpoint.application.platform} app …{endpoint.arn[-8:]}"
            for message_id, text in list(endpoint.messages.items()):
                lines.append((f"push:{message_id}", f"  📱 push to {device}: {text[:300]}"))
        return lines


def follow_commands(stop: threading.Event) -> None:
    """The parent's lines, until its end of input."""
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "alerts" and argument:
            AlertPrinter(argument, stop).start()


def main() -> None:
    arguments = _arguments()
    server = start_moto(arguments.host, arguments.port)
    forward_invocations(arguments.invoke_url)
    # Ctrl-C reaches the whole process group: the parent stops the stack, then closes our input.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop = threading.Event()
    try:
        follow_commands(stop)
    finally:
        stop.set()
        server.stop()


if __name__ == "__main__":
    main()
