"""Property-based fuzz of every parameter of every route: hypothesis draws hostile values by class
(Unicode digits, huge and negative numbers, floats and NaN, lone surrogates, noncharacters and
controls, direction overrides, invisible-only text, line breaks in one-line fields, very long
strings, deep nesting, wrong JSON types) for each path parameter, query parameter and body field,
and sends them through the edge gateway to the five apps on moto.

Every answer is a 4xx in the route's error shape, never a 5xx; the few parameters where any value is
valid-but-unknown (documented in ACCEPTS_ANY) may answer 2xx; and no refused request writes anything
(every table, the bucket and the queues counted before and after each route).

The routes and their valid inputs come from tests/resilience/test_bad_input.py, which enumerates
them from the Chalice apps; QUERY_PARAMETERS adds the query parameters that corpus does not name.
"""

import json
from urllib.parse import quote

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_flows import routed_report
from resilience.test_bad_input import COORDINATOR, OPEN_DATA_FILTERS, OWNER, ROUTES, app_routes, footprint
from sign_ins import bearer

# Examples per route: ~40 routes stay within about a minute of `make test` together.
EXAMPLES_PER_ROUTE = 12
QUERY_PARAMETERS = {
    ("submit", "GET", "/public/reports"): ("ward", "category", "status", "limit", "cursor", "from", "to", "overdue"),
    ("submit", "GET", "/public/open-data/reports.csv"): OPEN_DATA_FILTERS,
    ("submit", "GET", "/public/open-data/reports.geojson"): OPEN_DATA_FILTERS,
    ("submit", "GET", "/public/nearby"): ("lat", "lon", "category", "radius_m"),
    ("submit", "GET", "/open311/v2/services.json"): ("jurisdiction_id",),
    ("submit", "GET", "/open311/v2/services/{service_file}"): ("jurisdiction_id",),
    ("submit", "GET", "/open311/v2/requests.json"): (
        "service_code", "status", "start_date", "end_date", "page", "page_size", "service_request_id",
        "jurisdiction_id",
    ),
    ("submit", "GET", "/open311/v2/requests.xml"): ("service_code", "status", "page", "page_size", "start_date"),
    ("submit", "GET", "/open311/v2/requests/{request_file}"): ("jurisdiction_id",),
    ("handle", "GET", "/officer/reports"): ("status", "limit", "cursor", "unit_id"),
    ("handle", "GET", "/officer/templates"): ("category",),
    ("handle", "GET", "/officer/queue"): ("limit", "cursor", "unit_id"),
    ("handle", "GET", "/officer/team"): ("unit_id",),
    ("handle", "GET", "/officer/escalations"): ("unit_id",),
    ("rate", "GET", "/public/scorecards"): ("period",),
    ("rate", "GET", "/public/league"): ("period",),
    ("rate", "GET", "/public/trends"): ("months", "unit", "category"),
    ("handle", "GET", "/coordinator/export/reports.csv"): ("status", "category", "ward_code", "unit_id", "from", "to"),
    ("handle", "GET", "/coordinator/dashboard"): ("days",),
}
# Parameters where any value names something that may just not exist: a 2xx is the right answer.
# (GeoReport: ids that name nothing give an empty list; no jurisdiction is configured here.)
ACCEPTS_ANY = {"service_request_id", "jurisdiction_id"}
# Body fields that are one line of text (names, ids, addresses), beyond the corpus's "id" kind.
SINGLE_LINE = {"device_id", "address", "full_name"}

UNICODE_DIGITS = st.text(
    alphabet=st.characters(categories=["Nd", "No"], exclude_characters="0123456789"), min_size=1, max_size=6
)
HUGE_INTS = st.one_of(st.integers(min_value=10**12, max_value=10**60), st.integers(max_value=-1))
FLOATS = st.floats(allow_nan=True, allow_infinity=True).filter(lambda value: not float(value).is_integer())
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
NONCHARACTERS = st.sampled_from(["\uffff", "\ufffe", "\ufdd0", "\U0001fffe", "\U0010ffff"])
CONTROLS = st.characters(categories=["Cc"], exclude_characters="\n\t")
BIDI = st.sampled_from(list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))
INVISIBLE = st.text(alphabet=st.sampled_from(list("\u200b\u2060\u3164\u00ad\ufeff\u115f\u1160\uffa0\u2800 ")),
                    min_size=1, max_size=12).filter(lambda text: text.strip())
