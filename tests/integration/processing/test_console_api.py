"""The routes the officers' console adds, over real HTTP through the local edge gateway on moto: the
whole open queue, naming the officer who works a report, the team's workload, the unit's
escalations and the transfer picker's units."""

import json
from dataclasses import replace
from datetime import timedelta

import pytest
import requests
from delivery_flows import drain_outbox
from jsonschema import Draft202012Validator
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from report_flows import deliver, file_report, queued_bodies
from sign_ins import bearer

from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.report.deadlines import current_deadline
from phananh.report.lifecycle import Action
from phananh.report.model import AuditEvent, iso
from phananh.shared.settings import get_settings
from phananh_local.apps import FUNCTIONS_DIR

REGION = "ap-southeast-1"
OWNER = "so_xay_dung.officer"
OWNER_HEAD = "so_xay_dung.head"
OTHER_UNIT = "ubnd_31321.officer"
COORDINATOR = "ban_dieu_phoi.coordinator1"
CONSOLE = "http://127.0.0.1:8080/console"


def _two_routed(aws, submit_api, route_api) -> list[str]:
    """Two roads reports routed to so_xay_dung, the first filed first."""
    ids = [file_report(submit_api, description=f"Ổ gà số {n}")["report_id"] for n in (1, 2)]
    deliver(route_api, queued_bodies(aws))
    return ids


def _get(edge, path, who):
    return requests.get(edge + path, headers=bearer(who), timeout=10)


def _post(edge, path, who, body):
    return requests.post(edge + path, json=body, headers=bearer(who), timeout=10)


@pytest.fixture
def console_url(monkeypatch):
    monkeypatch.setenv("PHANANH_CONSOLE_URL", CONSOLE)
    get_settings.cache_clear()
    yield CONSOLE
    get_settings.cache_clear()


def test_the_queue_holds_every_open_state_most_overdue_first_a_page_at_a_time(aws, submit_api, route_api, edge):
    first, second = _two_routed(aws, submit_api, route_api)
    assert _post(edge, f"/officer/reports/{second}/acknowledge", OWNER, {}).status_code == 200

    queue = _get(edge, "/officer/queue", OWNER)
    assert queue.status_code == 200
    body = queue.json()
    assert body["unit_id"] == "so_xay_dung"
    assert body["counts"] == {"ASSIGNED": 1, "ACKNOWLEDGED": 1, "IN_PROGRESS": 0}
    # The acknowledge deadline (hours) comes before the resolve deadline (days).
    assert [item["report_id"] for item in body["reports"]] == [first, second]
    assert [item["deadline_kind"] for item in body["reports"]] == ["acknowledge", "resolve"]
    item = body["reports"][0]
    assert item["location"] == {"lat": 9.779, "lon": 105.47}
    assert (item["escalation_level"], item["assignee"], item["past_due"]) == (0, None, False)
    assert body["next_cursor"] is None

    page = _get(edge, "/officer/queue?limit=1", OWNER).json()
    assert [item["report_id"] for item in page["reports"]] == [first]
    rest = requests.get(f"{edge}/officer/queue", params={"limit": 1, "cursor": page["next_cursor"]},
                        headers=bearer(OWNER), timeout=10).json()
    assert [item["report_id"] for item in rest["reports"]] == [second] and rest["next_cursor"] is None

    assert first not in _get(edge, "/officer/queue", OTHER_UNIT).text
    other = _get(edge, "/officer/queue?unit_id=so_xay_dung", OTHER_UNIT)
    assert other.status_code == 403 and first not in other.text
    coordinator = _get(edge, "/officer/queue?unit_id=so_xay_dung", COORDINATOR).json()
    assert coordinator["counts"]["ASSIGNED"] == 1


@pytest.mark.parametrize("query, code", [
    ("limit=0", "invalid_limit"), ("limit=201", "invalid_limit"), ("limit=abc", "invalid_limit"),
    ("cursor=bm9wZQ", "invalid_cursor"), ("cursor=%00", "invalid_cursor"),
])
def test_a_bad_page_request_is_a_clear_400(edge, query, code):
    response = _get(edge, f"/officer/queue?{query}", OWNER)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == code
    assert set(response.json()["message"]) == {"vi", "en"}


