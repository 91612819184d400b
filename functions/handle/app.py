"""Officer and coordinator API: work queues, acknowledge, progress, resolve, transfer, moderate.

Every route needs a Cognito ID token. API Gateway's authorizer checks it in the cloud (the local
gateway does the same); each handler verifies it again and looks the officer up, so nothing here
trusts a token it has not checked itself.
"""

from dataclasses import asdict
from typing import Any

from chalice import Chalice, CognitoUserPoolAuthorizer, Response

from phananh import bootstrap
from phananh.adapters import web
from phananh.processing import administration, commands, onboarding, oversight, worklists
from phananh.processing.sign_in import authenticate, profile
from phananh.processing.templates import templates_for
from phananh.report.model import utcnow
from phananh.shared.observability import count
from phananh.shared.settings import get_settings
from phananh.shared.text_policy import whole_number
from phananh.transparency import rating

app = Chalice(app_name="phananh-handle")
web.install(app)

# The pool's ARN is filled in by the CDK app (see infra/cdk/phananh_cdk/app_stack.py).
officers = CognitoUserPoolAuthorizer(
    "officers", provider_arns=["arn:aws:cognito-idp:ap-southeast-1:000000000000:userpool/set-by-cdk"]
)

PORTS = bootstrap.ports()


def _principal():
    return authenticate(app.current_request.headers.get("authorization"), ports=PORTS)


def _body() -> dict[str, Any]:
    return web.json_object(app.current_request.raw_body or b"{}")


def _changed(report, principal) -> Response:
    """The reply to a command: the report as its officer now sees it."""
    return web.private(commands.officer_view(report, principal, ports=PORTS, settings=get_settings()))


def _common(body: dict[str, Any]) -> dict[str, Any]:
    """What every command takes besides its own fields: the version the officer saw, and the wiring."""
    return {
        "expected_version": body.get("version"),
        "ports": PORTS, "now": utcnow(),
    }


@app.route("/officer/me", methods=["GET"], authorizer=officers)
@web.api_view
def who_am_i():
    return profile(_principal(), directory=PORTS.directory)


@app.route("/officer/reports", methods=["GET"], authorizer=officers)
@web.api_view
def work_queue():
    query = web.query_params(app.current_request)
    return commands.unit_queue(
        _principal(), unit_id=query.get("unit_id"), status=query.get("status", "ASSIGNED"),
        cursor=query.get("cursor"), ports=PORTS, now=utcnow(), limit=_queue_limit(query),
    )


def _queue_limit(query: dict[str, str], highest: int = commands.QUEUE_LIMIT_MAX) -> int | None:
    limit = query.get("limit")
    return None if limit is None else whole_number(limit, "limit", lowest=1, highest=highest, code="invalid_limit")


@app.route("/officer/reports/{report_id}", methods=["GET"], authorizer=officers)
@web.api_view
def report_detail(report_id):
    # Why the reporter's contact is opened (coordinators must say; the view is recorded).
    purpose = web.query_params(app.current_request).get("purpose")
    view = commands.report_detail(
        _principal(), report_id, purpose=purpose, ports=PORTS, settings=get_settings(), now=utcnow()
    )
    return web.private(view)


@app.route("/officer/reports/{report_id}/acknowledge", methods=["POST"], authorizer=officers)
@web.api_view
def acknowledge(report_id):
    body, principal = _body(), _principal()
    report = commands.acknowledge(principal, report_id, note=body.get("note"), **_common(body))
    count("ReportAcknowledged")
    return _changed(report, principal)


@app.route("/officer/reports/{report_id}/progress", methods=["POST"], authorizer=officers)
@web.api_view
def add_progress(report_id):
    body, principal = _body(), _principal()
    return _changed(commands.add_progress(principal, report_id, body.get("note"), **_common(body)), principal)


@app.route("/officer/reports/{report_id}/resolve", methods=["POST"], authorizer=officers)
@web.api_view
def resolve(report_id):
    body, principal = _body(), _principal()
    report, uploads = commands.resolve(
        principal, report_id, body.get("note"), photo_count=body.get("photo_count", 0), **_common(body)
    )
    count("ReportResolved")
    view = commands.officer_view(report, principal, ports=PORTS, settings=get_settings())
    return web.private({"report": view, "uploads": [upload.to_dict() for upload in uploads]})


