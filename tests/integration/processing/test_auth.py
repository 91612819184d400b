"""Officers' ID tokens from the pool the template deployed, verified as the cloud verifies them.

The keys come from a moto server in this process (the `cognito_keys` fixture explains why).
"""

from datetime import UTC, datetime, timedelta

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.cognitoidp.models import cognitoidp_backends
from moto.core import DEFAULT_ACCOUNT_ID

from phananh import bootstrap
from phananh.adapters.dynamo.directory import DynamoDirectoryStore
from phananh.adapters.web import status_for
from phananh.intake.tokens import new_tracking_token
from phananh.processing.sign_in import (
    CLOCK_LEEWAY_S,
    AuthError,
    Forbidden,
    MfaRequired,
    authenticate,
    forget_mfa_checks,
    jwks_url,
    principal_from_claims,
    verify_officer_token,
)
from phananh.routing.directory import Officer
from phananh.shared.settings import get_settings
from phananh_local.identities import DEMO_PASSWORD, enrol_totp, id_token_for, seed_officer_logins

OFFICERS = {
    role: Officer(
        officer_id=officer_id,
        unit_id=unit_id,
        full_name="Nguyễn Văn Thử",
        email=f"{officer_id}@example.vn",
        phone="+84900019999",
        role=role,
    )
    for role, officer_id, unit_id in (
        ("officer", "ubnd_31321.officer", "ubnd_31321"),
        ("unit_head", "so_xay_dung.head", "so_xay_dung"),
        ("coordinator", "ban_dieu_phoi.coordinator1", "ban_dieu_phoi"),
    )
}
OFFICER = OFFICERS["officer"]
PORTS = bootstrap.ports()


@pytest.fixture
def officers(aws, cognito_keys):
    """The three officers, each with a sign-in in the group of its role and a row in the table;
    the rows are put back afterwards, since the directory is shared by the whole session."""
    seed_officer_logins(OFFICERS.values())
    DynamoDirectoryStore().put_officers(OFFICERS.values())
    yield OFFICERS
    DynamoDirectoryStore().put_officers(OFFICERS.values())


def _cognito():
    return boto3.client("cognito-idp")


def _pool_id() -> str:
    return get_settings().user_pool_id


def _bearer(token: str) -> str:
    return f"Bearer {token}"


def _sign_in(pool_id: str, client_id: str, username: str) -> dict:
    return _cognito().admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": DEMO_PASSWORD},
    )["AuthenticationResult"]


def _create_login(pool_id: str, username: str, group: str | None) -> None:
    cognito = _cognito()
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=DEMO_PASSWORD, Permanent=True)
    if group:
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)


def _moto_signed_id_token(*, expires_in: int) -> str:
    """An ID token signed by moto's own key for OFFICER, with the expiry we choose."""
    pool = cognitoidp_backends[DEFAULT_ACCOUNT_ID][_region()].user_pools[_pool_id()]
    token, _ = pool.create_jwt(
        get_settings().user_pool_client_id,
        OFFICER.officer_id,
        "id",
        expires_in=expires_in,
        extra_data={"cognito:groups": ["officer"]},
    )
    return token


def _region() -> str:
    return _pool_id().split("_", 1)[0]


@pytest.mark.parametrize("role", ["officer", "unit_head", "coordinator"])
def test_each_role_signs_in_as_itself_in_its_unit(officers, role):
    officer = officers[role]
    principal = authenticate(_bearer(id_token_for(officer.officer_id)), ports=PORTS)
    assert principal.officer_id == officer.officer_id
    assert principal.unit_id == officer.unit_id
    assert principal.roles == frozenset({role})


def test_the_unit_comes_from_the_table_not_the_sign_in(officers):
    token = id_token_for(OFFICER.officer_id)
    moved = Officer(**{**OFFICER.__dict__, "unit_id": "ubnd_31327"})
    DynamoDirectoryStore().put_officers([moved])
    assert authenticate(_bearer(token), ports=PORTS).unit_id == "ubnd_31327"


def test_a_group_the_table_does_not_give_is_no_role(officers):
    _cognito().admin_add_user_to_group(UserPoolId=_pool_id(), Username=OFFICER.officer_id, GroupName="unit_head")
    try:
        principal = authenticate(_bearer(id_token_for(OFFICER.officer_id)), ports=PORTS)
    finally:
        _cognito().admin_remove_user_from_group(
            UserPoolId=_pool_id(), Username=OFFICER.officer_id, GroupName="unit_head"
        )
    assert principal.roles == frozenset({"officer"})
    assert not principal.is_unit_head


