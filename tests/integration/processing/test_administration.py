"""Coordinators keep the routing rules, units and officers, over HTTP; every rule change is checked."""

import contextlib
import time

import boto3
import pytest
import requests
from report_flows import deliver, file_report, queued_bodies
from sign_ins import bearer

from phananh.adapters.dynamo.directory import DynamoDirectoryStore
from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.shared.settings import get_settings
from phananh_local.identities import DEMO_PASSWORD, id_token_for

COORDINATOR = "ban_dieu_phoi.coordinator1"
UNIT_HEAD = "so_xay_dung.head"


def test_only_coordinators_administer(edge):
    for method, path, body in [
        ("GET", "/coordinator/rules/roads", None),
        ("PUT", "/coordinator/rules/roads/31321", {"unit_id": "ubnd_31321"}),
        ("DELETE", "/coordinator/rules/roads/*", None),
        ("GET", "/coordinator/units/so_xay_dung", None),
        ("PUT", "/coordinator/officers/so_xay_dung.new", {}),
        ("DELETE", "/coordinator/officers/so_xay_dung.officer", None),
    ]:
        response = requests.request(method, edge + path, json=body, headers=bearer(UNIT_HEAD), timeout=10)
        assert response.status_code == 403, (method, path, response.text)


def test_a_ward_rule_changes_where_new_reports_go_and_a_gap_is_refused(aws, submit_api, route_api, edge):
    coordinator = bearer(COORDINATOR)
    rules = requests.get(f"{edge}/coordinator/rules/roads", headers=coordinator, timeout=10).json()["rules"]
    assert rules == [{"category_code": "roads", "ward_code": "*", "unit_id": "so_xay_dung"}]

    try:
        changed = requests.put(f"{edge}/coordinator/rules/roads/31321", json={"unit_id": "ubnd_31321"},
                               headers=coordinator, timeout=10)
        assert changed.status_code == 200
        receipt = file_report(submit_api, category="roads")
        deliver(route_api, queued_bodies(aws))
        assert DynamoReportStore().get(receipt["report_id"]).owner_unit_id == "ubnd_31321"

        gap = requests.delete(f"{edge}/coordinator/rules/roads/*", headers=coordinator, timeout=10)
        assert gap.status_code == 409
        assert {problem["kind"] for problem in gap.json()["current"]["problems"]} == {"gap"}
        assert len(DynamoDirectoryStore().rules_for("roads")) == 2
    finally:
        DynamoDirectoryStore().delete_rule("roads", "31321")


def test_rules_must_name_real_units_fields_and_wards(edge):
    coordinator = bearer(COORDINATOR)
    for path, body, status in [
        ("/coordinator/rules/roads/31321", {"unit_id": "no_such_unit"}, 409),
        ("/coordinator/rules/nope/31321", {"unit_id": "so_xay_dung"}, 400),
        ("/coordinator/rules/roads/99999", {"unit_id": "so_xay_dung"}, 409),
        ("/coordinator/rules/roads/abc", {"unit_id": "so_xay_dung"}, 400),
        ("/coordinator/rules/roads/31321", {"unit_id": 7}, 400),
    ]:
        response = requests.put(edge + path, json=body, headers=coordinator, timeout=10)
        assert response.status_code == status, (path, body, response.text)
    assert len(DynamoDirectoryStore().rules_for("roads")) == 1


def test_a_new_unit_gets_its_topic_and_a_new_officer_signs_in_with_the_role(edge):
    coordinator = bearer(COORDINATOR)
    unit = requests.put(f"{edge}/coordinator/units/to_cong_tac_dac_biet", json={
        "name": {"vi": "Tổ công tác đặc biệt", "en": "Special task force"}, "kind": "department",
        "parent_unit_id": "ubnd_thanh_pho", "email": "totacdb@example.vn", "phone": "+84900009999",
    }, headers=coordinator, timeout=10)
    assert unit.status_code == 200, unit.text
    topic_arn = unit.json()["topic_arn"]
    assert topic_arn.endswith(":phananh-unit-to_cong_tac_dac_biet")
    assert topic_arn in [topic["TopicArn"] for topic in boto3.client("sns").list_topics()["Topics"]]

    officer = requests.put(f"{edge}/coordinator/officers/to_cong_tac_dac_biet.officer", json={
        "unit_id": "to_cong_tac_dac_biet", "full_name": "Trần Thị Mới", "email": "moi@example.vn",
        "phone": "+84900019998", "role": "unit_head",
    }, headers=coordinator, timeout=10)
    assert officer.status_code == 200, officer.text
    cognito = boto3.client("cognito-idp")
    groups = cognito.admin_list_groups_for_user(
        UserPoolId=get_settings().user_pool_id, Username="to_cong_tac_dac_biet.officer"
    )["Groups"]
    assert [group["GroupName"] for group in groups] == ["unit_head"]
    detail = requests.get(f"{edge}/coordinator/units/to_cong_tac_dac_biet", headers=coordinator, timeout=10).json()
    assert [person["officer_id"] for person in detail["officers"]] == ["to_cong_tac_dac_biet.officer"]

    removed = requests.delete(f"{edge}/coordinator/officers/to_cong_tac_dac_biet.officer", headers=coordinator,
                              timeout=10)
    assert removed.status_code == 204
    assert DynamoDirectoryStore().officer("to_cong_tac_dac_biet.officer") is None
    with pytest.raises(cognito.exceptions.UserNotFoundException):
        cognito.admin_get_user(UserPoolId=get_settings().user_pool_id, Username="to_cong_tac_dac_biet.officer")


