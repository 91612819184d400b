"""A corpus of bad requests thrown at every route of every app: malformed JSON, wrong types, huge
bodies, unicode edge cases (lone surrogates, NUL, right-to-left overrides), SQL/NoSQL injection in
identifiers and filters, wrong content types, forged and expired tokens, another unit's report.
Every answer is a 4xx in the one error shape, never a 5xx, and nothing is written (item counts of
every table, the bucket and the queues before and after).

The routes come from the Chalice app objects: a new route without an entry in ROUTES fails
`test_every_route_has_a_corpus`. Bodies of POST /reports and the token checks themselves are
covered case by case in tests/integration/test_submit_bad_input.py and test_auth.py; here every
route gets the same treatment.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

import boto3
import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from fakes import FCM_TOKEN
from moto.cognitoidp.models import cognitoidp_backends
from moto.core import DEFAULT_ACCOUNT_ID
from report_flows import routed_report
from sign_ins import bearer

from phananh.shared.settings import get_settings
from phananh_local.apps import load_chalice_app

APPS = ("submit", "handle", "rate", "route", "schedule")
OWNER, OTHER_UNIT, COORDINATOR = "so_xay_dung.officer", "ubnd_31321.officer", "ban_dieu_phoi.coordinator1"

INJECTIONS = ["' OR '1'='1' --", '{"$ne": null}', "../../etc/passwd", "\u202eevil\u202c", "PA\u0000261123",
              "\ud800", "x" * 300]
# Values of the wrong JSON type for each kind of field (Open311 takes any scalar, as forms do).
BAD_VALUES = {
    "text": [[], 12345, {"$gt": ""}, "a\u0000b", "\u0007bell", "\ud800"],
    "id": [12345, {"$ne": None}, "' OR '1'='1' --", "\u202eevil\u202c", "\ud800"],
    "int": ["1", 1.5, True, -1],
    "bool": ["true", 1],
    "scalar": [[], {"$ne": None}, "a\u0000b"],
    # An app's push registration: a wrong shape, an unknown service, tokens each service refuses.
    "push": ["fcm", [], {"platform": {"$ne": None}, "token": FCM_TOKEN}, {"platform": "GCM", "token": FCM_TOKEN},
             {"platform": "fcm"}, {"platform": "fcm", "token": "../../etc/passwd"},
             {"platform": "fcm", "token": FCM_TOKEN + "\u0000"}, {"platform": "fcm", "token": "\ud800" * 40},
             {"platform": "fcm", "token": "a" * 5000}, {"platform": "apns", "token": "zz" * 32},
             {"platform": "apns", "token": FCM_TOKEN}],
}
NOT_OBJECTS = ["[]", '"a string"', "null", "7"]
MALFORMED = ["{", '{"a": }', "{'single': 'quotes'}", '{"a": "\\ud8"}']
HUGE = json.dumps({"note": "ạ" * 40_000})
INVALID_UTF8 = b"\xff\xfe{\x00}"


@dataclass(frozen=True)
class Inputs:
    """What a route takes, so the corpus knows what to break."""

    auth: str = "none"  # "none" | "officer" | "coordinator" | "tracking" | "follow"
    path: tuple[str, ...] = ()  # path parameters that name something
    body: dict = field(default_factory=dict)  # a valid body, field → kind ("text", "id", "int", "bool")
    valid: dict = field(default_factory=dict)  # the valid values of the body
    query: tuple[str, ...] = ()  # query parameters that must name something real


RESOLVE = {"note": "text", "photo_count": "int", "version": "int"}
OPEN_DATA_FILTERS = ("ward", "category", "status", "from", "to", "overdue")
ROUTES: dict[tuple[str, str, str], Inputs] = {
    ("submit", "GET", "/categories"): Inputs(),
    ("submit", "POST", "/reports"): Inputs(
        body={"category": "id", "description": "text", "ward_code": "id", "photo_count": "int", "device_id": "text",
              "push": "push"},
        valid={"category": "roads", "description": "Ổ gà", "ward_code": "31321", "photo_count": 0, "device_id": "d1",
               "push": {"platform": "fcm", "token": FCM_TOKEN}},
    ),
    ("submit", "GET", "/reports/{report_id}"): Inputs(auth="tracking", path=("report_id",)),
    ("submit", "GET", "/public/reports"): Inputs(
        query=("ward", "category", "status", "limit", "cursor", "from", "to", "overdue"),
    ),
    ("submit", "GET", "/public/reports/{report_id}"): Inputs(path=("report_id",)),
    # The body is the device's push registration itself.
    ("submit", "POST", "/public/reports/{report_id}/follow"): Inputs(
        path=("report_id",), body={"platform": "id", "token": "text"}, valid={"platform": "fcm", "token": FCM_TOKEN},
    ),
    ("submit", "DELETE", "/public/follows"): Inputs(auth="follow"),
    ("submit", "POST", "/public/follows/confirm"): Inputs(auth="follow"),
    ("submit", "GET", "/public/open-data"): Inputs(),
    ("submit", "GET", "/public/open-data/reports.csv"): Inputs(query=OPEN_DATA_FILTERS),
    ("submit", "GET", "/public/open-data/reports.geojson"): Inputs(query=OPEN_DATA_FILTERS),
    ("submit", "GET", "/public/nearby"): Inputs(query=("lat", "lon", "category", "radius_m")),
    ("submit", "GET", "/openapi.json"): Inputs(),
    ("submit", "GET", "/open311/v2/discovery.json"): Inputs(),
    ("submit", "GET", "/open311/v2/discovery.xml"): Inputs(),
    # jurisdiction_id is checked only when the deployment names one (it does not here).
    ("submit", "GET", "/open311/v2/services.json"): Inputs(),
    ("submit", "GET", "/open311/v2/services.xml"): Inputs(),
    ("submit", "GET", "/open311/v2/services/{service_file}"): Inputs(path=("service_file",)),
    ("submit", "POST", "/open311/v2/requests.json"): Inputs(
        body={"service_code": "scalar", "description": "scalar", "lat": "scalar", "long": "scalar"},
        valid={"service_code": "PA-ROADS", "description": "Ổ gà", "lat": 9.779, "long": 105.47},
    ),
    ("submit", "POST", "/open311/v2/requests.xml"): Inputs(
        body={"service_code": "scalar", "description": "scalar"},
        valid={"service_code": "PA-ROADS", "description": "Ổ gà"},
    ),
    # service_request_id is a filter: ids that name nothing give an empty list, as GeoReport says.
    ("submit", "GET", "/open311/v2/requests.json"): Inputs(query=("service_code", "status", "start_date", "end_date")),
    ("submit", "GET", "/open311/v2/requests.xml"): Inputs(query=("status",)),
    ("submit", "GET", "/open311/v2/requests/{request_file}"): Inputs(path=("request_file",)),
    ("submit", "GET", "/open311/v2/tokens/{token_file}"): Inputs(path=("token_file",)),
    ("handle", "GET", "/officer/me"): Inputs(auth="officer"),
    ("handle", "GET", "/officer/reports"): Inputs(auth="officer", query=("status", "limit", "cursor", "unit_id")),
    ("handle", "GET", "/officer/reports/{report_id}"): Inputs(auth="officer", path=("report_id",), query=("purpose",)),
    ("handle", "POST", "/officer/reports/{report_id}/acknowledge"): Inputs(
        auth="officer", path=("report_id",), body={"note": "text", "version": "int"}, valid={"note": "Đã nhận"}
    ),
    ("handle", "POST", "/officer/reports/{report_id}/progress"): Inputs(
        auth="officer", path=("report_id",), body={"note": "text", "version": "int"}, valid={"note": "Đang làm"}
    ),
    ("handle", "POST", "/officer/reports/{report_id}/resolve"): Inputs(
        auth="officer", path=("report_id",), body=RESOLVE, valid={"note": "Xong", "photo_count": 1}
    ),
    ("handle", "POST", "/officer/reports/{report_id}/questions"): Inputs(
        auth="officer", path=("report_id",), body={"text": "text", "photo_requested": "bool", "version": "int"},
        valid={"text": "Ổ gà ở bên trái hay bên phải chợ?", "photo_requested": True},
    ),
    ("handle", "POST", "/officer/reports/{report_id}/transfer"): Inputs(
        auth="officer", path=("report_id",), body={"to_unit_id": "id", "reason": "text"},
        valid={"to_unit_id": "so_y_te", "reason": "Không thuộc"},
    ),
    ("handle", "GET", "/officer/templates"): Inputs(auth="officer"),
    ("handle", "GET", "/officer/queue"): Inputs(auth="officer", query=("limit", "cursor", "unit_id")),
    # Unit heads and coordinators name the assignee; a coordinator may on any report.
    ("handle", "POST", "/officer/reports/{report_id}/assignee"): Inputs(
        auth="coordinator", path=("report_id",), body={"officer_id": "id", "note": "text", "version": "int"},
        valid={"officer_id": OWNER},
    ),
    ("handle", "GET", "/officer/team"): Inputs(auth="coordinator", query=("unit_id",)),
    ("handle", "GET", "/officer/escalations"): Inputs(auth="officer", query=("unit_id",)),
    ("handle", "GET", "/officer/units"): Inputs(auth="officer"),
    ("handle", "POST", "/coordinator/reports/{report_id}/assign"): Inputs(
        auth="coordinator", path=("report_id",), body={"unit_id": "id", "reason": "text"},
        valid={"unit_id": "so_y_te"},
    ),
    ("handle", "POST", "/coordinator/reports/{report_id}/reject"): Inputs(
        auth="coordinator", path=("report_id",), body={"grounds": "id", "reason": "text"},
        valid={"grounds": "spam", "reason": "Quảng cáo"},
    ),
    ("handle", "POST", "/coordinator/reports/{report_id}/merge"): Inputs(
        auth="coordinator", path=("report_id",), body={"master_id": "id", "reason": "text"},
        valid={"master_id": "PA261123ZZZZZZZZ"},
    ),
    ("handle", "POST", "/coordinator/reports/{report_id}/publish"): Inputs(
        auth="coordinator", path=("report_id",), body={"note": "text", "version": "int"}, valid={"note": "Đã xem"},
    ),
    ("handle", "POST", "/coordinator/reports/{report_id}/unpublish"): Inputs(
        auth="coordinator", path=("report_id",), body={"reason": "text", "version": "int"},
        valid={"reason": "Có số điện thoại"},
    ),
    ("handle", "GET", "/coordinator/moderation"): Inputs(auth="coordinator", query=("limit", "cursor")),
    ("handle", "GET", "/coordinator/rules/{category_code}"): Inputs(auth="coordinator", path=("category_code",)),
    ("handle", "PUT", "/coordinator/rules/{category_code}/{ward_code}"): Inputs(
        auth="coordinator", path=("category_code", "ward_code"), body={"unit_id": "id"}, valid={"unit_id": "so_y_te"},
    ),
    ("handle", "DELETE", "/coordinator/rules/{category_code}/{ward_code}"): Inputs(
        auth="coordinator", path=("category_code", "ward_code")
    ),
    ("handle", "GET", "/coordinator/units/{unit_id}"): Inputs(auth="coordinator", path=("unit_id",)),
    ("handle", "PUT", "/coordinator/units/{unit_id}"): Inputs(
        auth="coordinator", path=("unit_id",), body={"kind": "id", "parent_unit_id": "id", "ward_code": "id"},
        valid={"kind": "department"},
    ),
    ("handle", "PUT", "/coordinator/officers/{officer_id}"): Inputs(
        auth="coordinator", path=("officer_id",), body={"unit_id": "id", "role": "id", "email": "id", "phone": "id"},
        valid={"unit_id": "so_y_te", "role": "officer", "full_name": "Nguyễn Văn A", "email": "a@example.vn"},
    ),
    ("handle", "DELETE", "/coordinator/officers/{officer_id}"): Inputs(auth="coordinator", path=("officer_id",)),
    ("handle", "POST", "/coordinator/reports/{report_id}/rating/hide"): Inputs(
        auth="coordinator", path=("report_id",), body={"reason": "text"}, valid={"reason": "Lời lẽ xúc phạm"},
    ),
    ("handle", "GET", "/coordinator/units"): Inputs(auth="coordinator"),
    # The valid import names a ward that does not exist: applied, it is refused (422), so no request writes.
    ("handle", "POST", "/coordinator/import"): Inputs(
        auth="coordinator", body={"dry_run": "bool", "units_csv": "text", "officers_csv": "text", "rules_csv": "text"},
        valid={"dry_run": False, "rules_csv": "category_code,ward_code,unit_id\nroads,99999,so_xay_dung\n"},
    ),
    ("handle", "GET", "/coordinator/export/reports.csv"): Inputs(
        auth="coordinator", query=("status", "category", "ward_code", "unit_id", "from", "to"),
    ),
    ("handle", "GET", "/coordinator/dashboard"): Inputs(auth="coordinator", query=("days",)),
    ("handle", "GET", "/coordinator/escalations"): Inputs(auth="coordinator"),
    ("submit", "GET", "/public/wards"): Inputs(),
    ("submit", "POST", "/reports/{report_id}/answers"): Inputs(
        auth="tracking", path=("report_id",), body={"text": "text", "photo_count": "int"},
        valid={"text": "Bên trái, cạnh cột điện", "photo_count": 1},
    ),
    ("rate", "POST", "/reports/{report_id}/rating"): Inputs(
        auth="tracking", path=("report_id",), body={"score": "int", "fixed": "bool", "comment": "text"},
        valid={"score": 5, "fixed": True},
    ),
    ("rate", "GET", "/public/scorecards"): Inputs(query=("period",)),
    ("rate", "GET", "/public/league"): Inputs(query=("period",)),
    ("rate", "GET", "/public/trends"): Inputs(query=("months", "unit", "category")),
    # The reporter's rights: only the token and the report name anything (no body, no query).
    ("rate", "GET", "/reports/{report_id}/personal-data"): Inputs(auth="tracking", path=("report_id",)),
    ("rate", "DELETE", "/reports/{report_id}/contact"): Inputs(auth="tracking", path=("report_id",)),
    ("rate", "DELETE", "/reports/{report_id}/contact/consent"): Inputs(auth="tracking", path=("report_id",)),
}


def app_routes() -> set[tuple[str, str, str]]:
    return {
        (name, method, path)
        for name in APPS
        for path, methods in load_chalice_app(name).app.routes.items()
        for method in methods
    }


def test_every_route_has_a_corpus():
    assert app_routes() == set(ROUTES)


@dataclass
class Request:
    what: str
    method: str
    path: str
    headers: dict
    body: bytes | str | None = None


def forged_token() -> str:
    settings = get_settings()
    region = settings.user_pool_id.split("_")[0]
    claims = {
        "iss": f"https://cognito-idp.{region}.amazonaws.com/{settings.user_pool_id}",
        "aud": settings.user_pool_client_id, "token_use": "id", "sub": "x", "cognito:username": COORDINATOR,
        "cognito:groups": ["coordinator"], "exp": 4_000_000_000, "iat": 1_700_000_000,
    }
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "forged"})


def expired_token() -> str:
    settings = get_settings()
    pool = cognitoidp_backends[DEFAULT_ACCOUNT_ID][settings.user_pool_id.split("_")[0]].user_pools[
        settings.user_pool_id
    ]
    token, _ = pool.create_jwt(settings.user_pool_client_id, COORDINATOR, "id", expires_in=-3600,
                               extra_data={"cognito:groups": ["coordinator"]})
    return token


def corpus(route: tuple[str, str, str], inputs: Inputs, target: dict) -> list[Request]:
    """The bad requests for one route. `target` names real things the valid parts point at."""
    _, method, template = route
    good_path = template
    for name in inputs.path:
        good_path = good_path.replace("{" + name + "}", target[name])
    good_headers = {"Content-Type": "application/json"}
    if inputs.auth in ("officer", "coordinator"):
        good_headers.update(target[inputs.auth])
    elif inputs.auth == "tracking":
        good_headers["Authorization"] = f"Bearer {target['tracking_token']}"
    good_body = json.dumps(inputs.valid) if inputs.body else None
    requests = []

    def add(what, *, path=good_path, headers=good_headers, body=good_body):
        requests.append(Request(what, method, path, headers, body))

    # Names that name nothing: injections, unicode edge cases, and another unit's report.
    for name in inputs.path:
        values = [*INJECTIONS, "PA261123NOTAREAL"]
        if inputs.auth == "officer" and name == "report_id":
            values.append(target["foreign_report_id"])
        for value in values:
            path = template
            for other in inputs.path:
                path = path.replace("{" + other + "}", _quoted(value) if other == name else target[other])
            add(f"path {name}={value[:20]!r}", path=path)
    # Filters that match nothing real.
    for name in inputs.query:
        for value in [*INJECTIONS[:5], "-1"]:
            add(f"query {name}={value[:20]!r}", path=f"{good_path}?{name}={_quoted(value)}")
    # Who is asking.
    if inputs.auth in ("officer", "coordinator"):
        for what, header in [("no token", None), ("forged token", f"Bearer {forged_token()}"),
                             ("expired token", f"Bearer {expired_token()}"),
                             ("tracking token", f"Bearer {target['tracking_token']}"), ("garbage", "Bearer a.b.c")]:
            headers = {key: value for key, value in good_headers.items() if key != "Authorization"}
            if header:
                headers["Authorization"] = header
            add(what, headers=headers)
        if inputs.auth == "coordinator":
            add("an officer on a coordinator route", headers={**good_headers, **target["officer"]})
        elif inputs.path:
            add("another unit's officer", headers={**good_headers, **target["other_unit"]})
    elif inputs.auth == "tracking":
        for what, header in [("no token", None), ("another report's token", target["other_tracking_token"]),
                             ("made-up token", "AAAAAAAAAAAAAAAAAAAAAA")]:
            headers = {key: value for key, value in good_headers.items() if key != "Authorization"}
            if header:
                headers["Authorization"] = f"Bearer {header}"
            add(what, headers=headers)
    elif inputs.auth == "follow":
        for what, header in [("no token", None), ("garbage", "Bearer a.b.c"),
                             ("made-up token", f"Bearer {target['report_id']}.{'A' * 22}"),
                             ("tracking token", f"Bearer {target['tracking_token']}")]:
            headers = {key: value for key, value in good_headers.items() if key != "Authorization"}
            if header:
                headers["Authorization"] = header
            add(what, headers=headers)
    # The body: its shape, its size, its encoding, its content type, and each field broken.
    if inputs.body:
        # (An empty body is no fields at all: the officers' actions take it, POST /reports refuses it.)
        for text in [*MALFORMED, *NOT_OBJECTS, HUGE]:
            add(f"body {text[:20]!r}", body=text)
        add("invalid utf-8", body=INVALID_UTF8)
        # (No Content-Type at all is taken as JSON, as API Gateway does: not a bad request.)
        add("text/plain", headers={**good_headers, "Content-Type": "text/plain"})
        for name, kind in inputs.body.items():
            for value in BAD_VALUES[kind]:
                body = json.dumps({**inputs.valid, name: value})
                add(f"{name}={str(value)[:20]!r}", body=body)
    return requests


def _quoted(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def footprint(aws) -> dict[str, int]:
    """How many items every table holds, objects the bucket and messages the queues."""
    dynamodb, sqs = boto3.client("dynamodb"), boto3.client("sqs")
    counts = {
        name: dynamodb.scan(TableName=table, Select="COUNT")["Count"]
        for name, table in aws.environment.items() if name.endswith("_TABLE")
    }
    counts["photos"] = boto3.client("s3").list_objects_v2(Bucket=aws.environment["PHANANH_PHOTOS_BUCKET"])["KeyCount"]
    for url in sqs.list_queues()["QueueUrls"]:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        counts[url.rsplit("/", 1)[1]] = sum(
            int(attributes[name]) for name in ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed",
                                               "ApproximateNumberOfMessagesNotVisible")
        )
    return counts


def refused_cleanly(path: str, response) -> bool:
    if not 400 <= response.status_code < 500:
        return False
    if path.startswith("/open311/"):
        return True  # GeoReport's own error list, in JSON or XML (tests/integration/test_open311.py)
    body = response.json()
    return isinstance(body.get("code"), str) and set(body.get("message", {})) == {"vi", "en"}


def test_every_route_refuses_bad_input_cleanly(aws, submit_api, route_api, edge):
    """Through the edge gateway, which checks officers' tokens as API Gateway's authorizer does."""
    owned = routed_report(aws, submit_api, route_api)
    another = routed_report(aws, submit_api, route_api, category="urban_order", location={"lat": 9.785, "lon": 105.47})
    target = {
        "report_id": owned["report_id"], "tracking_token": owned["tracking_token"],
        "foreign_report_id": another["report_id"], "other_tracking_token": another["tracking_token"],
        "category_code": "roads", "ward_code": "31321", "unit_id": "so_xay_dung", "officer_id": OWNER,
        "service_file": "PA-ROADS.json", "request_file": f"{owned['report_id']}.json", "token_file": "token.json",
        "officer": bearer(OWNER), "coordinator": bearer(COORDINATOR), "other_unit": bearer(OTHER_UNIT),
    }
    http = requests.Session()
    before = footprint(aws)
    failures, sent = [], Counter()
    for route, inputs in ROUTES.items():
        for request in corpus(route, inputs, target):
            response = http.request(request.method, edge + request.path, headers=request.headers,
                                    data=request.body, timeout=30)
            sent[response.status_code // 100] += 1
            if not refused_cleanly(request.path, response):
                failures.append(f"{route[1]} {route[2]} {request.what}: {response.status_code} {response.text[:160]!r}")
    assert failures == [], "\n".join(failures)
    assert footprint(aws) == before
    assert sum(sent.values()) > 700 and set(sent) == {4}
