"""Logging and metrics, set up once for every function.

Logs are JSON with the report id as correlation id and never carry personal data: no contact,
device id, IP address, tracking token or description. Metrics are CloudWatch EMF lines in the
same log stream, so they cost no API call.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

NAMESPACE = "Phananh"

logger = Logger(service="phananh")
metrics = Metrics(namespace=NAMESPACE, service="phananh")


def count(name: str, value: float = 1) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def flush() -> None:
    if metrics.metric_set:
        metrics.flush_metrics()