def test_the_unit_head_names_the_officer_who_is_e_mailed_a_link_and_a_transfer_clears_it(
        aws, submit_api, route_api, edge, console_url):
    report_id = _two_routed(aws, submit_api, route_api)[0]
    path = f"/officer/reports/{report_id}"
    view = _get(edge, path, OWNER_HEAD).json()
    assert "assign_officer" in view["allowed_actions"] and view["assignee"] is None
    assert "assign_officer" not in _get(edge, path, OWNER).json()["allowed_actions"]

    sent = len(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)
    assigned = _post(edge, f"{path}/assignee", OWNER_HEAD, {"officer_id": OWNER, "version": view["version"],
                                                             "note": "Anh xử lý giúp"})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assignee"]["officer_id"] == OWNER and assigned.json()["assignee"]["name"]
    assert assigned.json()["status"] == "ASSIGNED" and assigned.json()["version"] == view["version"] + 1
    assert assigned.json()["timeline"][-1]["action"] == "assign_officer"
    drain_outbox()
    [email] = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages[sent:]
    assert email.destinations["ToAddresses"] == [f"{OWNER}@example.vn"]
    assert f"{CONSOLE}/reports/{report_id}" in email.body

    stale = _post(edge, f"{path}/assignee", OWNER_HEAD, {"officer_id": None, "version": view["version"]})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    queue = _get(edge, "/officer/queue", OWNER).json()["reports"]
    assert next(item for item in queue if item["report_id"] == report_id)["assignee"]["officer_id"] == OWNER
    team = _get(edge, "/officer/team", OWNER_HEAD).json()
    assert {row["officer_id"]: row["open"] for row in team["officers"]}[OWNER] == 1
    assert team["unassigned"] == {"open": 1, "overdue": 0}

    moved = _post(edge, f"{path}/transfer", OWNER, {"to_unit_id": "so_y_te", "reason": "Không thuộc"})
    assert moved.status_code == 200
    assert DynamoReportStore().get(report_id).assignee_id is None


@pytest.mark.parametrize("who, body, status, code", [
    (OWNER, {"officer_id": OWNER}, 403, "forbidden"),
    (OTHER_UNIT, {"officer_id": OTHER_UNIT}, 404, "not_found"),
    (OWNER_HEAD, {"officer_id": OTHER_UNIT}, 400, "unknown_officer"),
    (OWNER_HEAD, {"officer_id": 12}, 400, None),
    (OWNER_HEAD, {"version": 1}, 400, "missing_field"),
    (OWNER_HEAD, {"officer_id": OWNER, "version": "1"}, 400, "invalid_version"),
    (OWNER_HEAD, {"officer_id": OWNER, "note": "x" * 2001}, 400, None),
])
def test_naming_an_assignee_is_refused_clearly(aws, submit_api, route_api, edge, who, body, status, code):
    report_id = _two_routed(aws, submit_api, route_api)[0]
    response = _post(edge, f"/officer/reports/{report_id}/assignee", who, body)
    assert response.status_code == status, response.text
    if code:
        assert response.json()["code"] == code
    assert DynamoReportStore().get(report_id).assignee_id is None


def test_the_team_view_is_for_the_unit_head_and_coordinators(edge):
    assert _get(edge, "/officer/team", OWNER).status_code == 403
    assert _get(edge, "/officer/team?unit_id=ubnd_31321", OWNER_HEAD).status_code == 403
    team = _get(edge, "/officer/team?unit_id=so_xay_dung", COORDINATOR)
    assert team.status_code == 200
    roles = {row["officer_id"]: row["role"] for row in team.json()["officers"]}
    assert roles[OWNER] == "officer" and roles[OWNER_HEAD] == "unit_head"
    assert _get(edge, "/officer/team?unit_id=no_such_unit", COORDINATOR).status_code == 404


