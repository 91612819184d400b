"""The web apps (web/, built into web/dist/<app>/) as both edges serve them: the security headers and
the config.json each app reads at start.

One definition for the cloud (the edge stack's CloudFront response headers policy and the deployed
config.json) and the local gateway, with what differs between them (where Cognito, the uploads and
the photos are, the map tiles) as inputs. Imports nothing from aws_cdk, so the local stack uses it
cheaply.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phananh_cdk.config import REPO_ROOT

WEB_DIST = REPO_ROOT / "web" / "dist"
EDGE_ROUTES = REPO_ROOT / "infra" / "edge-routes.json"
CONFIG_FILE = "config.json"
INDEX_FILE = "index.html"
# Vite's record of the build (benchmarks read it); never served.
BUILD_MANIFEST_DIR = ".vite/"
# Vite writes content-hashed file names under assets/: a name never changes content, so browsers and
# CloudFront keep them; everything else (index.html, config.json, the site's sw.js and
# manifest.webmanifest, its icons and API reference) is revalidated on every load.
IMMUTABLE_PREFIX = "assets/"
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"
REVALIDATE_CACHE_CONTROL = "no-cache"

# Two years, as the HSTS preload list asks; subdomains too: the base URL's name serves nothing but us.
HSTS_MAX_AGE_S = 63_072_000
STRICT_TRANSPORT_SECURITY = f"max-age={HSTS_MAX_AGE_S}; includeSubDomains"
# OpenStreetMap's tile policy wants a Referer; the origin alone says which site asks, never a report's path.
REFERRER_POLICY = "strict-origin-when-cross-origin"
FRAME_OPTIONS = "DENY"

# What the apps' sign-in does: SRP in the cloud (the password never leaves the browser); locally
# moto cannot answer SRP, so the local pool client allows the password flow (see stack-facts.md).
CLOUD_AUTH_FLOW = "USER_SRP_AUTH"
LOCAL_AUTH_FLOW = "USER_PASSWORD_AUTH"


# What the edge answers for a path that is neither an API route nor a web app's page or file: the APIs'
# own answer for a path they do not serve (API Gateway's MISSING_AUTHENTICATION_TOKEN, phananh_cdk.app_stack).
ROUTE_NOT_FOUND = {"code": "route_not_found", "message": {"vi": "Không có đường dẫn này.", "en": "No such path."}}


@dataclass(frozen=True)
class StaticApp:
    """A web app of infra/edge-routes.json (an entry with "static"): its built files are web/dist/<name>/,
    stored under <name>/ in the web bucket and served at path_prefix."""

    name: str
    path_prefix: str
    # None: every extension-less path under the prefix is the index (a single-page fallback). Else the
    # only paths that are: each exactly, or, ending in /*, every path below it.
    pages: tuple[str, ...] | None = None

    @property
    def at_root(self) -> bool:
        return self.path_prefix == "/"

    def is_page(self, path: str) -> bool:
        if self.pages is None:
            return path.startswith(self.path_prefix) and not has_file_extension(path)
        return any(
            path.startswith(page[:-1]) and len(path) > len(page) - 1 if page.endswith("/*") else path == page
            for page in self.pages
        )


def has_file_extension(path: str) -> bool:
    return "." in path.rsplit("/", 1)[-1]


def _routes(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["routes"]


def static_apps(path: Path = EDGE_ROUTES) -> list[StaticApp]:
    """The web apps infra/edge-routes.json serves from their built files (entries with "static")."""
    return [
        StaticApp(route["static"], route["path_prefix"], tuple(route["pages"]) if "pages" in route else None)
        for route in _routes(path) if "static" in route
    ]


def site_app(path: Path = EDGE_ROUTES) -> StaticApp:
    """The web app at the base URL's root: the distribution's default behaviour."""
    (site,) = [app for app in static_apps(path) if app.at_root]
    return site


@dataclass(frozen=True)
class OpenDataRoute:
    """Where the daily snapshot files are served (path_prefix) from the open-data bucket (key_prefix)."""

    path_prefix: str
    key_prefix: str

    def key_for(self, path: str) -> str:
        return self.key_prefix + path[len(self.path_prefix):]


def open_data_route(path: Path = EDGE_ROUTES) -> OpenDataRoute:
    (route,) = [
        OpenDataRoute(route["path_prefix"], route["open_data"]) for route in _routes(path) if "open_data" in route
    ]
    return route


def dist_dir(app: str) -> Path:
    return WEB_DIST / app


def cache_control(relative: str) -> str:
    """A built file's Cache-Control: hashed assets kept for a year, everything else revalidated."""
    return IMMUTABLE_CACHE_CONTROL if relative.startswith(IMMUTABLE_PREFIX) else REVALIDATE_CACHE_CONTROL


@dataclass(frozen=True)
class WebOrigins:
    """The origins a web app talks to besides its own (CSP source expressions: scheme://host[:port])."""

    cognito: str
    # Where the browser posts photos (the presigned POST's URL) and loads them from (presigned GETs).
    uploads: Sequence[str]
    photos: Sequence[str]
    # The map tiles' host, e.g. https://*.tile.openstreetmap.org; None: a blank base (ward outlines only).
    tiles: str | None = None


def tile_source(tile_url: str | None) -> str | None:
    """The CSP source of a Leaflet tile URL template: its scheme and host, `{s}` as a wildcard label."""
    if not tile_url:
        return None
    match = re.match(r"^(https?://)([^/]+)", tile_url)
    if match is None:
        raise ValueError(f"tile URL must be http(s)://host/...: {tile_url!r}")
    host = re.sub(r"\{[a-z]+\}", "*", match.group(2))
    return match.group(1) + host


def content_security_policy(origins: WebOrigins) -> str:
    """No inline script, no eval, nothing from elsewhere but what the app calls and shows."""
    directives: dict[str, list[str]] = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *origins.photos, *([origins.tiles] if origins.tiles else [])],
        "connect-src": ["'self'", origins.cognito, *origins.uploads],
        "font-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(dict.fromkeys(sources))}" for name, sources in directives.items())


def security_headers(origins: WebOrigins) -> dict[str, str]:
    """The headers every web app's response carries (the CloudFront policy sets the same, by field)."""
    return {
        "Content-Security-Policy": content_security_policy(origins),
        "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": REFERRER_POLICY,
        "X-Frame-Options": FRAME_OPTIONS,
    }


def app_config(
    *, region: str, user_pool_id: Any, client_id: Any, cognito_endpoint: str | None, auth_flow: str,
    tile_url: str | None = None, tile_attribution: str | None = None,
) -> Mapping[str, Any]:
    """What each web app's config.json says (pool ids may be CDK tokens: s3deploy's json_data resolves them)."""
    return {
        "region": region,
        "userPoolId": user_pool_id,
        "clientId": client_id,
        "cognitoEndpoint": cognito_endpoint,
        "authFlow": auth_flow,
        "tileUrl": tile_url,
        "tileAttribution": tile_attribution,
    }
