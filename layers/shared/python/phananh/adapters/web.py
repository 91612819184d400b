"""The HTTP edge shared by the Chalice apps: bodies and the caller in, errors out, in one consistent shape.

The only module of the layer that knows Chalice; domain modules never import it. Every error leaves as
`{"code": ..., "message": {"vi": ..., "en": ...}}` with a 4xx status, including the errors
Chalice itself produces (wrong method, wrong content type).
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from chalice import Chalice, Response
from chalice.app import Request

from phananh.intake.caller import Caller
from phananh.shared.errors import (
    DomainError,
    IdempotencyConflict,
    InvalidInput,
    NotFound,
    RateLimited,
    Refused,
    StateConflict,
    Text,
    bilingual,
)
from phananh.shared.observability import flush, logger, traced
from phananh.shared.settings import Settings
from phananh.shared.text_policy import utf8_safe

MAX_BODY_BYTES = 64 * 1024
# Our bodies nest three levels at most; deeper ones are refused before parsing, because the parser
# would recurse into them until Python's recursion limit (a 500).
MAX_JSON_DEPTH = 16
# Path parameters name things we look up by key; DynamoDB refuses keys over 2 KB (moto does not)
# and none of our ids is a tenth of this.
MAX_PATH_PARAMETER_BYTES = 256
# A whole string (skipped), a bracket, or the quote of a string that never ends.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*+"|[\[\]{}"]', re.DOTALL)

_STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (InvalidInput, 400),
    (NotFound, 404),
    (StateConflict, 409),
    (RateLimited, 429),
    (Refused, 422),
]
_STATUS_BY_IDEMPOTENCY_CODE = {"idempotency_key_reused": 422, "request_in_progress": 409}

# Chalice answers some requests before our views run; give those answers our shape too.
_CHALICE_ERRORS: dict[int, tuple[str, Text]] = {
    405: ("method_not_allowed", bilingual("Phương thức không được hỗ trợ.", "Method not allowed.")),
    415: (
        "unsupported_media_type",
        bilingual("Nội dung phải là JSON (application/json).", "The body must be JSON (application/json)."),
    ),
    500: (
        "internal_error",
        bilingual("Đã có lỗi hệ thống. Vui lòng thử lại sau.", "Something went wrong. Please try again later."),
    ),
}


def error_body(code: str, message: Text, details: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body.update(details)
    return body


# Authentication and authorization errors live with the code that raises them (phananh.processing.sign_in);
# their codes are the contract, so the citizen API never imports the JWT machinery.
_STATUS_BY_CODE = {"unauthorized": 401, "forbidden": 403, "mfa_required": 403}


def status_for(error: DomainError) -> int:
    if isinstance(error, IdempotencyConflict):
        return _STATUS_BY_IDEMPOTENCY_CODE[error.code]
    if error.code in _STATUS_BY_CODE:
        return _STATUS_BY_CODE[error.code]
    return next(status for kind, status in _STATUS_BY_ERROR if isinstance(error, kind))


def error_response(error: DomainError) -> Response:
    headers = {"Cache-Control": "no-store"}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after_s)
    return Response(
        body=error_body(error.code, error.message, error.details),
        status_code=status_for(error),
        headers=headers,
    )


def api_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain errors raised by a view into their HTTP answers."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            check_path_parameters(kwargs)
            return view(*args, **kwargs)
        except DomainError as error:
            logger.info("request refused", extra={"code": error.code})
            return error_response(error)

    return wrapper


def check_path_parameters(parameters: dict[str, Any]) -> None:
    """Every path parameter within its length, before any of them reaches a table."""
    for name, value in parameters.items():
        if isinstance(value, str) and len(value.encode("utf-8", "surrogatepass")) > MAX_PATH_PARAMETER_BYTES:
            raise InvalidInput(
                "path_parameter_too_long",
                bilingual(
                    f"'{name}' trong đường dẫn dài quá {MAX_PATH_PARAMETER_BYTES} byte.",
                    f"'{name}' in the path is longer than {MAX_PATH_PARAMETER_BYTES} bytes.",
                ),
                field=name,
            )


def checked_size(raw: bytes | None, max_bytes: int = MAX_BODY_BYTES) -> bytes:
    if raw is not None and len(raw) > max_bytes:
        raise InvalidInput(
            "body_too_large",
            bilingual(
                f"Nội dung yêu cầu vượt quá {max_bytes // 1024} KB.",
                f"The request body is larger than {max_bytes // 1024} KB.",
            ),
        )
    return raw or b""


def json_object(raw: bytes | None, max_bytes: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """A JSON object body; `max_bytes` is larger only for routes that take files (the CSV import)."""
    body = json_body(raw, max_bytes)
    if not isinstance(body, dict):
        raise InvalidInput(
            "invalid_body",
            bilingual("Nội dung yêu cầu phải là một đối tượng JSON.", "The request body must be a JSON object."),
        )
    return body


def json_body(raw: bytes | None, max_bytes: int = MAX_BODY_BYTES) -> Any:
    raw = checked_size(raw, max_bytes)
    try:
        # As json.loads decodes bytes (UTF-8, -16 or -32), so the depth is counted on the same text.
        text = raw.decode(json.detect_encoding(raw), "surrogatepass")
        if json_depth(text) > MAX_JSON_DEPTH:
            raise RecursionError
        return json.loads(text)
    except RecursionError:
        raise InvalidInput(
            "json_too_deep",
            bilingual(
                f"Nội dung JSON lồng nhau quá {MAX_JSON_DEPTH} cấp.",
                f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.",
            ),
        ) from None
    except ValueError:
        raise InvalidInput(
            "invalid_json",
            bilingual("Nội dung yêu cầu không phải JSON hợp lệ.", "The request body is not valid JSON."),
        ) from None


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest, brackets inside strings aside. Linear:
    an unterminated string ends the count (the text is not JSON, and json.loads will say so)."""
    depth = deepest = 0
    for token in _JSON_TOKEN.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif bracket in ("]", "}"):
            depth -= 1
        elif bracket == '"':
            break
    return deepest


