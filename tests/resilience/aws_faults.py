"""AWS calls that fail, as the code sees them when the SDK's own retries did not help.

A botocore `before-call` hook on every client the domain uses answers a share of the calls itself,
with a throttling error or a 5xx, chosen by a seeded random generator: the same seed fails the same
calls. Only the domain's clients are hooked; the tests' own boto3 clients always reach moto.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from botocore.awsrequest import AWSResponse

from phananh.adapters.aws import clients
from phananh.adapters.dynamo import models, reports

# The services the submit and route functions call besides DynamoDB (adapters.aws.clients.client).
DOMAIN_SERVICES = ("s3", "sqs", "sns", "ses", "kms", "secretsmanager", "stepfunctions")
INJECTED = (
    (400, "ThrottlingException", "Rate exceeded"),
    (500, "InternalServerError", "We encountered an internal error. Please try again."),
)


class FaultInjector:
    """Fails `rate` of the calls it sees (of `operations` only, when named, as "s3.HeadObject");
    counts every call and every failure per operation."""

    def __init__(self, rate: float, seed: int, operations: frozenset[str] = frozenset()):
        self.rate = rate
        self.operations = operations
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()

    def __call__(self, model, context, **_) -> tuple[AWSResponse, dict] | None:
        operation = f"{model.service_model.service_name}.{model.name}"
        with self._lock:
            self.calls[operation] += 1
            if (self.operations and operation not in self.operations) or self._random.random() >= self.rate:
                return None
            status, code, message = self._random.choice(INJECTED)
            self.failures[operation] += 1
        response = AWSResponse(url="https://injected.invalid/", status_code=status, headers={}, raw=None)
        response._content = b""
        parsed = {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": {}, "RetryAttempts": 0},
        }
        return response, parsed

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def total_failures(self) -> int:
        return sum(self.failures.values())


def _pynamodb_models() -> list[type]:
    return [
        value for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, models.Model) and value is not models.Model
    ]


def _fresh_domain_clients() -> list:
    """Drop the clients the domain has cached and build them again: botocore copies a session's
    hooks into a client when it is made, so a hook must go on each client."""
    clients.client.cache_clear()
    reports._connection.cache_clear()
    for model in _pynamodb_models():
        model._connection = None
    domain_clients = [clients.client(service) for service in DOMAIN_SERVICES]
    domain_clients.append(reports._connection().client)
    domain_clients += [model._get_connection().connection.client for model in _pynamodb_models()]
    return domain_clients


@contextmanager
def failing_aws_calls(rate: float, seed: int, operations: frozenset[str] = frozenset()) -> Iterator[FaultInjector]:
    injector = FaultInjector(rate, seed, operations)
    hooked = _fresh_domain_clients()
    for client in hooked:
        client.meta.events.register("before-call", injector)
    try:
        yield injector
    finally:
        for client in hooked:
            client.meta.events.unregister("before-call", injector)
        _fresh_domain_clients()
