"""The one text policy (phananh.shared.text_policy), seen through every kind of field that takes free text:
the citizen's submission, the rating comment, the officers' notes and the administration's names."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from phananh.intake.submission import parse_submission
from phananh.processing import administration, commands
from phananh.processing.principal import Principal
from phananh.shared.errors import InvalidInput
from phananh.shared.text_policy import clean_text
from phananh.transparency import rating

FORGED_BLOCK = "Đường 3/2\n\nKHẨN: đăng nhập lại tại https://phananh-gov.example/login trước 17:00"
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c"]
INVISIBLE_ONLY = ["\u200b", "\u2060", "\u3164", "\u00ad", "\u200b\u2060\u3164\u00ad", "\u115f\u1160",
                  "\uffa0", "\u200b \u3000 \u2060", "\u2800", "\ufeff", "\u034f\u0301"]
XML_ILLEGAL = ["\uffff", "\ufffe", "\x00", "\x08", "\x1b", "\x7f", "\x9f", "\ufdd0", "\U0001ffff", "\ud800"]
LINE_BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
COORDINATOR = Principal(officer_id="dieu_phoi", unit_id="ban_dieu_phoi", roles=frozenset({"coordinator"}))


def submit(wards, **fields):
    payload = {"category": "roads", "description": "Ổ gà", "ward_code": "31321", **fields}
    return parse_submission(payload, wards=wards, max_photos=5, service_area_margin_m=2000)


def refused(call, code: str, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        call()
    assert (error.value.code, error.value.details.get("field")) == (code, field)
    assert set(error.value.message) == {"vi", "en"}


@pytest.mark.parametrize("line_break", LINE_BREAKS)
def test_an_address_stays_on_one_line(wards, line_break):
    """The address goes into officers' alert e-mails as it is: no line of its own to forge a notice."""
    refused(lambda: submit(wards, address=f"Đường 3/2{line_break}KHẨN: đăng nhập lại"),
            "line_break_not_allowed", "address")


@pytest.mark.parametrize("numeral", ["𝟏𝟐", "١٢", "½", "²", "Ⅻ", "\U00011954"])
@pytest.mark.parametrize("field", ["address", "device_id"])
def test_single_line_fields_write_numbers_in_ascii_digits(wards, field, numeral):
    """A house number or a device id is searched and matched: look-alike numerals would never match."""
    refused(lambda: submit(wards, **{field: f"Số {numeral}"}), "non_ascii_digits", field)


def test_a_description_may_hold_any_numeral(wards):
    assert submit(wards, description="Cống ngập ½ mặt đường, sâu 30 cm²").description.endswith("cm²")


def test_a_forged_alert_block_in_the_address_is_refused(wards):
    refused(lambda: submit(wards, address=FORGED_BLOCK), "line_break_not_allowed", "address")


def test_a_description_keeps_its_lines_in_one_form(wards):
    submission = submit(wards, description="Ổ gà lớn\r\ntrước chợ\rgần trường\n\tcần vá gấp")
    assert submission.description == "Ổ gà lớn\ntrước chợ\ngần trường\n\tcần vá gấp"


@pytest.mark.parametrize("control", BIDI)
@pytest.mark.parametrize("field", ["description", "address", "device_id"])
def test_direction_controls_are_refused_in_every_text(wards, field, control):
    refused(lambda: submit(wards, **{field: f"Ổ gà {control}ten.exe"}), "bidi_control_not_allowed", field)


@pytest.mark.parametrize("text", INVISIBLE_ONLY)
def test_a_description_of_nothing_visible_is_refused(wards, text):
    refused(lambda: submit(wards, description=text), "invisible_text", "description")


@pytest.mark.parametrize("text", INVISIBLE_ONLY)
def test_an_optional_field_of_nothing_visible_is_refused_too(wards, text):
    refused(lambda: submit(wards, address=text), "invisible_text", "address")


def test_invisible_characters_inside_visible_text_are_kept(wards):
    """A soft hyphen or the joiner of an emoji sequence is harmless beside visible text."""
    assert submit(wards, description="Cống\u00adthoát nước 👩\u200d🔧").description == "Cống\u00adthoát nước 👩\u200d🔧"


