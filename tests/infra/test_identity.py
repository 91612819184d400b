"""The officers' user pool and how the apps reach it: settings, the processing API's authorizer."""

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from phananh.processing.principal import ROLES

pytestmark = pytest.mark.infra

PREFIX = "phananh"
CONTEXT = {"resource_prefix": PREFIX, "stage": "test"}
AUTHORIZER = "officers"
# Declares its authorizer as functions/handle does, so the override is checked before that lands.
PROBE_APP = """
from chalice import Chalice, CognitoUserPoolAuthorizer

app = Chalice(app_name="probe")
officers = CognitoUserPoolAuthorizer(
    "officers", provider_arns=["arn:aws:cognito-idp:ap-southeast-1:000000000000:userpool/placeholder"]
)


@app.route("/whoami", authorizer=officers)
def whoami():
    return {}
"""


def _silence_jsii() -> None:
    os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


@pytest.fixture(scope="module")
def templates(stacks) -> dict[str, dict[str, Any]]:
    from aws_cdk.assertions import Template

    return {
        "identity": Template.from_stack(stacks.identity).to_json(),
        **{name: Template.from_stack(stack).to_json() for name, stack in stacks.apps.items()},
    }


@pytest.fixture(scope="module")
def probe_template(tmp_path_factory) -> dict[str, Any]:
    """An app stack for a throwaway Chalice app with an `officers` authorizer, in an app of its own."""
    _silence_jsii()
    from aws_cdk import App, Duration, Environment
    from aws_cdk.assertions import Template

    from phananh_cdk.app_stack import ChaliceAppSpec, ChaliceAppStack, grant_handle, reset_chalice_imports
    from phananh_cdk.config import DeployConfig, file_context
    from phananh_cdk.data_stack import DataStack
    from phananh_cdk.identity_stack import IdentityStack
    from phananh_cdk.layer import build_layer_dir
    from phananh_cdk.messaging_stack import MessagingStack
    from phananh_cdk.stacks import shared_environment
    from phananh_cdk.workflow_stack import WorkflowStack

    source = tmp_path_factory.mktemp("probe")
    (source / "app.py").write_text(PROBE_APP, encoding="utf-8")
    (source / "requirements.txt").write_text("", encoding="utf-8")
    (source / ".chalice").mkdir()
    (source / ".chalice" / "config.json").write_text(
        json.dumps({"version": "2.0", "app_name": "probe", "stages": {}}), encoding="utf-8"
    )

    @dataclass(frozen=True)
    class ProbeSpec(ChaliceAppSpec):
        folder: Path = source

        @property
        def source_dir(self) -> Path:
            return self.folder

    spec = ProbeSpec("probe", Duration.seconds(15), 512, grant_handle, cognito_authorizer=AUTHORIZER)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PHANANH_RESOURCE_PREFIX", PREFIX)
        app = App(context={**file_context(), **CONTEXT})
        config = DeployConfig.from_context(app.node)
        env = Environment(region=config.region)
        data = DataStack(app, "probe-data", config=config, env=env)
        messaging = MessagingStack(
            app, "probe-messaging", config=config, data=data, intake_consumer_timeout=Duration.seconds(60),
            uploads_consumer_timeout=Duration.seconds(60), delivery_consumer_timeout=Duration.seconds(30), env=env,
        )
        identity = IdentityStack(app, "probe-identity", config=config, env=env)
        workflow = WorkflowStack(app, "probe-workflow", config=config, data=data, env=env)
        stack = ChaliceAppStack(
            app,
            "probe-app",
            app=spec,
            data=data,
            messaging=messaging,
            identity=identity,
            workflow=workflow,
            environment=shared_environment(config, data, messaging, identity, workflow),
            layer_dirs=[build_layer_dir(config.wards_geojson)],
            config=config,
            env=env,
        )
        templates = {"app": Template.from_stack(stack).to_json(), "identity": Template.from_stack(identity).to_json()}
    reset_chalice_imports()
    sys.path[:] = [entry for entry in sys.path if entry != str(source)]
    return templates


def _of_type(template: dict, resource_type: str) -> dict[str, dict]:
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def _pool_logical_id(identity: dict) -> str:
    (logical_id,) = _of_type(identity, "AWS::Cognito::UserPool")
    return logical_id


def _exported(identity: dict, value: Any) -> Any:
    """What an app template's Fn::ImportValue stands for in the identity template."""
    name = value["Fn::ImportValue"]
    (output,) = [output for output in identity["Outputs"].values() if output["Export"]["Name"] == name]
    return output["Value"]


