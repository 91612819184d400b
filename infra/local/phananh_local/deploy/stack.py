"""One stack deployed: resources created in reference order by their type's handler, the rest listed
as skipped, and the stack's exports published for the stacks after it."""

from __future__ import annotations

import graphlib
import hashlib
from typing import Any

from phananh_local.deploy import (
    cognito,
    dynamodb,
    functions,
    iam,
    kms,
    logs,
    push_platforms,
    s3,
    secretsmanager,
    ses,
    sns,
    sqs,
    stepfunctions,
)
from phananh_local.deploy.account import Account
from phananh_local.deploy.intrinsics import Intrinsics, references
from phananh_local.deploy.model import APP_METADATA_KEY, FunctionSpec, Handler, Unresolvable

# The resource types created locally; any other type is skipped (IAM policies, APIs, layers, alarms…).
HANDLERS: dict[str, Handler] = {
    **dynamodb.HANDLERS,
    **s3.HANDLERS,
    **sqs.HANDLERS,
    **sns.HANDLERS,
    **push_platforms.HANDLERS,
    **kms.HANDLERS,
    **secretsmanager.HANDLERS,
    **ses.HANDLERS,
    **cognito.HANDLERS,
    **iam.HANDLERS,
    **logs.HANDLERS,
    **stepfunctions.HANDLERS,
    **functions.HANDLERS,
}


class Stack(Intrinsics):
    def __init__(
        self,
        account: Account,
        stack_name: str,
        template: dict[str, Any],
        local_overrides: dict[str, str],
    ) -> None:
        super().__init__(account, stack_name, template)
        self.app_name: str | None = template.get("Metadata", {}).get(APP_METADATA_KEY)
        self.local_overrides = local_overrides
        self.skipped: list[str] = []
        self.functions: list[FunctionSpec] = []

    def deploy(self) -> None:
        order = graphlib.TopologicalSorter(
            {logical_id: self._dependencies(resource) for logical_id, resource in self.resources.items()}
        )
        for logical_id in order.static_order():
            resource = self.resources[logical_id]
            kind = resource["Type"]
            handler = HANDLERS.get(kind)
            if "Condition" in resource and not self.condition(resource["Condition"]):
                self.skipped.append(f"{self.stack_name}/{logical_id} ({kind}, condition false)")
            elif handler is None:
                self.skipped.append(f"{self.stack_name}/{logical_id} ({kind})")
            else:
                self.created[logical_id] = handler(self, logical_id, resource.get("Properties", {}))
        self._publish_exports()

    def _dependencies(self, resource: dict[str, Any]) -> set[str]:
        depends_on = resource.get("DependsOn", [])
        named = {depends_on} if isinstance(depends_on, str) else set(depends_on)
        return (named | set(references(resource))) & self.resources.keys()

    def _publish_exports(self) -> None:
        for output in self.template.get("Outputs", {}).values():
            if "Export" not in output:
                continue
            try:
                name = self.resolve(output["Export"]["Name"])
                self.account.exports[name] = self.resolve(output["Value"])
            except Unresolvable:
                continue

    def physical_name(self, logical_id: str, *, max_length: int, lowercase: bool = False) -> str:
        """A stable stand-in for CloudFormation's generated names: stack-logical-hash."""
        suffix = hashlib.sha256(f"{self.stack_name}/{logical_id}".encode()).hexdigest()[:8]
        stem = f"{self.stack_name}-{logical_id}"[: max_length - len(suffix) - 1]
        name = f"{stem}-{suffix}"
        return name.lower() if lowercase else name
