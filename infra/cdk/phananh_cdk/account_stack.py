"""Settings API Gateway keeps per account and region rather than per API: the role through which
it writes the stages' access logs to CloudWatch Logs.

API Gateway refuses a stage with access logging until the account names such a role, so the app
stacks depend on this one. The setting is one per region: a second deployment (another resource
prefix) in the same account and region sets the same kind of role, and either one serves both.
"""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_iam as iam
from constructs import Construct

from phananh_cdk.config import DeployConfig

PUSH_TO_CLOUDWATCH_POLICY = "service-role/AmazonAPIGatewayPushToCloudWatchLogs"


class AccountSettingsStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: DeployConfig, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.api_gateway_logs_role = iam.Role(
            self,
            "ApiGatewayLogsRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            description=f"{config.resource_prefix}: API Gateway writes the stages' access logs",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(PUSH_TO_CLOUDWATCH_POLICY)],
        )
        self.api_gateway_account = apigateway.CfnAccount(
            self, "ApiGatewayAccount", cloud_watch_role_arn=self.api_gateway_logs_role.role_arn
        )
