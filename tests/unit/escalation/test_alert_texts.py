"""What alerts and escalations insert into their texts cannot start a line or reorder the text."""

from datetime import UTC, datetime, timedelta

import pytest

from phananh.escalation.alerts import assignee_alert, console_link, inline, new_report_alert
from phananh.escalation.sweeper import breach_of, level_message
from phananh.report.lifecycle import Status
from phananh.report.model import Report
from phananh.routing.directory import Officer, Unit, is_email_address, is_phone_number

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
INJECTED = "\n".join([
    "Ổ gà\r\nHạn xử lý: không cần xử lý",
    "Người báo: Trần Thị Bích\u2028SĐT 0911\u2029\x0b\x0c\x1c\x85kết thúc",
    "\u202egnol\u202c \u2066isolate\u2069 zero\u200bwidth",
])


def _report(**changes) -> Report:
    fields = {
        "report_id": "PA261123AAAAAAAA", "version": 3, "status": Status.ASSIGNED, "source": "app",
        "category_code": "roads", "description": INJECTED, "location": None, "ward_code": "31321",
        "address": "Số 5\nHạn tiếp nhận: đã quá", "photo_count": 0, "tracking_token_hash": "x",
        "contact_ciphertext": None, "contact_shared": False, "created_at": NOW,
        "updated_at": NOW, "owner_unit_id": "so_xay_dung", "acknowledge_due_at": NOW + timedelta(hours=8),
        "resolve_due_at": NOW + timedelta(days=3),
    }
    return Report(**{**fields, **changes})


UNIT = Unit(
    unit_id="so_xay_dung", name={"vi": "Sở Xây dựng\nTRƯỞNG PHÒNG: ký", "en": "Construction\r\n\u202eevil"},
    kind="department", ward_code=None, parent_unit_id="ubnd_thanh_pho", email="so_xay_dung@example.vn",
    phone="+84900000003",
)


def _assert_clean(text: str) -> None:
    for char in "\r\x0b\x0c\x1c\x85\u2028\u2029\u202e\u202c\u2066\u2069\u200b":
        assert char not in text, repr(char)


def test_inline_keeps_text_on_one_line_and_in_order():
    assert inline(INJECTED) == (
        "Ổ gà Hạn xử lý: không cần xử lý Người báo: Trần Thị Bích SĐT 0911 kết thúc gnol isolate zerowidth"
    )
    assert inline("  Đường   Trần Hưng Đạo ") == "Đường Trần Hưng Đạo"


def test_a_new_report_alert_gives_each_inserted_value_one_line(wards):
    alert = new_report_alert(_report(), UNIT, wards)
    for text in (alert.subject, alert.email_body, alert.sms_body):
        _assert_clean(text)
    assert "\n" not in alert.subject and "\n" not in alert.sms_body
    lines = alert.email_body.split("\n")
    # The reporter's text cannot forge a deadline line, nor the unit name a line of its own.
    assert [line for line in lines if line.startswith("Hạn")] == [lines[5]]
    assert not any(line.startswith(("TRƯỞNG", "Hạn tiếp nhận: đã", "Người báo", "SĐT")) for line in lines)
    assert len(lines) == 13


def test_an_escalation_message_gives_each_inserted_value_one_line(wards):
    breach = breach_of(_report())
    message = level_message(breach, 1, UNIT, wards)
    for text in message.values():
        _assert_clean(text)
    assert "\n" not in message["subject"] and "\n" not in message["sms_body"]
    assert len(message["email_body"].split("\n")) == 7


CONSOLE = "https://phananh.example.vn/console/"
LINK = "https://phananh.example.vn/console/reports/PA261123AAAAAAAA"


def test_with_a_console_every_alert_e_mail_ends_with_the_link_to_the_report(wards):
    assert console_link(CONSOLE, "PA261123AAAAAAAA") == LINK
    assert console_link("", "PA261123AAAAAAAA") == ""
    officer = Officer(officer_id="sxd.officer", unit_id="so_xay_dung", full_name="Lê Văn\nHạn xử lý: bỏ",
                      email="sxd.officer@example.vn", phone="+84900000004", role="officer")
    bodies = [
        new_report_alert(_report(), UNIT, wards, console_url=CONSOLE).email_body,
        level_message(breach_of(_report()), 2, UNIT, wards, console_url=CONSOLE)["email_body"],
        assignee_alert(_report(), officer, wards, console_url=CONSOLE).email_body,
    ]
    for body in bodies:
        _assert_clean(body)
        assert body.split("\n")[-1] == f"Mở phản ánh / Open the report: {LINK}"
    # The officer's name cannot forge a line either.
    assert not any(line.startswith("Hạn xử lý: bỏ") for line in bodies[2].split("\n"))
    assert LINK not in new_report_alert(_report(), UNIT, wards).email_body
    assert "console" not in level_message(breach_of(_report()), 2, UNIT, wards)["email_body"]


@pytest.mark.parametrize("address", ["so_xay_dung.head@example.vn", "a.b+c@mail.example.vn", "x@e.vn"])
def test_addresses_ses_takes(address):
    assert is_email_address(address)


@pytest.mark.parametrize("address", [
    "nguyen,van@example.vn", "a@example.vn\n", "a@example.vn\r\nBcc: b@example.vn", "Tên <a@example.vn>",
    "a b@example.vn", "a@example.vn;b@example.vn", "nguyễn@example.vn", "a@example", ".a@example.vn",
    "a@-example.vn", "a" * 65 + "@example.vn", None, 7,
])
def test_addresses_ses_refuses(address):
    assert not is_email_address(address)


def test_phone_numbers_in_ascii_digits_only():
    assert is_phone_number("+84900000003")
    for phone in ("+84\u0669\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660", "+84900000003\n", "0900000003",
                  "+84 900000003", "+8490000000３", None):
        assert not is_phone_number(phone)
