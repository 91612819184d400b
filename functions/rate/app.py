"""Ratings, the reporter's rights over their data, and public scorecards: the reporter, holding the
tracking token, rates the result of a resolved report, withdraws consent to share the contact, erases
it, or downloads what is held about them; the scorecards are kept from the reports table's stream
and read per scope and day, as they are, as league tables and as monthly trends.

The rights live here rather than with the rest of the citizen API because the download decrypts the
contact: this app may already decrypt (for the reporter's pushes), the submit app may only encrypt."""

from chalice import Chalice, Response

from phananh import bootstrap
from phananh.adapters import events, web
from phananh.intake import reporter_rights
from phananh.report.model import utcnow
from phananh.shared.observability import count, count_by, measure
from phananh.shared.settings import get_settings
from phananh.transparency import league, rating, scorecards, trends

app = Chalice(app_name="phananh-rate")
web.install(app)

PORTS = bootstrap.ports()


@app.route("/reports/{report_id}/rating", methods=["POST"])
@web.api_view
def rate_report(report_id):
    request = app.current_request
    report = rating.rate(
        report_id, web.bearer_token(request.headers), web.json_body(request.raw_body), ports=PORTS, now=utcnow()
    )
    view = rating.rated_view(report)
    count("ReportRated")
    if view["reopened"]:
        count("ReportReopened")
    return web.private(view, status_code=201)


# The reporter's rights (Personal Data Protection Law): each answers with the consent as it now stands.
@app.route("/reports/{report_id}/contact/consent", methods=["DELETE"])
@web.api_view
def withdraw_contact_consent(report_id):
    answer = reporter_rights.withdraw_contact_consent(
        report_id, web.bearer_token(app.current_request.headers), ports=PORTS, now=utcnow()
    )
    return web.private(answer)


@app.route("/reports/{report_id}/contact", methods=["DELETE"])
@web.api_view
def erase_contact(report_id):
    answer = reporter_rights.erase_contact(
        report_id, web.bearer_token(app.current_request.headers), ports=PORTS, now=utcnow()
    )
    return web.private(answer)


@app.route("/reports/{report_id}/personal-data", methods=["GET"])
@web.api_view
def download_personal_data(report_id):
    held = reporter_rights.personal_data(
        report_id, web.bearer_token(app.current_request.headers), ports=PORTS, settings=get_settings(),
        now=utcnow(),
    )
    return web.private(held)


# The figures move with each report's change, and nobody needs them to the second.
PUBLIC_FIGURES_CACHE = {"Cache-Control": "public, max-age=300"}


def _public_figures(view, **extra) -> Response:
    """A public figures view's answer to this request's query, cached as PUBLIC_FIGURES_CACHE says."""
    body = view(web.query_params(app.current_request), ports=PORTS, now=utcnow(), **extra)
    return Response(body=body, headers=PUBLIC_FIGURES_CACHE)


@app.route("/public/scorecards", methods=["GET"])
@web.api_view
def public_scorecards():
    return _public_figures(scorecards.scorecards)


@app.route("/public/league", methods=["GET"])
@web.api_view
def public_league():
    return _public_figures(league.league, settings=get_settings())


@app.route("/public/trends", methods=["GET"])
@web.api_view
def public_trends():
    return _public_figures(trends.trends)


@app.on_dynamodb_record(stream_arn=events.REPORTS_STREAM_PLACEHOLDER, batch_size=100, starting_position="TRIM_HORIZON")
def count_report_changes(event):
    """Each change of a report adds to its unit's and field's scorecard, once per report version
    (a redelivered batch counts nothing twice)."""
    for record in event:
        new_image = events.stream_image(record.new_image)
        change = scorecards.increments(events.stream_image(record.old_image), new_image)
        # Metrics only for a change counted now, so a redelivered batch does not count twice.
        if change is not None and PORTS.scorecards.apply(change, scorecards.scopes_of(change), utcnow()):
            if change.counts.get("rating_count"):
                measure("SatisfactionScore", change.counts["rating_sum"])
            if change.counts.get("escalations"):
                count_by("Escalated", "level", str(new_image.get("escalation_level") or 0))
