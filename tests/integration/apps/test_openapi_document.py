"""The OpenAPI document: served at /openapi.json, valid OpenAPI 3.1, and in step with the routes the
five Chalice apps really have, as the one base URL composes them (infra/edge-routes.json)."""

import json

import pytest
from openapi_spec_validator import validate

from phananh_local.apps import FUNCTIONS_DIR, load_chalice_app
from phananh_local.gateway import edge_routes

DOCUMENT_PATH = FUNCTIONS_DIR / "submit" / "chalicelib" / "openapi.json"
APPS = ("submit", "route", "handle", "schedule", "rate")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@pytest.fixture(scope="module")
def document():
    return json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))


def app_routes() -> dict[tuple[str, str], str]:
    """(METHOD, path) → the app that has the route."""
    routes = {}
    for name in APPS:
        for path, methods in load_chalice_app(name).app.routes.items():
            for method in methods:
                routes[(method, path)] = name
    return routes


def documented(document) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }


def serving_app(path: str) -> str:
    """The app the edge sends a path to, with sample values in the path's variables."""
    concrete = path.replace("{", "x").replace("}", "x")
    return next(
        app for prefix, suffix, app in edge_routes() if concrete.startswith(prefix) and concrete.endswith(suffix)
    )


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_route_is_documented_and_every_documented_route_exists(document):
    routes = set(app_routes())
    assert sorted(routes - documented(document)) == [], "routes missing from openapi.json"
    assert sorted(documented(document) - routes) == [], "openapi.json describes routes no app has"


def test_the_edge_sends_each_documented_path_to_the_app_that_has_it(document):
    routes = app_routes()
    for method, path in sorted(documented(document)):
        assert serving_app(path) == routes[(method, path)], f"{method} {path}"


def test_every_operation_documents_its_answers_and_path_variables(document):
    for path, item in document["paths"].items():
        for method in set(item) & set(METHODS):
            operation = item[method]
            assert operation.get("summary"), f"{method} {path} has no summary"
            assert operation["responses"], f"{method} {path} documents no response"
            declared = {param["name"] for param in operation.get("parameters", []) if param["in"] == "path"}
            variables = {part.strip("{}") for part in path.split("/") if part.startswith("{")}
            assert declared == variables, f"{method} {path}"
            # phananh.adapters.web.check_path_parameters refuses an over-long path parameter on every route.
            if variables:
                assert "400" in operation["responses"], f"{method} {path} does not document its 400"


def test_officer_routes_need_the_officer_token_and_public_ones_do_not(document):
    for path, item in document["paths"].items():
        for method in set(item) & set(METHODS):
            secured = "security" in item[method]
            assert secured == path.startswith(("/officer/", "/coordinator/")), f"{method} {path}"


def test_the_submit_app_serves_the_document(submit_api, document):
    response = submit_api.http.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.body) == document