@app.route("/officer/reports/{report_id}/questions", methods=["POST"], authorizer=officers)
@web.api_view
def ask_reporter(report_id):
    body, principal = _body(), _principal()
    report = commands.ask_reporter(
        principal, report_id, body.get("text"), photo_requested=body.get("photo_requested", False),
        pause_working_days=get_settings().question_pause_working_days, **_common(body),
    )
    count("ReporterAsked")
    return web.private(commands.officer_view(report, principal, ports=PORTS, settings=get_settings()), status_code=201)


@app.route("/officer/reports/{report_id}/transfer", methods=["POST"], authorizer=officers)
@web.api_view
def transfer(report_id):
    body, principal = _body(), _principal()
    to_unit_id = commands.transfer_destination(body.get("to_unit_id"), body.get("not_ours"))
    report = commands.transfer(
        principal, report_id, body.get("reason"), to_unit_id=to_unit_id, **_common(body)
    )
    count("ReportTransferred")
    return web.private(commands.handed_over_view(report, principal, ports=PORTS, settings=get_settings()))


@app.route("/officer/templates", methods=["GET"], authorizer=officers)
@web.api_view
def response_templates():
    _principal()
    category = web.query_params(app.current_request).get("category", "")
    return {"category": category, "templates": templates_for(category)}


@app.route("/officer/queue", methods=["GET"], authorizer=officers)
@web.api_view
def open_queue():
    query = web.query_params(app.current_request)
    return worklists.unit_open_queue(
        _principal(), unit_id=query.get("unit_id"), cursor=query.get("cursor"),
        limit=_queue_limit(query, worklists.QUEUE_LIMIT_MAX), ports=PORTS, now=utcnow(),
    )


@app.route("/officer/reports/{report_id}/assignee", methods=["POST"], authorizer=officers)
@web.api_view
def assign_officer(report_id):
    body, principal = _body(), _principal()
    report = commands.assign_officer(
        principal, report_id, commands.named_officer(body), note=body.get("note"),
        **_common(body),
    )
    return _changed(report, principal)


@app.route("/officer/team", methods=["GET"], authorizer=officers)
@web.api_view
def team():
    query = web.query_params(app.current_request)
    return worklists.team_workload(_principal(), unit_id=query.get("unit_id"), ports=PORTS, now=utcnow())


@app.route("/officer/escalations", methods=["GET"], authorizer=officers)
@web.api_view
def escalations():
    query = web.query_params(app.current_request)
    return worklists.unit_escalations(_principal(), unit_id=query.get("unit_id"), ports=PORTS, now=utcnow())


@app.route("/officer/units", methods=["GET"], authorizer=officers)
@web.api_view
def transfer_units():
    _principal()
    return worklists.transfer_choices(ports=PORTS)


@app.route("/coordinator/reports/{report_id}/assign", methods=["POST"], authorizer=officers)
@web.api_view
def assign(report_id):
    body, principal = _body(), _principal()
    report = commands.assign(
        principal, report_id, body.get("unit_id"), reason=body.get("reason"), **_common(body)
    )
    return _changed(report, principal)


@app.route("/coordinator/reports/{report_id}/reject", methods=["POST"], authorizer=officers)
@web.api_view
def reject(report_id):
    body, principal = _body(), _principal()
    report = commands.reject(principal, report_id, body.get("grounds"), body.get("reason"), **_common(body))
    count("ReportRejected")
    return _changed(report, principal)


@app.route("/coordinator/reports/{report_id}/merge", methods=["POST"], authorizer=officers)
@web.api_view
def merge(report_id):
    body, principal = _body(), _principal()
    report = commands.merge(principal, report_id, body.get("master_id"), reason=body.get("reason"), **_common(body))
    count("ReportMerged")
    return _changed(report, principal)


@app.route("/coordinator/reports/{report_id}/publish", methods=["POST"], authorizer=officers)
@web.api_view
def publish(report_id):
    body, principal = _body(), _principal()
    report = commands.publish(principal, report_id, note=body.get("note"), **_common(body))
    count("ReportPublished")
    return _changed(report, principal)


@app.route("/coordinator/reports/{report_id}/unpublish", methods=["POST"], authorizer=officers)
@web.api_view
def unpublish(report_id):
    body, principal = _body(), _principal()
    report = commands.unpublish(principal, report_id, body.get("reason"), **_common(body))
    count("ReportUnpublished")
    return _changed(report, principal)


