"""Open311 GeoReport v2 on the wire: which format a path asks for, the XML (and JSON) it is
answered in, GeoReport's error list, and form-encoded request bodies.

What a service request says is phananh.transparency.open311's; this module only writes and reads
it, and knows nothing of Chalice (the submit app's Open311 routes hand it the request's parts).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl
from xml.etree import ElementTree

from phananh.shared.errors import DomainError, InvalidInput, NotFound, bilingual
from phananh.shared.text_policy import is_xml_character, utf8_safe
from phananh.transparency.open311 import one_line

FORMATS = ("xml", "json")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# What POST requests.{format} accepts: GeoReport's form encoding, or the same fields as JSON.
FORM_CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/json"]

# GeoReport's XML: a plural root, one element per item, and nested lists named the same way.
_ITEM_NAMES = {
    "services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
    "values": "value", "endpoints": "endpoint", "formats": "format",
}


def format_of(path: str) -> str:
    """The format a fixed path names (`discovery.xml`); JSON unless it says XML."""
    return "xml" if path.endswith(".xml") else "json"


def split_format(name: str) -> tuple[str, str]:
    """`PA-ROADS.json` → ("PA-ROADS", "json"); any other extension is a resource we do not have."""
    stem, _, extension = name.rpartition(".")
    if not stem or extension not in FORMATS:
        raise NotFound(bilingual("Định dạng phải là .json hoặc .xml.", "The format must be .json or .xml."))
    return stem, extension


def render(root: str, document: Any, fmt: str) -> str:
    """The body of a reply: XML under `root`, or the document as JSON."""
    return to_xml(root, document) if fmt == "xml" else utf8_safe(json.dumps(document, ensure_ascii=False))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    # Input is refused with such characters (phananh.shared.text_policy), but an error may echo what was
    # sent and older records predate the policy: XML 1.0 cannot carry them at all, even escaped.
    return "" if value is None else "".join(char if is_xml_character(char) else "\ufffd" for char in str(value))


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for name, child in value.items():
            _fill(ElementTree.SubElement(element, name), child)
    elif isinstance(value, list):
        for item in value:
            _fill(ElementTree.SubElement(element, _ITEM_NAMES[element.tag]), item)
    else:
        element.text = _text(value)


def to_xml(root: str, document: Any) -> str:
    element = ElementTree.Element(root)
    _fill(element, document)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(element, encoding="unicode")


def errors_document(status_code: int, error: DomainError) -> list[dict[str, Any]]:
    """GeoReport's error list: the HTTP status as the code, the message in both languages."""
    return [{"code": status_code, "description": one_line(error.message)}]


def query_of(params: Any) -> dict[str, str]:
    """Query parameters, a repeated one as GeoReport's comma-separated list (`status=open&status=closed`)."""
    return {name: ",".join(params.getlist(name)) for name in params} if params else {}


def form_pairs(raw: bytes) -> list[tuple[str, str]]:
    """The fields of a form-encoded body, in order, blank ones kept (GeoReport counts them absent)."""
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise InvalidInput(
            "invalid_body", bilingual("Nội dung phải là UTF-8.", "The body must be UTF-8.")
        ) from None


def endpoint_url(headers: Mapping[str, str], base_path: str) -> str:
    """Where clients reach this facade: the host they called (behind a proxy, the one it names)."""
    scheme = headers.get("x-forwarded-proto", "http")
    host = headers.get("x-forwarded-host") or headers.get("host", "localhost")
    return f"{scheme}://{host}{base_path}"
