"""The reporter's rights over their personal data, with the tracking token (Personal Data Protection
Law): withdraw consent to share the contact, erase it now, download what is held about them; and who
saw the contact: every officer's view that decrypts it is recorded (who, when, why), coordinators see
it only with a stated purpose on a report still being handled, the owner unit only with consent."""

import json

import boto3
import pytest
import requests
from delivery_flows import drain_outbox
from fakes import PUSH
from report_flows import routed_report
from sign_ins import bearer

from phananh.adapters.aws.notifications import SesSnsNotifier
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.model import utcnow
from phananh.routing.directory import COORDINATORS_ID
from phananh.shared.errors import InvalidInput
from phananh.shared.settings import get_settings
from phananh.transparency import rating

OFFICER = Principal("so_xay_dung.officer", "so_xay_dung", frozenset({"officer"}))
COORDINATOR = Principal("ban_dieu_phoi.coordinator1", COORDINATORS_ID, frozenset({"coordinator"}))
PHONE, EMAIL = "0961234580", "quyen.rieng@example.vn"
CONTACT = {"phone": PHONE, "email": EMAIL, "share_with_officer": True}
COMMENT = "Làm chậm quá, gọi mãi không ai nghe"


def context(ports):
    return {"ports": ports, "now": utcnow()}


def as_reporter(receipt, token=None) -> dict:
    return {"Authorization": f"Bearer {receipt['tracking_token'] if token is None else token}"}


def detail(ports, principal, report_id, purpose=None) -> dict:
    return commands.report_detail(principal, report_id, purpose=purpose, ports=ports, settings=get_settings())


def audit_items(report_id) -> list[dict]:
    return boto3.client("dynamodb").query(
        TableName=get_settings().audit_table, KeyConditionExpression="report_id = :r",
        ExpressionAttributeValues={":r": {"S": report_id}},
    )["Items"]


def test_the_reporter_withdraws_consent_and_the_officers_no_longer_see_the_contact(
    aws, submit_api, route_api, rate_api, ports
):
    receipt = routed_report(aws, submit_api, route_api, contact=CONTACT)
    report_id = receipt["report_id"]
    assert detail(ports, OFFICER, report_id)["contact"] == {"phone": PHONE, "email": EMAIL}
    version = ports.reports.get(report_id).version

    response = rate_api.http.delete(f"/reports/{report_id}/contact/consent", headers=as_reporter(receipt))
    assert response.status_code == 200, response.body
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json_body == {"report_id": report_id, "consent": {
        "contact_provided": True, "shared_with_officer": False, "push_enabled": False, "contact_erased_at": None}}
    assert detail(ports, OFFICER, report_id)["contact"] is None
    assert detail(ports, COORDINATOR, report_id, "clarify_report")["contact"] is None
    event = ports.reports.events(report_id)[-1]
    assert (event.action, event.actor, event.public, event.version) == ("consent_withdrawn", "reporter", False,
                                                                          version + 1)
    # Asked again: the same answer and nothing new; the reporter's timeline does not show it.
    again = rate_api.http.delete(f"/reports/{report_id}/contact/consent", headers=as_reporter(receipt))
    assert again.status_code == 200 and again.json_body == response.json_body
    assert ports.reports.get(report_id).version == version + 1
    followed = submit_api.http.get(f"/reports/{report_id}", headers=as_reporter(receipt)).json_body
    assert followed["contact"] == {"provided": True, "shared_with_officer": False}
    assert [entry["status"] for entry in followed["timeline"]] == ["RECEIVED", "ASSIGNED"]


