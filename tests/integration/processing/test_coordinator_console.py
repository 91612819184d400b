"""The coordinators' console routes over HTTP through the edge gateway on moto: the unit list, the CSV
import (dry run, refusal, apply with Cognito sign-ins), the CSV export, the dashboard, the escalations
board, and the wards for the map."""

import csv
import io
import json

import boto3
import pytest
import requests
from report_flows import routed_report
from sign_ins import bearer

from phananh.adapters.dynamo.directory import DynamoDirectoryStore
from phananh.shared.settings import get_settings

COORDINATOR, OFFICER = "ban_dieu_phoi.coordinator1", "so_xay_dung.officer"
ROUTES = [
    ("GET", "/coordinator/units", None), ("POST", "/coordinator/import", {"dry_run": True, "rules_csv": ""}),
    ("GET", "/coordinator/export/reports.csv", None), ("GET", "/coordinator/dashboard", None),
    ("GET", "/coordinator/escalations", None),
]
UNITS_CSV = (
    "\ufeffunit_id,name_vi,name_en,kind,ward_code,parent_unit_id,email,phone,active\n"
    "to_nhap_thu,\"Tổ công tác nhập thử, Vị Thanh\",Import test team,department,,ubnd_thanh_pho,"
    "tnt@example.vn,+84900018888,\n"
)
OFFICERS_CSV = (
    "officer_id,unit_id,full_name,email,phone,role\n"
    "to_nhap_thu.head,to_nhap_thu,Phạm Thị Thu Hà,tnt.head@example.vn,+84900018887,unit_head\n"
)
RULES_CSV = "category_code,ward_code,unit_id\nroads,31321,to_nhap_thu\n"


@pytest.mark.parametrize("method, path, body", ROUTES)
def test_every_coordinator_route_is_denied_by_default(edge, method, path, body):
    assert requests.request(method, edge + path, json=body, timeout=10).status_code == 401
    response = requests.request(method, edge + path, json=body, headers=bearer(OFFICER), timeout=10)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_the_unit_list_has_every_unit_with_its_officers_and_whether_it_is_active(edge):
    response = requests.get(f"{edge}/coordinator/units", headers=bearer(COORDINATOR), timeout=10)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    units = {unit["unit_id"]: unit for unit in response.json()["units"]}
    assert units["so_xay_dung"]["active"] is True and units["so_xay_dung"]["name"]["vi"]
    assert OFFICER in [person["officer_id"] for person in units["so_xay_dung"]["officers"]]


def test_an_import_is_shown_then_refused_with_a_gap_then_applied_with_sign_ins(edge):
    coordinator, directory = bearer(COORDINATOR), DynamoDirectoryStore()
    cognito, pool_id = boto3.client("cognito-idp"), get_settings().user_pool_id
    body = {"units_csv": UNITS_CSV, "officers_csv": OFFICERS_CSV, "rules_csv": RULES_CSV}
    try:
        shown = requests.post(f"{edge}/coordinator/import", json={"dry_run": True, **body}, headers=coordinator,
                              timeout=30)
        assert shown.status_code == 200, shown.text[:400]
        result = shown.json()
        assert result["errors"] == [] and result["rule_check"] == {"gaps": [], "overlaps": []}
        assert result["diff"]["units"]["added"][0]["name"]["vi"] == "Tổ công tác nhập thử, Vị Thanh"
        assert result["diff"]["rules"]["added"] == [
            {"category_code": "roads", "ward_code": "31321", "unit_id": "to_nhap_thu"}]
        assert directory.unit("to_nhap_thu") is None

        disabled = {**body, "units_csv": UNITS_CSV.replace(",+84900018888,\n", ",+84900018888,false\n"),
                    "rules_csv": "category_code,ward_code,unit_id\nroads,*,to_nhap_thu\n"}
        refused = requests.post(f"{edge}/coordinator/import", json={"dry_run": False, **disabled},
                                headers=coordinator, timeout=30)
        assert refused.status_code == 422 and refused.json()["code"] == "import_refused"
        assert refused.json()["details"]["rule_check"]["gaps"]
        assert directory.unit("to_nhap_thu") is None and directory.officer("to_nhap_thu.head") is None

        applied = requests.post(f"{edge}/coordinator/import", json={"dry_run": False, **body}, headers=coordinator,
                                timeout=30)
        assert applied.status_code == 200 and applied.json()["applied"], applied.text[:400]
        assert directory.unit("to_nhap_thu").topic_arn.endswith(":phananh-unit-to_nhap_thu")
        groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="to_nhap_thu.head")["Groups"]
        assert [group["GroupName"] for group in groups] == ["unit_head"]
        assert [rule.unit_id for rule in directory.rules_for("roads") if rule.ward_code == "31321"] == ["to_nhap_thu"]
    finally:
        directory.delete_rule("roads", "31321")
        if directory.officer("to_nhap_thu.head"):
            requests.delete(f"{edge}/coordinator/officers/to_nhap_thu.head", headers=coordinator, timeout=10)


