"""CloudFormation's intrinsic functions and pseudo parameters, resolved against one stack's template,
the resources created so far and the exports of the stacks deployed before it."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

from phananh_local.deploy.account import Account
from phananh_local.deploy.model import Created, DeploymentError, Unresolvable

SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class _NoValue:
    """AWS::NoValue: drops the key or list item holding it."""


NO_VALUE = _NoValue()


class Intrinsics:
    """Resolves template values: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::ImportValue, conditions…"""

    def __init__(self, account: Account, stack_name: str, template: dict[str, Any]) -> None:
        self.account = account
        self.stack_name = stack_name
        self.template = template
        self.resources: dict[str, dict[str, Any]] = template.get("Resources", {})
        self.created: dict[str, Created] = {}
        self._conditions: dict[str, bool] = {}

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self.resolve(item) for item in value]
            return [item for item in items if item is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref":
                return self._ref(argument)
            if key == "Condition" and isinstance(argument, str):
                return self.condition(argument)
            if key.startswith("Fn::"):
                return self._function(key, argument)
        resolved = {key: self.resolve(item) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not NO_VALUE}

    def _function(self, name: str, argument: Any) -> Any:
        match name:
            case "Fn::GetAtt":
                logical_id, attribute = argument.split(".", 1) if isinstance(argument, str) else argument
                return self._get_att(logical_id, self.resolve(attribute))
            case "Fn::Join":
                delimiter, items = argument
                return self.resolve(delimiter).join(str(item) for item in self.resolve(items))
            case "Fn::Sub":
                return self._sub(argument)
            case "Fn::Select":
                index, items = self.resolve(argument)
                return items[int(index)]
            case "Fn::Split":
                delimiter, text = self.resolve(argument)
                return text.split(delimiter)
            case "Fn::ImportValue":
                export = self.resolve(argument)
                if export not in self.account.exports:
                    raise DeploymentError(f"{self.stack_name} imports unknown export {export!r}")
                return self.account.exports[export]
            case "Fn::If":
                condition, when_true, when_false = argument
                return self.resolve(when_true if self.condition(condition) else when_false)
            case "Fn::Equals":
                left, right = self.resolve(argument)
                return left == right
            case "Fn::Not":
                return not self.resolve(argument)[0]
            case "Fn::And":
                return all(self.resolve(argument))
            case "Fn::Or":
                return any(self.resolve(argument))
            case "Fn::Base64":
                return base64.b64encode(str(self.resolve(argument)).encode()).decode()
            case "Fn::GetAZs":
                region = self.resolve(argument) or self.account.region
                return [f"{region}{zone}" for zone in "abc"]
        raise DeploymentError(f"{self.stack_name}: unsupported intrinsic {name}")

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            self._conditions[name] = bool(self.resolve(self.template["Conditions"][name]))
        return self._conditions[name]

    def _ref(self, name: str) -> Any:
        pseudo = {
            "AWS::Region": self.account.region,
            "AWS::AccountId": self.account.account_id,
            "AWS::Partition": self.account.partition,
            "AWS::URLSuffix": self.account.url_suffix,
            "AWS::StackName": self.stack_name,
            "AWS::StackId": (
                f"arn:{self.account.partition}:cloudformation:{self.account.region}:"
                f"{self.account.account_id}:stack/{self.stack_name}/{self.stack_name}"
            ),
            "AWS::NotificationARNs": [],
            "AWS::NoValue": NO_VALUE,
        }
        if name in pseudo:
            return pseudo[name]
        parameters = self.template.get("Parameters", {})
        if name in parameters:
            if "Default" not in parameters[name]:
                raise DeploymentError(f"{self.stack_name}: parameter {name} has no default")
            return parameters[name]["Default"]
        return self._created(name).ref

    def _get_att(self, logical_id: str, attribute: str) -> str:
        attributes = self._created(logical_id).attributes
        if attribute not in attributes:
            raise DeploymentError(f"{self.stack_name}/{logical_id}: attribute {attribute} is not supported locally")
        return attributes[attribute]

    def _created(self, logical_id: str) -> Created:
        if logical_id in self.created:
            return self.created[logical_id]
        if logical_id in self.resources:
            raise Unresolvable(f"{self.stack_name}/{logical_id} is not created locally")
        raise DeploymentError(f"{self.stack_name}: unknown reference {logical_id}")

    def _sub(self, argument: str | list[Any]) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        variables = self.resolve(variables)

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(variables[name])
            if "." in name and not name.startswith("AWS::"):
                logical_id, attribute = name.split(".", 1)
                return self._get_att(logical_id, attribute)
            return str(self._ref(name))

        return SUB_VARIABLE.sub(replace, text)


def references(value: Any) -> Iterator[str]:
    """Logical ids (and pseudo parameters) a template fragment refers to."""
    if isinstance(value, list):
        for item in value:
            yield from references(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                yield item
            elif key == "Fn::GetAtt":
                yield item.split(".", 1)[0] if isinstance(item, str) else item[0]
            elif key == "Fn::Sub":
                text = item if isinstance(item, str) else item[0]
                for name in SUB_VARIABLE.findall(text):
                    if not name.startswith("!"):
                        yield name.split(".", 1)[0]
                if not isinstance(item, str):
                    yield from references(item[1])
            else:
                yield from references(item)