POST = "so_xay_dung.officer2"


def _staff_post(edge, email):
    return requests.put(f"{edge}/coordinator/officers/{POST}", json={
        "unit_id": "so_xay_dung", "full_name": "Lê Văn Cũ", "email": email, "phone": "+84900019997",
        "role": "officer",
    }, headers=bearer(COORDINATOR), timeout=10)


OLD_PASSWORD = "Old-holder-pass-2025!"


def _take_up(post, password):
    """The holder of a new post sets their own password (Cognito e-mailed them a temporary one)."""
    boto3.client("cognito-idp").admin_set_user_password(
        UserPoolId=get_settings().user_pool_id, Username=post, Password=password, Permanent=True
    )


def test_a_post_filled_anew_does_not_let_the_previous_holder_back_in(edge):
    cognito, pool_id = boto3.client("cognito-idp"), get_settings().user_pool_id
    try:
        assert _staff_post(edge, "cu@example.vn").status_code == 200
        _take_up(POST, OLD_PASSWORD)
        old_token = id_token_for(POST, OLD_PASSWORD)
        old_refresh = cognito_refresh_token(POST, OLD_PASSWORD)
        assert requests.get(f"{edge}/officer/me", headers={"Authorization": f"Bearer {old_token}"},
                            timeout=10).status_code == 200
        assert requests.delete(f"{edge}/coordinator/officers/{POST}", headers=bearer(COORDINATOR),
                               timeout=10).status_code == 204
        time.sleep(1.1)  # tokens carry whole seconds: the next holder's post starts a second later

        assert _staff_post(edge, "moi@example.vn").status_code == 200
        user = cognito.admin_get_user(UserPoolId=pool_id, Username=POST)
        assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
        assert {"Name": "email", "Value": "moi@example.vn"} in user["UserAttributes"]
        with pytest.raises(cognito.exceptions.NotAuthorizedException):
            id_token_for(POST, OLD_PASSWORD)
        with pytest.raises(cognito.exceptions.NotAuthorizedException):
            cognito.admin_initiate_auth(
                UserPoolId=pool_id, ClientId=get_settings().user_pool_client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": old_refresh},
            )
        refused = requests.get(f"{edge}/officer/me", headers={"Authorization": f"Bearer {old_token}"}, timeout=10)
        assert refused.status_code == 403

        _take_up(POST, DEMO_PASSWORD)
        assert requests.get(f"{edge}/officer/me", headers=bearer(POST), timeout=10).status_code == 200
    finally:
        DynamoDirectoryStore().delete_officer(POST)
        with contextlib.suppress(cognito.exceptions.UserNotFoundException):
            cognito.admin_delete_user(UserPoolId=pool_id, Username=POST)


def cognito_refresh_token(username, password):
    settings = get_settings()
    return boto3.client("cognito-idp").admin_initiate_auth(
        UserPoolId=settings.user_pool_id, ClientId=settings.user_pool_client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )["AuthenticationResult"]["RefreshToken"]


@pytest.mark.parametrize("email", [
    "nguyen,van@example.vn", "a@example.vn\n", "a@example.vn\r\nBcc: x@evil.vn", "Tên <a@example.vn>",
    "a b@example.vn", "a@example.vn;b@example.vn", "ngu\u1ec5n@example.vn", "a@example", "a@@example.vn",
])
def test_addresses_ses_would_refuse_are_400(edge, email):
    response = _staff_post(edge, email)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == "email"
    assert DynamoDirectoryStore().officer(POST) is None


@pytest.mark.parametrize("phone", ["+84\u0669\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660",
                                   "+84900019997\n", "+84 900019997", "0900019997"])
def test_numbers_sns_would_refuse_are_400(edge, phone):
    response = requests.put(f"{edge}/coordinator/units/so_xay_dung", json={
        "name": {"vi": "Sở Xây dựng", "en": "Department of Construction"}, "kind": "department",
        "parent_unit_id": "ubnd_thanh_pho", "email": "so_xay_dung@example.vn", "phone": phone,
    }, headers=bearer(COORDINATOR), timeout=10)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == "phone"


def test_bad_unit_and_officer_bodies_are_400(edge):
    coordinator = bearer(COORDINATOR)
    for path, body in [
        ("/coordinator/units/x", {"name": "plain"}),
        ("/coordinator/units/Bad Id", {}),
        ("/coordinator/units/ok_unit", {"name": {"vi": "A", "en": "A"}, "kind": "army", "email": "a@b.vn",
                                        "phone": "+84900000001"}),
        ("/coordinator/officers/ok.officer", {"unit_id": "so_xay_dung", "full_name": "A", "email": "a@b.vn",
                                              "phone": "0912", "role": "officer"}),
        ("/coordinator/officers/ok.officer", {"unit_id": "nowhere", "full_name": "A", "email": "a@b.vn",
                                              "phone": "+84900000001", "role": "officer"}),
        ("/coordinator/officers/ok.officer", {"unit_id": "so_xay_dung", "full_name": "A", "email": "a@b.vn",
                                              "phone": "+84900000001", "role": "admin"}),
    ]:
        response = requests.put(edge + path, json=body, headers=coordinator, timeout=10)
        assert response.status_code == 400, (path, body, response.text)
        assert response.json()["message"]["en"]
