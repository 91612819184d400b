"""The local edge's web apps on real files: what the cloud's bucket, behaviours and function answer."""

import json

import pytest

from phananh_cdk.web_apps import content_security_policy, security_headers
from phananh_local.web_sites import WebSite, local_web_sites

MOTO = "http://127.0.0.1:5005"


@pytest.fixture
def site(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>console</title>", encoding="utf-8")
    (tmp_path / "assets" / "index-4f2a.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path / "assets" / "index-9b1c.css").write_text("body{}", encoding="utf-8")
    (tmp_path.parent / "secret.txt").write_text("outside", encoding="utf-8")
    [console] = [site for site in local_web_sites(moto_endpoint=MOTO, region="ap-southeast-1", user_pool_id="pool",
                                                  client_id="client") if site.app.name == "console"]
    return WebSite(console.app, tmp_path, console.headers, console.config)


def test_files_with_their_types_and_cache_rules(site):
    status, headers, body = site.answer("GET", "/console/assets/index-4f2a.js")
    assert (status, headers["Content-Type"], body) == (200, "text/javascript; charset=utf-8", b"console.log(1)")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert site.answer("GET", "/console/assets/index-9b1c.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    status, headers, _ = site.answer("GET", "/console/")
    assert (status, headers["Content-Type"], headers["Cache-Control"]) == (200, "text/html; charset=utf-8", "no-cache")


@pytest.mark.parametrize("path", ["/console/", "/console/map", "/console/reports/r-01J9", "/console/sign-in"])
def test_screens_and_deep_links_are_the_index(site, path):
    assert site.answer("GET", path)[2] == b"<!doctype html><title>console</title>"


@pytest.mark.parametrize(
    "path", ["/console/assets/gone.js", "/console/../secret.txt", "/console/assets/../../secret.txt"]
)
def test_a_missing_file_or_one_outside_the_build_is_404(site, path):
    status, headers, _ = site.answer("GET", path)
    assert status == 404
    assert "Content-Security-Policy" in headers


def test_the_bare_prefix_redirects_and_only_reads_are_served(site):
    status, headers, _ = site.answer("GET", "/console")
    assert (status, headers["Location"]) == (301, "/console/")
    status, headers, _ = site.answer("POST", "/console/")
    assert (status, headers["Allow"]) == (405, "GET, HEAD")


def test_an_unbuilt_app_says_how_to_build_it(tmp_path, site):
    unbuilt = WebSite(site.app, tmp_path / "nothing", site.headers, site.config)
    status, _, body = unbuilt.answer("GET", "/console/queue")
    assert status == 404 and b"npm run build" in body


def test_the_site_at_the_root_serves_its_pages_and_files_and_nothing_else(tmp_path, site):
    from phananh_cdk.web_apps import site_app

    (tmp_path / "root" / "assets").mkdir(parents=True)
    (tmp_path / "root" / "index.html").write_text("<!doctype html><title>site</title>", encoding="utf-8")
    (tmp_path / "root" / "sw.js").write_text("self", encoding="utf-8")
    public = WebSite(site_app(), tmp_path / "root", site.headers, site.config)
    assert public.serves("/") and public.serves("/report/r-1") and public.serves("/sw.js")
    assert public.serves("/config.json")
    assert not public.serves("/nope") and not public.serves("/gone.js") and not public.serves("/console/x")
    assert public.answer("GET", "/mine/r-1")[2] == b"<!doctype html><title>site</title>"
    status, headers, body = public.answer("GET", "/sw.js")
    assert (status, headers["Cache-Control"], body) == (200, "no-cache", b"self")


def test_config_json_is_the_local_deployment(site):
    status, headers, body = site.answer("GET", "/console/config.json")
    assert (status, headers["Content-Type"], headers["Cache-Control"]) == (
        200, "application/json; charset=utf-8", "no-cache"
    )
    assert json.loads(body) == {
        "region": "ap-southeast-1", "userPoolId": "pool", "clientId": "client", "cognitoEndpoint": MOTO,
        "authFlow": "USER_PASSWORD_AUTH", "tileUrl": None, "tileAttribution": None,
    }


def test_every_answer_carries_the_cloud_headers(site):
    _, headers, _ = site.answer("GET", "/console/")
    assert {name: headers[name] for name in security_headers(_local_origins())} == security_headers(_local_origins())
    assert headers["Content-Security-Policy"] == content_security_policy(_local_origins())


def _local_origins():
    from phananh_cdk.web_apps import WebOrigins

    return WebOrigins(cognito=MOTO, uploads=[MOTO], photos=[MOTO])
