"""Open311's wire: the format a path names, repeated query parameters, form bodies, the endpoint."""

import pytest

from phananh.adapters import open311_wire
from phananh.shared.errors import InvalidInput, NotFound


class _Params(dict):
    """A query string as Chalice hands it over: every value of a repeated name."""

    def getlist(self, name):
        return self[name]


@pytest.mark.parametrize(("name", "expected"), [("PA-ROADS.json", ("PA-ROADS", "json")), ("a.b.xml", ("a.b", "xml"))])
def test_a_resource_name_splits_into_its_stem_and_format(name, expected):
    assert open311_wire.split_format(name) == expected


@pytest.mark.parametrize("name", ["PA-ROADS", "PA-ROADS.html", ".json", "PA-ROADS."])
def test_a_resource_in_another_format_is_not_found(name):
    with pytest.raises(NotFound):
        open311_wire.split_format(name)


def test_a_repeated_parameter_is_a_comma_separated_list():
    params = _Params(status=["open", "closed"], service_code=["PA-ROADS"])
    assert open311_wire.query_of(params) == {"status": "open,closed", "service_code": "PA-ROADS"}
    assert open311_wire.query_of(None) == {}


def test_form_fields_keep_their_order_and_blank_values():
    raw = b"service_code=PA-ROADS&attribute%5Bward_code%5D=&description=%E1%BB%94+g%C3%A0"
    assert open311_wire.form_pairs(raw) == [
        ("service_code", "PA-ROADS"), ("attribute[ward_code]", ""), ("description", "Ổ gà"),
    ]


def test_a_form_body_that_is_not_utf8_is_refused():
    with pytest.raises(InvalidInput) as error:
        open311_wire.form_pairs(b"description=\xff\xfe")
    assert error.value.code == "invalid_body"


def test_the_endpoint_is_the_host_the_client_called_through_any_proxy():
    assert open311_wire.endpoint_url({"host": "api.example"}, "/open311/v2") == "http://api.example/open311/v2"
    forwarded = {"host": "internal", "x-forwarded-host": "phananh.example", "x-forwarded-proto": "https"}
    assert open311_wire.endpoint_url(forwarded, "/open311/v2") == "https://phananh.example/open311/v2"


def test_json_replies_keep_vietnamese_readable_and_xml_lists_name_their_items():
    document = [{"service_request_id": "PA261123ABCDEFGH", "description": "Ổ gà"}]
    assert open311_wire.render("service_requests", document, "json") == (
        '[{"service_request_id": "PA261123ABCDEFGH", "description": "Ổ gà"}]'
    )
    assert "<request><service_request_id>PA261123ABCDEFGH</service_request_id>" in open311_wire.render(
        "service_requests", document, "xml"
    )
