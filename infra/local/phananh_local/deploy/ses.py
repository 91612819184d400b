"""AWS::SES::EmailIdentity: an address or a domain, verified at once (moto verifies on request)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phananh_local.deploy.model import Created, Handler

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


def verify_email_identity(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    identity = stack.resolve(properties["EmailIdentity"])
    ses = stack.account.client("ses")
    if "@" in identity:
        ses.verify_email_identity(EmailAddress=identity)
    else:
        ses.verify_domain_identity(Domain=identity)
    return Created(identity)


HANDLERS: dict[str, Handler] = {
    "AWS::SES::EmailIdentity": verify_email_identity,
}
