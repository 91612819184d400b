"""Operations: the ops topic, one CloudWatch dashboard and the alarms that page the ops team.

The application metrics are the powertools EMF lines the functions print (phananh.shared.observability):
namespace Phananh, dimension service=phananh (and `level` for escalations).
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from phananh.report.deadlines import ESCALATION_LEVELS
from phananh.shared.observability import NAMESPACE, SERVICE
from phananh_cdk.app_stack import ChaliceAppStack
from phananh_cdk.config import DeployConfig
from phananh_cdk.messaging_stack import MessagingStack
from phananh_cdk.workflow_stack import WorkflowStack

FIVE_MINUTES = Duration.minutes(5)
ONE_HOUR = Duration.hours(1)
# Below this many requests in five minutes a single 5xx is noise, not "more than 1 %".
MIN_REQUESTS_FOR_ERROR_RATE = 20
SERVER_ERROR_PERCENT = 1
QUIET_HOURS = 6
OVERDUE_RISING_HOURS = 3
API_STAGE = "api"


def app_metric(
    name: str, statistic: str = "Sum", period: Duration = FIVE_MINUTES, **dimensions: str
) -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace=NAMESPACE,
        metric_name=name,
        dimensions_map={"service": SERVICE, **dimensions},
        statistic=statistic,
        period=period,
    )


def api_metric(api_name: str, name: str, statistic: str = "Sum") -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace="AWS/ApiGateway",
        metric_name=name,
        dimensions_map={"ApiName": api_name, "Stage": API_STAGE},
        statistic=statistic,
        period=FIVE_MINUTES,
    )


def daytime_condition(config: DeployConfig, hour: str) -> str:
    """Metric math that is true in the province's daytime; HOUR() gives UTC hours."""
    start, end = ((local - config.utc_offset_hours) % 24 for local in config.daytime_hours)
    joiner = "AND" if start < end else "OR"
    return f"({hour} >= {start} {joiner} {hour} < {end})"


class ObservabilityStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        messaging: MessagingStack,
        workflow: WorkflowStack,
        apps: Mapping[str, ChaliceAppStack],
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.topic_key = kms.Key(
            self,
            "OpsTopicKey",
            description="Encrypts the ops alarm topic",
            enable_key_rotation=True,
        )
        # CloudWatch alarms publish to the encrypted topic, so they need the key.
        self.topic_key.grant(
            iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*"
        )
        self.ops_topic = sns.Topic(
            self,
            "OpsTopic",
            topic_name=config.physical_name("ops"),
            display_name=f"{config.resource_prefix} ops",
            master_key=self.topic_key,
            enforce_ssl=True,
        )
        for address in config.ops_emails:
            self.ops_topic.add_subscription(subscriptions.EmailSubscription(address))
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        api_names = {name: stack.api_name for name, stack in apps.items() if stack.api is not None}

        self._queue_alarms(messaging)
        self._api_alarms(api_names)
        self._throttle_alarms(apps)
        self._workflow_alarm(workflow)
        self._business_alarms(config)
        self.dashboard = self._dashboard(config, messaging, workflow, api_names)

    def _alarm(self, construct_id: str, description: str, **props) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(self, construct_id, alarm_description=description, **props)
        alarm.add_alarm_action(cloudwatch_actions.SnsAction(self.ops_topic))
        self.alarms[construct_id] = alarm
        return alarm

    def _queue_alarms(self, messaging: MessagingStack) -> None:
        for queue in messaging.dead_letter_queues:
            self._alarm(
                f"DeadLetters-{queue.node.id}",
                "A message reached a dead-letter queue: an event was given up on; see the runbook.",
                metric=queue.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES, statistic="Maximum"),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )

    def _api_alarms(self, api_names: Mapping[str, str]) -> None:
        for app, api_name in api_names.items():
            rate = cloudwatch.MathExpression(
                expression=f"IF(requests >= {MIN_REQUESTS_FOR_ERROR_RATE}, 100 * errors / requests, 0)",
                using_metrics={
                    "requests": api_metric(api_name, "Count"),
                    "errors": api_metric(api_name, "5XXError"),
                },
                label=f"{app} 5xx %",
                period=FIVE_MINUTES,
            )
            self._alarm(
                f"ServerErrors-{app}",
                f"More than {SERVER_ERROR_PERCENT} % of the {app} API's requests failed with 5xx.",
                metric=rate,
                threshold=SERVER_ERROR_PERCENT,
                evaluation_periods=3,
                datapoints_to_alarm=2,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )

    def _throttle_alarms(self, apps: Mapping[str, ChaliceAppStack]) -> None:
        for app, stack in apps.items():
            throttles = {
                f"t{index}": cloudwatch.Metric(
                    namespace="AWS/Lambda",
                    metric_name="Throttles",
                    dimensions_map={"FunctionName": stack.function_name(logical_id)},
                    statistic="Sum",
                    period=FIVE_MINUTES,
                )
                for index, logical_id in enumerate(sorted(stack.functions))
            }
            self._alarm(
                f"Throttles-{app}",
                f"Lambda throttled the {app} functions (concurrency cap or account limit).",
                metric=cloudwatch.MathExpression(
                    expression=" + ".join(f"FILL({name}, 0)" for name in throttles),
                    using_metrics=throttles,
                    label=f"{app} throttles",
                    period=FIVE_MINUTES,
                ),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )

    def _workflow_alarm(self, workflow: WorkflowStack) -> None:
        machine = workflow.escalation
        self._alarm(
            "EscalationFailures",
            "An escalation execution failed, timed out or was aborted: a missed deadline may go unannounced.",
            metric=cloudwatch.MathExpression(
                expression="FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)",
                using_metrics={
                    "failed": machine.metric_failed(period=FIVE_MINUTES),
                    "timedOut": machine.metric_timed_out(period=FIVE_MINUTES),
                    "aborted": machine.metric_aborted(period=FIVE_MINUTES),
                },
                label="escalations failed",
                period=FIVE_MINUTES,
            ),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    def _business_alarms(self, config: DeployConfig) -> None:
        # The sweeper reports the overdue backlog every five minutes; its hourly maximum going up
        # hour after hour means units are falling behind.
        self._alarm(
            "OverdueRising",
            f"The number of overdue reports rose {OVERDUE_RISING_HOURS} hours running.",
            metric=cloudwatch.MathExpression(
                expression="DIFF(overdue)",
                using_metrics={"overdue": app_metric("OverdueReports", "Maximum", ONE_HOUR)},
                label="overdue change per hour",
                period=ONE_HOUR,
            ),
            threshold=0,
            evaluation_periods=OVERDUE_RISING_HOURS,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        # The hours come from TIME_SERIES, which has every period even when nothing was submitted
        # at all; at night the expression reads 1 (not breaching), so only daytime hours count
        # towards the six empty ones, and a daytime hour without data counts as empty.
        self._alarm(
            "NoSubmissions",
            f"No report was submitted for {QUIET_HOURS} daytime hours: is the citizen API reachable?",
            metric=cloudwatch.MathExpression(
                expression=(
                    f"IF({daytime_condition(config, 'HOUR(TIME_SERIES(0))')}, FILL(submitted, 0), 1)"
                ),
                using_metrics={"submitted": app_metric("ReportSubmitted", period=ONE_HOUR)},
                label="submissions per daytime hour",
                period=ONE_HOUR,
            ),
            threshold=1,
            evaluation_periods=QUIET_HOURS,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
        )

    def _dashboard(
        self, config: DeployConfig, messaging: MessagingStack, workflow: WorkflowStack, api_names: Mapping[str, str]
    ) -> cloudwatch.Dashboard:
        def graph(title: str, left: list[cloudwatch.IMetric], right: list[cloudwatch.IMetric] | None = None):
            return cloudwatch.GraphWidget(title=title, left=left, right=right or [], width=12, height=6)

        queues = (messaging.intake_queue, *messaging.dead_letter_queues)
        dashboard = cloudwatch.Dashboard(
            self, "Dashboard", dashboard_name=f"{config.physical_name('operations')}"
        )
        dashboard.add_widgets(
            cloudwatch.TextWidget(
                markdown=f"# Phản ánh hiện trường — {config.province} ({config.stage})", width=24, height=1
            )
        )
        dashboard.add_widgets(
            graph("Submissions and routing", [app_metric("ReportSubmitted"), app_metric("ReportRouted")]),
            graph(
                "Routing latency (s, submitted → routed)",
                [app_metric("RoutingLatency", statistic) for statistic in ("p50", "p90", "Maximum")],
            ),
        )
        dashboard.add_widgets(
            graph("Photos checked and rejected", [app_metric("PhotoChecked"), app_metric("PhotoRejected")]),
            graph(
                "Intake queue: depth and oldest message (s)",
                [messaging.intake_queue.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES)],
                [messaging.intake_queue.metric_approximate_age_of_oldest_message(period=FIVE_MINUTES)],
            ),
        )
        dashboard.add_widgets(
            graph(
                "Dead-letter queues (messages)",
                [queue.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES) for queue in queues[1:]],
            ),
            graph(
                "Escalations by level and overdue reports",
                [app_metric("Escalated", level=str(level)) for level in range(1, ESCALATION_LEVELS + 1)],
                [app_metric("OverdueReports", "Maximum")],
            ),
        )
        dashboard.add_widgets(
            graph(
                "API 4xx / 5xx",
                [
                    api_metric(api_name, kind)
                    for api_name in api_names.values()
                    for kind in ("4XXError", "5XXError")
                ],
            ),
            graph("API latency p90 (ms)", [api_metric(api_name, "Latency", "p90") for api_name in api_names.values()]),
        )
        dashboard.add_widgets(
            graph(
                "Satisfaction (score 1–5) and ratings",
                [app_metric("SatisfactionScore", "Average", ONE_HOUR)],
                [app_metric("ReportRated", period=ONE_HOUR), app_metric("ReportReopened", period=ONE_HOUR)],
            ),
            graph(
                "Escalation executions",
                [workflow.escalation.metric_started(), workflow.escalation.metric_failed()],
            ),
        )
        return dashboard
