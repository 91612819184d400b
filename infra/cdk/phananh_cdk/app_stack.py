"""One stack per Chalice app (functions/<name>), each with its own role and copy of the layer."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import CfnResource, Duration, Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from chalice.cdk import Chalice
from constructs import Construct

from phananh.adapters.aws.kms import CONTACT_PURPOSE, FOLLOWER_EMAIL_PURPOSE, FOLLOWER_PURPOSE, PUSH_PURPOSE
from phananh.report.photo_keys import (
    ANSWER_COPY_GLOBS,
    CHECKED_COPY_PREFIXES,
    EVIDENCE_PREFIX,
    SIGNED_PHOTO_PREFIXES,
)
from phananh_cdk.config import BUILD_DIR, FUNCTIONS_DIR, DeployConfig
from phananh_cdk.data_stack import QUARANTINE_PREFIX, DataStack
from phananh_cdk.identity_stack import IdentityStack
from phananh_cdk.layer import layer_identity
from phananh_cdk.messaging_stack import MessagingStack
from phananh_cdk.web_apps import ROUTE_NOT_FOUND, open_data_route
from phananh_cdk.workflow_stack import WorkflowStack

# Template metadata naming the functions/<name> folder a stack was packaged from; the local
# deployer reads it to find each function's code.
APP_METADATA_KEY = "phananh:app"
STREAM_RETRIES = 5


@dataclass(frozen=True)
class ChaliceAppSpec:
    name: str
    timeout: Duration
    memory_mb: int
    grant: Callable[[iam.IGrantable, DataStack, MessagingStack, IdentityStack], None]
    # SQS handlers (their Chalice function names) that report partial batch failures.
    partial_batch_handlers: tuple[str, ...] = ()
    # The name of the app's CognitoUserPoolAuthorizer, pointed at the officers' pool on deploy.
    cognito_authorizer: str | None = None
    # Handlers (their Chalice function names) of the reports table's stream, named by a placeholder ARN.
    reports_stream_handlers: tuple[str, ...] = ()
    # What the app may do with the state machines, if anything.
    grant_workflow: Callable[[iam.IGrantable, WorkflowStack], None] | None = None
    # Every function is invoked asynchronously (schedules): failed runs go to the failed-events queue.
    asynchronous: bool = False
    # Its API serves citizens without sign-in: the WAF rate rule guards its stage.
    anonymous_api: bool = False
    # Its third-party packages are the photo check's (layers/photos/requirements.txt, OpenCV among
    # them) instead of the shared ones: both together would pass Lambda's 250 MB unzipped.
    photo_dependencies: bool = False

    @property
    def source_dir(self) -> Path:
        return FUNCTIONS_DIR / self.name


def reset_chalice_imports() -> None:
    """Chalice packaging imports the module named `app` from the app folder: without this reset
    a second app in the same process silently reuses the first one's module."""
    for module in list(sys.modules):
        if module == "app" or module == "chalicelib" or module.startswith("chalicelib."):
            del sys.modules[module]
    app_dirs = {str(path) for path in FUNCTIONS_DIR.iterdir()}
    sys.path[:] = [entry for entry in sys.path if entry not in app_dirs]


# What API Gateway answers itself (before any function runs), in the shape every app answers in:
# {"code", "message": {"vi", "en"}}. The local edge gateway answers the same way.
_GATEWAY_ERRORS: dict[str, tuple[int | None, str, str, str]] = {
    # API Gateway says 403 "Missing Authentication Token" for a path no app serves.
    "MISSING_AUTHENTICATION_TOKEN": (404, ROUTE_NOT_FOUND["code"], ROUTE_NOT_FOUND["message"]["vi"],
                                     ROUTE_NOT_FOUND["message"]["en"]),
    "UNAUTHORIZED": (401, "unauthorized", "Cần đăng nhập hợp lệ.", "A valid sign-in is required."),
    "ACCESS_DENIED": (403, "forbidden", "Bạn không có quyền thực hiện việc này.", "You are not allowed to do this."),
    "WAF_FILTERED": (403, "forbidden", "Yêu cầu bị chặn.", "The request was blocked."),
    "THROTTLED": (429, "rate_limited", "Hệ thống đang quá tải. Vui lòng thử lại sau.",
                  "Too many requests. Please try again later."),
    "REQUEST_TOO_LARGE": (413, "body_too_large", "Nội dung quá lớn.", "The body is too large."),
    "DEFAULT_4XX": (None, "bad_request", "Yêu cầu không hợp lệ.", "The request is not valid."),
    "DEFAULT_5XX": (None, "internal_error", "Đã có lỗi hệ thống. Vui lòng thử lại sau.",
                    "Something went wrong. Please try again later."),
}