def test_the_reporter_erases_the_contact_now_and_pushes_stop(aws, submit_api, route_api, rate_api, ports, monkeypatch):
    receipt = routed_report(aws, submit_api, route_api, contact=CONTACT, push=PUSH)
    report_id = receipt["report_id"]

    response = rate_api.http.delete(f"/reports/{report_id}/contact", headers=as_reporter(receipt))
    assert response.status_code == 200, response.body
    assert response.headers["Cache-Control"] == "no-store"
    consent = response.json_body["consent"]
    assert consent["contact_provided"] is False and consent["push_enabled"] is False
    assert consent["shared_with_officer"] is False and consent["contact_erased_at"] is not None
    report = ports.reports.get(report_id)
    assert report.contact_ciphertext is None and report.status == "ASSIGNED"
    item = boto3.client("dynamodb").get_item(TableName=get_settings().reports_table,
                                             Key={"report_id": {"S": report_id}})["Item"]
    assert "contact_ciphertext" not in item
    event = ports.reports.events(report_id)[-1]
    assert (event.action, event.actor, event.public) == ("contact_erased", "reporter", False)
    assert event.reason.endswith("contact, push token") and PHONE not in event.reason
    assert detail(ports, OFFICER, report_id)["contact"] is None

    pushed = []
    monkeypatch.setattr(SesSnsNotifier, "push_to_device", lambda notifier, endpoint, message: pushed.append(endpoint))
    commands.acknowledge(OFFICER, report_id, **context(ports))
    drain_outbox()  # the acknowledgement is news, but there is no endpoint to push to any more
    assert pushed == []

    version = ports.reports.get(report_id).version
    again = rate_api.http.delete(f"/reports/{report_id}/contact", headers=as_reporter(receipt))
    assert again.status_code == 200 and again.json_body["consent"] == consent
    assert ports.reports.get(report_id).version == version
    # Still followed with the token.
    assert submit_api.http.get(f"/reports/{report_id}", headers=as_reporter(receipt)).status_code == 200


def test_the_reporter_downloads_everything_held_about_them(aws, submit_api, route_api, rate_api, ports):
    receipt = routed_report(aws, submit_api, route_api, contact=CONTACT, push=PUSH,
                            address="Trước chợ Vị Thanh")
    report_id = receipt["report_id"]
    detail(ports, OFFICER, report_id)
    detail(ports, COORDINATOR, report_id, "verify_location")
    commands.acknowledge(OFFICER, report_id, note="Đã nhận, sẽ cử người đến.", **context(ports))
    commands.resolve(OFFICER, report_id, "Đã vá ổ gà", photo_count=1, **context(ports))
    rated = rate_api.http.post(f"/reports/{report_id}/rating",
                               body=json.dumps({"score": 2, "fixed": True, "comment": COMMENT}),
                               headers={"Content-Type": "application/json", **as_reporter(receipt)})
    assert rated.status_code == 201, rated.body
    rating.hide_comment(COORDINATOR, report_id, None, ports=ports, now=utcnow())

    response = rate_api.http.get(f"/reports/{report_id}/personal-data", headers=as_reporter(receipt))
    assert response.status_code == 200, response.body
    assert response.headers["Cache-Control"] == "no-store"
    held = response.json_body
    assert held["contact"] == {"phone": PHONE, "email": EMAIL, "push": PUSH}
    assert held["consent"] == {"contact_provided": True, "shared_with_officer": True, "push_enabled": True,
                               "contact_erased_at": None}
    # The report as they follow it: facts, state, the officers' notes to them, the result.
    report = held["report"]
    assert (report["report_id"], report["status"], report["address"]) == (report_id, "CLOSED", "Trước chợ Vị Thanh")
    assert report["description"] == "Ổ gà lớn trước chợ" and report["result"]["note"] == "Đã vá ổ gà"
    assert "Đã nhận, sẽ cử người đến." in [entry.get("note") for entry in report["timeline"]]
    # Their own words, even the comment a coordinator hid from the public.
    assert held["rating"]["comment"] == COMMENT and held["rating"]["comment_hidden"] is True
    assert report["rating"]["comment"] is None
    # (Views within the same second come in no particular order.)
    assert sorted(view["purpose"] for view in held["contact_views"]) == ["handle_report", "verify_location"]
    assert held["retention"]["days"] == 90 and held["retention"]["erase_after"] is not None
    # Nothing of anyone else's: no officer's identity, no secret of the report.
    text = json.dumps(held, ensure_ascii=False)
    for private in ("so_xay_dung.officer", "ban_dieu_phoi", "tracking_token_hash", receipt["tracking_token"]):
        assert private not in text


