"""Officers' sign-in: a Cognito user pool with one group per role and the officer app's client.

Citizens never sign in (they hold tracking tokens); only officers have accounts, created by
administrators, so nobody can sign up.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from phananh.processing.principal import ROLES
from phananh_cdk.config import DeployConfig

ROLE_DESCRIPTIONS = {
    "officer": "Handles the reports assigned to their unit",
    "unit_head": "Supervises their unit's reports and officers",
    "coordinator": "Routes, reassigns and oversees reports across units",
}
MIN_PASSWORD_LENGTH = 12
ID_TOKEN_VALIDITY = Duration.hours(1)


class IdentityStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: DeployConfig, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        self.user_pool = cognito.UserPool(
            self,
            "OfficersPool",
            user_pool_name=config.physical_name("officers"),
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(username=True),
            # Officer ids are lower-case; "Ubnd_31321.Officer" must not become a second account.
            sign_in_case_sensitive=False,
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            password_policy=cognito.PasswordPolicy(
                min_length=MIN_PASSWORD_LENGTH,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            # Optional for the pool, TOTP only (SMS codes can be swapped out of a SIM): the processing
            # API itself refuses unit heads and coordinators who have not enrolled.
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.groups = {
            role: cognito.UserPoolGroup(
                self,
                f"Group-{role}",
                user_pool=self.user_pool,
                group_name=role,
                description=ROLE_DESCRIPTIONS[role],
            )
            for role in ROLES
        }
        self.officer_app_client = self.user_pool.add_client(
            "OfficerAppClient",
            user_pool_client_name=config.physical_name("officer-app"),
            # A mobile/web app cannot keep a secret, and it signs in with SRP (the password never
            # leaves the device), then refreshes: no hosted UI, no plain password flow in the cloud.
            generate_secret=False,
            disable_o_auth=True,
            auth_flows=cognito.AuthFlow(
                user_srp=True, admin_user_password=config.password_sign_in, user_password=config.password_sign_in
            ),
            id_token_validity=ID_TOKEN_VALIDITY,
            access_token_validity=ID_TOKEN_VALIDITY,
            refresh_token_validity=Duration.days(30),
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
        )