# One JSON line per request, what API Gateway decided before and after the function: who was
# refused (WAF, authorizer, throttle) and why. Nothing identifying: the source address is
# CloudFront's, tokens travel in Authorization (never logged), paths are the route templates.
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "time": "$context.requestTime",
    "method": "$context.httpMethod",
    "route": "$context.resourcePath",
    "status": "$context.status",
    "responseType": "$context.error.responseType",
    "waf": "$context.waf.status",
    "authorizer": "$context.authorizer.status",
    "latencyMs": "$context.responseLatency",
    "integrationLatencyMs": "$context.integration.latency",
    "bytes": "$context.responseLength",
}


def gateway_responses() -> dict[str, dict]:
    responses = {}
    for response_type, (status, code, vi, en) in _GATEWAY_ERRORS.items():
        body = json.dumps({"code": code, "message": {"vi": vi, "en": en}}, ensure_ascii=False)
        response = {
            "ResponseParameters": {"Headers": {"Cache-Control": "'no-store'"}},
            "ResponseTemplates": {"application/json": body},
        }
        if status is not None:
            response["StatusCode"] = str(status)
        responses[response_type] = response
    return responses


class ChaliceAppStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        app: ChaliceAppSpec,
        data: DataStack,
        messaging: MessagingStack,
        identity: IdentityStack,
        workflow: WorkflowStack,
        environment: Mapping[str, str],
        layer_dirs: Sequence[Path],
        config: DeployConfig,
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.app_name = app.name
        self.anonymous_api = app.anonymous_api
        self.template_options.metadata = {APP_METADATA_KEY: app.name}
        Tags.of(self).add(APP_METADATA_KEY, app.name)

        # Per stack rather than shared: a layer exported across stacks blocks replacing it. Each
        # folder is named by its content's digest, which spares CDK fingerprinting 150 MB.
        self.layers = []
        for folder in layer_dirs:
            construct_id, description = layer_identity(folder)
            self.layers.append(
                lambda_.LayerVersion(
                    self,
                    construct_id,
                    code=lambda_.Code.from_asset(str(folder), asset_hash=folder.name),
                    compatible_runtimes=[lambda_.Runtime.PYTHON_3_11],
                    compatible_architectures=[lambda_.Architecture.X86_64],
                    description=description,
                )
            )
        self.role = iam.Role(
            self,
            "FunctionRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{config.resource_prefix} {app.name} functions",
        )
        self.role.add_to_policy(
            iam.PolicyStatement(actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources=["*"])
        )
        app.grant(self.role, data, messaging, identity)
        if app.grant_workflow:
            app.grant_workflow(self.role, workflow)

        reset_chalice_imports()
        BUILD_DIR.mkdir(parents=True, exist_ok=True)
        # Chalice writes its packages under the current directory; keep them out of the tree.
        with contextlib.chdir(BUILD_DIR):
            self.chalice = Chalice(
                self,
                "ChaliceApp",
                source_dir=str(app.source_dir),
                stage_config={
                    "environment_variables": dict(environment),
                    "layers": [layer.layer_version_arn for layer in self.layers],
                    "lambda_timeout": int(app.timeout.to_seconds()),
                    "lambda_memory_size": app.memory_mb,
                    "manage_iam_role": False,
                    "iam_role_arn": self.role.role_arn,
                    "autogen_policy": False,
                    "xray": True,
                    "api_gateway_endpoint_type": "REGIONAL",
                },
            )
        # Chalice does not ask for partial batch responses; without this one bad message would
        # send its whole batch back to the queue.
        for handler in app.partial_batch_handlers:
            self.chalice.get_resource(handler).add_property_override(
                f"Events.{handler}SqsEventSource.Properties.FunctionResponseTypes", ["ReportBatchItemFailures"]
            )
        for handler in app.reports_stream_handlers:
            self.chalice.get_resource(handler).add_property_override(
                f"Events.{handler}DynamodbEventSource.Properties.Stream", data.reports_table.table_stream_arn
            )
        self.functions = {
            child.node.id: child
            for child in self.chalice.sam_template.node.children
            if isinstance(child, CfnResource) and child.cfn_resource_type == "AWS::Serverless::Function"
        }
        self._harden_functions(app, config, messaging)
        # Only this app's own log groups (made here, so no logs:CreateLogGroup).
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[group.attr_arn for group in self.log_groups.values()],
            )
        )
        for handler in app.reports_stream_handlers:
            self._retry_stream_batches(handler, messaging)
        self.api = self.chalice.get_resource("RestAPI") if "RestAPI" in self._sam_logical_ids() else None
        if self.api is not None:
            self.api_name = config.physical_name(app.name)
            self.api.add_property_override("Name", self.api_name)
            self.api.add_property_override(
                "MethodSettings",
                [
                    {
                        "ResourcePath": "/*",
                        "HttpMethod": "*",
                        "ThrottlingRateLimit": config.api_rate_per_s,
                        "ThrottlingBurstLimit": config.api_burst,
                        "MetricsEnabled": True,
                    }
                ],
            )
            self.api.add_property_override("TracingEnabled", True)
            self.api.add_property_override("GatewayResponses", gateway_responses())
            self.access_logs = logs.CfnLogGroup(
                self, "ApiAccessLogs", log_group_name=f"/aws/apigateway/{self.api_name}",
                retention_in_days=config.log_retention_days,
            )
            self.api.add_property_override(
                "AccessLogSetting",
                {"DestinationArn": self.access_logs.attr_arn, "Format": json.dumps(ACCESS_LOG_FORMAT)},
            )
        # The app names its authorizer with a placeholder pool ARN (the pool is made here).
        if app.cognito_authorizer:
            self.chalice.get_resource("RestAPI").add_property_override(
                f"DefinitionBody.securityDefinitions.{app.cognito_authorizer}"
                ".x-amazon-apigateway-authorizer.providerARNs",
                [identity.user_pool.user_pool_arn],
            )


    def _sam_logical_ids(self) -> set[str]:
        return {child.node.id for child in self.chalice.sam_template.node.children}

    def function_name(self, logical_id: str) -> str:
        return f"{self.stack_name}-{logical_id}"[:64]

    def _harden_functions(self, app: ChaliceAppSpec, config: DeployConfig, messaging: MessagingStack) -> None:
        """Names, log retention, concurrency caps and failure destinations Chalice cannot set."""
        reserved = config.reserved_concurrency.get(app.name)
        if app.asynchronous:
            messaging.failed_events_queue.grant_send_messages(self.role)
        self.log_groups = {}
        for logical_id, function in self.functions.items():
            name = self.function_name(logical_id)
            function.add_property_override("FunctionName", name)
            # Chalice's log_retention_in_days breaks synth for API apps: the group is made here,
            # under the name Lambda writes to, before the function can first run.
            self.log_groups[logical_id] = logs.CfnLogGroup(
                self,
                f"{logical_id}Logs",
                log_group_name=f"/aws/lambda/{name}",
                retention_in_days=config.log_retention_days,
            )
            function.node.add_dependency(self.log_groups[logical_id])
            if reserved is not None:
                function.add_property_override("ReservedConcurrentExecutions", reserved)
            if app.asynchronous:
                function.add_property_override(
                    "EventInvokeConfig",
                    {
                        "MaximumRetryAttempts": 2,
                        "DestinationConfig": {
                            "OnFailure": {"Type": "SQS", "Destination": messaging.failed_events_queue.queue_arn}
                        },
                    },
                )

    def _retry_stream_batches(self, handler: str, messaging: MessagingStack) -> None:
        """A failing stream batch is split to find the bad record, which is set aside after a few
        tries: otherwise it would block its shard until the record expires (24 h)."""
        messaging.failed_events_queue.grant_send_messages(self.role)
        properties = f"Events.{handler}DynamodbEventSource.Properties"
        function = self.functions[handler]
        function.add_property_override(f"{properties}.BisectBatchOnFunctionError", True)
        function.add_property_override(f"{properties}.MaximumRetryAttempts", STREAM_RETRIES)
        function.add_property_override(
            f"{properties}.DestinationConfig",
            {"OnFailure": {"Type": "SQS", "Destination": messaging.failed_events_queue.queue_arn}},
        )


