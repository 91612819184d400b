"""The web apps' built files behind the local gateway, served as the cloud's edge serves them from
their bucket: the same security headers (phananh_cdk.web_apps), the single-page fallback (a path
without a file extension is the app's index.html), `/<app>` redirected to `/<app>/`, and the
config.json the local deployment implies.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from phananh_cdk.web_apps import (
    CONFIG_FILE,
    IMMUTABLE_CACHE_CONTROL,
    IMMUTABLE_PREFIX,
    INDEX_FILE,
    LOCAL_AUTH_FLOW,
    REVALIDATE_CACHE_CONTROL,
    WebOrigins,
    app_config,
    dist_dir,
    security_headers,
    static_apps,
)

Answer = tuple[int, dict[str, str], bytes]

# Python's table lacks some types browsers insist on for modules and manifests.
_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".webmanifest": "application/manifest+json",
          ".map": "application/json", ".svg": "image/svg+xml", ".woff2": "font/woff2"}


def _content_type(path: Path) -> str:
    kind = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith(("json", "javascript")) else kind


@dataclass(frozen=True)
class WebSite:
    """One web app at /<app>/, from its folder of built files."""

    app: str
    root: Path
    headers: dict[str, str]
    config: bytes

    @property
    def prefix(self) -> str:
        return f"/{self.app}/"

    def serves(self, path: str) -> bool:
        return path == self.prefix[:-1] or path.startswith(self.prefix)

    def answer(self, method: str, path: str) -> Answer:
        if method not in ("GET", "HEAD"):
            return self._text(405, "Method not allowed.", {"Allow": "GET, HEAD"})
        if path == self.prefix[:-1]:
            return 301, {**self.headers, "Location": self.prefix, "Content-Type": "text/plain; charset=utf-8"}, b""
        relative = path[len(self.prefix):]
        if relative == CONFIG_FILE:
            return 200, self._file_headers("application/json; charset=utf-8", relative), self.config
        if "." not in relative.rsplit("/", 1)[-1]:
            relative = INDEX_FILE
        file = (self.root / relative).resolve()
        if not file.is_relative_to(self.root.resolve()) or not file.is_file():
            if relative == INDEX_FILE:
                return self._text(404, f"The {self.app} is not built: cd web && npm ci && npm run build.")
            return self._text(404, "No such file.")
        return 200, self._file_headers(_content_type(file), relative), file.read_bytes()

    def _file_headers(self, content_type: str, relative: str) -> dict[str, str]:
        cache = IMMUTABLE_CACHE_CONTROL if relative.startswith(IMMUTABLE_PREFIX) else REVALIDATE_CACHE_CONTROL
        return {**self.headers, "Content-Type": content_type, "Cache-Control": cache}

    def _text(self, status: int, message: str, extra: dict[str, str] | None = None) -> Answer:
        return status, {**self.headers, "Content-Type": "text/plain; charset=utf-8", **(extra or {})}, message.encode()


def local_web_sites(*, moto_endpoint: str, region: str, user_pool_id: str, client_id: str) -> list[WebSite]:
    """Every static entry of infra/edge-routes.json, against moto: Cognito, uploads and photos are all
    moto's server (boto3 presigns path-style URLs on its endpoint)."""
    origins = WebOrigins(cognito=moto_endpoint, uploads=[moto_endpoint], photos=[moto_endpoint])
    config = app_config(
        region=region, user_pool_id=user_pool_id, client_id=client_id, cognito_endpoint=moto_endpoint,
        auth_flow=LOCAL_AUTH_FLOW,
    )
    payload = json.dumps(config, ensure_ascii=False, indent=2).encode()
    return [WebSite(app, dist_dir(app), security_headers(origins), payload) for app in static_apps()]
