"""Sign-ins for the demo officers, in the officers' pool the template created, and ID tokens to
try the processing API with. Unit heads and coordinators have an authenticator app (TOTP) enrolled,
as the officers' API demands (phananh.processing.sign_in.MFA_REQUIRED_ROLES); signing them in answers the TOTP
challenge with a code computed here, as the authenticator app would.

`python -m phananh_local.identities OFFICER_ID` prints an ID token for one officer of a running
`make dev` (found through the environment of the functions it deployed); `--totp` prints the code an
authenticator app would show now for the local accounts (`make totp`).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import hmac
import os
import struct
import time
from collections.abc import Iterable
from typing import Any

import boto3

from phananh.processing.sign_in import MFA_REQUIRED_ROLES
from phananh.routing.directory import Officer
from phananh.shared.settings import get_settings
from phananh_local.assembly import DEFAULT_REGION, cdk_context

# Development only: it is in the source, so it must never be given to an account of a real pool.
# It meets the pool's policy (12+ characters, upper and lower case, a digit, a symbol).
DEMO_PASSWORD = "Phananh-demo-2025!"  # noqa: S105
TOTP_STEP_S = 30
TOTP_DIGITS = 6
# A code made this close to the end of its 30 s window may reach moto in the next one (moto accepts
# only the current window; a loaded machine takes seconds): wait for a fresh window instead.
TOTP_MARGIN_S = 3


def _cognito() -> Any:
    return boto3.client("cognito-idp")


def seed_officer_logins(officers: Iterable[Officer]) -> None:
    """One sign-in per officer (username = officer id, the demo password), in its role's group,
    with TOTP enrolled for the roles that need it. Seeding again keeps existing accounts and only
    resets their password and group (and enrols whoever is not enrolled yet)."""
    cognito = _cognito()
    pool_id = get_settings().user_pool_id
    for officer in officers:
        with contextlib.suppress(cognito.exceptions.UsernameExistsException):
            cognito.admin_create_user(
                UserPoolId=pool_id,
                Username=officer.officer_id,
                UserAttributes=[
                    {"Name": "email", "Value": officer.email},
                    {"Name": "email_verified", "Value": "true"},
                ],
                MessageAction="SUPPRESS",
            )
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=officer.officer_id, Password=DEMO_PASSWORD, Permanent=True
        )
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=officer.officer_id, GroupName=officer.role)
        if officer.role in MFA_REQUIRED_ROLES:
            enrol_totp(officer.officer_id)


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows for a base32 `secret` (RFC 6238: HMAC-SHA1, 30 s, 6 digits)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    counter = int((time.time() if at is None else at) // TOTP_STEP_S)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**TOTP_DIGITS).zfill(TOTP_DIGITS)


def fresh_totp_code(secret: str) -> str:
    """A code still valid for at least TOTP_MARGIN_S, as a person would wait for the next one."""
    left_s = TOTP_STEP_S - time.time() % TOTP_STEP_S
    if left_s < TOTP_MARGIN_S:
        time.sleep(left_s + 0.1)
    return totp_code(secret)


def local_totp_secret() -> str:
    """moto enrols every local account with one and the same TOTP secret (and checks codes against it)."""
    from moto.cognitoidp.models import COGNITO_TOTP_MFA_SECRET

    return COGNITO_TOTP_MFA_SECRET


def _has_totp(officer_id: str) -> bool:
    user = _cognito().admin_get_user(UserPoolId=get_settings().user_pool_id, Username=officer_id)
    return "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or [])


def enrol_totp(officer_id: str, password: str = DEMO_PASSWORD) -> None:
    """Enrol an authenticator app for the officer, as the officer app's set-up screen would, and make
    it their sign-in's second factor."""
    if _has_totp(officer_id):
        return
    cognito = _cognito()
    access_token = _sign_in(officer_id, password)["AccessToken"]
    secret = cognito.associate_software_token(AccessToken=access_token)["SecretCode"]
    cognito.verify_software_token(AccessToken=access_token, UserCode=fresh_totp_code(secret), FriendlyDeviceName="demo")
    cognito.admin_set_user_mfa_preference(
        UserPoolId=get_settings().user_pool_id, Username=officer_id,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )


def _sign_in(officer_id: str, password: str) -> dict[str, Any]:
    """Signs the officer in as the officer app would (with the admin flow: no SRP maths here),
    answering a TOTP challenge with the code of the secret Cognito gave at enrolment."""
    settings = get_settings()
    cognito = _cognito()
    result = cognito.admin_initiate_auth(
        UserPoolId=settings.user_pool_id,
        ClientId=settings.user_pool_client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": officer_id, "PASSWORD": password},
    )
    if result.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
        # Locally the pool hands the enrolled secret back for the session (moto's one demo secret).
        secret = cognito.associate_software_token(Session=result["Session"])["SecretCode"]
        result = cognito.admin_respond_to_auth_challenge(
            UserPoolId=settings.user_pool_id,
            ClientId=settings.user_pool_client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=result["Session"],
            ChallengeResponses={"USERNAME": officer_id, "SOFTWARE_TOKEN_MFA_CODE": fresh_totp_code(secret)},
        )
    return result["AuthenticationResult"]


def id_token_for(officer_id: str, password: str = DEMO_PASSWORD) -> str:
    return _sign_in(officer_id, password)["IdToken"]


def _use_running_stack(endpoint: str) -> None:
    """Points boto3 at a running `make dev` and takes its settings from a deployed function."""
    os.environ.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID=os.environ.get("AWS_ACCESS_KEY_ID", "local"),
        AWS_SECRET_ACCESS_KEY=os.environ.get("AWS_SECRET_ACCESS_KEY", "local"),
    )
    functions = boto3.client("lambda").list_functions(MaxItems=1)["Functions"]
    if not functions:
        raise SystemExit(f"no phananh functions at {endpoint}: is `make dev` running?")
    os.environ.update(functions[0]["Environment"]["Variables"])
    get_settings.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(prog="make token", description="Print a demo officer's ID token.")
    parser.add_argument(
        "officer_id", nargs="?", help="e.g. ubnd_31321.officer, so_xay_dung.head, ban_dieu_phoi.coordinator1"
    )
    parser.add_argument("--totp", action="store_true", help="print the local accounts' current TOTP code instead")
    parser.add_argument("--host", default=os.environ.get("PHANANH_HOST", "127.0.0.1"))
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("PHANANH_MOTO_PORT", "5005")))
    arguments = parser.parse_args()
    if arguments.totp:
        left_s = TOTP_STEP_S - int(time.time()) % TOTP_STEP_S
        print(f"{totp_code(local_totp_secret())}   (valid {left_s} s more; secret {local_totp_secret()})")
        return
    if not arguments.officer_id:
        parser.error("name an officer, e.g. make token OFFICER=so_xay_dung.head")
    os.environ["AWS_DEFAULT_REGION"] = cdk_context().get("region") or DEFAULT_REGION
    _use_running_stack(f"http://{arguments.host}:{arguments.moto_port}")
    print(id_token_for(arguments.officer_id))


if __name__ == "__main__":
    main()
