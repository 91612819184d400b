"""AWS::Cognito::UserPool, UserPoolGroup and UserPoolClient."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phananh_local.deploy.model import Created, Handler

if TYPE_CHECKING:
    from phananh_local.deploy.stack import Stack


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


def create_user_pool(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    props = stack.resolve(properties)
    name = props.get("UserPoolName") or stack.physical_name(logical_id, max_length=128)
    request = {key: props[key] for key in _USER_POOL_API_KEYS if key in props}
    cognito = stack.account.client("cognito-idp")
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
    provider_name = f"cognito-idp.{stack.account.region}.{stack.account.url_suffix}/{pool['Id']}"
    return Created(
        pool["Id"],
        {
            "Arn": pool["Arn"],
            "UserPoolId": pool["Id"],
            "ProviderName": provider_name,
            "ProviderURL": f"https://{provider_name}",
        },
    )


def create_user_pool_group(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    props = stack.resolve(properties)
    name = props.get("GroupName") or stack.physical_name(logical_id, max_length=128)
    request = {key: props[key] for key in ("Description", "Precedence", "RoleArn") if key in props}
    stack.account.client("cognito-idp").create_group(UserPoolId=props["UserPoolId"], GroupName=name, **request)
    return Created(name)


def create_user_pool_client(stack: Stack, logical_id: str, properties: dict[str, Any]) -> Created:
    props = stack.resolve(properties)
    name = props.get("ClientName") or stack.physical_name(logical_id, max_length=128)
    request = {key: props[key] for key in _USER_POOL_CLIENT_API_KEYS if key in props}
    client = stack.account.client("cognito-idp").create_user_pool_client(
        UserPoolId=props["UserPoolId"], ClientName=name, **request
    )["UserPoolClient"]
    attributes = {"ClientId": client["ClientId"], "Name": name}
    if "ClientSecret" in client:
        attributes["ClientSecret"] = client["ClientSecret"]
    return Created(client["ClientId"], attributes)


HANDLERS: dict[str, Handler] = {
    "AWS::Cognito::UserPool": create_user_pool,
    "AWS::Cognito::UserPoolGroup": create_user_pool_group,
    "AWS::Cognito::UserPoolClient": create_user_pool_client,
}
