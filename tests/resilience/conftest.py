"""Resilience fixtures, on the shared moto account of tests/aws_account.py (`aws`, `seeded`,
`submit_api`, `route_api`, …)."""

from datetime import timedelta

import pytest
from resilience.harness import IntakeDelivery

from phananh.escalation import alerts
from phananh.shared.observability import logger
from phananh.shared.settings import get_settings


@pytest.fixture
def intake(seeded, monkeypatch):
    # A lease already over when taken, as the visibility timeout of nothing makes every failed message
    # visible at once: a redelivery takes over a claim its failed sender could not give back.
    monkeypatch.setattr(alerts, "CLAIM_LEASE", timedelta(seconds=-1))
    delivery = IntakeDelivery(seeded)
    for queue in delivery.queues:
        delivery.sqs.set_queue_attributes(QueueUrl=queue.queue_url, Attributes={"VisibilityTimeout": "0"})
    yield delivery
    for queue in delivery.queues:
        delivery.sqs.set_queue_attributes(
            QueueUrl=queue.queue_url, Attributes={"VisibilityTimeout": queue.visibility_timeout}
        )


@pytest.fixture
def unthrottled(monkeypatch):
    """Thousands of submissions from the test client's one address: the per-IP bucket out of the way."""
    monkeypatch.setenv("PHANANH_IP_BUCKET_CAPACITY", "1000000")
    monkeypatch.setenv("PHANANH_DEVICE_BUCKET_CAPACITY", "1000000")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def quiet_logs():
    """Thousands of injected failures, each logged with its traceback, would only slow the run."""
    level = logger.log_level
    logger.setLevel("CRITICAL")
    yield
    logger.setLevel(level)
