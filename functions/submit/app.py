"""Citizen API: fields, filing a report, following it, and the public feed; the same through
Open311 GeoReport v2; and the OpenAPI document of the whole base URL."""

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from chalice import Chalice, Response

from phananh import bootstrap
from phananh.adapters import web
from phananh.intake import filing
from phananh.report.categories import all_categories
from phananh.report.model import utcnow
from phananh.shared.errors import DomainError, InvalidInput, NotFound, RateLimited, bilingual
from phananh.shared.observability import count
from phananh.shared.settings import get_settings
from phananh.transparency import open311, views

app = Chalice(app_name="phananh-submit")
web.install(app)

PORTS = bootstrap.ports()


def _caller() -> filing.Caller:
    request = app.current_request
    return filing.Caller.of_request(
        request.context.get("identity", {}).get("sourceIp"), request.headers, get_settings()
    )


@app.route("/categories", methods=["GET"])
@web.api_view
def list_categories():
    return {"categories": [category.to_public() for category in all_categories()]}


@app.route("/reports", methods=["POST"])
@web.api_view
def file_report():
    request = app.current_request
    receipt = filing.submit_report(
        web.json_body(request.raw_body), _caller(),
        ports=PORTS, settings=get_settings(), now=utcnow(),
    )
    count("ReportSubmitted")
    return Response(
        body=receipt,
        status_code=201,
        headers={"Location": f"/reports/{receipt['report_id']}", "Cache-Control": "no-store"},
    )


@app.route("/reports/{report_id}", methods=["GET"])
@web.api_view
def follow_report(report_id):
    request = app.current_request
    view = views.reporter_view(
        report_id, web.bearer_token(request.headers), ports=PORTS, settings=get_settings()
    )
    return Response(body=view, headers={"Cache-Control": "no-store"})


@app.route("/public/reports", methods=["GET"])
@web.api_view
def public_reports():
    query = dict(app.current_request.query_params or {})
    return views.public_feed(query, ports=PORTS, settings=get_settings())


@app.route("/public/reports/{report_id}", methods=["GET"])
@web.api_view
def public_report(report_id):
    return views.public_view(report_id, ports=PORTS, settings=get_settings())


# The document describes every app behind the one base URL (infra/edge-routes.json); it is data,
# read from the folder Chalice packages, and checked against the apps' routes by the tests.
OPENAPI_DOCUMENT = Path(__file__).parent / "chalicelib" / "openapi.json"


@app.route("/openapi.json", methods=["GET"])
def openapi_document():
    return Response(
        body=OPENAPI_DOCUMENT.read_text(encoding="utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300"},
    )


# --- Open311 GeoReport v2 -----------------------------------------------------------------------

OPEN311 = "/open311/v2"
FORM_CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/json"]


def _split_format(name: str) -> tuple[str, str]:
    """`PA-ROADS.json` → ("PA-ROADS", "json"); any other extension is a resource we do not have."""
    stem, _, extension = name.rpartition(".")
    if not stem or extension not in open311.FORMATS:
        raise NotFound(bilingual("Định dạng phải là .json hoặc .xml.", "The format must be .json or .xml."))
    return stem, extension


def _reply(root: str, document: Any, fmt: str, status_code: int = 200) -> Response:
    body = open311.to_xml(root, document) if fmt == "xml" else web.utf8_safe(json.dumps(document, ensure_ascii=False))
    return Response(
        body=body, status_code=status_code,
        headers={"Content-Type": open311.CONTENT_TYPES[fmt], "Cache-Control": "no-store"},
    )


def open311_view(root: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Reply in the format the path asks for, errors too (GeoReport's <errors> list)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            path = app.current_request.path
            fmt = "xml" if path.endswith(".xml") else "json"
            try:
                web.check_path_parameters(kwargs)
                if "{" in path:
                    stem, fmt = _split_format(next(iter(kwargs.values())))
                    kwargs = {name: stem for name in kwargs}
                status_code, document = view(*args, **kwargs)
                return _reply(root, document, fmt, status_code)
            except DomainError as error:
                status_code = web.status_for(error)
                response = _reply("errors", open311.errors_document(status_code, error), fmt, status_code)
                if isinstance(error, RateLimited):
                    response.headers["Retry-After"] = str(error.retry_after_s)
                return response

        return wrapper

    return decorate


def _query() -> dict[str, str]:
    params = app.current_request.query_params
    return {name: ",".join(params.getlist(name)) for name in params} if params else {}


def _endpoint_url() -> str:
    """Where clients reach this facade: the host they called (behind a proxy, the one it names)."""
    headers = app.current_request.headers
    scheme = headers.get("x-forwarded-proto", "http")
    host = headers.get("x-forwarded-host") or headers.get("host", "localhost")
    return f"{scheme}://{host}{OPEN311}"


@app.route(f"{OPEN311}/discovery.json", methods=["GET"])
@app.route(f"{OPEN311}/discovery.xml", methods=["GET"])
@open311_view("discovery")
def open311_discovery():
    return 200, open311.discovery(_endpoint_url(), get_settings())


@app.route(f"{OPEN311}/services.json", methods=["GET"])
@app.route(f"{OPEN311}/services.xml", methods=["GET"])
@open311_view("services")
def open311_services():
    open311.check_jurisdiction(_query().get("jurisdiction_id"), get_settings())
    return 200, open311.services()


@app.route(f"{OPEN311}/services/{{service_file}}", methods=["GET"])
@open311_view("service_definition")
def open311_service_definition(service_file):
    settings = get_settings()
    open311.check_jurisdiction(_query().get("jurisdiction_id"), settings)
    return 200, open311.service_definition(service_file, settings)


def _request_form() -> open311.RequestForm:
    request = app.current_request
    if request.headers.get("content-type", "").startswith("application/json"):
        return open311.request_form(web.json_object(request.raw_body))
    raw = web.checked_size(request.raw_body)
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise InvalidInput(
            "invalid_body", bilingual("Nội dung phải là UTF-8.", "The body must be UTF-8.")
        ) from None
    return open311.request_form(pairs)


@app.route(f"{OPEN311}/requests.json", methods=["POST"], content_types=FORM_CONTENT_TYPES)
@app.route(f"{OPEN311}/requests.xml", methods=["POST"], content_types=FORM_CONTENT_TYPES)
@open311_view("service_requests")
def open311_file_request():
    replies = open311.file_request(_request_form(), _caller(), ports=PORTS, settings=get_settings(), now=utcnow())
    count("ReportSubmitted")
    return 200, replies


@app.route(f"{OPEN311}/requests.json", methods=["GET"])
@app.route(f"{OPEN311}/requests.xml", methods=["GET"])
@open311_view("service_requests")
def open311_requests():
    return 200, open311.list_requests(_query(), ports=PORTS, settings=get_settings(), now=utcnow())


@app.route(f"{OPEN311}/requests/{{request_file}}", methods=["GET"])
@open311_view("service_requests")
def open311_request(request_file):
    settings = get_settings()
    open311.check_jurisdiction(_query().get("jurisdiction_id"), settings)
    return 200, open311.one_request(request_file, ports=PORTS, settings=settings)


@app.route(f"{OPEN311}/tokens/{{token_file}}", methods=["GET"])
@open311_view("service_requests")
def open311_token(token_file):
    open311.check_jurisdiction(_query().get("jurisdiction_id"), get_settings())
    return 200, open311.request_of_token(token_file)
