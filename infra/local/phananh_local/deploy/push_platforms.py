"""Custom::SnsPlatformApplication (phananh_cdk.push_platforms): moto's platform applications stand in
for FCM's and APNs's. moto checks no credential, so none is read: the local stack pushes through both
services from the start, and each push prints in the terminal (phananh_local.server.AlertPrinter)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phananh_local.deploy.model import Created, Handler

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


def create_platform_application(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    # Only what names the application: its ServiceToken is the cloud's handler, not deployed here.
    name, platform = stack.resolve(properties["Name"]), stack.resolve(properties["Platform"])
    arn = stack.account.client("sns").create_platform_application(
        Name=name, Platform=platform, Attributes={"PlatformCredential": "local-stand-in"}
    )["PlatformApplicationArn"]
    return Created(arn, {"Arn": arn})


HANDLERS: dict[str, Handler] = {
    "Custom::SnsPlatformApplication": create_platform_application,
}
