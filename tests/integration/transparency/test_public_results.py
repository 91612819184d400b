"""The public results through the submit app on moto: the feed's items and filters, a report's page with
its deadlines and officers' notes, and the open data (dictionary, CSV, GeoJSON); every JSON answer
checked against openapi.json's schema for it."""

import csv
import io
import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from report_flows import resolved_and_rated, routed_report

from phananh import bootstrap
from phananh.processing import commands
from phananh.processing.principal import Principal
from phananh.report.model import utcnow
from phananh.shared.clock import VIETNAM
from phananh.shared.settings import get_settings
from phananh.transparency import open_data
from phananh_local.apps import FUNCTIONS_DIR

OFFICER = Principal("so_xay_dung.officer", "so_xay_dung", frozenset({"officer"}))
DOCUMENT = json.loads((FUNCTIONS_DIR / "submit" / "chalicelib" / "openapi.json").read_text(encoding="utf-8"))
# The document's components as one JSON Schema resource, so that its $refs resolve.
_REGISTRY = Registry().with_resource("urn:openapi", Resource.from_contents(
    {"$schema": "https://json-schema.org/draft/2020-12/schema", **DOCUMENT}))


def conforms(path: str, body, media_type="application/json", status="200"):
    """`body` is what openapi.json says GET `path` answers with `status`."""
    schema = DOCUMENT["paths"][path]["get"]["responses"][status]["content"][media_type]["schema"]
    schema = json.loads(json.dumps(schema).replace('"#/components', '"urn:openapi#/components'))
    errors = [error.message for error in Draft202012Validator(schema, registry=_REGISTRY).iter_errors(body)]
    assert errors == [], errors[:3]
    return body


def get_json(api, path, template=None, status=200):
    response = api.http.get(path)
    assert response.status_code == status, response.body
    return conforms(template or path.split("?")[0], json.loads(response.body), status=str(status))


@pytest.fixture
def resolved(aws, submit_api, route_api, rate_api):
    receipt = resolved_and_rated(aws, submit_api, route_api, rate_api, OFFICER, score=4)
    return receipt["report_id"]


def test_the_feed_items_carry_the_place_owner_resolution_and_rating(aws, submit_api, route_api, resolved):
    waiting = routed_report(aws, submit_api, route_api, category="lighting")["report_id"]
    items = get_json(submit_api, "/public/reports")["reports"]
    by_id = {item["report_id"]: item for item in items}
    assert set(by_id) == {resolved, waiting}
    done = by_id[resolved]
    assert done["owner_unit"]["unit_id"] == "so_xay_dung" and done["rating_score"] == 4
    assert done["resolved_at"] and done["overdue"] is False
    assert done["location"] == {"lat": 9.779, "lon": 105.47} and done["location_rounded_to_m"] is None
    assert (by_id[waiting]["resolved_at"], by_id[waiting]["rating_score"]) == (None, None)

    today = utcnow().astimezone(VIETNAM).date().isoformat()
    assert len(get_json(submit_api, f"/public/reports?from={today}&to={today}")["reports"]) == 2
    assert get_json(submit_api, "/public/reports?from=2099-01-01")["reports"] == []
    assert get_json(submit_api, "/public/reports?to=2020-01-01")["reports"] == []
    assert len(get_json(submit_api, "/public/reports?overdue=false")["reports"]) == 2
    assert get_json(submit_api, "/public/reports?overdue=true")["reports"] == []


@pytest.mark.parametrize(("query", "code", "field"), [
    ("from=2026-02-30", "invalid_date", "from"),
    ("to=yesterday", "invalid_date", "to"),
    ("from=2026-03-02&to=2026-03-01", "invalid_range", "from"),
    ("overdue=1", "invalid_overdue", "overdue"),
])
@pytest.mark.parametrize("path", ["/public/reports", "/public/open-data/reports.csv",
                                  "/public/open-data/reports.geojson"])
def test_a_bad_filter_is_a_bilingual_400_naming_it(submit_api, path, query, code, field):
    body = get_json(submit_api, f"{path}?{query}", template=path, status=400)
    assert (body["code"], body["field"]) == (code, field) and set(body["message"]) == {"vi", "en"}


