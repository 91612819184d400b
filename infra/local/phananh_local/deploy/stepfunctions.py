"""AWS::StepFunctions::StateMachine, its definition given inline."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from phananh_local.deploy.intrinsics import SUB_VARIABLE
from phananh_local.deploy.model import Created, DeploymentError, Handler

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


def create_state_machine(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    props = stack.resolve(properties)
    if "DefinitionS3Location" in props:
        raise DeploymentError(f"{stack.stack_name}/{logical_id}: give the definition inline, not as an S3 asset")
    definition = props.get("DefinitionString")
    if definition is None:
        definition = json.dumps(props["Definition"])
    # CloudFormation's DefinitionSubstitutions: ${name} for the names given, nothing else.
    substitutions = {name: str(value) for name, value in props.get("DefinitionSubstitutions", {}).items()}
    definition = SUB_VARIABLE.sub(
        lambda match: substitutions.get(match.group(1), match.group(0)), definition
    )
    name = props.get("StateMachineName") or stack.physical_name(logical_id, max_length=80)
    request: dict[str, Any] = {
        "name": name,
        "definition": definition,
        "roleArn": props["RoleArn"],
        "type": props.get("StateMachineType", "STANDARD"),
    }
    if "LoggingConfiguration" in props:
        logging = props["LoggingConfiguration"]
        request["loggingConfiguration"] = {
            "level": logging.get("Level", "OFF"),
            "includeExecutionData": bool(logging.get("IncludeExecutionData", False)),
            "destinations": [
                {"cloudWatchLogsLogGroup": {"logGroupArn": item["CloudWatchLogsLogGroup"]["LogGroupArn"]}}
                for item in logging.get("Destinations", [])
            ],
        }
    if "TracingConfiguration" in props:
        request["tracingConfiguration"] = {"enabled": bool(props["TracingConfiguration"].get("Enabled"))}
    arn = stack.account.client("stepfunctions").create_state_machine(**request)["stateMachineArn"]
    return Created(arn, {"Arn": arn, "Name": name})


HANDLERS: dict[str, Handler] = {
    "AWS::StepFunctions::StateMachine": create_state_machine,
}
