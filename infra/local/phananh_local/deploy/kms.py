"""AWS::KMS::Key and AWS::KMS::Alias."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from phananh_local.deploy.model import Created, Handler

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


def create_key(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    props = stack.resolve(properties)
    request = {key: props[key] for key in ("Description", "KeyUsage", "KeySpec", "MultiRegion") if key in props}
    if "KeyPolicy" in props:
        request["Policy"] = json.dumps(props["KeyPolicy"])
    kms = stack.account.client("kms")
    key = kms.create_key(**request)["KeyMetadata"]
    if props.get("EnableKeyRotation"):
        kms.enable_key_rotation(KeyId=key["KeyId"])
    return Created(key["KeyId"], {"Arn": key["Arn"], "KeyId": key["KeyId"]})


def create_alias(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    props = stack.resolve(properties)
    stack.account.client("kms").create_alias(AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"])
    return Created(props["AliasName"])


HANDLERS: dict[str, Handler] = {
    "AWS::KMS::Key": create_key,
    "AWS::KMS::Alias": create_alias,
}