def test_a_reports_page_shows_its_deadlines_and_the_officers_notes(aws, submit_api, route_api):
    report_id = routed_report(aws, submit_api, route_api)["report_id"]
    ports = bootstrap.ports()
    commands.acknowledge(OFFICER, report_id, note="Tổ công tác sẽ đến", ports=ports, now=utcnow())
    commands.add_progress(OFFICER, report_id, "Đã khảo sát hiện trường", ports=ports, now=utcnow())
    page = get_json(submit_api, f"/public/reports/{report_id}", template="/public/reports/{report_id}")
    notes = [entry.get("note") for entry in page["timeline"]]
    assert notes[-2:] == ["Tổ công tác sẽ đến", "Đã khảo sát hiện trường"]
    assert page["deadlines"]["acknowledge"]["met"] is True and page["deadlines"]["acknowledge"]["done_at"]
    assert page["deadlines"]["resolve"] == {"due_at": page["resolve_due_at"], "done_at": None, "met": None}


def test_the_open_data_dictionary_names_every_column_once(submit_api):
    dictionary = get_json(submit_api, "/public/open-data")
    names = [column["name"] for column in dictionary["columns"]]
    assert names == list(open_data.COLUMN_NAMES) and len(set(names)) == len(names)
    assert dictionary["schema_version"] == 1
    assert {item["format"] for item in dictionary["formats"]} == {"csv", "geojson", "daily-snapshots"}
    for link in dictionary["open311"].values():
        assert submit_api.http.get(link).status_code == 200


def test_the_csv_and_geojson_hold_the_same_rows_and_read_in_a_spreadsheet(aws, submit_api, route_api, resolved):
    formula = routed_report(aws, submit_api, route_api, description="=HYPERLINK(\"http://x\") cống nghẹt",
                            location={"lat": 9.785, "lon": 105.47})["report_id"]
    response = submit_api.http.get("/public/open-data/reports.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="phananh-reports.csv"'
    assert "X-Open-Data-Truncated" not in response.headers
    assert response.body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.body.decode("utf-8-sig"), newline="")))
    # The newest published first (to the second: two routed in the same second may come either way).
    assert {row["report_id"] for row in rows} == {formula, resolved}
    assert [row["published_at"] for row in rows] == sorted((row["published_at"] for row in rows), reverse=True)
    by_id = {row["report_id"]: row for row in rows}
    assert by_id[formula]["description"].startswith("'=HYPERLINK") and by_id[resolved]["rating_score"] == "4"
    assert by_id[resolved]["category_name_vi"] and by_id[resolved]["overdue"] == "false"

    geo = submit_api.http.get("/public/open-data/reports.geojson")
    assert geo.headers["Content-Type"] == "application/geo+json"
    collection = conforms("/public/open-data/reports.geojson", json.loads(geo.body), "application/geo+json")
    assert collection["truncated"] is False
    features = {feature["id"]: feature for feature in collection["features"]}
    assert list(features) == [row["report_id"] for row in rows]
    assert features[resolved]["geometry"] == {"type": "Point", "coordinates": [105.47, 9.779]}
    assert list(features[resolved]["properties"]) == list(open_data.COLUMN_NAMES) == list(by_id[resolved])
    assert features[formula]["properties"]["description"].startswith("=HYPERLINK")  # only the CSV guards it

    only_lighting = submit_api.http.get("/public/open-data/reports.csv?category=lighting")
    assert only_lighting.body.decode("utf-8-sig").count("\r\n") == 1  # the header alone


def test_more_matches_than_the_most_rows_are_cut_and_flagged(aws, submit_api, route_api, monkeypatch):
    for _ in range(3):
        routed_report(aws, submit_api, route_api)
    monkeypatch.setenv("PHANANH_OPEN_DATA_MAX_ROWS", "2")
    get_settings.cache_clear()
    response = submit_api.http.get("/public/open-data/reports.csv")
    assert response.headers["X-Open-Data-Truncated"] == "true"
    assert response.body.decode("utf-8-sig").count("\r\n") == 3
    geo = json.loads(submit_api.http.get("/public/open-data/reports.geojson").body)
    assert geo["truncated"] is True and len(geo["features"]) == 2

