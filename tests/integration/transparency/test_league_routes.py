"""GET /public/league and /public/trends (rate app) and GET /public/nearby (submit app) on moto: real
changes reach the tables through the stream, the answers are what openapi.json documents, and the
nearby search is rate-limited per caller address."""

import json

import pytest
from jsonschema import Draft202012Validator
from report_flows import doubled_stream_pollers, resolved_and_rated, routed_report

from phananh.processing.principal import Principal
from phananh.shared.settings import get_settings
from phananh_local.apps import FUNCTIONS_DIR

OFFICER = Principal("so_xay_dung.officer", "so_xay_dung", frozenset({"officer"}))


def documented(path: str, status: str = "200") -> Draft202012Validator:
    document = json.loads((FUNCTIONS_DIR / "submit" / "chalicelib" / "openapi.json").read_text(encoding="utf-8"))
    schema = document["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]
    return Draft202012Validator({**schema, "components": document["components"]})


def assert_documented(path: str, response) -> None:
    errors = [error.message for error in documented(path, str(response.status_code)).iter_errors(response.json_body)]
    assert errors == [], (path, errors)


def test_a_resolved_report_shows_in_the_league_listed_not_ranked_and_in_the_trends(
        aws, submit_api, route_api, rate_api):
    pollers = doubled_stream_pollers(aws)
    resolved_and_rated(aws, submit_api, route_api, rate_api, OFFICER, score=4)
    for poller in pollers:
        assert poller.poll_once() > 0

    answer = rate_api.http.get("/public/league?period=90")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "public, max-age=300"
    assert_documented("/public/league", answer)
    body = answer.json_body
    assert body["min_resolved"] == 20 and body["method"]["ranked_by"] == "on_time_ci95.low"
    unit = next(row for row in body["units"] if row["unit_id"] == "so_xay_dung")
    assert (unit["resolved"], unit["resolved_on_time"], unit["ranked"], unit["rank"]) == (1, 1, False, None)
    assert unit["on_time_ci95"] == {"low": 20.7, "high": 100.0}
    assert unit["satisfaction"] == {"average": 4.0, "count": 1}

    for query in ("", "?unit=so_xay_dung", "?category=roads&months=3"):
        trend = rate_api.http.get("/public/trends" + query)
        assert trend.status_code == 200, trend.body
        assert_documented("/public/trends", trend)
        months = trend.json_body["months"]
        assert months[-1]["resolved"] == 1 and months[-1]["satisfaction_average"] == 4.0
        assert len(months) == (3 if "months=3" in query else 12)
    assert rate_api.http.get("/public/trends").json_body["scope"] == {"kind": "province", "code": None, "name": None}


@pytest.mark.parametrize(("query", "code"), [
    ("?unit=nobody_here", "unknown_unit"), ("?unit=so_xay_dung&category=roads", "invalid_scope"),
    ("?category=nothing", "unknown_category"), ("?months=25", "invalid_months"), ("?months=0", "invalid_months"),
])
def test_trends_refuse_what_names_nothing(rate_api, query, code):
    answer = rate_api.http.get("/public/trends" + query)
    assert answer.status_code == 400 and answer.json_body["code"] == code


def test_nearby_lists_the_open_reports_of_the_field_nearest_first(aws, submit_api, route_api):
    near = routed_report(aws, submit_api, route_api, location={"lat": 9.7792, "lon": 105.4701})
    routed_report(aws, submit_api, route_api, category="lighting", location={"lat": 9.7792, "lon": 105.4701})
    far = routed_report(aws, submit_api, route_api, location={"lat": 9.7810, "lon": 105.4701})  # ~210 m

    answer = submit_api.http.get("/public/nearby?lat=9.779&lon=105.47&category=roads")
    assert answer.status_code == 200, answer.body
    assert_documented("/public/nearby", answer)
    assert [(item["report_id"], item["distance_m"]) for item in answer.json_body["reports"]] == [
        (near["report_id"], 25),
    ]
    wider = submit_api.http.get("/public/nearby?lat=9.779&lon=105.47&category=roads&radius_m=300").json_body
    assert [item["report_id"] for item in wider["reports"]] == [near["report_id"], far["report_id"]]


def test_nearby_is_rate_limited_per_address(aws, submit_api, monkeypatch):
    monkeypatch.setenv("PHANANH_NEARBY_BUCKET_CAPACITY", "2")
    get_settings.cache_clear()
    path = "/public/nearby?lat=9.779&lon=105.47&category=roads"
    answers = [submit_api.http.get(path) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert int(answers[2].headers["Retry-After"]) >= 1
    assert_documented("/public/nearby", answers[2])