LINE_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b"])
VISIBLE = st.text(alphabet="Ổ gà lớn trước chợ", min_size=1, max_size=12)


def _inserted(bad: st.SearchStrategy) -> st.SearchStrategy:
    """A hostile character inside otherwise ordinary Vietnamese text."""
    return st.tuples(VISIBLE, bad, VISIBLE).map("".join)


LONG = st.builds(lambda char, size: char * size, st.sampled_from(["x", "ạ", "😀"]), st.integers(5_000, 12_000))
HOSTILE_TEXT = st.one_of(
    _inserted(SURROGATES), _inserted(NONCHARACTERS), _inserted(CONTROLS), _inserted(BIDI), INVISIBLE, LONG,
)
WRONG_TYPES = st.sampled_from([[], {}, ["a"], {"$ne": None}, {"$gt": ""}, True, False])
NESTING = st.integers(min_value=20, max_value=8_000)


def hostile_body_value(kind: str, field: str) -> st.SearchStrategy:
    """Values this field must refuse, by its kind; ("nested", depth) stands for deep nesting."""
    nested = NESTING.map(lambda depth: ("nested", depth))
    if kind == "int":
        return st.one_of(UNICODE_DIGITS, HUGE_INTS, FLOATS, HOSTILE_TEXT, WRONG_TYPES, nested)
    if kind == "bool":
        return st.one_of(UNICODE_DIGITS, HUGE_INTS, FLOATS, HOSTILE_TEXT, st.sampled_from([[], {}, "true", 1]),
                         nested)
    if kind == "scalar":  # Open311 takes any single value, as forms do; lists, objects and bad text are refused
        return st.one_of(HOSTILE_TEXT, st.sampled_from([[], {"$ne": None}, ["a"]]), nested)
    text = HOSTILE_TEXT
    if kind == "id" or field in SINGLE_LINE:
        text = st.one_of(text, _inserted(LINE_BREAKS), UNICODE_DIGITS)
    return st.one_of(text, HUGE_INTS, FLOATS, WRONG_TYPES, nested)


# In a URL, "very long" stops below what a gateway takes at all (API Gateway: about 10 KB of URL).
LONG_IN_URL = st.builds(lambda char, size: char * size, st.sampled_from(["x", "ạ", "😀", "9"]), st.integers(300, 600))
HOSTILE_PARAMETER = st.one_of(
    UNICODE_DIGITS, HUGE_INTS.map(str), FLOATS.map(str), st.just("NaN"), LONG_IN_URL, _inserted(LINE_BREAKS),
    _inserted(SURROGATES), _inserted(NONCHARACTERS), _inserted(CONTROLS), _inserted(BIDI), INVISIBLE,
)


