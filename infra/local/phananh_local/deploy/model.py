"""What a deployment produces and what each resource type's handler returns."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack

# The template metadata naming the Chalice app (functions/<app>) whose functions a stack holds.
APP_METADATA_KEY = "phananh:app"


class DeploymentError(RuntimeError):
    pass


class Unresolvable(DeploymentError):
    """A value refers to a resource this deployer skipped."""


@dataclass(frozen=True)
class FunctionSpec:
    app: str
    app_dir: Path
    handler: str
    function_name: str
    is_api: bool
    sqs_sources: list[tuple[str, int]] = field(default_factory=list)
    schedules: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict, repr=False)
    # DynamoDB streams the function reads, as Lambda's event source mapping would.
    stream_sources: list[StreamSource] = field(default_factory=list)


@dataclass(frozen=True)
class StreamSource:
    """A DynamoDB stream event source mapping: the stream, the batch size and what is done with a
    batch the function fails on (the mapping's properties of the same names)."""

    stream_arn: str
    batch_size: int
    # Retries of a failing batch; -1 (Lambda's default): until it succeeds.
    maximum_retry_attempts: int = -1
    bisect_batch_on_function_error: bool = False
    # The SQS queue told about records given up on; None: they are dropped.
    on_failure_queue_arn: str | None = None


@dataclass
class Deployment:
    region: str
    environment: dict[str, str]
    functions: list[FunctionSpec]
    # "<stack>/<logical id>" → physical id (name, URL or ARN: whatever Ref returns).
    physical: dict[str, str]
    # "<stack>/<logical id> (<type>)" for resources not created locally.
    skipped: list[str]


@dataclass
class Created:
    """A created resource: what Ref returns, and the attributes Fn::GetAtt can read."""

    ref: str
    attributes: dict[str, str] = field(default_factory=dict)


# Creates one resource of a type: (the stack, its logical id, its unresolved properties) → Created.
Handler = Callable[["Stack", str, dict[str, Any]], Created]


def attribute_text(value: Any) -> str:
    """A template value as the string an attribute map of SQS or SNS takes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)
