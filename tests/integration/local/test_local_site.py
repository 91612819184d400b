"""The local edge composes the base URL as the distribution does (infra/edge-routes.json): the APIs'
routes first, then the daily open-data files from the snapshot bucket the deployment created, then the
site's pages and files at the root and the console under /console/; anything else is the APIs' JSON 404."""

import threading

import boto3
import pytest
import requests

from phananh_cdk.web_apps import ROUTE_NOT_FOUND, StaticApp, site_app, static_apps
from phananh_local.gateway import EdgeServer
from phananh_local.web_sites import WebSite

SITE_INDEX = b"<!doctype html><title>site</title>"
CONSOLE_INDEX = b"<!doctype html><title>console</title>"
HEADERS = {"Content-Security-Policy": "default-src 'self'", "X-Frame-Options": "DENY"}


def _built(root, index: bytes, files: dict[str, bytes]):
    root.mkdir(parents=True)
    (root / "index.html").write_bytes(index)
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return root


@pytest.fixture
def open_data_bucket(seeded):
    return seeded.environment["PHANANH_OPEN_DATA_BUCKET"]


@pytest.fixture
def base_url(seeded, cognito_keys, tmp_path, open_data_bucket):
    (console,) = [app for app in static_apps() if not app.at_root]
    site_files = {"assets/index-3f9a.js": b"console.log(1)", "sw.js": b"self.x=1", "manifest.webmanifest": b"{}",
                  "icons/icon-192.png": b"\x89PNG", "docs/api/swagger-ui.css": b"body{}",
                  ".vite/manifest.json": b"{}"}
    sites = [
        WebSite(site_app(), _built(tmp_path / "site", SITE_INDEX, site_files), HEADERS, b'{"tileUrl": null}'),
        WebSite(console, _built(tmp_path / "console", CONSOLE_INDEX, {"assets/app-1.js": b"1"}), HEADERS, b"{}"),
    ]
    server = EdgeServer("127.0.0.1", 0, quiet=True, sites=sites, open_data_bucket=open_data_bucket)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _get(base_url: str, path: str, **kwargs) -> requests.Response:
    return requests.get(base_url + path, timeout=10, allow_redirects=False, **kwargs)


@pytest.mark.parametrize("path", ["/", "/report/r-01J9ABC", "/league", "/league/method", "/data", "/new", "/mine",
                                  "/mine/r-01J9ABC", "/docs/api", "/?category=roads&view=list"])
def test_every_page_of_the_site_is_its_index(base_url, path):
    response = _get(base_url, path)
    assert (response.status_code, response.content) == (200, SITE_INDEX), path
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Security-Policy"] == HEADERS["Content-Security-Policy"]


@pytest.mark.parametrize(("path", "kind", "cache"), [
    ("/assets/index-3f9a.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"),
    ("/sw.js", "text/javascript; charset=utf-8", "no-cache"),
    ("/manifest.webmanifest", "application/manifest+json; charset=utf-8", "no-cache"),
    ("/icons/icon-192.png", "image/png", "no-cache"),
    ("/docs/api/swagger-ui.css", "text/css; charset=utf-8", "no-cache"),
    ("/config.json", "application/json; charset=utf-8", "no-cache"),
])
def test_the_sites_files_are_served_with_their_cache_rules(base_url, path, kind, cache):
    response = _get(base_url, path)
    assert response.status_code == 200, path
    assert (response.headers["Content-Type"], response.headers["Cache-Control"]) == (kind, cache)


def test_the_sites_config_is_the_deployments(base_url):
    assert _get(base_url, "/config.json").json() == {"tileUrl": None}


@pytest.mark.parametrize("path", ["/nope", "/league/", "/report/", "/reportx", "/favicon.ico", "/missing.js",
                                  "/.vite/manifest.json", "/assets/gone-1234.js", "/new/extra"])
