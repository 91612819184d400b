"""Officers' sign-in, checked the way API Gateway's Cognito authorizer checks it, in every stage.

An officer presents a Cognito ID token of the officers' pool, issued to the officer app's client.
The token says who they are; the officers table says which unit they belong to and which role they
hold, so removing, moving or demoting an officer takes effect at their next request (an ID token
stays valid by its signature for its hour). A role counts only if the token's groups name it too.
A token issued before the officer's credentials were last (re)created belongs to an earlier holder
of the post and is refused. Unit heads and coordinators must have TOTP enrolled (MFA_REQUIRED_ROLES).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from phananh.ports import Ports
from phananh.processing.principal import ROLES, Principal
from phananh.routing.directory import Officer
from phananh.shared.errors import DomainError, Text, bilingual
from phananh.shared.settings import get_settings

if TYPE_CHECKING:
    import jwt

# Clocks of Lambda hosts and Cognito drift a little; more would stretch a token's life.
CLOCK_LEEWAY_S = 30
JWKS_FETCH_TIMEOUT_S = 5
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "token_use", "cognito:username")
# Who can reassign, reject, merge or administer must prove a second factor at sign-in.
MFA_REQUIRED_ROLES = frozenset({"unit_head", "coordinator"})
# Enrolment is asked of Cognito at most this often per officer and container.
MFA_CHECK_TTL_S = 60


class AuthError(DomainError):
    """No valid sign-in: the reason stays in the server, the caller only learns to sign in."""

    code = "unauthorized"

    def __init__(self) -> None:
        super().__init__(bilingual("Cần đăng nhập hợp lệ.", "A valid sign-in is required."))


class Forbidden(DomainError):
    code = "forbidden"

    def __init__(self, message: Text | None = None) -> None:
        super().__init__(
            message or bilingual("Bạn không có quyền thực hiện việc này.", "You are not allowed to do this.")
        )


class MfaRequired(DomainError):
    code = "mfa_required"

    def __init__(self) -> None:
        super().__init__(bilingual(
            "Tài khoản trưởng đơn vị và điều phối viên phải bật xác thực hai lớp (ứng dụng TOTP) trước khi sử dụng.",
            "Unit heads and coordinators must enrol an authenticator app (TOTP) before using the officer API.",
        ))


class OfficerLookup(Protocol):
    def officer(self, officer_id: str) -> Officer | None: ...


def issuer(pool_id: str) -> str:
    # A pool id starts with its region: "ap-southeast-1_AbC123".
    region = pool_id.split("_", 1)[0]
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


def jwks_url(pool_id: str) -> str:
    """Where the pool's signing keys are: the issuer's, or the same keys from the endpoint the AWS SDK
    is pointed at for Cognito (moto's server, locally)."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_COGNITO_IDP") or os.environ.get("AWS_ENDPOINT_URL")
    base = f"{endpoint.rstrip('/')}/{pool_id}" if endpoint else issuer(pool_id)
    return f"{base}/.well-known/jwks.json"


@cache
def _jwks_client(url: str) -> jwt.PyJWKClient:
    import jwt

    return jwt.PyJWKClient(url, timeout=JWKS_FETCH_TIMEOUT_S)


def verify_officer_token(token: str | None) -> dict[str, Any]:
    """The claims of a valid ID token of the officers' pool for the officer app, else AuthError.

    A JWKS endpoint that cannot be reached is an outage, not a bad token: PyJWKClientConnectionError
    goes up as it is.
    """
    # PyJWT and the cryptography it loads are imported here, by the officers' API, and not by the
    # citizen and rating apps, which import this module only for its errors (through policy).
    import jwt

    if not token:
        raise AuthError()
    settings = get_settings()
    pool_id = settings.user_pool_id
    try:
        signing_key = _jwks_client(jwks_url(pool_id)).get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            key=signing_key,
            algorithms=["RS256"],
            audience=settings.user_pool_client_id,
            # moto signs every pool's tokens with one key, and a real attacker may hold a token
            # of another pool: the issuer is what ties the token to ours.
            issuer=issuer(pool_id),
            leeway=CLOCK_LEEWAY_S,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.PyJWKClientConnectionError:
        raise
    except jwt.PyJWTError:
        raise AuthError() from None
    # Access tokens are signed with the same key; only an ID token says who signed in.
    if claims["token_use"] != "id" or not isinstance(claims["cognito:username"], str):  # noqa: S105 a claim, not a secret
        raise AuthError()
    return claims


def _issued_before(claims: Mapping[str, Any], since: datetime | None) -> bool:
    """Whether the token predates the officer's current credentials (whole seconds, as `iat` is)."""
    if since is None:
        return False
    issued = claims.get("auth_time", claims["iat"])
    return not isinstance(issued, int | float) or issued < int(since.timestamp())


def principal_from_claims(claims: Mapping[str, Any], officers: OfficerLookup) -> Principal:
    officer_id = claims["cognito:username"]
    groups = claims.get("cognito:groups") or []
    officer = officers.officer(officer_id)
    if officer is None or _issued_before(claims, officer.credentials_since):
        raise Forbidden()
    # The table is the authority; the token's groups can only narrow it (a stale token never widens it).
    roles = frozenset(group for group in groups if group in ROLES and group == officer.role)
    if not roles:
        raise Forbidden()
    return Principal(officer_id=officer_id, unit_id=officer.unit_id, roles=roles)


_mfa_checked: dict[str, tuple[float, bool]] = {}


def forget_mfa_checks() -> None:
    """Drop the cached enrolment answers (a test, or an operator who just enrolled someone)."""
    _mfa_checked.clear()


def require_mfa(principal: Principal, has_totp: Callable[[str], bool]) -> None:
    """Unit heads and coordinators without TOTP enrolled are refused; answers are cached briefly."""
    if not get_settings().require_mfa_for_leads or not principal.roles & MFA_REQUIRED_ROLES:
        return
    now = time.monotonic()
    checked_at, enrolled = _mfa_checked.get(principal.officer_id, (None, False))
    if checked_at is None or now - checked_at > MFA_CHECK_TTL_S:
        enrolled = has_totp(principal.officer_id)
        _mfa_checked[principal.officer_id] = (now, enrolled)
    if not enrolled:
        raise MfaRequired()


def authenticate(authorization_header: str | None, *, ports: Ports) -> Principal:
    """`Authorization: Bearer <ID token>` → the acting officer."""
    scheme, _, token = (authorization_header or "").partition(" ")
    if scheme.lower() != "bearer":
        raise AuthError()
    principal = principal_from_claims(verify_officer_token(token.strip()), ports.directory)
    require_mfa(principal, ports.sign_ins.has_totp)
    return principal
