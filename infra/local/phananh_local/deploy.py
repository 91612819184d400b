"""Deploys a synthesized CDK app onto the AWS endpoint boto3 is configured for (moto, locally).

A small CloudFormation: stacks in dependency order, resources in reference order, intrinsics
resolved, the resource types the system uses created through the service APIs. Everything is
read from the templates, so the local resources are the cloud ones under the same names.
"""

from __future__ import annotations

import base64
import graphlib
import hashlib
import io
import json
import re
import secrets
import string
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from phananh_local.assembly import REPO_ROOT, local_wards_geojson

__all__ = ["Deployment", "DeploymentError", "FunctionSpec", "deploy", "local_wards_geojson"]

APP_METADATA_KEY = "phananh:app"
FUNCTIONS_DIR = REPO_ROOT / "functions"
STACK_ARTIFACT = "aws:cloudformation:stack"
SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class DeploymentError(RuntimeError):
    pass


class _Unresolvable(DeploymentError):
    """A value refers to a resource this deployer skipped."""


class _NoValue:
    """AWS::NoValue: drops the key or list item holding it."""


NO_VALUE = _NoValue()


@dataclass(frozen=True)
class FunctionSpec:
    app: str
    app_dir: Path
    handler: str
    function_name: str
    is_api: bool
    sqs_sources: list[tuple[str, int]] = field(default_factory=list)
    schedules: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict, repr=False)
    # DynamoDB streams (ARN, batch size) the function reads, as Lambda's event source mapping would.
    stream_sources: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Deployment:
    region: str
    environment: dict[str, str]
    functions: list[FunctionSpec]
    # "<stack>/<logical id>" → physical id (name, URL or ARN: whatever Ref returns).
    physical: dict[str, str]
    # "<stack>/<logical id> (<type>)" for resources not created locally.
    skipped: list[str]


@dataclass
class _Created:
    ref: str
    attributes: dict[str, str] = field(default_factory=dict)


class _Account:
    """Clients and pseudo parameters for one region of the target endpoint."""

    def __init__(self, region: str) -> None:
        self.region = region
        self._session = boto3.session.Session(region_name=region)
        self._clients: dict[str, Any] = {}
        self.account_id = self.client("sts").get_caller_identity()["Account"]
        self.partition = (
            "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"
        )
        self.url_suffix = "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"
        self.exports: dict[str, str] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self._session.client(service)
        return self._clients[service]

    def queue_url(self, queue_arn: str) -> str:
        name, owner = queue_arn.split(":")[5], queue_arn.split(":")[4]
        return self.client("sqs").get_queue_url(QueueName=name, QueueOwnerAWSAccountId=owner)["QueueUrl"]


