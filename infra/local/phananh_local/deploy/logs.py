"""AWS::Logs::LogGroup, with its retention."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phananh_local.deploy.model import Created, Handler

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


def create_log_group(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    props = stack.resolve(properties)
    name = props.get("LogGroupName") or stack.physical_name(logical_id, max_length=512)
    logs = stack.account.client("logs")
    logs.create_log_group(logGroupName=name)
    if "RetentionInDays" in props:
        logs.put_retention_policy(logGroupName=name, retentionInDays=int(props["RetentionInDays"]))
    arn = f"arn:{stack.account.partition}:logs:{stack.account.region}:{stack.account.account_id}:log-group:{name}:*"
    return Created(name, {"Arn": arn})


HANDLERS: dict[str, Handler] = {
    "AWS::Logs::LogGroup": create_log_group,
}
