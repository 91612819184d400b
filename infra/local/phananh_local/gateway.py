"""One local base URL in front of every HTTP app, as the cloud's edge composes them.

Paths are matched against infra/edge-routes.json as the distribution's behaviours match them: the APIs'
routes first (longest prefix and suffix first), each app served by Chalice's own LocalGateway, so
requests become the same Lambda proxy events API Gateway sends; then the daily open-data snapshots,
read from the bucket the local deployment created; then the web apps' pages and files (entries with
"static", phananh_local.web_sites); anything else gets the APIs' JSON 404.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from chalice.app import CognitoUserPoolAuthorizer
from chalice.cli.factory import CLIFactory
from chalice.local import (
    LocalChalice,
    LocalGateway,
    LocalGatewayAuthorizer,
    LocalGatewayException,
    NotAuthorizedError,
)

from phananh.shared.settings import get_settings
from phananh_cdk.web_apps import ROUTE_NOT_FOUND, open_data_route
from phananh_local.apps import REPO_ROOT, app_dir, load_chalice_app
from phananh_local.web_sites import Answer, WebSite, content_type

EDGE_ROUTES = REPO_ROOT / "infra" / "edge-routes.json"
_client = threading.local()


def edge_routes(path: Path = EDGE_ROUTES) -> list[tuple[str, str, str]]:
    """(path prefix, path suffix, app), the most specific first. A suffix (optional, "" if absent)
    sends one kind of sub-resource to another app, e.g. `/reports/{id}/rating`. Web apps ("static") are
    not among them."""
    routes = json.loads(path.read_text())["routes"]
    triples = [(route["path_prefix"], route.get("path_suffix", ""), route["app"]) for route in routes if "app" in route]
    return sorted(triples, key=lambda triple: len(triple[0]) + len(triple[1]), reverse=True)


_UNAUTHORIZED = json.dumps({
    "code": "unauthorized",
    "message": {"vi": "Cần đăng nhập hợp lệ.", "en": "A valid sign-in is required."},
}, ensure_ascii=False).encode()


class _VerifyingCognitoAuthorizer(LocalGatewayAuthorizer):
    """What API Gateway's Cognito authorizer does: no valid ID token of the pool, no request.

    Chalice's local stand-in trusts any token it can decode (and fails on one it cannot); the
    local stack must refuse exactly what the cloud refuses.
    """

    def authorize(self, raw_path: str, lambda_event: dict, lambda_context: Any) -> tuple[dict, Any]:
        route = self._route_for_event(lambda_event)
        if route is None or not isinstance(route.authorizer, CognitoUserPoolAuthorizer):
            return super().authorize(raw_path, lambda_event, lambda_context)
        from phananh.adapters.web import bearer_token
        from phananh.processing.sign_in import verify_officer_token
        from phananh.shared.errors import DomainError

        try:
            claims = verify_officer_token(bearer_token(lambda_event.get("headers") or {}))
        except DomainError:
            raise NotAuthorizedError({"Content-Type": "application/json"}, _UNAUTHORIZED) from None
        lambda_event["requestContext"]["authorizer"] = {"claims": claims, "principalId": claims["cognito:username"]}
        return lambda_event, lambda_context


class _ClientAwareGateway(LocalGateway):
    """API Gateway reports the caller's address as sourceIp; Chalice's local one always says 127.0.0.1."""

    def __init__(self, app_object: Any, config: Any):
        super().__init__(app_object, config)
        self._authorizer = _VerifyingCognitoAuthorizer(app_object)

    def _generate_lambda_event(self, *args: Any, **kwargs: Any) -> dict:
        event = super()._generate_lambda_event(*args, **kwargs)
        client_ip = getattr(_client, "ip", "127.0.0.1")
        event["requestContext"]["identity"]["sourceIp"] = client_ip
        # What the cloud's edge function does: the address header is the edge's word, never the client's.
        address_header = get_settings().client_address_header.lower()
        if address_header:
            event["headers"][address_header] = client_ip
        return event


def _gateway_for(name: str) -> LocalGateway:
    app = load_chalice_app(name).app
    # Chalice keeps the current request on the app; per thread, since requests run concurrently.
    if not isinstance(app, LocalChalice):
        app.__class__ = type(f"Local{type(app).__name__}", (LocalChalice, type(app)), {})
    config = CLIFactory(str(app_dir(name))).create_config_obj(chalice_stage_name="dev")
    return _ClientAwareGateway(app, config)


def _not_found(extra: dict[str, str] | None = None) -> Answer:
    return 404, {"Content-Type": "application/json", **(extra or {})}, \
        json.dumps(ROUTE_NOT_FOUND, ensure_ascii=False).encode()


# What the distribution's open-data behaviour adds (phananh_cdk.web_hosting): anyone's page or script
# may read the files.
OPEN_DATA_CORS = {"Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"}


class OpenDataFiles:
    """GET /open-data/<key>: the object open-data/<key> of the snapshot bucket, as CloudFront serves it."""

    def __init__(self, bucket: str | None):
        self.bucket = bucket
        self.route = open_data_route()

    def serves(self, path: str) -> bool:
        return path.startswith(self.route.path_prefix)

    def answer(self, method: str, path: str) -> Answer:
        if method == "OPTIONS":
            return 204, {**OPEN_DATA_CORS, "Access-Control-Allow-Methods": "GET, HEAD"}, b""
        if method not in ("GET", "HEAD"):
            return 405, {**OPEN_DATA_CORS, "Allow": "GET, HEAD", "Content-Type": "text/plain; charset=utf-8"}, \
                b"Method not allowed."
        key = self.route.key_for(path)
        if self.bucket is None or key == self.route.key_prefix:
            return _not_found(OPEN_DATA_CORS)
        import boto3
        from botocore.exceptions import ClientError

        try:
            stored = boto3.client("s3").get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return _not_found(OPEN_DATA_CORS)
            raise
        headers = {
            **OPEN_DATA_CORS,
            "Content-Type": stored.get("ContentType") or content_type(key),
            # CloudFront passes on the object's own, as the job wrote it.
            **({"Cache-Control": stored["CacheControl"]} if stored.get("CacheControl") else {}),
        }
        return 200, headers, stored["Body"].read()


class EdgeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EdgeServer

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else None
        path = self.path.split("?", 1)[0]
        gateway = self.server.gateway_for(path)
        if gateway is None:
            files = self.server.files_for(path)
            self._send(*(files.answer(self.command, path) if files is not None else _not_found()))
            return
        _client.ip = self.client_address[0]
        try:
            response = gateway.handle_request(
                method=self.command, path=self.path, headers=dict(self.headers), body=body
            )
        except LocalGatewayException as error:
            # An unknown path inside an app: API Gateway says 403 "Missing Authentication Token";
            # the edge turns that into a plain 404, as the cloud's gateway responses do.
            if error.CODE == 403:
                self._send(*_not_found())
            else:
                self._send(error.CODE, dict(error.headers), error.body or b"")
            return
        headers = {**response["headers"], **response.get("multiValueHeaders", {})}
        payload = response["body"] or b""
        self._send(response["statusCode"], headers, payload if isinstance(payload, bytes) else payload.encode())

    def _send(self, status: int, headers: dict[str, Any], body: bytes | str) -> None:
        payload = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        headers.setdefault("Content-Type", "application/json")
        for name, value in headers.items():
            if name.lower() == "content-length":
                continue
            for single in value if isinstance(value, list) else [value]:
                self.send_header(name, str(single))
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    # http.server dispatches to do_<METHOD>; the names are the standard library's.
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _handle  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        # A request refused before its line is parsed (414: too long, 400: bad syntax) has no path.
        self.server.access_log(self.command or "-", getattr(self, "path", "-"), args)


class EdgeServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver listens with a backlog of 5: under load (benchmarks/load.py) connections beyond it
    # are reset by the kernel before a thread can take them, which API Gateway never does.
    request_queue_size = 128

    def __init__(
        self, host: str, port: int, *, quiet: bool = False, sites: list[WebSite] | None = None,
        open_data_bucket: str | None = None,
    ):
        super().__init__((host, port), EdgeHandler)
        self.quiet = quiet
        self.routes = [(prefix, suffix, _gateway_for(name)) for prefix, suffix, name in edge_routes()]
        self.files = [OpenDataFiles(open_data_bucket), *(sites or [])]

    def files_for(self, path: str) -> OpenDataFiles | WebSite | None:
        """Who serves a path no API route takes: the open-data files, or the web app it is a page or file of."""
        return next((files for files in self.files if files.serves(path)), None)

    def gateway_for(self, path: str) -> LocalGateway | None:
        return next(
            (gateway for prefix, suffix, gateway in self.routes if path.startswith(prefix) and path.endswith(suffix)),
            None,
        )

    def access_log(self, method: str, path: str, args: tuple) -> None:
        if not self.quiet and len(args) >= 2:
            print(f"  {args[1]} {method} {path.split('?')[0]}", flush=True)