def allow(grantee: iam.IGrantable, actions: Sequence[str], resources: Sequence[str]) -> None:
    """Exactly these actions: CDK's grant helpers add prefix wildcards (s3:GetObject*, kms:ReEncrypt*)."""
    grantee.grant_principal.add_to_principal_policy(
        iam.PolicyStatement(actions=list(actions), resources=list(resources))
    )


def read_photos(grantee: iam.IGrantable, data: DataStack, *patterns: str) -> None:
    allow(grantee, ["s3:GetObject"], [data.photos_bucket.arn_for_objects(pattern) for pattern in patterns])
    # Without ListBucket a missing photo reads as 403 instead of 404.
    allow(grantee, ["s3:ListBucket"], [data.photos_bucket.bucket_arn])


def read_signed_photos(grantee: iam.IGrantable, data: DataStack) -> None:
    """What photo_link signs links to: a presigned link works only if its signer may read the object."""
    read_photos(grantee, data, *(f"{prefix}*" for prefix in SIGNED_PHOTO_PREFIXES))


def use_contact_key(grantee: iam.IGrantable, data: DataStack, action: str, *purposes: str) -> None:
    """`action` on the contact key, only for ciphertexts sealed for one of `purposes` (the encryption
    context every seal and unseal in phananh.adapters.aws.kms names)."""
    grantee.grant_principal.add_to_principal_policy(
        iam.PolicyStatement(
            actions=[action],
            resources=[data.contact_key.key_arn],
            conditions={"StringEquals": {"kms:EncryptionContext:purpose": list(purposes)}},
        )
    )


