"""The real adapters, built once per container: every app's `app.py` takes its `Ports` from here at
import time. Building them costs nothing: each AWS client is created on its first call.

A function may ask for only the ports its role can use (the photo check: photos and queues). The
others are then out of its reach in code as they are in IAM, and their modules, PynamoDB's among
them, are never imported by it.
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache
from importlib import import_module
from typing import Any

from phananh.ports import Ports

# Each port's adapter: (module, class).
_ADAPTERS = {
    "reports": ("phananh.adapters.dynamo.reports", "DynamoReportStore"),
    "directory": ("phananh.adapters.dynamo.directory", "DynamoDirectoryStore"),
    "claims": ("phananh.adapters.dynamo.claims", "DynamoIdempotencyStore"),
    "rate_limits": ("phananh.adapters.dynamo.rate_limits", "DynamoRateLimitStore"),
    "scorecards": ("phananh.adapters.dynamo.scorecards", "DynamoScorecardStore"),
    "contacts": ("phananh.adapters.aws.kms", "KmsContactVault"),
    "photos": ("phananh.adapters.aws.s3", "S3PhotoStorage"),
    "queues": ("phananh.adapters.aws.sqs", "SqsWorkQueues"),
    "notifier": ("phananh.adapters.aws.notifications", "SesSnsNotifier"),
    "escalations": ("phananh.adapters.aws.stepfunctions", "StepFunctionsEscalations"),
    "secret": ("phananh.adapters.aws.secrets", "SecretsManagerSecret"),
    "sign_ins": ("phananh.adapters.aws.cognito", "CognitoSignIns"),
    "open_data": ("phananh.adapters.aws.open_data", "S3OpenDataFiles"),
    "follows": ("phananh.adapters.dynamo.follows", "DynamoFollowStore"),
}


class OutOfReach:
    """A port this function was not given: using it is a programming error, said plainly."""

    def __init__(self, port: str) -> None:
        self._port = port

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"this function was built without the {self._port!r} port (bootstrap.ports)")


def _adapter(port: str) -> Any:
    module, name = _ADAPTERS[port]
    return getattr(import_module(module), name)()


@cache
def ports(*only: str) -> Ports:
    """Every port's real adapter, or, when `only` names some, those and OutOfReach for the rest."""
    unknown = set(only) - set(_ADAPTERS)
    if unknown:
        raise ValueError(f"no such port: {sorted(unknown)}")
    return Ports(**{
        field.name: _adapter(field.name) if not only or field.name in only else OutOfReach(field.name)
        for field in fields(Ports)
    })
