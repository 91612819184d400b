"""The escalation state machine: one Standard execution per missed deadline (phananh.escalation.sweeper).

The definition is infra/statemachines/escalation.asl.json, shared with the local stack, which
substitutes the same ${...} names (DefinitionSubstitutions) when it deploys the template.
"""

from __future__ import annotations

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from phananh_cdk.config import REPO_ROOT, DeployConfig
from phananh_cdk.data_stack import DataStack

STATE_MACHINES_DIR = REPO_ROOT / "infra" / "statemachines"
ESCALATION_DEFINITION = STATE_MACHINES_DIR / "escalation.asl.json"


class WorkflowStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        data: DataStack,
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)

        self.escalation_logs = logs.LogGroup(
            self,
            "EscalationLogs",
            log_group_name=f"/aws/vendedlogs/states/{config.physical_name('escalation')}",
            retention=logs.RetentionDays.ONE_YEAR,
            removal_policy=RemovalPolicy.RETAIN,
        )
        # Exactly what the definition's tasks call; CDK adds the log delivery and X-Ray actions. No
        # SES nor SNS: the state machine only records levels, the outbox (functions/deliver) sends them.
        self.escalation_role = iam.Role(
            self,
            "EscalationRole",
            assumed_by=iam.ServicePrincipal("states.amazonaws.com"),
            description=f"{config.resource_prefix} escalation state machine",
        )
        self.escalation_role.add_to_policy(
            iam.PolicyStatement(
                actions=["dynamodb:UpdateItem", "dynamodb:GetItem"], resources=[data.reports_table.table_arn]
            )
        )
        self.escalation_role.add_to_policy(
            iam.PolicyStatement(actions=["dynamodb:PutItem"], resources=[data.audit_table.table_arn])
        )
        self.escalation = sfn.StateMachine(
            self,
            "Escalation",
            state_machine_name=config.physical_name("escalation"),
            state_machine_type=sfn.StateMachineType.STANDARD,
            # Inline (not an S3 asset), so the template alone says what runs.
            definition_body=sfn.DefinitionBody.from_string(ESCALATION_DEFINITION.read_text(encoding="utf-8")),
            definition_substitutions={
                "ReportsTable": data.reports_table.table_name,
                "AuditTable": data.audit_table.table_name,
            },
            role=self.escalation_role,
            logs=sfn.LogOptions(destination=self.escalation_logs, level=sfn.LogLevel.ALL, include_execution_data=True),
            tracing_enabled=True,
        )