def grant_submit(
    grantee: iam.IGrantable, data: DataStack, messaging: MessagingStack, identity: IdentityStack
) -> None:
    for table in (data.reports_table, data.audit_table, data.rate_limit_table, data.idempotency_table):
        table.grant_read_write_data(grantee)
    for table in (data.units_table, data.officers_table, data.routing_rules_table):
        table.grant_read_data(grantee)
    allow(grantee, ["s3:PutObject"], [data.photos_bucket.arn_for_objects(f"{QUARANTINE_PREFIX}*")])
    read_signed_photos(grantee, data)
    # No queue: the routing message of a report filed follows from the reports stream (functions/deliver).
    # Seals what the reporter and a follower give; opens none of it.
    use_contact_key(grantee, data, "kms:Encrypt", CONTACT_PURPOSE, PUSH_PURPOSE, FOLLOWER_PURPOSE,
                    FOLLOWER_EMAIL_PURPOSE)
    # Following and unfollowing a published report write its follows; confirming an e-mail follow
    # reads the one its token names, and nothing here lists them.
    data.follows_table.grant_write_data(grantee)
    allow(grantee, ["dynamodb:GetItem"], [data.follows_table.table_arn])
    # An e-mail follow's one confirmation is mailed by the outbox (functions/deliver), queued from here.
    messaging.delivery_queue.grant_send_messages(grantee)
    # Tracking tokens and device/IP pseudonyms are derived here, and only here.
    data.hmac_secret.grant_read(grantee)


def grant_route(
    grantee: iam.IGrantable, data: DataStack, messaging: MessagingStack, identity: IdentityStack
) -> None:
    for table in (
        data.reports_table,
        data.audit_table,
        data.units_table,
        data.officers_table,
        data.routing_rules_table,
    ):
        table.grant_read_write_data(grantee)
    # No photo is read here (the photos function checks them); the checked copies of a photo the
    # report no longer waits for are taken down.
    allow(grantee, ["s3:DeleteObject"], [data.photos_bucket.arn_for_objects(f"{prefix}*")
                                         for prefix in CHECKED_COPY_PREFIXES])
    messaging.intake_queue.grant_consume_messages(grantee)
    messaging.intake_queue.grant_send_messages(grantee)
    # Nobody is alerted from here: the owner's alert and the reporter's push follow from the
    # reports stream (functions/deliver).


def grant_photos(
    grantee: iam.IGrantable, data: DataStack, messaging: MessagingStack, identity: IdentityStack
) -> None:
    """The photo check decodes the attacker's bytes: it reaches the upload, the checked copies and the
    route function's queue, and nothing else (no table, no key, no secret)."""
    uploads = data.photos_bucket.arn_for_objects(f"{QUARANTINE_PREFIX}*")
    allow(grantee, ["s3:GetObject", "s3:DeleteObject"], [uploads])
    # Without ListBucket an upload already handled (deleted) reads as 403 instead of 404, and its
    # redelivered event would be retried instead of dropped.
    allow(grantee, ["s3:ListBucket"], [data.photos_bucket.bucket_arn])
    allow(grantee, ["s3:PutObject"], [data.photos_bucket.arn_for_objects(f"{prefix}*")
                                      for prefix in CHECKED_COPY_PREFIXES])
    # Both queues are encrypted with the queue key: these grants name the key actions SQS needs.
    messaging.uploads_queue.grant_consume_messages(grantee)
    messaging.intake_queue.grant_send_messages(grantee)


