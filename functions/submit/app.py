"""Citizen API: fields, filing a report, following it, and the public feed."""

from chalice import Chalice, Response

from phananh import reporting, web
from phananh.categories import all_categories
from phananh.entities import utcnow
from phananh.observability import count
from phananh.settings import get_settings
from phananh.store import (
    DirectoryStore,
    DynamoIdempotencyStore,
    DynamoRateLimitStore,
    DynamoReportStore,
)

app = Chalice(app_name="phananh-submit")
web.install(app)

STORES = reporting.Stores(
    reports=DynamoReportStore(),
    rate_limits=DynamoRateLimitStore(),
    idempotency=DynamoIdempotencyStore(),
    directory=DirectoryStore(),
)


@app.route("/categories", methods=["GET"])
@web.api_view
def list_categories():
    return {"categories": [category.to_public() for category in all_categories()]}


@app.route("/reports", methods=["POST"])
@web.api_view
def file_report():
    request = app.current_request
    caller = reporting.Caller(
        source_ip=request.context.get("identity", {}).get("sourceIp"),
        idempotency_key=request.headers.get("idempotency-key"),
    )
    receipt = reporting.submit_report(
        web.json_body(request.raw_body), caller,
        stores=STORES, settings=get_settings(), now=utcnow(),
    )
    count("ReportSubmitted")
    return Response(
        body=receipt,
        status_code=201,
        headers={"Location": f"/reports/{receipt['report_id']}", "Cache-Control": "no-store"},
    )


@app.route("/reports/{report_id}", methods=["GET"])
@web.api_view
def follow_report(report_id):
    request = app.current_request
    view = reporting.reporter_view(
        report_id, web.bearer_token(request.headers), stores=STORES, settings=get_settings()
    )
    return Response(body=view, headers={"Cache-Control": "no-store"})


@app.route("/public/reports", methods=["GET"])
@web.api_view
def public_reports():
    query = dict(app.current_request.query_params or {})
    return reporting.public_feed(query, stores=STORES, settings=get_settings())


@app.route("/public/reports/{report_id}", methods=["GET"])
@web.api_view
def public_report(report_id):
    return reporting.public_view(report_id, stores=STORES, settings=get_settings())