def test_an_import_body_past_its_cap_or_deeper_than_the_parser_is_refused(edge):
    coordinator = {**bearer(COORDINATOR), "Content-Type": "application/json"}
    for data in (json.dumps({"dry_run": True, "rules_csv": "a" * (1024 * 1024)}),
                 '{"dry_run": true, "rules_csv": ' + "[" * 5000 + "]" * 5000 + "}"):
        response = requests.post(f"{edge}/coordinator/import", data=data, headers=coordinator, timeout=30)
        assert response.status_code == 400 and set(response.json()["message"]) == {"vi", "en"}
    # Larger than other routes take, within the import's cap: read, and its rows checked.
    rows = "".join(f"roads,{90000 + n},so_xay_dung\n" for n in range(4000))  # no such wards
    big = requests.post(f"{edge}/coordinator/import", json={"dry_run": True, "rules_csv": "category_code,"
                        "ward_code,unit_id\n" + rows}, headers=coordinator, timeout=60)
    assert big.status_code == 200 and len(big.json()["errors"]) == 4000


def test_the_export_is_csv_with_public_facts_only(aws, submit_api, route_api, edge):
    receipt = routed_report(aws, submit_api, route_api, description="=1+2 Ổ gà", contact={
        "phone": "0961234580", "email": "dan@example.vn", "share_with_officer": True})
    response = requests.get(f"{edge}/coordinator/export/reports.csv?category=roads", headers=bearer(COORDINATOR),
                            timeout=30)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffreport_id,status,")
    assert "0961234580" not in text and "dan@example.vn" not in text
    rows = {row["report_id"]: row for row in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))}
    assert rows[receipt["report_id"]]["description"] == "'=1+2 Ổ gà"
    assert rows[receipt["report_id"]]["unit_id"] == "so_xay_dung"
    bad = requests.get(f"{edge}/coordinator/export/reports.csv?from=2026-02-30", headers=bearer(COORDINATOR),
                       timeout=30)
    assert bad.status_code == 400 and bad.json()["field"] == "from"


def test_the_dashboard_and_the_escalations_board_answer_across_units(aws, submit_api, route_api, edge):
    receipt = routed_report(aws, submit_api, route_api)
    dashboard = requests.get(f"{edge}/coordinator/dashboard?days=7", headers=bearer(COORDINATOR), timeout=30)
    assert dashboard.status_code == 200, dashboard.text[:300]
    view = dashboard.json()
    assert view["days"] == 7 and len(view["daily"]) == 7 and view["totals"]["open"] >= 1
    assert any(row["unit_id"] == "so_xay_dung" and row["open"] >= 1 for row in view["backlog"])
    assert set(view["scorecards"]) == {"units", "fields", "notes"}
    assert requests.get(f"{edge}/coordinator/dashboard?days=367", headers=bearer(COORDINATOR),
                        timeout=30).json()["code"] == "invalid_days"
    board = requests.get(f"{edge}/coordinator/escalations", headers=bearer(COORDINATOR), timeout=30)
    assert board.status_code == 200 and set(board.json()["levels"]) == {"1", "2", "3"}
    assert receipt["report_id"] not in board.text  # routed a moment ago: nothing escalated yet


def test_a_unit_that_owns_a_field_cannot_be_disabled_while_that_leaves_a_gap(edge):
    unit = DynamoDirectoryStore().unit("so_xay_dung")
    body = {"name": unit.name, "kind": unit.kind, "parent_unit_id": unit.parent_unit_id, "ward_code": unit.ward_code,
            "email": unit.email, "phone": unit.phone, "active": False}
    response = requests.put(f"{edge}/coordinator/units/so_xay_dung", json=body, headers=bearer(COORDINATOR),
                            timeout=10)
    assert response.status_code == 409 and response.json()["code"] == "rules_problem"
    assert DynamoDirectoryStore().unit("so_xay_dung").active


def test_the_wards_are_small_cached_and_revalidated(edge):
    response = requests.get(f"{edge}/public/wards", timeout=30)
    assert response.status_code == 200 and len(response.content) < 300_000
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    document = response.json()
    assert document["type"] == "FeatureCollection" and len(document["features"]) >= 1
    assert set(document["features"][0]["properties"]) == {"code", "name", "nameEn"}
    again = requests.get(f"{edge}/public/wards", headers={"If-None-Match": response.headers["ETag"]}, timeout=30)
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == response.headers["ETag"]