@app.route("/coordinator/moderation", methods=["GET"], authorizer=officers)
@web.api_view
def review_queue():
    query = web.query_params(app.current_request)
    view = commands.review_queue(_principal(), cursor=query.get("cursor"), limit=_queue_limit(query), ports=PORTS)
    return web.private(view)


@app.route("/coordinator/rules/{category_code}", methods=["GET"], authorizer=officers)
@web.api_view
def routing_rules(category_code):
    rules = administration.rules_of(_principal(), category_code, ports=PORTS)
    return {"category_code": category_code, "rules": rules}


@app.route("/coordinator/rules/{category_code}/{ward_code}", methods=["PUT"], authorizer=officers)
@web.api_view
def set_routing_rule(category_code, ward_code):
    rules = administration.put_rule(
        _principal(), category_code, ward_code, _body().get("unit_id"),
        ports=PORTS, settings=get_settings(),
    )
    return {"category_code": category_code, "rules": rules}


@app.route("/coordinator/rules/{category_code}/{ward_code}", methods=["DELETE"], authorizer=officers)
@web.api_view
def delete_routing_rule(category_code, ward_code):
    rules = administration.delete_rule(
        _principal(), category_code, ward_code, ports=PORTS, settings=get_settings()
    )
    return {"category_code": category_code, "rules": rules}


@app.route("/coordinator/units/{unit_id}", methods=["GET"], authorizer=officers)
@web.api_view
def unit_detail(unit_id):
    return administration.unit_with_officers(_principal(), unit_id, ports=PORTS)


@app.route("/coordinator/units/{unit_id}", methods=["PUT"], authorizer=officers)
@web.api_view
def put_unit(unit_id):
    unit = administration.put_unit(_principal(), unit_id, _body(), ports=PORTS, settings=get_settings())
    return asdict(unit)


@app.route("/coordinator/officers/{officer_id}", methods=["PUT"], authorizer=officers)
@web.api_view
def put_officer(officer_id):
    officer = administration.put_officer(
        _principal(), officer_id, _body(), ports=PORTS, now=utcnow()
    )
    return administration.officer_view(officer)


@app.route("/coordinator/officers/{officer_id}", methods=["DELETE"], authorizer=officers)
@web.api_view
def remove_officer(officer_id):
    administration.remove_officer(_principal(), officer_id, ports=PORTS)
    return Response(body="", status_code=204)


@app.route("/coordinator/reports/{report_id}/rating/hide", methods=["POST"], authorizer=officers)
@web.api_view
def hide_rating_comment(report_id):
    body, principal = _body(), _principal()
    report = rating.hide_comment(principal, report_id, body.get("reason"), ports=PORTS, now=utcnow())
    return _changed(report, principal)


# The coordinators' console: the directory, bulk import, and the views across every unit.


@app.route("/coordinator/units", methods=["GET"], authorizer=officers)
@web.api_view
def directory_units():
    return web.private(administration.units_with_officers(_principal(), ports=PORTS))


@app.route("/coordinator/import", methods=["POST"], authorizer=officers)
@web.api_view
def import_directory():
    principal = _principal()
    body = web.json_object(app.current_request.raw_body, onboarding.BODY_MAX_BYTES)
    return web.private(
        onboarding.import_directory(principal, body, ports=PORTS, settings=get_settings(), now=utcnow())
    )


@app.route("/coordinator/export/reports.csv", methods=["GET"], authorizer=officers)
@web.api_view
def export_reports():
    text = oversight.export_reports(
        _principal(), web.query_params(app.current_request), ports=PORTS, now=utcnow()
    )
    return web.private(text, headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="reports.csv"',
    })


@app.route("/coordinator/dashboard", methods=["GET"], authorizer=officers)
@web.api_view
def dashboard():
    days = web.query_params(app.current_request).get("days")
    return web.private(oversight.dashboard(_principal(), days=days, ports=PORTS, now=utcnow()))


@app.route("/coordinator/escalations", methods=["GET"], authorizer=officers)
@web.api_view
def escalations_board():
    return web.private(oversight.escalations(_principal(), ports=PORTS, now=utcnow()))