def grant_handle(
    grantee: iam.IGrantable, data: DataStack, messaging: MessagingStack, identity: IdentityStack
) -> None:
    for table in (
        data.reports_table,
        data.audit_table,
        data.units_table,
        data.officers_table,
        data.routing_rules_table,
    ):
        table.grant_read_write_data(grantee)
    # The coordinators' dashboard shows the public scorecards' figures (read, never written here).
    data.scorecard_table.grant_read_data(grantee)
    allow(grantee, ["s3:PutObject"], [data.photos_bucket.arn_for_objects(f"{QUARANTINE_PREFIX}*")])
    read_signed_photos(grantee, data)
    # The officers' view links the unblurred evidence copies (no other function may read them).
    read_photos(grantee, data, f"{EVIDENCE_PREFIX}*")
    # The owner unit sees a contact the reporter agreed to share (the reporter hears of moves by
    # push from the reports stream: functions/deliver).
    use_contact_key(grantee, data, "kms:Decrypt", CONTACT_PURPOSE)
    messaging.intake_queue.grant_send_messages(grantee)
    policy = grantee.grant_principal.add_to_principal_policy
    # Administering units makes their topics; administering officers makes their sign-ins.
    policy(
        iam.PolicyStatement(
            actions=["sns:CreateTopic", "sns:Subscribe"], resources=[messaging.unit_topics_arn_pattern]
        )
    )
    policy(
        iam.PolicyStatement(
            actions=[
                "cognito-idp:AdminCreateUser",
                "cognito-idp:AdminAddUserToGroup",
                "cognito-idp:AdminRemoveUserFromGroup",
                "cognito-idp:AdminGetUser",
                "cognito-idp:AdminUserGlobalSignOut",
                "cognito-idp:AdminDeleteUser",
                "cognito-idp:AdminListGroupsForUser",
            ],
            resources=[identity.user_pool.user_pool_arn],
        )
    )


def grant_schedule(
    grantee: iam.IGrantable, data: DataStack, messaging: MessagingStack, identity: IdentityStack
) -> None:
    data.reports_table.grant_read_write_data(grantee)
    # Every change is written with its audit event; the jobs never read the trail (the retention
    # rewrites the answers' events by the versions the report keeps of them).
    data.audit_table.grant_write_data(grantee)
    for table in (data.units_table, data.officers_table):
        table.grant_read_data(grantee)
    # One daily digest per unit and day, however often its schedule fires (a claim per digest).
    data.idempotency_table.grant_read_write_data(grantee)
    # Stranded reports go back to the route function as photo-cutoff messages.
    messaging.intake_queue.grant_send_messages(grantee)
    # The digest (SES). The reporters' pushes (closed, please rate) follow from the reports stream.
    messaging.alerts_identity.grant_send_email(grantee)
    policy = grantee.grant_principal.add_to_principal_policy
    # Never-checked uploads: list and delete under quarantine/ only.
    policy(
        iam.PolicyStatement(
            actions=["s3:ListBucket"],
            resources=[data.photos_bucket.bucket_arn],
            conditions={"StringLike": {"s3:prefix": [f"{QUARANTINE_PREFIX}*"]}},
        )
    )
    allow(grantee, ["s3:DeleteObject"], [data.photos_bucket.arn_for_objects(f"{QUARANTINE_PREFIX}*")])
    # The retention erases the checked copies of the reporter's answers' photos: those alone, never
    # a photo the public sees.
    allow(grantee, ["s3:DeleteObject"], [data.photos_bucket.arn_for_objects(glob) for glob in ANSWER_COPY_GLOBS])
    # The daily open-data snapshot: its files and the index it rewrites, under the served prefix only.
    allow(grantee, ["s3:PutObject", "s3:GetObject"],
          [f"{data.open_data_bucket_arn}/{open_data_route().key_prefix}*"])


def grant_schedule_workflow(grantee: iam.IGrantable, workflow: WorkflowStack) -> None:
    workflow.escalation.grant_start_execution(grantee)


