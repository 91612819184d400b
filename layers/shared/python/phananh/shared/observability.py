"""Logging, metrics and tracing, set up once for every function.

Logs are JSON with the report id as correlation id and never carry personal data: no contact,
device id, IP address, tracking token or description. A key that names one record (the report id
of one queue message) is put on the lines of that record's work with `record_keys`, and on no line
after it. Metrics are CloudWatch EMF lines in the same log stream, so they cost no API call.

Traces: X-Ray is on for every function (the CDK template), and `traced` (worn by every handler
through phananh.adapters.web.install) adds a subsegment per invocation with the AWS calls made in
it. The powertools Tracer behind it is built on the first traced invocation in Lambda, never on
import: building it loads aws_xray_sdk and patches botocore, which neither a cold start's imports
nor the tests, benchmarks or local stack should pay for.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric

NAMESPACE = "Phananh"
# Powertools adds it to every metric as the `service` dimension; dashboards and alarms name it.
SERVICE = "phananh"
# botocore carries every AWS call we make, PynamoDB's and boto3's alike.
TRACED_LIBRARIES = ("botocore",)

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)


def count(name: str, value: float = 1) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def measure(name: str, value: float, unit: MetricUnit = MetricUnit.Count) -> None:
    """A value to average or take the maximum of (a latency, a score, a backlog), not to add up."""
    metrics.add_metric(name=name, unit=unit, value=value)


def count_by(name: str, dimension: str, value: str) -> None:
    """A count split by one more dimension; written at once, as its own EMF line, because a
    dimension applies to every metric in a set."""
    with single_metric(
        name=name, unit=MetricUnit.Count, value=1, namespace=NAMESPACE, default_dimensions={"service": SERVICE}
    ) as metric:
        metric.add_dimension(name=dimension, value=value)


def flush() -> None:
    if metrics.metric_set:
        metrics.flush_metrics()


@contextmanager
def record_keys(**keys: object) -> Iterator[None]:
    """`keys` on every log line this thread writes inside the block and on none after it, however
    the block ends; a key this thread had set before the block gets its earlier value back.

    The keys are the thread's own (powertools' thread-safe keys, a context variable): two records
    handled at once, as tests and the local stack do, cannot leave one another's keys behind.
    """
    current = logger.thread_safe_get_current_keys()
    earlier = {key: current[key] for key in keys if key in current}
    logger.thread_safe_append_keys(**keys)
    try:
        yield
    finally:
        logger.thread_safe_remove_keys(keys)
        logger.thread_safe_append_keys(**earlier)


def traced_invocation() -> bool:
    """Whether this invocation is traced: Lambda names the function for the container's life and
    gives each traced invocation its trace header; a test, a benchmark or the local stack has neither."""
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME") and os.environ.get("_X_AMZN_TRACE_ID"))


@cache
def _tracer() -> Tracer:
    return Tracer(service=SERVICE, patch_modules=TRACED_LIBRARIES)


@contextmanager
def traced(name: str) -> Iterator[None]:
    """An X-Ray subsegment `## name` around the block when the invocation is traced; else nothing."""
    if not traced_invocation():
        yield
        return
    with _tracer().provider.in_subsegment(name=f"## {name}") as subsegment:
        subsegment.put_annotation(key="Service", value=SERVICE)
        yield