class _StackDeployer:
    def __init__(
        self,
        account: _Account,
        stack_name: str,
        template: dict[str, Any],
        local_overrides: dict[str, str],
    ) -> None:
        self.account = account
        self.stack_name = stack_name
        self.template = template
        self.resources: dict[str, dict[str, Any]] = template.get("Resources", {})
        self.app_name: str | None = template.get("Metadata", {}).get(APP_METADATA_KEY)
        self.local_overrides = local_overrides
        self.created: dict[str, _Created] = {}
        self.skipped: list[str] = []
        self.functions: list[FunctionSpec] = []
        self._conditions: dict[str, bool] = {}
        self._handlers: dict[str, Callable[[str, dict[str, Any]], _Created]] = {
            "AWS::DynamoDB::Table": self._dynamodb_table,
            "AWS::S3::Bucket": self._s3_bucket,
            "Custom::S3BucketNotifications": self._s3_bucket_notifications,
            "AWS::SQS::Queue": self._sqs_queue,
            "AWS::SNS::Topic": self._sns_topic,
            "AWS::KMS::Key": self._kms_key,
            "AWS::KMS::Alias": self._kms_alias,
            "AWS::SecretsManager::Secret": self._secret,
            "AWS::SES::EmailIdentity": self._ses_email_identity,
            "AWS::Cognito::UserPool": self._cognito_user_pool,
            "AWS::Cognito::UserPoolGroup": self._cognito_user_pool_group,
            "AWS::Cognito::UserPoolClient": self._cognito_user_pool_client,
            "AWS::IAM::Role": self._iam_role,
            "AWS::Logs::LogGroup": self._log_group,
            "AWS::StepFunctions::StateMachine": self._state_machine,
            "AWS::Serverless::Function": self._serverless_function,
        }

    # -- orchestration ---------------------------------------------------------------------

    def deploy(self) -> None:
        order = graphlib.TopologicalSorter(
            {logical_id: self._dependencies(resource) for logical_id, resource in self.resources.items()}
        )
        for logical_id in order.static_order():
            resource = self.resources[logical_id]
            kind = resource["Type"]
            handler = self._handlers.get(kind)
            if "Condition" in resource and not self._condition(resource["Condition"]):
                self.skipped.append(f"{self.stack_name}/{logical_id} ({kind}, condition false)")
            elif handler is None:
                self.skipped.append(f"{self.stack_name}/{logical_id} ({kind})")
            else:
                self.created[logical_id] = handler(logical_id, resource.get("Properties", {}))
        self._publish_exports()

    def _dependencies(self, resource: dict[str, Any]) -> set[str]:
        depends_on = resource.get("DependsOn", [])
        named = {depends_on} if isinstance(depends_on, str) else set(depends_on)
        return (named | set(_references(resource))) & self.resources.keys()

    def _publish_exports(self) -> None:
        for output in self.template.get("Outputs", {}).values():
            if "Export" not in output:
                continue
            try:
                name = self.resolve(output["Export"]["Name"])
                self.account.exports[name] = self.resolve(output["Value"])
            except _Unresolvable:
                continue

    def physical_name(self, logical_id: str, *, max_length: int, lowercase: bool = False) -> str:
        """A stable stand-in for CloudFormation's generated names: stack-logical-hash."""
        suffix = hashlib.sha256(f"{self.stack_name}/{logical_id}".encode()).hexdigest()[:8]
        stem = f"{self.stack_name}-{logical_id}"[: max_length - len(suffix) - 1]
        name = f"{stem}-{suffix}"
        return name.lower() if lowercase else name

    # -- intrinsic functions -----------------------------------------------------------------

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
                return self._condition(argument)
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
                return self.resolve(when_true if self._condition(condition) else when_false)
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

    def _condition(self, name: str) -> bool:
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

    def _created(self, logical_id: str) -> _Created:
        if logical_id in self.created:
            return self.created[logical_id]
        if logical_id in self.resources:
            raise _Unresolvable(f"{self.stack_name}/{logical_id} is not created locally")
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

    # -- resource types ----------------------------------------------------------------------

    def _dynamodb_table(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        name = props.get("TableName") or self.physical_name(logical_id, max_length=255)
        billing = props.get("BillingMode", "PROVISIONED")
        request: dict[str, Any] = {
            "TableName": name,
            "KeySchema": props["KeySchema"],
            "AttributeDefinitions": props["AttributeDefinitions"],
            "BillingMode": billing,
        }
        if billing == "PROVISIONED":
            request["ProvisionedThroughput"] = props["ProvisionedThroughput"]
        for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            if key in props:
                request[key] = [
                    {
                        item: index[item]
                        for item in ("IndexName", "KeySchema", "Projection", "ProvisionedThroughput")
                        if item in index
                    }
                    for index in props[key]
                ]
        if "StreamSpecification" in props:
            request["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        if "SSESpecification" in props:
            sse = props["SSESpecification"]
            request["SSESpecification"] = {
                "Enabled": sse.get("SSEEnabled", False),
                **{key: sse[key] for key in ("SSEType", "KMSMasterKeyId") if key in sse},
            }
        dynamodb = self.account.client("dynamodb")
        table = dynamodb.create_table(**request)["TableDescription"]
        if props.get("TimeToLiveSpecification", {}).get("Enabled"):
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=props["TimeToLiveSpecification"])
        pitr = props.get("PointInTimeRecoverySpecification", {})
        if pitr.get("PointInTimeRecoveryEnabled"):
            dynamodb.update_continuous_backups(
                TableName=name,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
        attributes = {"Arn": table["TableArn"]}
        if "LatestStreamArn" in table:
            attributes["StreamArn"] = table["LatestStreamArn"]
        return _Created(name, attributes)

    def _s3_bucket(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        name = props.get("BucketName") or self.physical_name(logical_id, max_length=63, lowercase=True)
        s3 = self.account.client("s3")
        request: dict[str, Any] = {"Bucket": name}
        if self.account.region != "us-east-1":
            request["CreateBucketConfiguration"] = {"LocationConstraint": self.account.region}
        s3.create_bucket(**request)
        if "PublicAccessBlockConfiguration" in props:
            s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
            )
        if "BucketEncryption" in props:
            rules = [
                {
                    "ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"],
                    **({"BucketKeyEnabled": rule["BucketKeyEnabled"]} if "BucketKeyEnabled" in rule else {}),
                }
                for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            ]
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
        if "VersioningConfiguration" in props:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
        suffix = self.account.url_suffix
        return _Created(
            name,
            {
                "Arn": f"arn:{self.account.partition}:s3:::{name}",
                "DomainName": f"{name}.s3.{suffix}",
                "RegionalDomainName": f"{name}.s3.{self.account.region}.{suffix}",
            },
        )

    def _s3_bucket_notifications(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        # CDK's handler Lambda (skipped) would call this API with these very properties.
        bucket = self.resolve(properties["BucketName"])
        wanted = self.resolve(properties["NotificationConfiguration"])
        s3 = self.account.client("s3")
        configuration = {}
        if properties.get("Managed") is False:
            current = s3.get_bucket_notification_configuration(Bucket=bucket)
            current.pop("ResponseMetadata", None)
            configuration = current
        for kind, entries in wanted.items():
            configuration[kind] = [*configuration.get(kind, []), *entries]
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=configuration)
        for entry in wanted.get("QueueConfigurations", []):
            self._drop_s3_test_events(self.account.queue_url(entry["QueueArn"]))
        return _Created(f"{bucket}-notifications")

    def _drop_s3_test_events(self, queue_url: str) -> None:
        """S3 (and moto) greets a new queue destination with an s3:TestEvent; real consumers
        ignore it, but it would sit ahead of the first real event."""
        sqs = self.account.client("sqs")
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
            "Messages", []
        )
        for message in messages:
            if '"s3:TestEvent"' in message["Body"]:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    def _sqs_queue(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        fifo = bool(props.get("FifoQueue"))
        name = props.get("QueueName") or (
            self.physical_name(logical_id, max_length=75 if fifo else 80) + (".fifo" if fifo else "")
        )
        attributes = {key: _attribute_text(value) for key, value in props.items() if key not in ("QueueName", "Tags")}
        sqs = self.account.client("sqs")
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return _Created(url, {"Arn": arn, "QueueName": name, "QueueUrl": url})

    def _sns_topic(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        fifo = bool(props.get("FifoTopic"))
        name = props.get("TopicName") or (
            self.physical_name(logical_id, max_length=251 if fifo else 256) + (".fifo" if fifo else "")
        )
        attributes = {
            key: _attribute_text(props[key])
            for key in ("DisplayName", "FifoTopic", "ContentBasedDeduplication", "KmsMasterKeyId")
            if key in props
        }
        sns = self.account.client("sns")
        arn = sns.create_topic(Name=name, Attributes=attributes)["TopicArn"]
        for subscription in props.get("Subscription", []):
            sns.subscribe(TopicArn=arn, Protocol=subscription["Protocol"], Endpoint=subscription["Endpoint"])
        return _Created(arn, {"TopicArn": arn, "TopicName": name})

    def _kms_key(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        request = {key: props[key] for key in ("Description", "KeyUsage", "KeySpec", "MultiRegion") if key in props}
        if "KeyPolicy" in props:
            request["Policy"] = json.dumps(props["KeyPolicy"])
        kms = self.account.client("kms")
        key = kms.create_key(**request)["KeyMetadata"]
        if props.get("EnableKeyRotation"):
            kms.enable_key_rotation(KeyId=key["KeyId"])
        return _Created(key["KeyId"], {"Arn": key["Arn"], "KeyId": key["KeyId"]})

    def _kms_alias(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        self.account.client("kms").create_alias(AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"])
        return _Created(props["AliasName"])

    def _secret(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        name = props.get("Name") or self.physical_name(logical_id, max_length=256)
        if "SecretString" in props:
            value = props["SecretString"]
        else:
            value = _generate_secret_string(props.get("GenerateSecretString", {}))
        request = {"Name": name, "SecretString": value}
        request |= {key: props[key] for key in ("Description", "KmsKeyId") if key in props}
        arn = self.account.client("secretsmanager").create_secret(**request)["ARN"]
        return _Created(arn, {"Id": arn})

    def _ses_email_identity(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        identity = self.resolve(properties["EmailIdentity"])
        ses = self.account.client("ses")
        if "@" in identity:
            ses.verify_email_identity(EmailAddress=identity)
        else:
            ses.verify_domain_identity(Domain=identity)
        return _Created(identity)

    def _cognito_user_pool(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        name = props.get("UserPoolName") or self.physical_name(logical_id, max_length=128)
        request = {key: props[key] for key in _USER_POOL_API_KEYS if key in props}
        cognito = self.account.client("cognito-idp")
        pool = cognito.create_user_pool(PoolName=name, **request)["UserPool"]
        if props.get("MfaConfiguration", "OFF") != "OFF":
            # CloudFormation's EnabledMfas is a separate call in the API.
            enabled = props.get("EnabledMfas", [])
            factors: dict[str, Any] = {"SoftwareTokenMfaConfiguration": {"Enabled": "SOFTWARE_TOKEN_MFA" in enabled}}
            if "SMS_MFA" in enabled:
                factors["SmsMfaConfiguration"] = {"SmsConfiguration": props["SmsConfiguration"]}
            cognito.set_user_pool_mfa_config(
                UserPoolId=pool["Id"], MfaConfiguration=props["MfaConfiguration"], **factors
            )
        provider_name = f"cognito-idp.{self.account.region}.{self.account.url_suffix}/{pool['Id']}"
        return _Created(
            pool["Id"],
            {
                "Arn": pool["Arn"],
                "UserPoolId": pool["Id"],
                "ProviderName": provider_name,
                "ProviderURL": f"https://{provider_name}",
            },
        )

    def _cognito_user_pool_group(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        name = props.get("GroupName") or self.physical_name(logical_id, max_length=128)
        request = {key: props[key] for key in ("Description", "Precedence", "RoleArn") if key in props}
        self.account.client("cognito-idp").create_group(UserPoolId=props["UserPoolId"], GroupName=name, **request)
        return _Created(name)

    def _cognito_user_pool_client(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        name = props.get("ClientName") or self.physical_name(logical_id, max_length=128)
        request = {key: props[key] for key in _USER_POOL_CLIENT_API_KEYS if key in props}
        client = self.account.client("cognito-idp").create_user_pool_client(
            UserPoolId=props["UserPoolId"], ClientName=name, **request
        )["UserPoolClient"]
        attributes = {"ClientId": client["ClientId"], "Name": name}
        if "ClientSecret" in client:
            attributes["ClientSecret"] = client["ClientSecret"]
        return _Created(client["ClientId"], attributes)

    def _iam_role(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        # Only the role itself: moto does not enforce IAM, and Lambda needs a role that exists.
        name = self.resolve(properties.get("RoleName")) or self.physical_name(logical_id, max_length=64)
        role = self.account.client("iam").create_role(
            RoleName=name,
            Path=self.resolve(properties.get("Path", "/")),
            AssumeRolePolicyDocument=json.dumps(self.resolve(properties["AssumeRolePolicyDocument"])),
        )["Role"]
        return _Created(name, {"Arn": role["Arn"], "RoleId": role["RoleId"]})

    def _log_group(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        name = props.get("LogGroupName") or self.physical_name(logical_id, max_length=512)
        logs = self.account.client("logs")
        logs.create_log_group(logGroupName=name)
        if "RetentionInDays" in props:
            logs.put_retention_policy(logGroupName=name, retentionInDays=int(props["RetentionInDays"]))
        arn = f"arn:{self.account.partition}:logs:{self.account.region}:{self.account.account_id}:log-group:{name}:*"
        return _Created(name, {"Arn": arn})

    def _state_machine(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        props = self.resolve(properties)
        if "DefinitionS3Location" in props:
            raise DeploymentError(f"{self.stack_name}/{logical_id}: give the definition inline, not as an S3 asset")
        definition = props.get("DefinitionString")
        if definition is None:
            definition = json.dumps(props["Definition"])
        # CloudFormation's DefinitionSubstitutions: ${name} for the names given, nothing else.
        substitutions = {name: str(value) for name, value in props.get("DefinitionSubstitutions", {}).items()}
        definition = SUB_VARIABLE.sub(
            lambda match: substitutions.get(match.group(1), match.group(0)), definition
        )
        name = props.get("StateMachineName") or self.physical_name(logical_id, max_length=80)
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
        arn = self.account.client("stepfunctions").create_state_machine(**request)["stateMachineArn"]
        return _Created(arn, {"Arn": arn, "Name": name})

    def _serverless_function(self, logical_id: str, properties: dict[str, Any]) -> _Created:
        if self.app_name is None:
            raise DeploymentError(f"{self.stack_name} has functions but no {APP_METADATA_KEY!r} template metadata")
        name = self.resolve(properties.get("FunctionName")) or self.physical_name(logical_id, max_length=64)
        variables = self.resolve(properties.get("Environment", {}).get("Variables", {}))
        variables = {**variables, **self.local_overrides}
        handler = self.resolve(properties["Handler"])
        function = self.account.client("lambda").create_function(
            FunctionName=name,
            Runtime=self.resolve(properties.get("Runtime", "python3.11")),
            Role=self.resolve(properties["Role"]),
            Handler=handler,
            Code={"ZipFile": _placeholder_code()},
            Environment={"Variables": variables},
            Timeout=int(self.resolve(properties.get("Timeout", 3))),
            MemorySize=int(self.resolve(properties.get("MemorySize", 128))),
        )
        events = properties.get("Events", {}).values()
        self.functions.append(
            FunctionSpec(
                app=self.app_name,
                app_dir=FUNCTIONS_DIR / self.app_name,
                handler=handler,
                function_name=name,
                is_api=self._serves_api(logical_id, events),
                sqs_sources=[
                    (
                        self.account.queue_url(self.resolve(event["Properties"]["Queue"])),
                        int(event["Properties"].get("BatchSize", 10)),
                    )
                    for event in events
                    if event["Type"] == "SQS"
                ],
                schedules=[
                    self.resolve(event["Properties"]["Schedule"]) for event in events if event["Type"] == "Schedule"
                ]
                + [
                    self.resolve(event["Properties"]["ScheduleExpression"])
                    for event in events
                    if event["Type"] == "ScheduleV2"
                ],
                environment=variables,
                stream_sources=[
                    (self.resolve(event["Properties"]["Stream"]), int(event["Properties"].get("BatchSize", 100)))
                    for event in events
                    if event["Type"] == "DynamoDB"
                ],
            )
        )
        return _Created(name, {"Arn": function["FunctionArn"]})

    def _serves_api(self, logical_id: str, events: Any) -> bool:
        """Chalice wires its API through the API's OpenAPI body rather than function events."""
        if any(event["Type"] in ("Api", "HttpApi") for event in events):
            return True
        api_types = ("AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGateway::RestApi")
        return any(
            resource["Type"] in api_types and logical_id in set(_references(resource))
            for resource in self.resources.values()
        )


# CloudFormation properties that CreateUserPool / CreateUserPoolClient take under the same name.
_USER_POOL_API_KEYS = (
    "Policies",
    "DeletionProtection",
    "LambdaConfig",
    "AutoVerifiedAttributes",
    "AliasAttributes",
    "UsernameAttributes",
    "SmsVerificationMessage",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "VerificationMessageTemplate",
    "SmsAuthenticationMessage",
    "MfaConfiguration",
    "UserAttributeUpdateSettings",
    "DeviceConfiguration",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolTags",
    "AdminCreateUserConfig",
    "Schema",
    "UserPoolAddOns",
    "UsernameConfiguration",
    "AccountRecoverySetting",
    "UserPoolTier",
)
_USER_POOL_CLIENT_API_KEYS = (
    "GenerateSecret",
    "RefreshTokenValidity",
    "AccessTokenValidity",
    "IdTokenValidity",
    "TokenValidityUnits",
    "ReadAttributes",
    "WriteAttributes",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "AnalyticsConfiguration",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
)


# -- helpers -------------------------------------------------------------------------------------


def _references(value: Any) -> Iterator[str]:
    """Logical ids (and pseudo parameters) a template fragment refers to."""
    if isinstance(value, list):
        for item in value:
            yield from _references(item)
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
                    yield from _references(item[1])
            else:
                yield from _references(item)


def _attribute_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


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


def _placeholder_code() -> bytes:
    """Lambda needs some code; the real handlers run in-process, dispatched by the local stack."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "placeholder: phananh runs this function in-process\n")
    return buffer.getvalue()


def _stack_order(manifest: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    stacks = {name: artifact for name, artifact in manifest["artifacts"].items() if artifact["type"] == STACK_ARTIFACT}
    graph = {name: set(artifact.get("dependencies", [])) & stacks.keys() for name, artifact in stacks.items()}
    return [(name, stacks[name]) for name in graphlib.TopologicalSorter(graph).static_order()]


def _region(stacks: list[tuple[str, dict[str, Any]]]) -> str:
    """The stacks' region when they name one (ARNs in the templates may spell it out)."""
    named = {artifact["environment"].rsplit("/", 1)[1] for _, artifact in stacks if "environment" in artifact} - {
        "unknown-region"
    }
    if len(named) > 1:
        raise DeploymentError(f"stacks span several regions: {sorted(named)}")
    if named:
        return named.pop()
    region = boto3.session.Session().region_name
    if not region:
        raise DeploymentError("no region: set AWS_DEFAULT_REGION")
    return region


def _shared_environment(functions: list[FunctionSpec]) -> dict[str, str]:
    environments = {json.dumps(spec.environment, sort_keys=True) for spec in functions}
    if len(environments) > 1:
        differing = sorted(
            {
                key
                for spec in functions
                for other in functions
                for key in spec.environment.keys() | other.environment.keys()
                if spec.environment.get(key) != other.environment.get(key)
            }
        )
        raise DeploymentError(f"functions disagree on environment variables: {differing}")
    return dict(functions[0].environment) if functions else {}


def deploy(assembly_dir: Path, *, local_overrides: dict[str, str] | None = None) -> Deployment:
    """Creates every stack of the cloud assembly on the configured endpoint.

    `local_overrides` replaces function environment variables that only make sense in the
    cloud (e.g. PHANANH_WARDS_GEOJSON, a path inside the layer).
    """
    manifest = json.loads((assembly_dir / "manifest.json").read_text(encoding="utf-8"))
    stacks = _stack_order(manifest)
    account = _Account(_region(stacks))
    functions: list[FunctionSpec] = []
    physical: dict[str, str] = {}
    skipped: list[str] = []
    for stack_name, artifact in stacks:
        template_file = assembly_dir / artifact["properties"]["templateFile"]
        template = json.loads(template_file.read_text(encoding="utf-8"))
        stack = _StackDeployer(account, stack_name, template, dict(local_overrides or {}))
        stack.deploy()
        functions.extend(stack.functions)
        physical.update({f"{stack_name}/{logical_id}": item.ref for logical_id, item in stack.created.items()})
        skipped.extend(stack.skipped)
    return Deployment(
        region=account.region,
        environment=_shared_environment(functions),
        functions=functions,
        physical=physical,
        skipped=skipped,
    )
