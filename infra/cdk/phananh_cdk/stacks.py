"""Assembles the phananh CDK app."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

from phananh_cdk.config import SHARED_LAYER_SOURCE, DeployConfig, file_context

# Chalice imports each app.py while packaging, and the apps import the shared package.
if str(SHARED_LAYER_SOURCE) not in sys.path:
    sys.path.insert(0, str(SHARED_LAYER_SOURCE))

from aws_cdk import App, Environment, Stack, Tags, Validations
from cdk_nag import AwsSolutionsChecks

from phananh.report.push_device import Platform
from phananh.shared.settings import ENV_PREFIX, Settings
from phananh_cdk.account_stack import AccountSettingsStack
from phananh_cdk.app_stack import DELIVER, PHOTOS, ROUTE, ChaliceAppStack, deployable_apps, reset_chalice_imports
from phananh_cdk.data_stack import DataStack
from phananh_cdk.edge_stack import VIEWER_ADDRESS_HEADER, EdgeStack
from phananh_cdk.identity_stack import IdentityStack
from phananh_cdk.layer import (
    PHOTO_DEPENDENCIES,
    build_dependencies_layer_dir,
    build_layer_dir,
    prune_stale_builds,
    wards_path_in_lambda,
)
from phananh_cdk.messaging_stack import MessagingStack
from phananh_cdk.nag import acknowledge_findings
from phananh_cdk.observability_stack import ObservabilityStack
from phananh_cdk.workflow_stack import WorkflowStack

RESOURCE_PREFIX_VARIABLE = "PHANANH_RESOURCE_PREFIX"


@dataclass(frozen=True)
class PhananhStacks:
    data: DataStack
    messaging: MessagingStack
    identity: IdentityStack
    workflow: WorkflowStack
    apps: dict[str, ChaliceAppStack]
    edge: EdgeStack
    observability: ObservabilityStack
    account: AccountSettingsStack

    @property
    def all(self) -> list[Stack]:
        return [self.account, self.data, self.messaging, self.identity, self.workflow, *self.apps.values(),
                self.edge, self.observability]


def required_settings_variables() -> set[str]:
    return {ENV_PREFIX + field.name.upper() for field in fields(Settings) if field.default is MISSING}


def shared_environment(
    config: DeployConfig, data: DataStack, messaging: MessagingStack, identity: IdentityStack,
    workflow: WorkflowStack,
) -> dict[str, str]:
    """The variables every function receives: one set, so one process can host all apps."""
    settings = {
        "reports_table": data.reports_table.table_name,
        "audit_table": data.audit_table.table_name,
        "units_table": data.units_table.table_name,
        "officers_table": data.officers_table.table_name,
        "routing_rules_table": data.routing_rules_table.table_name,
        "rate_limit_table": data.rate_limit_table.table_name,
        "idempotency_table": data.idempotency_table.table_name,
        "scorecard_table": data.scorecard_table.table_name,
        "follows_table": data.follows_table.table_name,
        "photos_bucket": data.photos_bucket.bucket_name,
        # Written by the schedule app's daily snapshot job; served by the edge at /open-data/.
        "open_data_bucket": data.open_data_bucket_name,
        "intake_queue_url": messaging.intake_queue.queue_url,
        "delivery_queue_url": messaging.delivery_queue.queue_url,
        "contact_key_id": data.contact_key_alias.alias_name,
        "secret_arn": data.hmac_secret.secret_arn,
        "wards_geojson": wards_path_in_lambda(config.wards_geojson),
        "stage": config.stage,
        "alerts_sender": config.alerts_sender,
        "user_pool_id": identity.user_pool.user_pool_id,
        "user_pool_client_id": identity.officer_app_client.user_pool_client_id,
        "escalation_state_machine_arn": workflow.escalation.state_machine_arn,
        # The anonymous APIs answer only through the edge (its WAF rule), which writes this header.
        "client_address_header": VIEWER_ADDRESS_HEADER,
        # The alert e-mails link to the report in the console (phananh_cdk.config.DeployConfig.console_url).
        "console_url": config.console_url,
        # Followers' pushes link to the report's page on the public site, a question relayed to a
        # reporter to their view on it.
        "site_url": config.site_url,
        "alert_unit_inbox": "1" if config.alert_unit_inbox else "0",
        # Empty until the service's credential is filled in: its tokens are refused meanwhile.
        **{f"push_{platform}_application_arn": messaging.push_platforms.application_arn(platform)
           for platform in Platform},
    }
    environment = {ENV_PREFIX + name.upper(): value for name, value in settings.items()}
    environment[RESOURCE_PREFIX_VARIABLE] = config.resource_prefix
    missing = required_settings_variables() - environment.keys()
    if missing:
        raise ValueError(f"the CDK app does not set {sorted(missing)}: add them to {__name__}")
    return environment


def build_app(context: Mapping[str, Any] | None = None, *, outdir: str | None = None) -> tuple[App, PhananhStacks]:
    """Builds the app from cdk.json's context, with `context` overriding single keys."""
    app = App(context={**file_context(), **(context or {})}, outdir=outdir)
    config = DeployConfig.from_context(app.node)
    # intake_queue_name() reads it, here and when Chalice imports the route app.
    os.environ[RESOURCE_PREFIX_VARIABLE] = config.resource_prefix
    env = Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=config.region)

    def stack_name(concern: str) -> str:
        return config.physical_name(concern)

    account = AccountSettingsStack(app, stack_name("account"), config=config, env=env)
    data = DataStack(app, stack_name("data"), config=config, env=env)
    messaging = MessagingStack(
        app,
        stack_name("messaging"),
        config=config,
        data=data,
        intake_consumer_timeout=ROUTE.timeout,
        uploads_consumer_timeout=PHOTOS.timeout,
        delivery_consumer_timeout=DELIVER.timeout,
        env=env,
    )
    identity = IdentityStack(app, stack_name("identity"), config=config, env=env)
    workflow = WorkflowStack(app, stack_name("workflow"), config=config, data=data, env=env)
    environment = shared_environment(config, data, messaging, identity, workflow)
    prune_stale_builds()
    package_dir = build_layer_dir(config.wards_geojson)
    layer_dirs = (build_dependencies_layer_dir(), package_dir)
    photo_layer_dirs = (build_dependencies_layer_dir(PHOTO_DEPENDENCIES), package_dir)
    apps = {}
    for spec in deployable_apps():
        stack = ChaliceAppStack(
            app,
            stack_name(spec.name),
            app=spec,
            data=data,
            messaging=messaging,
            identity=identity,
            workflow=workflow,
            environment=environment,
            layer_dirs=photo_layer_dirs if spec.photo_dependencies else layer_dirs,
            config=config,
            env=env,
        )
        # Chalice names the route and photos apps' queues rather than referencing them.
        stack.add_stack_dependency(messaging)
        # API Gateway accepts a stage's access logs only once the account names its logs role.
        stack.add_stack_dependency(account)
        apps[spec.name] = stack
    # Leave no app module behind for whoever imports an `app` next in this process.
    reset_chalice_imports()
    edge = EdgeStack(app, stack_name("edge"), config=config, apps=apps, data=data, identity=identity, env=env)
    observability = ObservabilityStack(
        app, stack_name("observability"), config=config, messaging=messaging, workflow=workflow, apps=apps, env=env
    )
    stacks = PhananhStacks(
        data=data, messaging=messaging, identity=identity, workflow=workflow, apps=apps, edge=edge,
        observability=observability, account=account,
    )
    Tags.of(app).add("phananh:province", config.province)
    Tags.of(app).add("phananh:stage", config.stage)
    # Every synth (make synth, cdk synth/deploy, the tests) runs the AWS Solutions rules; what they
    # find is either fixed or acknowledged, with its reason, in phananh_cdk.nag.
    Validations.of(app).add_plugins(AwsSolutionsChecks(verbose=True))
    acknowledge_findings(stacks)
    return app, stacks
