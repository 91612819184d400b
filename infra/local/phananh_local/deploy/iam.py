"""AWS::IAM::Role. Policies are skipped: moto does not enforce IAM."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from phananh_local.deploy.model import Created, Handler

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


def create_role(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    # Only the role itself: moto does not enforce IAM, and Lambda needs a role that exists.
    name = stack.resolve(properties.get("RoleName")) or stack.physical_name(logical_id, max_length=64)
    role = stack.account.client("iam").create_role(
        RoleName=name,
        Path=stack.resolve(properties.get("Path", "/")),
        AssumeRolePolicyDocument=json.dumps(stack.resolve(properties["AssumeRolePolicyDocument"])),
    )["Role"]
    return Created(name, {"Arn": role["Arn"], "RoleId": role["RoleId"]})


HANDLERS: dict[str, Handler] = {
    "AWS::IAM::Role": create_role,
}
