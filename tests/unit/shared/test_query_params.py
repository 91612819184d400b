"""Numbers in query strings, JSON bodies nested too deep, path parameters too long and text XML cannot
carry: each a class of input that used to end in a 500 (or in a feed no XML parser reads)."""

from datetime import UTC, datetime
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest

from phananh.adapters import web
from phananh.shared.errors import InvalidInput, NotFound
from phananh.shared.text_policy import whole_number
from phananh.transparency import open311, scorecards

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
_NO_JURISDICTION = SimpleNamespace(open311_jurisdiction_id=None)
# Digits str.isdigit() accepts: superscripts, Arabic-Indic, Devanagari, fullwidth, circled, Kharosthi.
UNICODE_DIGITS = ["²", "³", "¹⁰", "٣", "१२", "１２", "①", "𐩀", "7²"]
NOT_WHOLE_NUMBERS = ["", " 7", "7 ", "+7", "-7", "7.0", "1e3", "0x10", "NaN", "inf", "7\n", "٧", "1_0"]


@pytest.mark.parametrize("raw", UNICODE_DIGITS + NOT_WHOLE_NUMBERS)
def test_only_ascii_digits_make_a_whole_number(raw):
    with pytest.raises(InvalidInput) as error:
        whole_number(raw, "limit", lowest=1, highest=50, code="invalid_limit")
    assert (error.value.code, error.value.details["field"]) == ("invalid_limit", "limit")


@pytest.mark.parametrize("raw", ["0", "51", "9" * 5000, "0" * 5000 + "7"])
def test_whole_numbers_out_of_range_or_absurdly_long_are_refused(raw):
    """5000 digits would make int() itself raise (Python's limit on digits in a string)."""
    with pytest.raises(InvalidInput):
        whole_number(raw, "limit", lowest=1, highest=50, code="invalid_limit")


@pytest.mark.parametrize(("raw", "value"), [("1", 1), ("07", 7), ("50", 50)])
def test_whole_numbers_in_range_are_read(raw, value):
    assert whole_number(raw, "limit", lowest=1, highest=50, code="invalid_limit") == value


@pytest.mark.parametrize("raw", UNICODE_DIGITS)
def test_open311_paging_refuses_unicode_digits(raw):
    for name in ("page", "page_size"):
        with pytest.raises(InvalidInput) as error:
            open311.request_query({name: raw}, NOW)
        assert error.value.code == "invalid_paging"


@pytest.mark.parametrize("raw", [*UNICODE_DIGITS, "٣٠", "030 "])
def test_scorecard_periods_refuse_unicode_digits(raw):
    with pytest.raises(InvalidInput) as error:
        scorecards.parse_period(raw)
    assert error.value.code == "invalid_period"


@pytest.mark.parametrize("depth", [web.MAX_JSON_DEPTH + 1, 2_000, 10_000])
@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_nested_deeper_than_the_limit_is_a_clean_refusal(depth, opening):
    closing = "]" if opening == "[" else "}"
    body = (opening * depth + "1" + closing * depth).encode()
    with pytest.raises(InvalidInput) as error:
        web.json_body(body)
    assert error.value.code == "json_too_deep"


def test_json_in_utf16_is_held_to_the_same_depth():
    with pytest.raises(InvalidInput) as error:
        web.json_body(("[" * 5_000 + "]" * 5_000).encode("utf-16"))
    assert error.value.code == "json_too_deep"


def test_brackets_inside_strings_do_not_count():
    body = {"description": "[[[[{{{{" * 100, "contact": {"phone": "\"]]]}}}\\\"[[[["}}
    assert web.json_body(web.json.dumps(body).encode()) == body


def test_json_at_the_limit_is_read():
    body = "[" * web.MAX_JSON_DEPTH + "]" * web.MAX_JSON_DEPTH
    assert web.json_depth(body) == web.MAX_JSON_DEPTH
    assert web.json_body(body.encode()) is not None


def test_an_unterminated_string_is_counted_in_linear_time():
    """`"\\"\\"\\"…` never closes: the count stops there and json.loads refuses the text."""
    with pytest.raises(InvalidInput) as error:
        web.json_body(('"' + '\\"' * 30_000).encode())
    assert error.value.code == "invalid_json"


@pytest.mark.parametrize("value", ["x" * (web.MAX_PATH_PARAMETER_BYTES + 1), "ạ" * 100, "PA" + "0" * 3000])
def test_path_parameters_over_the_limit_are_refused(value):
    with pytest.raises(InvalidInput) as error:
        web.check_path_parameters({"report_id": value})
    assert (error.value.code, error.value.details["field"]) == ("path_parameter_too_long", "report_id")


def test_path_parameters_within_the_limit_pass():
    web.check_path_parameters({"report_id": "PA261123ABCDEFGH", "ward_code": "x" * web.MAX_PATH_PARAMETER_BYTES})


@pytest.mark.parametrize("char", ["\uffff", "\ufffe", "\x00", "\x1b", "\ud800", "\x0b"])
def test_open311_xml_stays_well_formed_whatever_the_text(char):
    """A record stored before the input policy, or an error echoing the request, still parses."""
    document = [{"service_request_id": "PA261123ABCDEFGH", "description": f"Ổ gà{char}lớn <b>&amp;"}]
    text = open311.to_xml("service_requests", document)
    root = ElementTree.fromstring(text.encode("utf-8"))  # noqa: S314 - our own output
    assert root.find("request").findtext("description") == "Ổ gà\ufffdlớn <b>&amp;"


def test_replies_never_carry_a_lone_surrogate():
    assert web.utf8_safe("field '\ud800' unknown").encode("utf-8") == b"field '?' unknown"


class _NoLookups:
    def get(self, report_id):
        raise AssertionError(f"{report_id!r} cannot be a report id and must not be looked up")


@pytest.mark.parametrize("report_id", ["PA٢٦١١٢٣ABCDEFGH", "PA²⁶¹¹²³ABCDEFGH", "PA261123ABCDEFGH\n"])
def test_open311_looks_up_only_what_can_be_a_report_id(report_id):
    ports = SimpleNamespace(reports=_NoLookups())
    with pytest.raises(NotFound):
        open311.one_request(report_id, ports=ports, settings=None)


@pytest.mark.parametrize("report_id", ["PA٢٦١١٢٣ABCDEFGH", "PA²⁶¹¹²³ABCDEFGH"])
def test_open311_lists_look_up_only_what_can_be_a_report_id(report_id):
    ports = SimpleNamespace(reports=_NoLookups())
    listed = {"service_request_id": report_id}
    assert open311.list_requests(listed, ports=ports, settings=_NO_JURISDICTION, now=NOW) == []