@pytest.mark.parametrize(("method", "suffix"), [
    ("GET", "/personal-data"), ("DELETE", "/contact"), ("DELETE", "/contact/consent"),
])
def test_a_wrong_or_missing_token_looks_like_a_missing_report(aws, submit_api, route_api, rate_api, ports,
                                                              method, suffix):
    receipt = routed_report(aws, submit_api, route_api, contact=CONTACT)
    other = routed_report(aws, submit_api, route_api, location={"lat": 9.7850, "lon": 105.4700})
    path = f"/reports/{receipt['report_id']}{suffix}"
    before = ports.reports.get(receipt["report_id"])
    answers = [
        rate_api.http.request(method, path, headers=headers, body=b"")
        for headers in (as_reporter(receipt, other["tracking_token"]), as_reporter(receipt, "A" * 22), {})
    ]
    answers.append(rate_api.http.request(method, f"/reports/PA261123NOTAREAL{suffix}", headers=as_reporter(receipt),
                                         body=b""))
    assert [(answer.status_code, answer.json_body["code"]) for answer in answers] == [(404, "not_found")] * 4
    assert ports.reports.get(receipt["report_id"]) == before


def test_every_officer_view_that_decrypts_the_contact_is_recorded_and_coordinators_must_state_a_purpose(
    aws, submit_api, route_api, ports
):
    report_id = routed_report(aws, submit_api, route_api, contact=CONTACT)["report_id"]
    not_shared = routed_report(aws, submit_api, route_api, location={"lat": 9.7850, "lon": 105.4700},
                               contact={"phone": PHONE, "share_with_officer": False})["report_id"]

    # The owner unit, with consent: shown, and recorded.
    assert detail(ports, OFFICER, report_id)["contact"] == {"phone": PHONE, "email": EMAIL}
    # A coordinator: not without a purpose, not with one outside the list, shown with one.
    assert detail(ports, COORDINATOR, report_id)["contact"] is None
    with pytest.raises(InvalidInput) as refused:
        detail(ports, COORDINATOR, report_id, "curiosity")
    assert refused.value.code == "invalid_purpose"
    assert detail(ports, COORDINATOR, report_id, "clarify_report")["contact"] == {"phone": PHONE, "email": EMAIL}
    # No consent: nobody, whatever the purpose, and nothing decrypted or recorded.
    assert detail(ports, OFFICER, not_shared)["contact"] is None
    assert detail(ports, COORDINATOR, not_shared, "clarify_report")["contact"] is None
    # Answers to actions never decrypt it.
    acknowledged = commands.acknowledge(OFFICER, report_id, **context(ports))
    assert commands.officer_view(acknowledged, OFFICER, ports=ports, settings=get_settings())["contact"] is None

    views = ports.reports.contact_views(report_id)
    assert sorted((view.actor, view.purpose) for view in views) == [
        ("officer:ban_dieu_phoi.coordinator1", "clarify_report"), ("officer:so_xay_dung.officer", "handle_report"),
    ]
    assert ports.reports.contact_views(not_shared) == []
    # Kept beside the trail: not a version, never public, never the contact itself.
    assert all(event.action != "contact_viewed" for event in ports.reports.events(report_id))
    recorded = [item for item in audit_items(report_id) if item["action"]["S"] == "contact_viewed"]
    assert len(recorded) == 2 and all(item["public"]["BOOL"] is False for item in recorded)
    assert PHONE not in json.dumps(recorded) and EMAIL not in json.dumps(recorded)

    # Once the report is no longer being handled, a coordinator does not see it even with a purpose.
    commands.resolve(OFFICER, report_id, "Đã vá ổ gà", photo_count=1, **context(ports))
    assert detail(ports, COORDINATOR, report_id, "clarify_report")["contact"] is None
    assert detail(ports, OFFICER, report_id)["contact"] == {"phone": PHONE, "email": EMAIL}
    assert len(ports.reports.contact_views(report_id)) == 3


def test_the_officer_api_takes_the_purpose_from_the_query(aws, submit_api, route_api, edge, ports):
    report_id = routed_report(aws, submit_api, route_api, contact=CONTACT)["report_id"]
    headers = bearer(COORDINATOR.officer_id)
    shown = requests.get(f"{edge}/officer/reports/{report_id}?purpose=assess_duplicate", headers=headers, timeout=30)
    assert shown.status_code == 200, shown.text
    assert shown.json()["contact"] == {"phone": PHONE, "email": EMAIL}
    refused = requests.get(f"{edge}/officer/reports/{report_id}?purpose=x", headers=headers, timeout=30)
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid_purpose")
    assert [view.purpose for view in ports.reports.contact_views(report_id)] == ["assess_duplicate"]
