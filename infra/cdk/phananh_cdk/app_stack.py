"""One stack per Chalice app (functions/<name>), each with its own role and copy of the layer."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import ArnFormat, Duration, Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from chalice.cdk import Chalice
from constructs import Construct

from phananh_cdk.config import BUILD_DIR, FUNCTIONS_DIR, DeployConfig
from phananh_cdk.data_stack import QUARANTINE_PREFIX, DataStack
from phananh_cdk.identity_stack import IdentityStack
from phananh_cdk.messaging_stack import MessagingStack
from phananh_cdk.workflow_stack import WorkflowStack

# Template metadata naming the functions/<name> folder a stack was packaged from; the local
# deployer reads it to find each function's code.
APP_METADATA_KEY = "phananh:app"


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
        layer_dir: Path,
        config: DeployConfig,
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.app_name = app.name
        self.template_options.metadata = {APP_METADATA_KEY: app.name}
        Tags.of(self).add(APP_METADATA_KEY, app.name)

        # Per stack rather than shared: a layer exported across stacks blocks replacing it.
        self.layer = lambda_.LayerVersion(
            self,
            "SharedLayer",
            code=lambda_.Code.from_asset(str(layer_dir)),
            compatible_runtimes=[lambda_.Runtime.PYTHON_3_11],
            description="phananh shared package and wards GeoJSON",
        )
        self.role = iam.Role(
            self,
            "FunctionRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{config.resource_prefix} {app.name} functions",
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[
                    self.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name="/aws/lambda/*",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            )
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
                    "layers": [self.layer.layer_version_arn],
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
        # The app names its authorizer with a placeholder pool ARN (the pool is made here).
        if app.cognito_authorizer:
            self.chalice.get_resource("RestAPI").add_property_override(
                f"DefinitionBody.securityDefinitions.{app.cognito_authorizer}"
                ".x-amazon-apigateway-authorizer.providerARNs",
                [identity.user_pool.user_pool_arn],
            )


def grant_submit(
    grantee: iam.IGrantable, data: DataStack, messaging: MessagingStack, identity: IdentityStack
) -> None:
    for table in (data.reports_table, data.audit_table, data.rate_limit_table, data.idempotency_table):
        table.grant_read_write_data(grantee)
    for table in (data.units_table, data.officers_table, data.routing_rules_table):
        table.grant_read_data(grantee)
    data.photos_bucket.grant_put(grantee, f"{QUARANTINE_PREFIX}*")
    data.photos_bucket.grant_read(grantee, "public/*")
    messaging.intake_queue.grant_send_messages(grantee)
    data.contact_key.grant_encrypt(grantee)
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
    data.photos_bucket.grant_read_write(grantee)
    data.photos_bucket.grant_delete(grantee)
    messaging.intake_queue.grant_consume_messages(grantee)
    messaging.intake_queue.grant_send_messages(grantee)
    messaging.alerts_identity.grant_send_email(grantee)
    messaging.grant_publish(grantee)
    data.contact_key.grant_decrypt(grantee)
    data.hmac_secret.grant_read(grantee)


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
    data.photos_bucket.grant_put(grantee, f"{QUARANTINE_PREFIX}*")
    for checked in ("public/*", "thumbs/*"):
        data.photos_bucket.grant_read(grantee, checked)
    # Decrypt: the owner unit sees a contact the reporter agreed to share.
    data.contact_key.grant_encrypt_decrypt(grantee)
    messaging.intake_queue.grant_send_messages(grantee)
    data.hmac_secret.grant_read(grantee)
    messaging.grant_publish(grantee)
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
                "cognito-idp:AdminDisableUser",
                "cognito-idp:AdminGetUser",
                "cognito-idp:AdminEnableUser",
                "cognito-idp:AdminListGroupsForUser",
            ],
            resources=[identity.user_pool.user_pool_arn],
        )
    )


def grant_schedule(
    grantee: iam.IGrantable, data: DataStack, messaging: MessagingStack, identity: IdentityStack
) -> None:
    data.reports_table.grant_read_write_data(grantee)
    # Every change is written with its audit event; the jobs never read the trail.
    data.audit_table.grant_write_data(grantee)
    for table in (data.units_table, data.officers_table):
        table.grant_read_data(grantee)
    # Stranded reports go back to the route function as photo-cutoff messages.
    messaging.intake_queue.grant_send_messages(grantee)
    # The digest (SES); the reporter's pushes: closed, please rate (their endpoints are sealed).
    messaging.alerts_identity.grant_send_email(grantee)
    data.contact_key.grant_decrypt(grantee)
    messaging.grant_publish(grantee)
    policy = grantee.grant_principal.add_to_principal_policy
    # Never-checked uploads: list and delete under quarantine/ only.
    policy(
        iam.PolicyStatement(
            actions=["s3:ListBucket"],
            resources=[data.photos_bucket.bucket_arn],
            conditions={"StringLike": {"s3:prefix": [f"{QUARANTINE_PREFIX}*"]}},
        )
    )
    data.photos_bucket.grant_delete(grantee, f"{QUARANTINE_PREFIX}*")


def grant_schedule_workflow(grantee: iam.IGrantable, workflow: WorkflowStack) -> None:
    workflow.escalation.grant_start_execution(grantee)


def grant_rate(
    grantee: iam.IGrantable, data: DataStack, messaging: MessagingStack, identity: IdentityStack
) -> None:
    # A rating is a conditional change of the report with its audit event (the trail is not read).
    data.reports_table.grant_read_write_data(grantee)
    data.audit_table.grant_write_data(grantee)
    # The scorecards: kept from the reports stream, read by the public.
    data.reports_table.grant_stream_read(grantee)
    data.scorecard_table.grant_read_write_data(grantee)
    # The scorecards name their units.
    data.units_table.grant_read_data(grantee)
    # Reporters of the report (and of those merged into it) hear of a reopen or close by push.
    data.contact_key.grant_decrypt(grantee)
    messaging.grant_publish(grantee, to_units=False)


SUBMIT = ChaliceAppSpec("submit", timeout=Duration.seconds(10), memory_mb=512, grant=grant_submit)
ROUTE = ChaliceAppSpec(
    "route", timeout=Duration.seconds(60), memory_mb=1024, grant=grant_route, partial_batch_handlers=("HandleIntake",)
)
HANDLE = ChaliceAppSpec(
    "handle", timeout=Duration.seconds(15), memory_mb=512, grant=grant_handle, cognito_authorizer="officers"
)


SCHEDULE = ChaliceAppSpec(
    "schedule", timeout=Duration.seconds(120), memory_mb=512, grant=grant_schedule,
    grant_workflow=grant_schedule_workflow,
)


RATE = ChaliceAppSpec(
    "rate", timeout=Duration.seconds(30), memory_mb=512, grant=grant_rate,
    reports_stream_handlers=("CountReportChanges",),
)


def deployable_apps() -> tuple[ChaliceAppSpec, ...]:
    """The apps whose code is in the tree: the processing app joins once functions/handle lands."""
    return tuple(spec for spec in (SUBMIT, ROUTE, HANDLE, SCHEDULE, RATE) if (spec.source_dir / "app.py").exists())