def private(body: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A reply about one report or one person: no cache may keep it."""
    return Response(body=body, status_code=status_code, headers={**(headers or {}), "Cache-Control": "no-store"})


def query_params(request: Request) -> dict[str, str]:
    """The query string, one value per name (the last, when a name is repeated)."""
    return dict(request.query_params or {})


def bearer_token(headers: Any) -> str | None:
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value whatever case the client wrote its name in."""
    name = name.lower()
    return next((value for key, value in headers.items() if key.lower() == name), None)


def caller(request: Request, settings: Settings) -> Caller:
    """Who files through this request: the citizen's address and the Idempotency-Key they sent."""
    return Caller(
        source_ip=client_address(
            request.context.get("identity", {}).get("sourceIp"), request.headers, settings.client_address_header
        ),
        idempotency_key=header(request.headers, "idempotency-key"),
    )


def client_address(source_ip: str | None, headers: Mapping[str, str], header_name: str) -> str | None:
    """The citizen's IP address, which the per-IP rate limit counts.

    Behind the edge the connection comes from one of its servers, shared by everyone it serves; the
    edge names the viewer in `header_name` (an address, or `address:port` as CloudFront's own
    CloudFront-Viewer-Address does, IPv6 in brackets then). No header configured, none sent or one
    that is not an address: the source address stands.
    """
    forwarded = header(headers, header_name) if header_name else None
    address = _parse_address(forwarded.strip()) if forwarded else None
    return address or source_ip


def _parse_address(value: str) -> str | None:
    host = value
    if value.startswith("["):
        host, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not _is_port(rest)):
            return None
    elif value.count(":") == 1:
        host, _, port = value.partition(":")
        if not _is_port(":" + port):
            return None
    try:
        # One spelling per address, so that one citizen is one bucket however the edge writes it.
        return ipaddress.ip_address(host).compressed
    except ValueError:
        return None


def _is_port(suffix: str) -> bool:
    return suffix.startswith(":") and suffix[1:].isdigit() and int(suffix[1:]) <= 65535


def install(app: Chalice) -> None:
    """Middleware every app wears: uniform errors, each call traced (in Lambda), and metrics flushed after it."""

    @app.middleware("http")
    def uniform_replies(event: Any, get_response: Callable[[Any], Response]) -> Response:
        response = get_response(event)
        known = _CHALICE_ERRORS.get(response.status_code)
        if known and isinstance(response.body, dict) and "Code" in response.body:
            code, message = known
            response.body = error_body(code, message)
        if isinstance(response.body, dict | list):
            # Vietnamese stays readable: UTF-8, not \u escapes.
            response.body = utf8_safe(json.dumps(response.body, ensure_ascii=False, separators=(",", ":")))
            response.headers["Content-Type"] = "application/json; charset=utf-8"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.middleware("all")
    def trace_and_publish_metrics(event: Any, get_response: Callable[[Any], Any]) -> Any:
        try:
            with traced(_invocation_name(event)):
                return get_response(event)
        finally:
            flush()


def _invocation_name(event: Any) -> str:
    """A route by its method and path template; any other handler by its Lambda function's name."""
    if isinstance(event, Request):
        return f"{event.method} {event.context.get('resourcePath', event.path)}"
    return os.environ.get("AWS_LAMBDA_FUNCTION_NAME", type(event).__name__)
