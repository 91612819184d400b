"""The web apps' built files behind the local gateway, served as the cloud's edge serves them from
their bucket: the same security headers (phananh_cdk.web_apps), the same pages (the console: every
extension-less path under /console/ is its index.html, `/console` redirected to `/console/`; the site
at the root: only its listed pages are), the same Cache-Control, and the config.json the local
deployment implies. A path that is none of an app's pages or files is not the app's: the gateway
answers it.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from phananh_cdk.web_apps import (
    BUILD_MANIFEST_DIR,
    CONFIG_FILE,
    INDEX_FILE,
    LOCAL_AUTH_FLOW,
    REVALIDATE_CACHE_CONTROL,
    StaticApp,
    WebOrigins,
    app_config,
    cache_control,
    dist_dir,
    has_file_extension,
    security_headers,
    static_apps,
)

Answer = tuple[int, dict[str, str], bytes]

# Python's table lacks some types browsers insist on for modules and manifests.
_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".webmanifest": "application/manifest+json",
          ".map": "application/json", ".svg": "image/svg+xml", ".woff2": "font/woff2"}


def content_type(path: str) -> str:
    suffix = Path(path).suffix
    kind = _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith(("json", "javascript")) else kind


@dataclass(frozen=True)
class WebSite:
    """One web app at its prefix, from its folder of built files."""

    app: StaticApp
    root: Path
    headers: dict[str, str]
    config: bytes

    def serves(self, path: str) -> bool:
        """Whether the path is this app's: its bare prefix (redirected), a page, or a file it has."""
        if self._redirects(path) or self.app.is_page(path):
            return True
        if not path.startswith(self.app.path_prefix) or not has_file_extension(path):
            return False
        # The console's prefix is all its own (a missing file is its 404); at the root, only what was built.
        relative = self._relative(path)
        return not self.app.at_root or relative == CONFIG_FILE or self._file(relative) is not None

    def answer(self, method: str, path: str) -> Answer:
        if method not in ("GET", "HEAD"):
            return self._text(405, "Method not allowed.", {"Allow": "GET, HEAD"})
        if self._redirects(path):
            return 301, {**self.headers, "Location": self.app.path_prefix,
                         "Content-Type": "text/plain; charset=utf-8"}, b""
        relative = INDEX_FILE if self.app.is_page(path) else self._relative(path)
        if relative == CONFIG_FILE:
            return 200, self._file_headers("application/json; charset=utf-8", relative), self.config
        file = self._file(relative)
        if file is None:
            if relative == INDEX_FILE:
                return self._text(404, f"The {self.app.name} is not built: cd web && npm ci && npm run build.")
            return self._text(404, "No such file.")
        return 200, self._file_headers(content_type(file.name), relative), file.read_bytes()

    def _redirects(self, path: str) -> bool:
        return not self.app.at_root and path == self.app.path_prefix[:-1]

    def _relative(self, path: str) -> str:
        return path[len(self.app.path_prefix):]

    def _file(self, relative: str) -> Path | None:
        if relative.startswith(BUILD_MANIFEST_DIR):
            return None
        file = (self.root / relative).resolve()
        return file if file.is_relative_to(self.root.resolve()) and file.is_file() else None

    def _file_headers(self, kind: str, relative: str) -> dict[str, str]:
        return {**self.headers, "Content-Type": kind, "Cache-Control": cache_control(relative)}

    def _text(self, status: int, message: str, extra: dict[str, str] | None = None) -> Answer:
        return status, {**self.headers, "Content-Type": "text/plain; charset=utf-8",
                        "Cache-Control": REVALIDATE_CACHE_CONTROL, **(extra or {})}, message.encode()


def local_web_sites(*, moto_endpoint: str, region: str, user_pool_id: str, client_id: str) -> list[WebSite]:
    """Every static entry of infra/edge-routes.json, against moto: Cognito, uploads and photos are all
    moto's server (boto3 presigns path-style URLs on its endpoint)."""
    origins = WebOrigins(cognito=moto_endpoint, uploads=[moto_endpoint], photos=[moto_endpoint])
    config = app_config(
        region=region, user_pool_id=user_pool_id, client_id=client_id, cognito_endpoint=moto_endpoint,
        auth_flow=LOCAL_AUTH_FLOW,
    )
    payload = json.dumps(config, ensure_ascii=False, indent=2).encode()
    return [WebSite(app, dist_dir(app.name), security_headers(origins), payload) for app in static_apps()]