def encoded(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def body_with(valid: dict, field: str, value) -> str:
    if isinstance(value, tuple) and value[0] == "nested":
        depth = value[1]
        nested = "[" * depth + "]" * depth
        rest = json.dumps({name: other for name, other in valid.items() if name != field}, ensure_ascii=True)
        return '{"' + field + '": ' + nested + ("," + rest[1:] if len(rest) > 2 else "}")
    # allow_nan: NaN and Infinity are what a careless client sends; ensure_ascii keeps lone surrogates as escapes.
    return json.dumps({**valid, field: value}, ensure_ascii=True, allow_nan=True)


def clean_refusal(path: str, response) -> str | None:
    """Why the answer is not a clean refusal, or None."""
    if not 400 <= response.status_code < 500:
        return f"status {response.status_code}"
    if path.startswith("/open311/"):
        if response.headers.get("Content-Type", "").startswith("text/xml"):
            from xml.etree import ElementTree

            root = ElementTree.fromstring(response.content)  # noqa: S314 - our own server's answer
            ok = root.tag == "errors" and root.find("error/code") is not None
        else:
            body = response.json()
            ok = isinstance(body, list) and body[0].get("code") == response.status_code and body[0].get("description")
        return None if ok else f"not a GeoReport error: {response.text[:160]!r}"
    body = response.json()
    if isinstance(body.get("code"), str) and set(body.get("message", {})) == {"vi", "en"}:
        return None
    return f"not our error shape: {response.text[:160]!r}"


def fuzz_route(route, inputs, *, send, target: dict, headers: dict, failures: list[str]) -> None:
    """Hypothesis's examples for one route: each picks one parameter and a hostile value for it."""
    _, method, template = route
    query_names = QUERY_PARAMETERS.get(route, inputs.query)
    body_fields = {**dict.fromkeys(inputs.valid, "text"), **inputs.body} if inputs.body else {}
    targets = [("path", name) for name in inputs.path] + [("query", name) for name in query_names]
    targets += [("body", name) for name in body_fields]
    if not targets:
        return

    @settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def one_request(data):
        where, name = data.draw(st.sampled_from(targets), label="parameter")
        strategy = hostile_body_value(body_fields[name], name) if where == "body" else HOSTILE_PARAMETER
        value = data.draw(strategy, label="value")
        path = template
        for other in inputs.path:
            given_value = target[other]
            if where == "path" and other == name:
                # Open311 ids carry their format: keep one, so the value reaches the lookup.
                given_value = encoded(value) + (".json" if template.startswith("/open311/") else "")
            path = path.replace("{" + other + "}", given_value)
        if where == "query":
            path += f"?{name}={encoded(value)}"
        if where == "body":
            body = body_with(inputs.valid, name, value)
        else:
            body = json.dumps(inputs.valid) if inputs.body else None
        response = send(method, path, headers, body)
        if where != "body" and name in ACCEPTS_ANY and 200 <= response.status_code < 300:
            return
        problem = clean_refusal(template, response)
        if problem:
            failures.append(f"{method} {template} {where} {name}={str(value)[:40]!r}: {problem}")

    one_request()


def test_every_parameter_of_every_route_refuses_hostile_values(aws, submit_api, route_api, edge, unthrottled):
    owned = routed_report(aws, submit_api, route_api)
    target = {
        "report_id": owned["report_id"], "category_code": "roads", "ward_code": "31321", "unit_id": "so_xay_dung",
        "officer_id": OWNER, "service_file": "PA-ROADS.json", "request_file": f"{owned['report_id']}.json",
        "token_file": "token.json",
    }
    headers_by_auth = {
        "none": {}, "officer": bearer(OWNER), "coordinator": bearer(COORDINATOR),
        "tracking": {"Authorization": f"Bearer {owned['tracking_token']}"},
        # DELETE /public/follows takes only its token (the corpus breaks it): nothing here to fuzz.
        "follow": {},
    }
    assert set(QUERY_PARAMETERS) <= app_routes()
    http = requests.Session()
    failures: list[str] = []
    sent = []

    def send(method, path, headers, body):
        sent.append(path)
        return http.request(method, edge + path, headers=headers, data=body, timeout=30)

    for route, inputs in ROUTES.items():
        before = footprint(aws)
        headers = {"Content-Type": "application/json", **headers_by_auth[inputs.auth]}
        fuzz_route(route, inputs, send=send, target=target, headers=headers, failures=failures)
        after = footprint(aws)
        if after != before:
            changed = {key: (before[key], after.get(key)) for key in before if before[key] != after.get(key)}
            failures.append(f"{route[1]} {route[2]}: refused requests wrote {changed}")

    assert failures == [], "\n".join(failures)
    assert len(sent) >= 5 * len(ROUTES)
