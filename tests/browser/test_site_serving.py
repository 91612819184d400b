"""How the local edge serves the public site at the root, seen from Chromium and plain HTTP: its pages
are its index.html with the security headers, its files are served with their cache rules, the site's
config.json is the deployment's, a path that is nothing gets the APIs' JSON 404, and the APIs beside it
are untouched."""

import json

import requests
from browser.harness import check_accessibility, page_record

from phananh_cdk.web_apps import ROUTE_NOT_FOUND, site_app
from phananh_local.web_sites import content_type

SECURITY_HEADERS = (
    "content-security-policy", "strict-transport-security", "x-content-type-options", "referrer-policy",
    "x-frame-options",
)


def test_the_site_loads_at_the_root_with_the_security_headers_and_no_csp_violation(page):
    response = page.goto("/")
    assert response.status == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    for name in SECURITY_HEADERS:
        assert name in response.headers, name
    page.wait_for_load_state("networkidle")
    check_accessibility(page, "site-root")
    assert page_record(page).csp_violations == []


def test_every_page_of_the_site_is_its_index(stack):
    index = requests.get(f"{stack.base_url}/", timeout=10).text
    pages = [page.replace("/*", "/r-01J9EXAMPLE") for page in site_app().pages]
    for path in [*pages, "/?view=list&category=roads", "/league?period=90"]:
        response = requests.get(f"{stack.base_url}{path}", timeout=10)
        assert (response.status_code, response.text) == (200, index), path


def test_the_built_files_are_served_with_their_cache_rules(stack, web_build):
    root = web_build / "site"
    built = [path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()
             and not path.relative_to(root).as_posix().startswith((".vite/", "index.html"))]
    assert any(name.startswith("assets/") for name in built)
    for name in built:
        response = requests.get(f"{stack.base_url}/{name}", timeout=10)
        assert response.status_code == 200, name
        assert response.headers["Content-Type"] == content_type(name), name
        immutable = name.startswith("assets/")
        assert (response.headers["Cache-Control"] == "public, max-age=31536000, immutable") == immutable, name


def test_the_sites_config_json_names_the_tiles(stack):
    response = requests.get(f"{stack.base_url}/config.json", timeout=10)
    assert response.headers["Cache-Control"] == "no-cache"
    assert {"tileUrl", "tileAttribution"} <= response.json().keys()


def test_what_is_neither_a_route_nor_a_page_nor_a_file_is_the_apis_json_404(stack):
    for path in ("/nope", "/report/", "/league/x/y", "/.vite/manifest.json", "/assets/none-such.js"):
        response = requests.get(f"{stack.base_url}{path}", timeout=10)
        assert response.status_code == 404, path
        assert json.loads(response.text) == ROUTE_NOT_FOUND, path
    assert requests.post(f"{stack.base_url}/new", timeout=10).status_code == 405


def test_the_apis_are_untouched_beside_the_site(stack):
    assert requests.get(f"{stack.base_url}/categories", timeout=10).json()["categories"]
    assert requests.get(f"{stack.base_url}/openapi.json", timeout=10).json()["openapi"].startswith("3.")
    assert requests.get(f"{stack.base_url}/public/reports", timeout=10).status_code == 200
    assert requests.get(f"{stack.base_url}/officer/reports", timeout=10).status_code == 401
