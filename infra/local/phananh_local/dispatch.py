"""What Lambda's event sources do in the cloud, done locally: poll SQS, fire schedules, and run
the invocations moto itself makes (Step Functions tasks, SNS subscriptions) with our handlers.

Handlers run in the stack's process, on the same code the cloud runs; moto runs in its own
(phananh_local.moto_process) and posts its invocations here.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
from botocore.config import Config
from chalice.local import LambdaContext

from phananh_local.apps import load_chalice_app
from phananh_local.deploy import FunctionSpec, StreamSource

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
        raise ValueError(f"not a rate(...) schedule: {expression!r}")
    amount, unit = int(match.group(1)), match.group(2).rstrip("s")
    return amount * _SECONDS_PER_UNIT[unit]


_CRON = re.compile(r"^cron\((.+)\)$")
_WEEKDAYS = {name: number for number, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), start=1)}
_MONTHS = {name: number for number, name in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1
)}


class Cron:
    """An EventBridge `cron(minutes hours day-of-month month day-of-week year)` expression, in UTC:
    numbers, names, `*`, `?`, lists, ranges and steps (not `L`, `W` or `#`)."""

    def __init__(self, expression: str):
        match = _CRON.match(expression.strip())
        parts = match.group(1).split() if match else []
        if len(parts) != 6:
            raise ValueError(f"not a cron(...) schedule: {expression!r}")
        self.expression = expression
        self.minutes = self._field(parts[0], 0, 59)
        self.hours = self._field(parts[1], 0, 23)
        self.days = self._field(parts[2], 1, 31)
        self.months = self._field(parts[3], 1, 12, _MONTHS)
        self.weekdays = self._field(parts[4], 1, 7, _WEEKDAYS)
        self.years = self._field(parts[5], 1970, 2199)

    @staticmethod
    def _field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int] | None:
        """The values a field allows; None for any (`*` or `?`)."""
        if text in ("*", "?"):
            return None
        values: set[int] = set()

        def number(token: str) -> int:
            return (names or {}).get(token.upper()) or int(token)

        for item in text.split(","):
            span, _, step = item.partition("/")
            if span == "*":
                start, end = low, high
            elif "-" in span:
                first, last = span.split("-", 1)
                start, end = number(first), number(last)
            else:
                start = number(span)
                end = high if step else start
            if not (low <= start <= high and low <= end <= high):
                raise ValueError(f"{text!r}: out of range {low}-{high}")
            values.update(range(start, end + 1, int(step) if step else 1))
        return values

    @staticmethod
    def _allows(allowed: set[int] | None, value: int) -> bool:
        return allowed is None or value in allowed

    def next_after(self, moment: datetime) -> datetime:
        """The first time after `moment` (aware) the schedule fires."""
        candidate = moment.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = candidate + timedelta(days=366 * 5)
        while candidate < limit:
            weekday = (candidate.isoweekday() % 7) + 1  # EventBridge: SUN=1 … SAT=7
            day_ok = self._allows(self.days, candidate.day) and self._allows(self.weekdays, weekday)
            if not (self._allows(self.years, candidate.year) and self._allows(self.months, candidate.month) and day_ok):
                candidate = (candidate + timedelta(days=1)).replace(hour=0, minute=0)
            elif not self._allows(self.hours, candidate.hour):
                candidate = (candidate + timedelta(hours=1)).replace(minute=0)
            elif not self._allows(self.minutes, candidate.minute):
                candidate += timedelta(minutes=1)
            else:
                return candidate
        raise ValueError(f"{self.expression} never fires")


class SqsPoller(threading.Thread):
    """Lambda's SQS event source: long-poll, invoke with a batch, delete what succeeded.

    A failed message stays on the queue until its visibility timeout passes, and goes to the
    dead-letter queue after maxReceiveCount attempts, as in the cloud (moto applies the redrive).
    """

    def __init__(
        self,
        spec: FunctionSpec,
        queue_url: str,
        batch_size: int,
        stop: threading.Event | None,
        *,
        run_handler: Callable[[FunctionSpec, dict], Any] = invoke,
    ):
        super().__init__(name=f"sqs:{spec.function_name}", daemon=True)
        self.spec, self.queue_url, self.batch_size, self.stop = spec, queue_url, batch_size, stop
        self.run_handler = run_handler
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
            result = self.run_handler(self.spec, event)
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


@dataclass
class _Batch:
    """Records read from one shard and not yet settled, with the retries spent on them."""

    records: list[dict]
    retries: int = 0
    invocations: int = 0


class StreamPoller(threading.Thread):
    """Lambda's DynamoDB stream event source: read every shard from its start and invoke the function
    with batches of records, in order, handling a failing batch as the event source mapping says.

    As in the cloud: with BisectBatchOnFunctionError the batch is split in two and each half tried
    on its own (splitting spends no retry); a batch that cannot be split is retried up to
    MaximumRetryAttempts times; then a description of its records goes to the on-failure queue and
    the shard moves on. With unlimited retries (-1) a failing batch holds its shard: poll_once
    raises the function's error and the next poll tries the batch again. Retries follow at once
    (Lambda backs off between them; locally no one waits for the stream).
    """

    def __init__(
        self,
        spec: FunctionSpec,
        source: StreamSource,
        stop: threading.Event | None,
        *,
        run_handler: Callable[[FunctionSpec, dict], Any] = invoke,
    ):
        super().__init__(name=f"stream:{spec.function_name}", daemon=True)
        self.spec, self.source, self.stop, self.run_handler = spec, source, stop, run_handler
        self.stream_arn, self.batch_size = source.stream_arn, source.batch_size
        # botocore's account-based streams endpoint (<account>.streams-ddb…) is one moto does not serve.
        self.streams = boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))
        # Shard id → the iterator to read next (None once a closed shard is read to its end).
        self.iterators: dict[str, str | None] = {}
        # Shard id → batches read but not yet settled, oldest first: the shard's checkpoint.
        self.unsettled: dict[str, deque[_Batch]] = {}

    def start_at_latest(self) -> None:
        """Skip what the stream holds now: deliver only the changes made from here on."""
        for shard in self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]:
            self.iterators[shard["ShardId"]] = self.streams.get_shard_iterator(
                StreamArn=self.stream_arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST"
            )["ShardIterator"]

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                if self.poll_once() == 0:
                    self.stop.wait(0.5)
            except Exception:
                log.exception("stream delivery to %s failed", self.spec.function_name)
                self.stop.wait(1)

    def poll_once(self) -> int:
        """Deliver what the stream holds now; the number of records settled (handled or set aside)."""
        shards = self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]
        for shard in shards:
            if shard["ShardId"] not in self.iterators:
                self.iterators[shard["ShardId"]] = self.streams.get_shard_iterator(
                    StreamArn=self.stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
        settled = 0
        for shard_id, iterator in list(self.iterators.items()):
            pending = self.unsettled.setdefault(shard_id, deque())
            if not pending and iterator is not None:
                page = self.streams.get_records(ShardIterator=iterator, Limit=self.batch_size)
                self.iterators[shard_id] = page.get("NextShardIterator")
                if page["Records"]:
                    pending.append(_Batch([self._record(record) for record in page["Records"]]))
            settled += self._settle(shard_id, pending)
        return settled

    def _settle(self, shard_id: str, pending: deque[_Batch]) -> int:
        """Works through a shard's unsettled batches in order; the number of records settled."""
        settled = 0
        while pending:
            batch = pending[0]
            batch.invocations += 1
            try:
                self.run_handler(self.spec, {"Records": batch.records})
            except Exception as error:
                log.warning("%s raised on %d stream records: %r", self.spec.function_name, len(batch.records), error)
                if self.source.bisect_batch_on_function_error and len(batch.records) > 1:
                    middle = len(batch.records) // 2
                    pending.popleft()
                    # Splitting spends no retry: each half keeps the count of the batch it came from.
                    pending.extendleft([_Batch(batch.records[middle:], batch.retries)])
                    pending.extendleft([_Batch(batch.records[:middle], batch.retries)])
                    continue
                if self.source.maximum_retry_attempts < 0:
                    raise
                if batch.retries < self.source.maximum_retry_attempts:
                    batch.retries += 1
                    continue
                self._set_aside(shard_id, batch)
            pending.popleft()
            settled += len(batch.records)
        return settled

    def _set_aside(self, shard_id: str, batch: _Batch) -> None:
        """What Lambda sends the on-failure destination once a batch's retries are spent: where the
        records are in the stream, not the records themselves."""
        if self.source.on_failure_queue_arn is None:
            log.error("%s: %d stream records dropped after their retries", self.spec.function_name, len(batch.records))
            return
        first, last = batch.records[0]["dynamodb"], batch.records[-1]["dynamodb"]
        description = {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": self._function_arn(),
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": batch.invocations,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "version": "1.0",
            "timestamp": _iso_utc(time.time()),
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": first["SequenceNumber"],
                "endSequenceNumber": last["SequenceNumber"],
                "approximateArrivalOfFirstRecord": _iso_utc(first["ApproximateCreationDateTime"]),
                "approximateArrivalOfLastRecord": _iso_utc(last["ApproximateCreationDateTime"]),
                "batchSize": len(batch.records),
                "streamArn": self.stream_arn,
            },
        }
        sqs = boto3.client("sqs")
        owner, name = self.source.on_failure_queue_arn.split(":")[4:6]
        queue_url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=owner)["QueueUrl"]
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(description))
        log.error("%s: %d stream records set aside on %s", self.spec.function_name, len(batch.records), name)

    def _function_arn(self) -> str:
        configuration = boto3.client("lambda").get_function_configuration(FunctionName=self.spec.function_name)
        return configuration["FunctionArn"]

    def _record(self, record: dict) -> dict:
        # Lambda gives the creation time in epoch seconds; boto3 parsed it into a datetime.
        created = record["dynamodb"].get("ApproximateCreationDateTime")
        dynamodb = {**record["dynamodb"]}
        if isinstance(created, datetime):
            dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
        return {**record, "dynamodb": dynamodb, "eventSource": "aws:dynamodb", "eventSourceARN": self.stream_arn}


