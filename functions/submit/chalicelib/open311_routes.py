"""Open311 GeoReport v2 over the citizen API's use cases: each route parses, calls
phananh.transparency.open311, and replies in the format its path names (errors too, as GeoReport's
<errors> list)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from chalice import Blueprint, Response

from phananh.adapters import open311_wire, web
from phananh.ports import Ports
from phananh.report.model import utcnow
from phananh.shared.errors import DomainError, RateLimited
from phananh.shared.observability import count
from phananh.shared.settings import get_settings
from phananh.transparency import open311

BASE_PATH = "/open311/v2"


def _reply(root: str, document: Any, fmt: str, status_code: int = 200) -> Response:
    return web.private(
        open311_wire.render(root, document, fmt), status_code, headers={"Content-Type": open311_wire.CONTENT_TYPES[fmt]}
    )


def blueprint(ports: Ports) -> Blueprint:
    """The routes, relative to BASE_PATH, reading and filing through `ports`."""
    routes = Blueprint(__name__)

    def open311_view(root: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Reply in the format the path asks for, errors too."""

        def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(view)
            def wrapper(*args: Any, **kwargs: Any) -> Response:
                fmt = open311_wire.format_of(routes.current_request.path)
                try:
                    web.check_path_parameters(kwargs)
                    if kwargs:
                        stem, fmt = open311_wire.split_format(next(iter(kwargs.values())))
                        kwargs = {name: stem for name in kwargs}
                    status_code, document = view(*args, **kwargs)
                    return _reply(root, document, fmt, status_code)
                except DomainError as error:
                    status_code = web.status_for(error)
                    response = _reply("errors", open311_wire.errors_document(status_code, error), fmt, status_code)
                    if isinstance(error, RateLimited):
                        response.headers["Retry-After"] = str(error.retry_after_s)
                    return response

            return wrapper

        return decorate

    def query() -> dict[str, str]:
        return open311_wire.query_of(routes.current_request.query_params)

    def request_form() -> open311.RequestForm:
        request = routes.current_request
        if request.headers.get("content-type", "").startswith("application/json"):
            return open311.request_form(web.json_object(request.raw_body))
        return open311.request_form(open311_wire.form_pairs(web.checked_size(request.raw_body)))

    @routes.route("/discovery.json", methods=["GET"])
    @routes.route("/discovery.xml", methods=["GET"])
    @open311_view("discovery")
    def open311_discovery():
        endpoint = open311_wire.endpoint_url(routes.current_request.headers, BASE_PATH)
        return 200, open311.discovery(endpoint, get_settings())

    @routes.route("/services.json", methods=["GET"])
    @routes.route("/services.xml", methods=["GET"])
    @open311_view("services")
    def open311_services():
        open311.check_jurisdiction(query().get("jurisdiction_id"), get_settings())
        return 200, open311.services()

    @routes.route("/services/{service_file}", methods=["GET"])
    @open311_view("service_definition")
    def open311_service_definition(service_file):
        settings = get_settings()
        open311.check_jurisdiction(query().get("jurisdiction_id"), settings)
        return 200, open311.service_definition(service_file, settings)

    @routes.route("/requests.json", methods=["POST"], content_types=open311_wire.FORM_CONTENT_TYPES)
    @routes.route("/requests.xml", methods=["POST"], content_types=open311_wire.FORM_CONTENT_TYPES)
    @open311_view("service_requests")
    def open311_file_request():
        caller = web.caller(routes.current_request, get_settings())
        replies = open311.file_request(request_form(), caller, ports=ports, settings=get_settings(), now=utcnow())
        count("ReportSubmitted")
        return 200, replies

    @routes.route("/requests.json", methods=["GET"])
    @routes.route("/requests.xml", methods=["GET"])
    @open311_view("service_requests")
    def open311_requests():
        return 200, open311.list_requests(query(), ports=ports, settings=get_settings(), now=utcnow())

    @routes.route("/requests/{request_file}", methods=["GET"])
    @open311_view("service_requests")
    def open311_request(request_file):
        settings = get_settings()
        open311.check_jurisdiction(query().get("jurisdiction_id"), settings)
        return 200, open311.one_request(request_file, ports=ports, settings=settings)

    @routes.route("/tokens/{token_file}", methods=["GET"])
    @open311_view("service_requests")
    def open311_token(token_file):
        open311.check_jurisdiction(query().get("jurisdiction_id"), get_settings())
        return 200, open311.request_of_token(token_file)

    return routes
