"""The reporter's rights over their data (intake.reporter_rights) on the fake ports: withdrawing consent,
erasing the contact, downloading what is held; only with the report's tracking token."""

from datetime import UTC, datetime, timedelta

import pytest
from fakes import PUSH

from phananh.intake import filing, reporter_rights
from phananh.report.lifecycle import Action
from phananh.report.model import ContactView
from phananh.shared.errors import NotFound

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
WITH_CONTACT = {
    "category": "roads", "description": "Ổ gà lớn trước chợ Vị Thanh", "location": {"lat": 9.779, "lon": 105.47},
    "contact": {"phone": "0961234580", "email": "dan@example.vn", "share_with_officer": True}, "push": PUSH,
}


@pytest.fixture
def receipt(ports, settings):
    return filing.submit_report(WITH_CONTACT, filing.Caller("203.0.113.7"), ports=ports, settings=settings, now=NOW)


def test_withdrawing_consent_hides_the_contact_from_officers_once(ports, receipt):
    report_id, token = receipt["report_id"], receipt["tracking_token"]
    answer = reporter_rights.withdraw_contact_consent(report_id, token, ports=ports, now=NOW + timedelta(hours=1))
    assert answer["consent"]["shared_with_officer"] is False
    reporter_rights.withdraw_contact_consent(report_id, token, ports=ports, now=NOW + timedelta(hours=2))
    events = ports.reports.events(report_id)
    assert [event.action for event in events] == [Action.SUBMIT, Action.CONSENT_WITHDRAWN]
    assert events[1].public is False


def test_erasing_the_contact_drops_both_sealed_details_and_keeps_the_report(ports, receipt):
    report_id, token = receipt["report_id"], receipt["tracking_token"]
    answer = reporter_rights.erase_contact(report_id, token, ports=ports, now=NOW + timedelta(hours=1))
    report = ports.reports.get(report_id)
    assert (report.contact_ciphertext, report.push_ciphertext) == (None, None)
    assert answer["consent"] == {"contact_provided": False, "shared_with_officer": False, "push_enabled": False,
                                 "contact_erased_at": (NOW + timedelta(hours=1)).isoformat()}
    assert "contact, push token" in ports.reports.events(report_id)[-1].reason
    reporter_rights.erase_contact(report_id, token, ports=ports, now=NOW + timedelta(hours=2))
    assert len(ports.reports.events(report_id)) == 2


def test_the_download_holds_the_contact_opened_and_who_looked_at_it(ports, settings, receipt):
    report_id, token = receipt["report_id"], receipt["tracking_token"]
    report = ports.reports.get(report_id)
    ports.reports.record_contact_view(ContactView(report_id, NOW + timedelta(hours=1), "officer:vt", "call back",
                                                  report.status))
    held = reporter_rights.personal_data(report_id, token, ports=ports, settings=settings, now=NOW)
    assert held["contact"] == {"phone": "0961234580", "email": "dan@example.vn", "push": PUSH}
    assert held["contact_views"] == [{"at": (NOW + timedelta(hours=1)).isoformat(), "purpose": "call back"}]
    assert held["report"]["report_id"] == report_id
    assert held["retention"]["erase_after"] is None  # not ended yet


@pytest.mark.parametrize("use", ["withdraw", "erase", "download"])
def test_without_the_right_token_the_report_does_not_exist(ports, settings, receipt, use):
    calls = {
        "withdraw": lambda token: reporter_rights.withdraw_contact_consent(receipt["report_id"], token, ports=ports,
                                                                           now=NOW),
        "erase": lambda token: reporter_rights.erase_contact(receipt["report_id"], token, ports=ports, now=NOW),
        "download": lambda token: reporter_rights.personal_data(receipt["report_id"], token, ports=ports,
                                                                settings=settings, now=NOW),
    }
    for token in (None, "wrong-token"):
        with pytest.raises(NotFound):
            calls[use](token)
    assert ports.reports.get(receipt["report_id"]).contact_shared is True
