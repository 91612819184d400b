"""The officers' accounts in the Cognito user pool: the SignIns of phananh.processing.ports."""

from __future__ import annotations

import contextlib

from phananh.adapters.aws.clients import client
from phananh.shared.settings import get_settings


class CognitoSignIns:
    def create_sign_in(self, username: str, email: str, group: str, *, fresh: bool) -> None:
        """An officer's sign-in: Cognito e-mails a temporary password; the group gives the role.

        `fresh` (a new holder of the post, or a new address): any earlier account of that name is signed
        out everywhere and deleted first, so the previous holder's password, address and refresh tokens
        die with it and the new holder starts from a temporary password sent to the new address.
        """
        cognito = client("cognito-idp")
        pool_id = get_settings().user_pool_id
        if fresh:
            self.remove_sign_in(username)
        # Not fresh: the same holder, changed in place, keeps their credentials.
        with contextlib.suppress(cognito.exceptions.UsernameExistsException):
            cognito.admin_create_user(
                UserPoolId=pool_id, Username=username, DesiredDeliveryMediums=["EMAIL"],
                UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
            )
        for existing in cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"]:
            if existing["GroupName"] != group:
                cognito.admin_remove_user_from_group(
                    UserPoolId=pool_id, Username=username, GroupName=existing["GroupName"]
                )
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)

    def remove_sign_in(self, username: str) -> None:
        """Sign the account out everywhere (its refresh tokens stop working) and delete it."""
        cognito = client("cognito-idp")
        pool_id = get_settings().user_pool_id
        try:
            cognito.admin_user_global_sign_out(UserPoolId=pool_id, Username=username)
            cognito.admin_delete_user(UserPoolId=pool_id, Username=username)
        except cognito.exceptions.UserNotFoundException:
            pass

    def has_totp(self, username: str) -> bool:
        """Whether the officer's sign-in has an authenticator app (TOTP) enrolled as an MFA method."""
        cognito = client("cognito-idp")
        try:
            user = cognito.admin_get_user(UserPoolId=get_settings().user_pool_id, Username=username)
        except cognito.exceptions.UserNotFoundException:
            return False
        return "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or [])
