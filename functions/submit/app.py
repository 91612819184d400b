"""Citizen API: fields, filing a report, following it, and the public feed; the same through
Open311 GeoReport v2; and the OpenAPI document of the whole base URL."""

from pathlib import Path

from chalice import Chalice, Response
from chalicelib import open311_routes

from phananh import bootstrap
from phananh.adapters import web
from phananh.intake import filing
from phananh.report.categories import all_categories
from phananh.report.model import utcnow
from phananh.shared.observability import count
from phananh.shared.settings import get_settings
from phananh.transparency import views, ward_map

app = Chalice(app_name="phananh-submit")
web.install(app)

PORTS = bootstrap.ports()


@app.route("/categories", methods=["GET"])
@web.api_view
def list_categories():
    return {"categories": [category.to_public() for category in all_categories()]}


@app.route("/reports", methods=["POST"])
@web.api_view
def file_report():
    request = app.current_request
    receipt = filing.submit_report(
        web.json_body(request.raw_body), web.caller(request, get_settings()),
        ports=PORTS, settings=get_settings(), now=utcnow(),
    )
    count("ReportSubmitted")
    return web.private(receipt, status_code=201, headers={"Location": f"/reports/{receipt['report_id']}"})


@app.route("/reports/{report_id}", methods=["GET"])
@web.api_view
def follow_report(report_id):
    request = app.current_request
    view = views.reporter_view(
        report_id, web.bearer_token(request.headers), ports=PORTS, settings=get_settings()
    )
    return web.private(view)


@app.route("/public/reports", methods=["GET"])
@web.api_view
def public_reports():
    query = web.query_params(app.current_request)
    return views.public_feed(query, ports=PORTS, settings=get_settings())


@app.route("/public/nearby", methods=["GET"])
@web.api_view
def public_nearby():
    request = app.current_request
    return views.public_nearby(
        web.query_params(request), web.caller(request, get_settings()), ports=PORTS, settings=get_settings(),
        now=utcnow(),
    )


@app.route("/public/reports/{report_id}", methods=["GET"])
@web.api_view
def public_report(report_id):
    return views.public_view(report_id, ports=PORTS, settings=get_settings())


# The wards change when a province redraws them (a deploy): browsers and the edge keep a day's copy,
# then ask again with the ETag.
WARDS_CACHE = "public, max-age=86400"


@app.route("/public/wards", methods=["GET"])
@web.api_view
def public_wards():
    outlines = ward_map.ward_map(get_settings().wards_geojson_path)
    headers = {"ETag": outlines.etag, "Cache-Control": WARDS_CACHE}
    if ward_map.matches(app.current_request.headers.get("if-none-match"), outlines.etag):
        return Response(body="", status_code=304, headers=headers)
    return Response(body=outlines.body, headers={**headers, "Content-Type": "application/json; charset=utf-8"})


# The document describes every app behind the one base URL (infra/edge-routes.json); it is data,
# read from the folder Chalice packages, and checked against the apps' routes by the tests.
OPENAPI_DOCUMENT = Path(__file__).parent / "chalicelib" / "openapi.json"


@app.route("/openapi.json", methods=["GET"])
def openapi_document():
    return Response(
        body=OPENAPI_DOCUMENT.read_text(encoding="utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300"},
    )


# Open311 GeoReport v2 over the same use cases, in its own routes.
app.register_blueprint(open311_routes.blueprint(PORTS), url_prefix=open311_routes.BASE_PATH)