def test_a_path_that_is_neither_a_route_nor_a_page_nor_a_file_is_the_apis_json_404(base_url, path):
    response = _get(base_url, path)
    assert response.status_code == 404, path
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == ROUTE_NOT_FOUND


def test_the_console_keeps_its_prefix_redirect_and_fallback(base_url):
    assert _get(base_url, "/console").headers["Location"] == "/console/"
    for path in ("/console/", "/console/reports/r-1"):
        assert _get(base_url, path).content == CONSOLE_INDEX
    assert _get(base_url, "/console/assets/app-1.js").content == b"1"


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/categories"),
    ("GET", "/openapi.json"),
    ("GET", "/public/reports"),
    ("GET", "/public/scorecards"),
    ("GET", "/open311/v2/services.json"),
    ("GET", "/reports/r-nope"),
    ("POST", "/reports"),
    ("POST", "/reports/r-nope/rating"),
    ("GET", "/officer/me"),
])
def test_the_apis_paths_still_reach_their_apps(base_url, method, path):
    response = requests.request(method, base_url + path, timeout=30, json={} if method == "POST" else None)
    assert response.headers["Content-Type"].startswith("application/json"), path
    # The app's own answer (a page, or its refusal of this bare request), never the edge's "no such path".
    answer = response.json()
    assert not (isinstance(answer, dict) and answer.get("code") == ROUTE_NOT_FOUND["code"]), (path, response.text[:300])
    assert response.content != SITE_INDEX


def test_the_rating_goes_to_the_rate_app(base_url):
    """/reports/{id}/rating is the rate app's: it names the token it wants, where the submit app has no such route."""
    from phananh_local.gateway import edge_routes

    assert ("/reports/", "/rating", "rate") in edge_routes()
    answer = requests.post(f"{base_url}/reports/r-nope/rating", json={"score": 5}, timeout=30,
                           headers={"Authorization": "Bearer not-a-token"})
    assert answer.status_code in (401, 403, 404) and answer.json()["code"] != ROUTE_NOT_FOUND["code"]


def test_open_data_files_are_read_from_the_snapshot_bucket_with_open_cors(base_url, open_data_bucket):
    s3 = boto3.client("s3")
    s3.put_object(Bucket=open_data_bucket, Key="open-data/index.json", Body=b'{"schema_version": 1, "days": []}',
                  ContentType="application/json", CacheControl="max-age=300")
    s3.put_object(Bucket=open_data_bucket, Key="open-data/daily/2026-12-01.csv", Body=b"report_id\nr-1\n",
                  ContentType="text/csv; charset=utf-8")
    try:
        index = _get(base_url, "/open-data/index.json")
        assert index.json() == {"schema_version": 1, "days": []}
        assert index.headers["Access-Control-Allow-Origin"] == "*"
        assert index.headers["Cache-Control"] == "max-age=300"
        day = _get(base_url, "/open-data/daily/2026-12-01.csv", headers={"Origin": "https://example.org"})
        assert (day.status_code, day.text) == (200, "report_id\nr-1\n")
        assert day.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert day.headers["Access-Control-Allow-Origin"] == "*"
    finally:
        s3.delete_object(Bucket=open_data_bucket, Key="open-data/index.json")
        s3.delete_object(Bucket=open_data_bucket, Key="open-data/daily/2026-12-01.csv")


@pytest.mark.parametrize("path", ["/open-data/daily/1999-01-01.csv", "/open-data/", "/open-data/daily/"])
def test_a_missing_open_data_file_is_the_json_404(base_url, path):
    response = _get(base_url, path)
    assert response.status_code == 404
    assert response.json() == ROUTE_NOT_FOUND
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_the_site_is_one_static_entry_at_the_root():
    site = site_app()
    assert isinstance(site, StaticApp) and site.name == "site" and site.path_prefix == "/"
    assert site.is_page("/") and site.is_page("/report/r-1") and not site.is_page("/report/")
