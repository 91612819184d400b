"""Whose address the per-IP rate limit counts: the edge's word for the viewer, else the source."""

from dataclasses import MISSING, fields
from types import SimpleNamespace

import pytest

from phananh.adapters.web import caller, client_address
from phananh.intake.caller import Caller
from phananh.shared.settings import Settings

HEADER = "x-phananh-viewer-address"
EDGE_SERVER = "130.176.1.10"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("203.0.113.7:52311", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:db8::7", "2001:db8::7"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("[2001:db8::7]", "2001:db8::7"),
        # One address, one spelling: the same citizen must land in the same bucket.
        ("2001:0db8:0000:0000:0000:0000:0000:0007", "2001:db8::7"),
        ("[2001:DB8::7]:443", "2001:db8::7"),
        ("::ffff:203.0.113.7", "::ffff:cb00:7107"),
    ],
)
def test_the_viewer_address_the_edge_writes_is_the_callers(written, expected):
    assert client_address(EDGE_SERVER, {HEADER: written}, HEADER) == expected


@pytest.mark.parametrize(
    "written",
    [
        "",
        "not-an-address",
        "203.0.113.7:",
        "203.0.113.7:http",
        "203.0.113.7:70000",
        "203.0.113.999",
        "[2001:db8::7",
        "[2001:db8::7]443",
        "[2001:db8::7]:x",
        "203.0.113.7, 198.51.100.2",
        "[203.0.113.7]:80:80",
    ],
)
def test_a_malformed_header_falls_back_to_the_source_address(written):
    assert client_address(EDGE_SERVER, {HEADER: written}, HEADER) == EDGE_SERVER


def test_without_the_setting_the_header_is_ignored_and_the_source_counts():
    assert client_address("198.51.100.2", {HEADER: "203.0.113.7"}, "") == "198.51.100.2"


def test_a_request_without_the_header_keeps_its_source_address():
    assert client_address("198.51.100.2", {"user-agent": "curl"}, HEADER) == "198.51.100.2"
    assert client_address(None, {}, HEADER) is None


def test_the_header_name_matches_whatever_its_case():
    assert client_address(EDGE_SERVER, {"X-Phananh-Viewer-Address": "203.0.113.7"}, HEADER) == "203.0.113.7"
    assert client_address(EDGE_SERVER, {HEADER: "203.0.113.7"}, "X-PHANANH-VIEWER-ADDRESS") == "203.0.113.7"


def test_only_the_configured_header_is_believed():
    assert client_address(EDGE_SERVER, {"x-forwarded-for": "203.0.113.7"}, HEADER) == EDGE_SERVER
    assert client_address(EDGE_SERVER, {HEADER: "203.0.113.7"}, "cloudfront-viewer-address") == EDGE_SERVER


def _settings(**overrides) -> Settings:
    required = {field.name: field.name for field in fields(Settings) if field.default is MISSING}
    return Settings(**required, **overrides)


def _request(source_ip: str, headers: dict[str, str]) -> SimpleNamespace:
    """The parts of a Chalice request the caller is read from."""
    return SimpleNamespace(context={"identity": {"sourceIp": source_ip}}, headers=headers)


def test_a_caller_of_a_request_carries_the_citizens_address_and_its_idempotency_key():
    headers = {HEADER: "[2001:db8::7]:443", "Idempotency-Key": "3f1c9a52-7d4e-4b6a-9c1f-0e2d8b5a7c13"}
    request = _request(EDGE_SERVER, headers)
    assert caller(request, _settings(client_address_header=HEADER)) == Caller(
        source_ip="2001:db8::7", idempotency_key="3f1c9a52-7d4e-4b6a-9c1f-0e2d8b5a7c13"
    )
    assert caller(request, _settings()).source_ip == EDGE_SERVER