def _iso_utc(epoch_s: float) -> str:
    """ISO 8601 in UTC with milliseconds, as Lambda writes the times of an on-failure record."""
    return datetime.fromtimestamp(epoch_s, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ScheduleTicker(threading.Thread):
    """EventBridge's schedule: the handler runs every period, divided by the demo's time scale.

    A `cron(...)` schedule runs on a demo clock that starts now and runs `time_scale` times faster
    (with 60, the daily 00:00 UTC digest comes within 24 minutes).
    """

    def __init__(self, spec: FunctionSpec, expression: str, time_scale: float, stop: threading.Event):
        super().__init__(name=f"schedule:{spec.function_name}", daemon=True)
        self.spec, self.stop, self.time_scale = spec, stop, time_scale
        self.cron = Cron(expression) if expression.startswith("cron(") else None
        self.period_s = None if self.cron else schedule_period_s(expression) / time_scale

    def _next_wait_s(self, started: datetime, real_start: float) -> float:
        if self.cron is None:
            return self.period_s
        demo_now = started + timedelta(seconds=(time.monotonic() - real_start) * self.time_scale)
        return max(0.0, (self.cron.next_after(demo_now) - demo_now).total_seconds() / self.time_scale)

    def run(self) -> None:
        started, real_start = datetime.now(UTC), time.monotonic()
        while not self.stop.wait(self._next_wait_s(started, real_start)):
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


class InvocationServer(ThreadingHTTPServer):
    """Where moto's own Lambda invocations (Step Functions tasks, SNS subscriptions) run our handlers:
    moto's process (phananh_local.moto_process) posts each event to /invoke/<function name> and
    gets back what moto's Invoke gives a caller, {"payload": <JSON text>, "error": <bool>}.

    It listens before anything is deployed, so that moto can be told where it is when it starts;
    until `serve` names the functions, an invocation is answered as one of an unknown function."""

    daemon_threads = True

    def __init__(self, host: str):
        self.functions: dict[str, FunctionSpec] = {}
        super().__init__((host, 0), _InvocationHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def serve(self, functions: list[FunctionSpec]) -> None:
        self.functions = {spec.function_name: spec for spec in functions}

    def run(self, name: str, event: Any) -> tuple[str, bool]:
        spec = self.functions.get(name)
        if spec is None:
            return json.dumps({"errorMessage": f"no local handler for {name}"}), True
        try:
            return json.dumps(invoke(spec, event)), False
        except Exception as error:
            log.exception("%s failed when moto invoked it", spec.function_name)
            return json.dumps({"errorType": type(error).__name__, "errorMessage": str(error)}), True


class _InvocationHandler(BaseHTTPRequestHandler):
    server: InvocationServer

    def do_POST(self) -> None:
        prefix = "/invoke/"
        if not self.path.startswith(prefix):
            self.send_error(404)
            return
        event = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        payload, error = self.server.run(self.path[len(prefix):], event)
        body = json.dumps({"payload": payload, "error": error}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the invocations are the handlers' business, not the access log's."""


def start_event_sources(
    functions: list[FunctionSpec], *, time_scale: float, stop: threading.Event, streams_from_now: bool = False
) -> list[threading.Thread]:
    """Every function's event sources, polling. With `streams_from_now` the stream pollers skip
    the records already in the streams (delivered before, or written by a restore)."""
    threads: list[threading.Thread] = []
    for spec in functions:
        threads += [SqsPoller(spec, url, size, stop) for url, size in spec.sqs_sources]
        threads += [ScheduleTicker(spec, expression, time_scale, stop) for expression in spec.schedules]
        for source in spec.stream_sources:
            poller = StreamPoller(spec, source, stop)
            if streams_from_now:
                poller.start_at_latest()
            threads.append(poller)
    for thread in threads:
        thread.start()
    return threads