def test_a_demoted_coordinator_loses_the_role_at_the_next_request(officers):
    coordinator = officers["coordinator"]
    token = id_token_for(coordinator.officer_id)
    assert authenticate(_bearer(token), ports=PORTS).is_coordinator
    DynamoDirectoryStore().put_officers([Officer(**{**coordinator.__dict__, "role": "officer"})])
    # The token still says "coordinator" for its hour; the table has the last word.
    with pytest.raises(Forbidden):
        authenticate(_bearer(token), ports=PORTS)


def test_a_coordinator_without_totp_is_refused_until_enrolled(officers):
    username = "ban_dieu_phoi.coordinator9"
    _create_login(_pool_id(), username, group="coordinator")
    DynamoDirectoryStore().put_officers([Officer(**{**officers["coordinator"].__dict__, "officer_id": username})])
    try:
        token = id_token_for(username)
        forget_mfa_checks()
        with pytest.raises(MfaRequired) as raised:
            authenticate(_bearer(token), ports=PORTS)
        assert raised.value.code == "mfa_required"
        assert status_for(raised.value) == 403
        assert set(raised.value.message) == {"vi", "en"}

        enrol_totp(username)
        forget_mfa_checks()
        assert authenticate(_bearer(id_token_for(username)), ports=PORTS).is_coordinator
    finally:
        _cognito().admin_delete_user(UserPoolId=_pool_id(), Username=username)
        DynamoDirectoryStore().delete_officer(username)
        forget_mfa_checks()


def test_officers_need_no_totp_and_the_check_can_be_switched_off(officers, monkeypatch):
    assert not authenticate(_bearer(id_token_for(OFFICER.officer_id)), ports=PORTS).is_unit_head
    username = "so_xay_dung.head9"
    _create_login(_pool_id(), username, group="unit_head")
    DynamoDirectoryStore().put_officers([Officer(**{**officers["unit_head"].__dict__, "officer_id": username})])
    try:
        token = id_token_for(username)
        monkeypatch.setenv("PHANANH_REQUIRE_MFA_FOR_LEADS", "0")
        get_settings.cache_clear()
        forget_mfa_checks()
        assert authenticate(_bearer(token), ports=PORTS).is_unit_head
    finally:
        get_settings.cache_clear()
        _cognito().admin_delete_user(UserPoolId=_pool_id(), Username=username)
        DynamoDirectoryStore().delete_officer(username)


def test_a_token_issued_before_the_credentials_were_renewed_is_refused(officers):
    token = id_token_for(OFFICER.officer_id)
    issued_at = jwt.decode(token, options={"verify_signature": False})["iat"]
    renewed = datetime.fromtimestamp(issued_at + 1, UTC)
    DynamoDirectoryStore().put_officers([Officer(**{**OFFICER.__dict__, "credentials_since": renewed})])
    with pytest.raises(Forbidden):
        authenticate(_bearer(token), ports=PORTS)
    DynamoDirectoryStore().put_officers([Officer(**{**OFFICER.__dict__, "credentials_since": renewed - timedelta(1)})])
    assert authenticate(_bearer(token), ports=PORTS).officer_id == OFFICER.officer_id


def test_verified_claims_name_the_pool_and_client(officers):
    claims = verify_officer_token(id_token_for(OFFICER.officer_id))
    settings = get_settings()
    assert claims["iss"] == f"https://cognito-idp.{_region()}.amazonaws.com/{settings.user_pool_id}"
    assert claims["aud"] == settings.user_pool_client_id
    assert claims["token_use"] == "id"
    assert claims["cognito:groups"] == ["officer"]


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer garbage", "Bearer a.b.c", "Token x.y.z"],
)
def test_missing_or_malformed_header(officers, header):
    with pytest.raises(AuthError) as raised:
        authenticate(header, ports=PORTS)
    assert raised.value.code == "unauthorized"
    assert set(raised.value.message) == {"vi", "en"}


def test_another_scheme_with_a_valid_token(officers):
    with pytest.raises(AuthError):
        authenticate(f"Basic {id_token_for(OFFICER.officer_id)}", ports=PORTS)


def test_token_signed_with_another_key(officers):
    genuine = jwt.decode(id_token_for(OFFICER.officer_id), options={"verify_signature": False})
    our_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # Same claims and the same key id as moto's key: only the signature is wrong.
    forged = jwt.encode(genuine, our_key, algorithm="RS256", headers={"kid": "dummy"})
    with pytest.raises(AuthError):
        authenticate(_bearer(forged), ports=PORTS)


def test_unsigned_and_symmetric_tokens(officers):
    claims = jwt.decode(id_token_for(OFFICER.officer_id), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "dummy"})
    symmetric = jwt.encode(claims, "a-shared-secret-of-at-least-32-bytes", algorithm="HS256", headers={"kid": "dummy"})
    for token in (unsigned, symmetric):
        with pytest.raises(AuthError):
            authenticate(_bearer(token), ports=PORTS)


