"""Citizen API: fields, filing a report, following it (the reporter with the tracking token, anyone's
device by push or e-mail address), and the public feed; the same through Open311 GeoReport v2; and the OpenAPI
document of the whole base URL."""

from pathlib import Path

from chalice import Chalice, Response
from chalicelib import open311_routes

from phananh import bootstrap
from phananh.adapters import web
from phananh.intake import answers, filing
from phananh.report.categories import all_categories
from phananh.report.model import utcnow
from phananh.shared.observability import count
from phananh.shared.settings import get_settings
from phananh.transparency import following, open_data, views, ward_map

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


@app.route("/reports/{report_id}/answers", methods=["POST"])
@web.api_view
def answer_question(report_id):
    request = app.current_request
    receipt = answers.answer_question(
        report_id, web.bearer_token(request.headers), web.json_object(request.raw_body or b""), ports=PORTS,
        now=utcnow(),
    )
    count("ReporterAnswered")
    return web.private(receipt, status_code=201)


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
    return views.public_view(report_id, ports=PORTS, settings=get_settings(), now=utcnow())


@app.route("/public/reports/{report_id}/follow", methods=["POST"])
@web.api_view
def follow_published_report(report_id):
    request = app.current_request
    follow = following.follow_report(
        report_id, web.json_object(request.raw_body), web.caller(request, get_settings()),
        ports=PORTS, settings=get_settings(), now=utcnow(),
    )
    count("ReportFollowed")
    # An e-mail follow waits for its address to confirm it: accepted, not yet made.
    return web.private(follow, status_code=202 if follow.get("pending") else 200)


@app.route("/public/follows/confirm", methods=["POST"])
@web.api_view
def confirm_follow():
    confirmed = following.confirm_follow(web.bearer_token(app.current_request.headers), ports=PORTS, now=utcnow())
    return web.private(confirmed)


@app.route("/public/follows", methods=["DELETE"])
@web.api_view
def unfollow_report():
    following.unfollow(web.bearer_token(app.current_request.headers), ports=PORTS)
    return Response(body="", status_code=204, headers={"Cache-Control": "no-store"})


# Open data: the dictionary of the published schema, and the published reports for any public filter.
# Public facts that change all day: the edge may keep a copy a minute.
OPEN_DATA_CACHE = "public, max-age=60"


@app.route("/public/open-data", methods=["GET"])
@web.api_view
def open_data_dictionary():
    return Response(body=open_data.dictionary(), headers={"Cache-Control": "public, max-age=3600"})


def _open_data_reply(body: str, media_type: str, filename: str, truncated: bool) -> Response:
    headers = {
        "Content-Type": media_type, "Cache-Control": OPEN_DATA_CACHE,
        "Content-Disposition": f'attachment; filename="{filename}"',
    }
    if truncated:
        headers["X-Open-Data-Truncated"] = "true"
    return Response(body=body, headers=headers)


@app.route("/public/open-data/reports.csv", methods=["GET"])
@web.api_view
def open_data_csv():
    found = open_data.extract(web.query_params(app.current_request), ports=PORTS, settings=get_settings(),
                              now=utcnow())
    return _open_data_reply(open_data.to_csv(found.rows), open_data.CSV_MEDIA_TYPE, "phananh-reports.csv",
                            found.truncated)


@app.route("/public/open-data/reports.geojson", methods=["GET"])
@web.api_view
def open_data_geojson():
    found = open_data.extract(web.query_params(app.current_request), ports=PORTS, settings=get_settings(),
                              now=utcnow())
    return _open_data_reply(open_data.geojson_text(found.rows, truncated=found.truncated),
                            open_data.GEOJSON_MEDIA_TYPE, "phananh-reports.geojson", found.truncated)


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
