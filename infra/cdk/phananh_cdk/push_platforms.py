"""The SNS platform applications reporters' apps are pushed through, one per push service
(phananh.report.push_device.Platform), each with its credential in a Secrets Manager secret.

CloudFormation has no SNS platform application resource, so a small custom resource makes each one
(handlers/push_application.py), reading the credential itself: a secret in a custom resource's
properties would be written in clear into the template and into every event CloudFormation sends.
The secrets are created here, empty; an operator fills one in (see docs/operations.md) and deploys
with a new `push_credentials_revision` so that the applications read it again.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import ArnFormat, CustomResource, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from phananh.report.push_device import Platform
from phananh_cdk.config import DeployConfig

HANDLER_SOURCE = Path(__file__).parent / "handlers" / "push_application.py"
RESOURCE_TYPE = "Custom::SnsPlatformApplication"
# What SNS calls each push service: FCM is its "GCM" platform.
SNS_PLATFORM = {Platform.FCM: "GCM", Platform.APNS: "APNS"}


class PushPlatformApplications(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: DeployConfig) -> None:
        super().__init__(scope, construct_id)
        self.names = {platform: config.physical_name(f"reporters-{platform}") for platform in Platform}
        self.secrets = {
            platform: secretsmanager.Secret(
                self, f"{platform.upper()}Credentials",
                secret_name=config.physical_name(f"push-{platform}-credentials"),
                description=f"SNS platform application credential for {platform.upper()} pushes to reporters' apps",
                # Kept on stack deletion: a credential is re-issued by Google or Apple, not by us.
                removal_policy=RemovalPolicy.RETAIN,
            )
            for platform in Platform
        }
        log_group = logs.LogGroup(self, "HandlerLogs", removal_policy=RemovalPolicy.DESTROY)
        log_group.node.default_child.retention_in_days = config.log_retention_days
        role = iam.Role(self, "HandlerRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description=f"{config.resource_prefix} SNS platform applications (deploy time only)")
        log_group.grant_write(role)
        for secret in self.secrets.values():
            secret.grant_read(role)
        role.add_to_policy(iam.PolicyStatement(
            actions=["sns:CreatePlatformApplication", "sns:SetPlatformApplicationAttributes",
                     "sns:DeletePlatformApplication"],
            resources=[self.application_arn_pattern(platform) for platform in Platform],
        ))
        handler = lambda_.Function(
            self, "Handler",
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_inline(HANDLER_SOURCE.read_text(encoding="utf-8")),
            timeout=Duration.seconds(30),
            role=role,
            log_group=log_group,
            description="Makes the SNS platform applications for reporters' pushes (CloudFormation deploys only)",
        )
        self.applications = {
            platform: CustomResource(
                self, f"{platform.upper()}Application",
                service_token=handler.function_arn,
                resource_type=RESOURCE_TYPE,
                properties={
                    "Name": self.names[platform],
                    "Platform": SNS_PLATFORM[platform],
                    "SecretArn": self.secrets[platform].secret_arn,
                    # Bumped to make the applications read a credential filled in or rotated since.
                    "CredentialsRevision": config.push_credentials_revision,
                },
            )
            for platform in Platform
        }

    def application_arn(self, platform: Platform) -> str:
        """The application's ARN; empty until its credential is filled in."""
        return self.applications[platform].get_att_string("Arn")

    def application_arn_pattern(self, platform: Platform) -> str:
        return Stack.of(self).format_arn(service="sns", resource="app", resource_name=self._in_sns(platform),
                                         arn_format=ArnFormat.SLASH_RESOURCE_NAME)

    def endpoints_arn_pattern(self, platform: Platform) -> str:
        return Stack.of(self).format_arn(service="sns", resource="endpoint",
                                         resource_name=f"{self._in_sns(platform)}/*",
                                         arn_format=ArnFormat.SLASH_RESOURCE_NAME)

    def _in_sns(self, platform: Platform) -> str:
        return f"{SNS_PLATFORM[platform]}/{self.names[platform]}"

    def grant_push(self, grantee: iam.IGrantable) -> None:
        """What pushing to a reporter's app takes (phananh.adapters.aws.notifications): its endpoint
        made in our applications, published to, re-enabled or deleted, and nothing of anyone else's."""
        grantee.grant_principal.add_to_principal_policy(iam.PolicyStatement(
            actions=["sns:CreatePlatformEndpoint"],
            resources=[self.application_arn_pattern(platform) for platform in Platform],
        ))
        grantee.grant_principal.add_to_principal_policy(iam.PolicyStatement(
            actions=["sns:Publish", "sns:SetEndpointAttributes", "sns:DeleteEndpoint"],
            resources=[self.endpoints_arn_pattern(platform) for platform in Platform],
        ))
