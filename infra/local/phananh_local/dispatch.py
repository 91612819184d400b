"""What Lambda's event sources do in the cloud, done locally: poll SQS, fire schedules, and run
the invocations moto itself makes (Step Functions tasks, SNS subscriptions) with our handlers.

Handlers run in this process, on the same code the cloud runs.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
from chalice.local import LambdaContext

from phananh_local.apps import load_chalice_app
from phananh_local.deploy import FunctionSpec

log = logging.getLogger("phananh.local")

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_SECONDS_PER_UNIT = {"minute": 60, "hour": 3600, "day": 86400}


def handler_for(spec: FunctionSpec) -> Callable[[dict, Any], Any]:
    module_attribute = spec.handler.split(".", 1)[1]
    return getattr(load_chalice_app(spec.app), module_attribute)


def invoke(spec: FunctionSpec, event: dict) -> Any:
    context = LambdaContext(function_name=spec.function_name, memory_size=512, max_runtime_ms=60_000)
    return handler_for(spec)(event, context)


def schedule_period_s(expression: str) -> float:
    """Seconds between runs of an EventBridge `rate(...)` schedule."""
    match = _RATE.match(expression)
    if not match:
        raise ValueError(f"only rate(...) schedules run locally, not {expression!r}")
    amount, unit = int(match.group(1)), match.group(2).rstrip("s")
    return amount * _SECONDS_PER_UNIT[unit]


class SqsPoller(threading.Thread):
    """Lambda's SQS event source: long-poll, invoke with a batch, delete what succeeded.

    A failed message stays on the queue until its visibility timeout passes, and goes to the
    dead-letter queue after maxReceiveCount attempts, as in the cloud (moto applies the redrive).
    """

    def __init__(self, spec: FunctionSpec, queue_url: str, batch_size: int, stop: threading.Event):
        super().__init__(name=f"sqs:{spec.function_name}", daemon=True)
        self.spec, self.queue_url, self.batch_size, self.stop = spec, queue_url, batch_size, stop
        self.sqs = boto3.client("sqs")
        self.queue_arn = self.sqs.get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.poll_once(wait_s=1)
            except Exception:
                log.exception("SQS delivery to %s failed", self.spec.function_name)
                self.stop.wait(1)

    def poll_once(self, wait_s: int = 0) -> int:
        messages = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=min(self.batch_size, 10),
            WaitTimeSeconds=wait_s,
            AttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        failed = self._deliver(messages)
        for message in messages:
            if message["MessageId"] not in failed:
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def _deliver(self, messages: list[dict]) -> set[str]:
        event = {"Records": [self._record(message) for message in messages]}
        try:
            result = invoke(self.spec, event)
        except Exception:
            log.exception("%s raised on a batch of %d", self.spec.function_name, len(messages))
            return {message["MessageId"] for message in messages}
        failures = (result or {}).get("batchItemFailures", []) if isinstance(result, dict) else []
        return {failure["itemIdentifier"] for failure in failures}

    def _record(self, message: dict) -> dict:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": self.sqs.meta.region_name,
        }


class ScheduleTicker(threading.Thread):
    """EventBridge's schedule: the handler runs every period, divided by the demo's time scale."""

    def __init__(self, spec: FunctionSpec, expression: str, time_scale: float, stop: threading.Event):
        super().__init__(name=f"schedule:{spec.function_name}", daemon=True)
        self.spec, self.stop = spec, stop
        self.period_s = schedule_period_s(expression) / time_scale

    def run(self) -> None:
        while not self.stop.wait(self.period_s):
            try:
                invoke(self.spec, scheduled_event(self.spec))
            except Exception:
                log.exception("scheduled run of %s failed", self.spec.function_name)


def scheduled_event(spec: FunctionSpec) -> dict:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": boto3.session.Session().region_name,
        "resources": [f"local:schedule/{spec.function_name}"],
        "detail": {},
    }


def route_moto_invocations(functions: list[FunctionSpec]) -> None:
    """Make moto's own Lambda invocations (Step Functions tasks, SNS) run our handlers."""
    from moto.awslambda.models import LambdaFunction

    by_name = {spec.function_name: spec for spec in functions}

    def invoke_in_process(function: Any, event: str | dict | None = None) -> tuple[str, bool, str]:
        spec = by_name.get(function.function_name)
        if spec is None:
            return json.dumps({"errorMessage": f"no local handler for {function.function_name}"}), True, ""
        payload = json.loads(event) if isinstance(event, str | bytes) else (event or {})
        try:
            return json.dumps(invoke(spec, payload)), False, ""
        except Exception as error:
            log.exception("%s failed when moto invoked it", spec.function_name)
            return json.dumps({"errorType": type(error).__name__, "errorMessage": str(error)}), True, ""

    LambdaFunction._invoke_lambda = invoke_in_process


def start_event_sources(
    functions: list[FunctionSpec], *, time_scale: float, stop: threading.Event
) -> list[threading.Thread]:
    threads: list[threading.Thread] = []
    for spec in functions:
        threads += [SqsPoller(spec, url, size, stop) for url, size in spec.sqs_sources]
        threads += [ScheduleTicker(spec, expression, time_scale, stop) for expression in spec.schedules]
    for thread in threads:
        thread.start()
    return threads