def test_expired_token(officers):
    assert authenticate(_bearer(_moto_signed_id_token(expires_in=600)), ports=PORTS).officer_id == OFFICER.officer_id
    with pytest.raises(AuthError):
        authenticate(_bearer(_moto_signed_id_token(expires_in=-(CLOCK_LEEWAY_S + 60))), ports=PORTS)


def test_token_of_another_client_of_the_pool(officers):
    other_client = _cognito().create_user_pool_client(
        UserPoolId=_pool_id(), ClientName="another-app", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    try:
        token = _sign_in(_pool_id(), other_client, OFFICER.officer_id)["IdToken"]
    finally:
        _cognito().delete_user_pool_client(UserPoolId=_pool_id(), ClientId=other_client)
    with pytest.raises(AuthError):
        authenticate(_bearer(token), ports=PORTS)


def test_token_of_another_pool_signed_with_the_same_key(officers):
    cognito = _cognito()
    other_pool = cognito.create_user_pool(PoolName="someone-elses-pool")["UserPool"]["Id"]
    try:
        cognito.create_group(UserPoolId=other_pool, GroupName="coordinator")
        _create_login(other_pool, OFFICER.officer_id, "coordinator")
        # An attacker controlling that pool can even name our client as the audience.
        client_id = cognito.create_user_pool_client(UserPoolId=other_pool, ClientName="officer-app")["UserPoolClient"][
            "ClientId"
        ]
        token = _sign_in(other_pool, client_id, OFFICER.officer_id)["IdToken"]
        pool = cognitoidp_backends[DEFAULT_ACCOUNT_ID][_region()].user_pools[other_pool]
        with_our_audience, _ = pool.create_jwt(
            get_settings().user_pool_client_id,
            OFFICER.officer_id,
            "id",
            extra_data={"cognito:groups": ["coordinator"]},
        )
    finally:
        cognito.delete_user_pool(UserPoolId=other_pool)
    for forged in (token, with_our_audience):
        with pytest.raises(AuthError):
            authenticate(_bearer(forged), ports=PORTS)


def test_access_token_is_not_an_id_token(officers):
    client_id = get_settings().user_pool_client_id
    access_token = _sign_in(_pool_id(), client_id, OFFICER.officer_id)["AccessToken"]
    # Even one carrying every claim of an ID token.
    pool = cognitoidp_backends[DEFAULT_ACCOUNT_ID][_region()].user_pools[_pool_id()]
    dressed_up, _ = pool.create_jwt(
        client_id,
        OFFICER.officer_id,
        "access",
        extra_data={"aud": client_id, "cognito:username": OFFICER.officer_id, "cognito:groups": ["officer"]},
    )
    for token in (access_token, dressed_up):
        with pytest.raises(AuthError):
            authenticate(_bearer(token), ports=PORTS)


def test_citizen_tracking_token(officers):
    with pytest.raises(AuthError):
        authenticate(_bearer(new_tracking_token()), ports=PORTS)


def test_officer_missing_from_the_table(officers):
    token = id_token_for(OFFICER.officer_id)
    boto3.client("dynamodb").delete_item(
        TableName=get_settings().officers_table, Key={"officer_id": {"S": OFFICER.officer_id}}
    )
    with pytest.raises(Forbidden) as raised:
        authenticate(_bearer(token), ports=PORTS)
    assert raised.value.code == "forbidden"


def test_officer_in_no_group(officers):
    username = "ubnd_31321.trainee"
    _create_login(_pool_id(), username, group=None)
    try:
        token = id_token_for(username)
    finally:
        _cognito().admin_delete_user(UserPoolId=_pool_id(), Username=username)
    DynamoDirectoryStore().put_officers([Officer(**{**OFFICER.__dict__, "officer_id": username})])
    with pytest.raises(Forbidden):
        authenticate(_bearer(token), ports=PORTS)


def test_groups_outside_the_roles_give_no_role(officers):
    claims = {"cognito:username": OFFICER.officer_id, "cognito:groups": ["admins", "Officer"]}
    with pytest.raises(Forbidden):
        principal_from_claims(claims, DynamoDirectoryStore())


def test_the_keys_come_from_the_issuer_in_the_cloud_and_from_moto_locally(monkeypatch):
    pool_id = "ap-southeast-1_AbC123"
    for variable in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDP"):
        monkeypatch.delenv(variable, raising=False)
    assert jwks_url(pool_id) == f"https://cognito-idp.ap-southeast-1.amazonaws.com/{pool_id}/.well-known/jwks.json"
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5005/")
    assert jwks_url(pool_id) == f"http://127.0.0.1:5005/{pool_id}/.well-known/jwks.json"