def _statements(template: dict) -> list[dict]:
    return [
        statement
        for policy in _of_type(template, "AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def _actions(statement: dict) -> list[str]:
    return [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]


def test_only_administrators_create_officers_who_sign_in_by_username(templates):
    (pool,) = _of_type(templates["identity"], "AWS::Cognito::UserPool").values()
    properties = pool["Properties"]
    assert properties["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert not {"UsernameAttributes", "AliasAttributes"} & properties.keys()
    assert properties["UserPoolName"] == f"{PREFIX}-officers"
    assert pool["DeletionPolicy"] == "Retain"


def test_strong_password_policy_and_optional_mfa(templates):
    (pool,) = _of_type(templates["identity"], "AWS::Cognito::UserPool").values()
    policy = pool["Properties"]["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 12
    assert all(policy[rule] for rule in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"))
    assert pool["Properties"]["MfaConfiguration"] in ("OPTIONAL", "ON")


def test_the_second_factor_is_an_authenticator_app_never_sms(templates):
    (pool,) = _of_type(templates["identity"], "AWS::Cognito::UserPool").values()
    # OPTIONAL, not ON: the processing API refuses unit heads and coordinators without it.
    assert pool["Properties"]["MfaConfiguration"] == "OPTIONAL"
    assert pool["Properties"]["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert "SmsConfiguration" not in pool["Properties"]


def test_one_group_per_role(templates):
    identity = templates["identity"]
    groups = _of_type(identity, "AWS::Cognito::UserPoolGroup").values()
    assert sorted(group["Properties"]["GroupName"] for group in groups) == sorted(ROLES)
    assert all(group["Properties"]["UserPoolId"] == {"Ref": _pool_logical_id(identity)} for group in groups)


def test_officer_app_client_has_no_secret_and_signs_in_without_a_browser(templates):
    identity = templates["identity"]
    (client,) = _of_type(identity, "AWS::Cognito::UserPoolClient").values()
    properties = client["Properties"]
    assert properties["UserPoolId"] == {"Ref": _pool_logical_id(identity)}
    assert properties["GenerateSecret"] is False
    assert (properties["IdTokenValidity"], properties["TokenValidityUnits"]["IdToken"]) == (60, "minutes")
    assert "AllowedOAuthFlows" not in properties


def test_in_the_cloud_officers_sign_in_only_with_srp_then_refresh(templates):
    (client,) = _of_type(templates["identity"], "AWS::Cognito::UserPoolClient").values()
    # No flow that sends the password itself: nothing in the cloud signs officers in for them.
    assert sorted(client["Properties"]["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]


def test_the_local_stack_alone_adds_the_admin_password_flow():
    """moto answers no SRP: the local stack's context turns the password flows on (the admin one for the
    demo tokens, the plain one for the console in a browser), cdk.json's leaves them off."""
    _silence_jsii()
    from aws_cdk import App
    from aws_cdk.assertions import Template

    from phananh_cdk.config import DeployConfig, file_context
    from phananh_cdk.identity_stack import IdentityStack
    from phananh_local.assembly import LOCAL_CONTEXT

    assert file_context()["password_sign_in"] is False
    app = App(context={**file_context(), **CONTEXT, **LOCAL_CONTEXT})
    identity = IdentityStack(app, "local-identity", config=DeployConfig.from_context(app.node))
    (client,) = _of_type(Template.from_stack(identity).to_json(), "AWS::Cognito::UserPoolClient").values()
    assert sorted(client["Properties"]["ExplicitAuthFlows"]) == [
        "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"
    ]


def test_every_function_names_the_pool_and_the_client(templates):
    identity = templates["identity"]
    (client_logical_id,) = _of_type(identity, "AWS::Cognito::UserPoolClient")
    apps = [name for name in templates if name != "identity"]
    assert {"submit", "route"} <= set(apps)
    for app in apps:
        functions = _of_type(templates[app], "AWS::Serverless::Function").values()
        assert functions, app
        for function in functions:
            variables = function["Properties"]["Environment"]["Variables"]
            assert _exported(identity, variables["PHANANH_USER_POOL_ID"]) == {"Ref": _pool_logical_id(identity)}
            assert _exported(identity, variables["PHANANH_USER_POOL_CLIENT_ID"]) == {"Ref": client_logical_id}


def _officers_authorizer(app_template: dict) -> dict:
    (api,) = _of_type(app_template, "AWS::Serverless::Api").values()
    return api["Properties"]["DefinitionBody"]["securityDefinitions"][AUTHORIZER]


def _assert_authorizer_trusts_only_the_pool(app_template: dict, identity: dict) -> None:
    definition = _officers_authorizer(app_template)
    assert definition["x-amazon-apigateway-authtype"] == "cognito_user_pools"
    (provider,) = definition["x-amazon-apigateway-authorizer"]["providerARNs"]
    assert _exported(identity, provider) == {"Fn::GetAtt": [_pool_logical_id(identity), "Arn"]}


def test_the_authorizer_override_points_at_the_pool(probe_template):
    _assert_authorizer_trusts_only_the_pool(probe_template["app"], probe_template["identity"])


def test_processing_app_grants(probe_template):
    statements = _statements(probe_template["app"])
    actions = {action for statement in statements for action in _actions(statement)}
    assert {"kms:Decrypt", "sqs:SendMessage", "sns:CreateTopic", "sns:Subscribe"} <= actions
    assert "kms:Encrypt" not in actions  # only the citizen API seals contacts
    (cognito,) = [
        statement for statement in statements if any(name.startswith("cognito-idp:") for name in _actions(statement))
    ]
    assert set(_actions(cognito)) == {
        "cognito-idp:AdminCreateUser",
        "cognito-idp:AdminAddUserToGroup",
        "cognito-idp:AdminRemoveUserFromGroup",
        "cognito-idp:AdminGetUser",
        "cognito-idp:AdminUserGlobalSignOut",
        "cognito-idp:AdminDeleteUser",
        "cognito-idp:AdminListGroupsForUser",
    }
    # It makes units' topics, and publishes to none of them (the outbox alerts: functions/deliver).
    assert not [statement for statement in statements if "sns:Publish" in _actions(statement)]
    granted = json.dumps(statements)
    assert "ReportsTable" in granted
    assert "RateLimitTable" not in granted


def test_handle_app_trusts_only_the_officers_pool(templates):
    _assert_authorizer_trusts_only_the_pool(templates["handle"], templates["identity"])
