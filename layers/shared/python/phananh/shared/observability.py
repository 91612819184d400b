"""Logging and metrics, set up once for every function.

Logs are JSON with the report id as correlation id and never carry personal data: no contact,
device id, IP address, tracking token or description. Metrics are CloudWatch EMF lines in the
same log stream, so they cost no API call.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric

NAMESPACE = "Phananh"
# Powertools adds it to every metric as the `service` dimension; dashboards and alarms name it.
SERVICE = "phananh"

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
