"""AWS::SecretsManager::Secret: a given value, or one generated as GenerateSecretString describes."""

from __future__ import annotations

import json
import secrets
import string
from typing import TYPE_CHECKING, Any

from phananh_local.deploy.model import Created, Handler

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


def create_secret(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    props = stack.resolve(properties)
    name = props.get("Name") or stack.physical_name(logical_id, max_length=256)
    if "SecretString" in props:
        value = props["SecretString"]
    else:
        value = _generate_secret_string(props.get("GenerateSecretString", {}))
    request = {"Name": name, "SecretString": value}
    request |= {key: props[key] for key in ("Description", "KmsKeyId") if key in props}
    arn = stack.account.client("secretsmanager").create_secret(**request)["ARN"]
    return Created(arn, {"Id": arn})


def _generate_secret_string(spec: dict[str, Any]) -> str:
    """Secrets Manager's GenerateSecretString, for the options CloudFormation documents."""
    alphabet = ""
    if not spec.get("ExcludeLowercase"):
        alphabet += string.ascii_lowercase
    if not spec.get("ExcludeUppercase"):
        alphabet += string.ascii_uppercase
    if not spec.get("ExcludeNumbers"):
        alphabet += string.digits
    if not spec.get("ExcludePunctuation"):
        alphabet += string.punctuation
    if spec.get("IncludeSpace"):
        alphabet += " "
    excluded = set(spec.get("ExcludeCharacters", ""))
    alphabet = "".join(char for char in alphabet if char not in excluded)
    value = "".join(secrets.choice(alphabet) for _ in range(int(spec.get("PasswordLength", 32))))
    if "GenerateStringKey" in spec:
        document = json.loads(spec.get("SecretStringTemplate", "{}"))
        document[spec["GenerateStringKey"]] = value
        return json.dumps(document)
    return value


HANDLERS: dict[str, Handler] = {
    "AWS::SecretsManager::Secret": create_secret,
}