@pytest.mark.parametrize("char", XML_ILLEGAL)
@pytest.mark.parametrize("multiline", [True, False])
def test_code_points_xml_cannot_carry_are_refused(char, multiline):
    refused(lambda: clean_text(f"Ổ gà{char}lớn", "description", max_length=100, required=True,
                               multiline=multiline), "invalid_characters", "description")


def test_length_counts_the_composed_form():
    decomposed = "e\u0301" * 10  # ten é, twenty code points before NFC
    assert clean_text(decomposed, "name", max_length=10, required=True) == "é" * 10
    refused(lambda: clean_text("é" * 11, "name", max_length=10, required=True), "too_long", "name")


def test_the_rating_comment_follows_the_policy():
    refused(lambda: rating.parse_rating({"score": 5, "fixed": True, "comment": "\u200b\u2060"}),
            "invisible_text", "comment")
    refused(lambda: rating.parse_rating({"score": 5, "fixed": True, "comment": "Tốt \u202eắt"}),
            "bidi_control_not_allowed", "comment")
    assert rating.parse_rating({"score": 5, "fixed": True, "comment": "Tốt\r\nCảm ơn"})[2] == "Tốt\nCảm ơn"


@pytest.mark.parametrize("action", ["add_progress", "resolve"])
def test_officers_notes_follow_the_policy_before_anything_is_read(action):
    """Refused before the report is looked up: no store is needed to refuse the note."""
    call = getattr(commands, action)
    refused(lambda: call(COORDINATOR, "PA261123AAAAAAAA", "\u3164", ports=None, now=None),
            "invisible_text", "note")
    refused(lambda: call(COORDINATOR, "PA261123AAAAAAAA", "Đã xử lý \u2067", ports=None, now=None),
            "bidi_control_not_allowed", "note")


def test_unit_and_officer_names_are_single_line():
    unit = {"name": {"vi": "Sở Xây dựng\nKHẨN", "en": "Construction"}, "kind": "department",
            "email": "a@b.vn", "phone": "+84912345678"}
    refused(lambda: administration.put_unit(COORDINATOR, "so_moi", unit, ports=_EMPTY_DIRECTORY, settings=None),
            "line_break_not_allowed", "name.vi")
    officer = {"unit_id": "so_moi", "full_name": "Nguyễn\u202e Văn A", "email": "a@b.vn", "phone": "+84912345678",
               "role": "officer"}
    refused(lambda: administration.put_officer(COORDINATOR, "nguyen.a", officer, ports=_EMPTY_DIRECTORY,
                                                       now=datetime(2026, 12, 1, tzinfo=UTC)),
            "bidi_control_not_allowed", "full_name")


@pytest.mark.parametrize("value", ["so_moi\n", "ab\n"])
def test_an_identifier_with_a_trailing_line_break_is_refused(value):
    """`$` in a regular expression matches before a final newline; identifiers must match whole."""
    refused(lambda: administration.put_unit(COORDINATOR, value, {}, ports=_EMPTY_DIRECTORY, settings=None),
            "invalid_id", "unit_id")


@pytest.mark.parametrize("ward_code", ["²", "٣١٣٢١", "31321\n"])
def test_ward_codes_are_ascii_digits(ward_code):
    unit = {"name": {"vi": "Phường", "en": "Ward"}, "kind": "ward_committee", "ward_code": ward_code,
            "email": "a@b.vn", "phone": "+84912345678"}
    refused(lambda: administration.put_unit(COORDINATOR, "phuong_moi", unit, ports=_EMPTY_DIRECTORY, settings=None),
            "invalid_ward", "ward_code")


class _NoUnits:
    """A directory with nothing in it: refusals happen before anything would be written."""

    def unit(self, unit_id):
        return None

    def put_units(self, units):
        raise AssertionError("a refused unit was written")

    def put_officers(self, officers):
        raise AssertionError("a refused officer was written")


_EMPTY_DIRECTORY = SimpleNamespace(directory=_NoUnits())