def test_the_escalations_list_the_units_escalated_reports(aws, submit_api, route_api, edge):
    first, second = _two_routed(aws, submit_api, route_api)
    store = DynamoReportStore()
    current = store.get(second)
    fired_at = current.updated_at + timedelta(hours=9)
    # What the escalation state machine writes when it fires level 1 for the acknowledge deadline.
    fired = replace(current, version=current.version + 1, escalation_level=1,
                    escalation_due=current_deadline(current), escalated_at=fired_at)
    store.save_change(current, fired, AuditEvent(
        report_id=second, version=fired.version, at=fired_at, actor="system:escalation", action=Action.ESCALATE,
        from_status=current.status, to_status=current.status, public=False,
    ))
    listed = _get(edge, "/officer/escalations", OWNER).json()
    assert listed["unit_id"] == "so_xay_dung"
    assert [(item["report_id"], item["escalation_level"], item["escalated_at"]) for item in listed["reports"]] == [
        (second, 1, iso(fired_at))]
    assert first not in str(listed)
    assert _get(edge, "/officer/escalations?unit_id=so_xay_dung", OTHER_UNIT).status_code == 403
    assert _get(edge, "/officer/escalations?unit_id=so_xay_dung", COORDINATOR).json()["reports"][0]["report_id"] \
        == second


def test_the_transfer_picker_lists_the_units(edge):
    units = _get(edge, "/officer/units", OWNER).json()["units"]
    ids = [unit["unit_id"] for unit in units]
    assert "so_xay_dung" in ids and "so_y_te" in ids and len(ids) == len(set(ids))
    assert all(set(unit) == {"unit_id", "name"} and set(unit["name"]) == {"vi", "en"} for unit in units)


@pytest.mark.parametrize("method, path", [
    ("GET", "/officer/queue"), ("GET", "/officer/team"), ("GET", "/officer/escalations"), ("GET", "/officer/units"),
    ("POST", "/officer/reports/PA261123AAAAAAAA/assignee"),
])
def test_the_console_routes_refuse_a_caller_without_a_token(edge, method, path):
    response = requests.request(method, edge + path, json={"officer_id": None}, timeout=10)
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"



def _documented(method: str, path: str) -> Draft202012Validator:
    """A validator of the 200 answer openapi.json documents for the operation: its schema with the
    document's components beside it, so that its "#/components/..." references resolve."""
    document = json.loads((FUNCTIONS_DIR / "submit" / "chalicelib" / "openapi.json").read_text(encoding="utf-8"))
    schema = document["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    return Draft202012Validator({**schema, "components": document["components"]})


def test_every_answer_is_as_the_document_says(aws, submit_api, route_api, edge):
    first, second = _two_routed(aws, submit_api, route_api)
    assigned = _post(edge, f"/officer/reports/{first}/assignee", OWNER_HEAD, {"officer_id": OWNER})
    _post(edge, f"/officer/reports/{second}/acknowledge", OWNER, {})
    answers = [
        ("post", "/officer/reports/{report_id}/assignee", assigned),
        ("get", "/officer/reports/{report_id}", _get(edge, f"/officer/reports/{first}", OWNER_HEAD)),
        ("get", "/officer/queue", _get(edge, "/officer/queue", OWNER)),
        ("get", "/officer/team", _get(edge, "/officer/team", OWNER_HEAD)),
        ("get", "/officer/escalations", _get(edge, "/officer/escalations", OWNER)),
        ("get", "/officer/units", _get(edge, "/officer/units", OWNER)),
    ]
    for method, path, response in answers:
        assert response.status_code == 200, (path, response.text)
        errors = [error.message for error in _documented(method, path).iter_errors(response.json())]
        assert errors == [], (method, path, errors)
    # The console's types are generated from the document: a field it leaves out is a field the console cannot see.
    document = json.loads((FUNCTIONS_DIR / "submit" / "chalicelib" / "openapi.json").read_text(encoding="utf-8"))
    assert set(answers[1][2].json()) == set(document["components"]["schemas"]["OfficerReport"]["properties"])
    queue = answers[2][2].json()
    assert len(queue["reports"]) == 2 and queue["reports"][0]["assignee"]["officer_id"] == OWNER
