"""AWS::Serverless::Function: a Lambda function with placeholder code, and the spec the local stack
runs its handler and event sources from."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any

from phananh_local.assembly import REPO_ROOT
from phananh_local.deploy.intrinsics import references
from phananh_local.deploy.model import APP_METADATA_KEY, Created, DeploymentError, FunctionSpec, Handler, StreamSource

FUNCTIONS_DIR = REPO_ROOT / "functions"

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


def create_function(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    if stack.app_name is None:
        raise DeploymentError(f"{stack.stack_name} has functions but no {APP_METADATA_KEY!r} template metadata")
    name = stack.resolve(properties.get("FunctionName")) or stack.physical_name(logical_id, max_length=64)
    variables = stack.resolve(properties.get("Environment", {}).get("Variables", {}))
    variables = {**variables, **stack.local_overrides}
    handler = stack.resolve(properties["Handler"])
    function = stack.account.client("lambda").create_function(
        FunctionName=name,
        Runtime=stack.resolve(properties.get("Runtime", "python3.11")),
        Role=stack.resolve(properties["Role"]),
        Handler=handler,
        Code={"ZipFile": _placeholder_code()},
        Environment={"Variables": variables},
        Timeout=int(stack.resolve(properties.get("Timeout", 3))),
        MemorySize=int(stack.resolve(properties.get("MemorySize", 128))),
    )
    events = properties.get("Events", {}).values()
    stack.functions.append(
        FunctionSpec(
            app=stack.app_name,
            app_dir=FUNCTIONS_DIR / stack.app_name,
            handler=handler,
            function_name=name,
            is_api=_serves_api(stack, logical_id, events),
            sqs_sources=[
                (
                    stack.account.queue_url(stack.resolve(event["Properties"]["Queue"])),
                    int(event["Properties"].get("BatchSize", 10)),
                )
                for event in events
                if event["Type"] == "SQS"
            ],
            schedules=[
                stack.resolve(event["Properties"]["Schedule"]) for event in events if event["Type"] == "Schedule"
            ]
            + [
                stack.resolve(event["Properties"]["ScheduleExpression"])
                for event in events
                if event["Type"] == "ScheduleV2"
            ],
            environment=variables,
            stream_sources=[
                _stream_source(stack, logical_id, event["Properties"])
                for event in events
                if event["Type"] == "DynamoDB"
            ],
        )
    )
    return Created(name, {"Arn": function["FunctionArn"]})


def _serves_api(stack: Stack, logical_id: str, events: Any) -> bool:
    """Chalice wires its API through the API's OpenAPI body rather than function events."""
    if any(event["Type"] in ("Api", "HttpApi") for event in events):
        return True
    api_types = ("AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGateway::RestApi")
    return any(
        resource["Type"] in api_types and logical_id in set(references(resource))
        for resource in stack.resources.values()
    )


def _stream_source(stack: Stack, logical_id: str, properties: dict[str, Any]) -> StreamSource:
    props = stack.resolve(properties)
    destination = props.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
    if destination is not None and destination.split(":")[2] != "sqs":
        raise DeploymentError(f"{stack.stack_name}/{logical_id}: only an SQS on-failure destination is played locally")
    return StreamSource(
        stream_arn=props["Stream"],
        batch_size=int(props.get("BatchSize", 100)),
        maximum_retry_attempts=int(props.get("MaximumRetryAttempts", -1)),
        bisect_batch_on_function_error=bool(props.get("BisectBatchOnFunctionError", False)),
        on_failure_queue_arn=destination,
    )


def _placeholder_code() -> bytes:
    """Lambda needs some code; the real handlers run in-process, dispatched by the local stack."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "placeholder: phananh runs this function in-process\n")
    return buffer.getvalue()


HANDLERS: dict[str, Handler] = {
    "AWS::Serverless::Function": create_function,
}