def grant_rate(
    grantee: iam.IGrantable, data: DataStack, messaging: MessagingStack, identity: IdentityStack
) -> None:
    # A rating, like the reporter's consent and erasure, is a conditional change of the report with its audit event.
    data.reports_table.grant_read_write_data(grantee)
    data.audit_table.grant_write_data(grantee)
    # The scorecards: kept from the reports stream, read by the public.
    data.reports_table.grant_stream_read(grantee)
    data.scorecard_table.grant_read_write_data(grantee)
    # The scorecards name their units.
    data.units_table.grant_read_data(grantee)
    # The reporter, with the tracking token, downloads what is held about them, their own contact
    # decrypted (the right of access): the one place besides the officer API that opens a contact.
    # (A reopen or close is pushed to the reporters from the reports stream: functions/deliver.)
    use_contact_key(grantee, data, "kms:Decrypt", CONTACT_PURPOSE)
    # The download: the report as its reporter follows it (timeline, photo links) and who saw the contact.
    data.audit_table.grant_read_data(grantee)
    read_signed_photos(grantee, data)


SMS_TO_REPORTERS_POLICY = "SmsToReporters"


def grant_deliver(
    grantee: iam.IGrantable, data: DataStack, messaging: MessagingStack, identity: IdentityStack
) -> None:
    """The outbox: it reads the reports stream and the reports, and alone sends e-mail and SMS/push
    about them (the escalation levels' messages too: e-mail to officers, SMS through unit topics),
    opens the reporters' and followers' push tokens, making their apps' SNS endpoints, and opens a
    contact only to relay an owner unit's question to the reporter (SMS or e-mail)."""
    data.reports_table.grant_stream_read(grantee)
    allow(grantee, ["dynamodb:GetItem"], [data.reports_table.table_arn])
    for table in (data.units_table, data.officers_table):
        table.grant_read_data(grantee)
    # The leased claims: each effect's channels sent once.
    data.idempotency_table.grant_read_write_data(grantee)
    messaging.intake_queue.grant_send_messages(grantee)
    messaging.delivery_queue.grant_send_messages(grantee)
    messaging.delivery_queue.grant_consume_messages(grantee)
    messaging.alerts_identity.grant_send_email(grantee)
    messaging.grant_publish(grantee)
    # An SMS to a phone number (a relayed question): SNS's Publish with PhoneNumber names no resource,
    # so it can only be granted on "*" (docs/security.md); the topics and endpoints stay named above.
    # A policy of its own, so that the wildcard shares no statement and its acknowledgements name it alone.
    role = grantee.grant_principal
    iam.Policy(role, SMS_TO_REPORTERS_POLICY, roles=[role],
               statements=[iam.PolicyStatement(actions=["sns:Publish"], resources=["*"])])
    use_contact_key(grantee, data, "kms:Decrypt", PUSH_PURPOSE, FOLLOWER_PURPOSE, FOLLOWER_EMAIL_PURPOSE,
                    CONTACT_PURPOSE)
    # The followers of a report changed: each pushed, a dead device's follow dropped, all erased once it ended.
    data.follows_table.grant_read_write_data(grantee)


SUBMIT = ChaliceAppSpec(
    "submit", timeout=Duration.seconds(10), memory_mb=512, grant=grant_submit, anonymous_api=True
)
ROUTE = ChaliceAppSpec(
    "route", timeout=Duration.seconds(60), memory_mb=512, grant=grant_route, partial_batch_handlers=("HandleIntake",)
)
PHOTOS = ChaliceAppSpec(
    "photos", timeout=Duration.seconds(60), memory_mb=1024, grant=grant_photos,
    partial_batch_handlers=("CheckUploads",), photo_dependencies=True,
)
HANDLE = ChaliceAppSpec(
    "handle", timeout=Duration.seconds(15), memory_mb=512, grant=grant_handle, cognito_authorizer="officers"
)


SCHEDULE = ChaliceAppSpec(
    "schedule", timeout=Duration.seconds(120), memory_mb=512, grant=grant_schedule,
    grant_workflow=grant_schedule_workflow, asynchronous=True,
)


RATE = ChaliceAppSpec(
    "rate", timeout=Duration.seconds(30), memory_mb=512, grant=grant_rate,
    reports_stream_handlers=("CountReportChanges",), anonymous_api=True,
)


DELIVER = ChaliceAppSpec(
    "deliver", timeout=Duration.seconds(30), memory_mb=512, grant=grant_deliver,
    partial_batch_handlers=("DeliverEffects",), reports_stream_handlers=("ForwardChanges",),
)


def deployable_apps() -> tuple[ChaliceAppSpec, ...]:
    """The apps whose code is in the tree: the processing app joins once functions/handle lands."""
    return tuple(
        spec for spec in (SUBMIT, ROUTE, PHOTOS, HANDLE, SCHEDULE, RATE, DELIVER)
        if (spec.source_dir / "app.py").exists()
    )
