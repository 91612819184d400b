"""Open311 GeoReport v2 spoken over our own domain: services are our fields (categories), a
service request is a report filed through `filing.submit_report` and seen as the public sees it.

Nothing here decides anything the citizen API does not: filing goes through the same validation,
rate limits, idempotency, privacy and routing; reading shows only published reports and only what
`views.report_facts` shows. What GeoReport adds is its vocabulary, its date window and paging;
its wire formats (XML, and JSON by the Spark convention) are phananh.adapters.open311_wire's.

Text we write (names, notices, errors) is one string "tiếng Việt / English": GeoReport has no
place for two languages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn
from urllib.parse import urlsplit

from phananh.intake import filing
from phananh.ports import Ports
from phananh.report.categories import Category, all_categories, by_service_code, get_category
from phananh.report.deadlines import resolve_deadline
from phananh.report.lifecycle import OPEN_STATES, STATUS_LABELS, Status
from phananh.report.model import Report
from phananh.routing.geo import load_wards
from phananh.shared.clock import VIETNAM
from phananh.shared.errors import NotFound, Text, bilingual
from phananh.shared.errors import invalid_field as _invalid
from phananh.shared.ids import is_report_id
from phananh.shared.settings import Settings
from phananh.shared.text_policy import whole_number
from phananh.transparency import views

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this facade last changed in a way clients may care about (discovery's changeset).
CHANGESET = "2026-11-23T00:00:00+07:00"
# Vietnam has one time zone and no daylight saving: every datetime we send is in it.
WINDOW = timedelta(days=90)
# A report is published when it is routed, minutes after it is filed; the date window (on the
# filing time) looks for publications up to this long after its end.
PUBLICATION_LAG = timedelta(days=1)
PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 100
# GeoReport's own response volume: at most 1000 requests per query, every page counted.
RESULTS_MAX = 1000
REQUEST_IDS_MAX = 50
# Items of the public index one request may read: filters apply to what was read, so without a cap
# a filter that matches little would read the whole window. Enough for every page of an unfiltered
# query; a sparse filter over a wide window may find fewer (narrow the window to see the rest).
INDEX_READ_MAX = RESULTS_MAX
MEDIA_URL_MAX = 2048
_YEARS = (2000, 2999)
OPEN = "open"
CLOSED = "closed"
_CLOSED_STATES = frozenset({Status.RESOLVED, Status.CLOSED})
_STATES_BY_OPEN311_STATUS = {OPEN: OPEN_STATES, CLOSED: _CLOSED_STATES}
_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\]]+)\]$")
WARD_ATTRIBUTE = "ward_code"
CONSENT_ATTRIBUTE = "share_with_officer"
_KNOWN_FIELDS = frozenset({
    "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id", "email",
    "device_id", "account_id", "first_name", "last_name", "phone", "description", "media_url",
})


def one_line(text: Text) -> str:
    return f"{text['vi']} / {text['en']}"


def local_time(moment: datetime | None) -> str | None:
    return moment.astimezone(VIETNAM).isoformat() if moment else None


def check_jurisdiction(given: str | None, settings: Settings) -> None:
    """With a configured jurisdiction, a request must name it (400 missing, 404 another one)."""
    expected = settings.open311_jurisdiction_id
    if not expected:
        return
    if not given:
        raise _invalid(
            "missing_jurisdiction", "jurisdiction_id",
            f"Thiếu jurisdiction_id (ở đây là '{expected}').", f"jurisdiction_id is required (here: '{expected}').",
        )
    if given != expected:
        raise NotFound(bilingual("jurisdiction_id không tồn tại.", "Unknown jurisdiction_id."))


# --- discovery and services ------------------------------------------------------------------

def discovery(endpoint_url: str, settings: Settings) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": one_line(bilingual(
            "Xem https://github.com/phananh/phananh để biết cách liên hệ đơn vị vận hành.",
            "See https://github.com/phananh/phananh for how to reach the operator.",
        )),
        "key_service": one_line(bilingual(
            "Không cần api_key: phản ánh ẩn danh được giới hạn tần suất.",
            "No api_key needed: anonymous reports are rate limited.",
        )),
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": endpoint_url,
            "changeset": CHANGESET,
            "type": "production" if settings.stage == "prod" else "test",
            "formats": ["text/xml", "application/json"],
        }],
    }


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.service_code,
        "service_name": one_line(category.name),
        "description": one_line(category.description),
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(category.keywords),
        "group": one_line(bilingual("Khẩn cấp", "Urgent") if category.urgent else bilingual("Thông thường", "Routine")),
    }


def services() -> list[dict[str, Any]]:
    return [_service(category) for category in all_categories()]


def _category(service_code: str | None) -> Category:
    if not service_code:
        raise _invalid(
            "missing_field", "service_code", "Thiếu service_code.", "service_code is required."
        )
    category = by_service_code(service_code)
    if category is None:
        raise NotFound(bilingual(
            "service_code không tồn tại. Xem services.json.", "Unknown service_code. See services.json."
        ))
    return category


def service_definition(service_code: str, settings: Settings) -> dict[str, Any]:
    """Every service takes the same two attributes: where (a ward, when there is no point) and
    whether the officers may see the contact given."""
    category = _category(service_code)
    wards = load_wards(settings.wards_geojson_path).all()
    return {
        "service_code": category.service_code,
        "attributes": [
            {
                "variable": True,
                "code": WARD_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": one_line(bilingual(
                    "Cần khi không gửi lat/long.", "Needed when lat/long are not sent."
                )),
                "order": 1,
                "description": one_line(bilingual("Phường/xã nơi xảy ra sự việc.", "The ward where it is.")),
                "values": [{"key": ward.code, "name": one_line(ward.name)} for ward in wards],
            },
            {
                "variable": True,
                "code": CONSENT_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": one_line(bilingual("Mặc định: false.", "Default: false.")),
                "order": 2,
                "description": one_line(bilingual(
                    "Cho phép cán bộ xử lý xem email/số điện thoại để liên hệ lại.",
                    "Let the officers handling the report see the e-mail/phone to call back.",
                )),
                "values": [
                    {"key": "true", "name": one_line(bilingual("Đồng ý", "Yes"))},
                    {"key": "false", "name": one_line(bilingual("Không", "No"))},
                ],
            },
        ],
    }


# --- filing a request ------------------------------------------------------------------------

@dataclass(frozen=True)
class RequestForm:
    """A POSTed service request: its fields and its attribute[code] values, all strings."""

    fields: dict[str, str]
    attributes: dict[str, str]


def request_form(pairs: list[tuple[str, Any]] | Mapping[str, Any]) -> RequestForm:
    """From form pairs (`attribute[code]=value`) or a JSON object (the same flat keys, or an
    `attribute` object). Empty values count as absent, as GeoReport says."""
    items = list(pairs.items()) if isinstance(pairs, Mapping) else list(pairs)
    fields: dict[str, str] = {}
    attributes: dict[str, str] = {}
    for key, value in items:
        if key == "attribute" and isinstance(value, Mapping):
            for code, attribute_value in value.items():
                attributes[str(code)] = _scalar(attribute_value, f"attribute[{code}]")
            continue
        match = _ATTRIBUTE_KEY.match(key)
        if match:
            attributes[match.group(1)] = _scalar(value, key)
        elif key in _KNOWN_FIELDS:
            fields[key] = _scalar(value, key)
        else:
            raise _invalid(
                "unknown_field", key, f"Trường '{key}' không được hỗ trợ.", f"'{key}' is not a GeoReport field."
            )
    return RequestForm(
        fields={key: value for key, value in fields.items() if value},
        attributes={key: value for key, value in attributes.items() if value},
    )


def _scalar(value: Any, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return value.strip()
    raise _invalid(
        "invalid_type", field, f"Trường '{field}' phải là một giá trị đơn.", f"'{field}' must be a single value."
    )


def _coordinate(raw: str, field: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise _invalid("invalid_type", field, f"Trường '{field}' phải là số.", f"'{field}' must be a number.")
    return value


def _location(fields: dict[str, str]) -> dict[str, float] | None:
    lat, lon = fields.get("lat"), fields.get("long")
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise _invalid(
            "missing_field", "lat" if lat is None else "long",
            "Cần gửi cả lat và long.", "lat and long must be sent together.",
        )
    return {"lat": _coordinate(lat, "lat"), "lon": _coordinate(lon, "long")}


def _consent(attributes: dict[str, str]) -> bool:
    raw = attributes.get(CONSENT_ATTRIBUTE, "false")
    if raw not in ("true", "false"):
        raise _invalid(
            "invalid_attribute", f"attribute[{CONSENT_ATTRIBUTE}]",
            "Giá trị phải là true hoặc false.", "The value must be true or false.",
        )
    return raw == "true"


def _check_media_url(raw: str | None) -> bool:
    """A media_url is checked for shape and then dropped: fetching a URL a stranger chose from
    inside our network is a server-side request forgery waiting to happen, and an unchecked
    picture is never published. Photos come through the citizen API's upload forms."""
    if raw is None:
        return False
    parts = urlsplit(raw)
    if len(raw) > MEDIA_URL_MAX or parts.scheme not in ("http", "https") or not parts.netloc:
        raise _invalid(
            "invalid_media_url", "media_url",
            "media_url phải là một địa chỉ http(s).", "media_url must be an http(s) URL.",
        )
    return True


def submission_payload(form: RequestForm) -> dict[str, Any]:
    """The citizen API's JSON body for a GeoReport request (names are not kept: see docs/open311.md)."""
    fields, attributes = form.fields, form.attributes
    unknown = sorted(set(attributes) - {WARD_ATTRIBUTE, CONSENT_ATTRIBUTE})
    if unknown:
        raise _invalid(
            "unknown_attribute", f"attribute[{unknown[0]}]",
            f"Thuộc tính '{unknown[0]}' không có trong định nghĩa dịch vụ.",
            f"Attribute '{unknown[0]}' is not in the service definition.",
        )
    location = _location(fields)
    ward_code = attributes.get(WARD_ATTRIBUTE)
    if location is None and ward_code is None:
        raise _invalid(
            "missing_location", "lat",
            "Cần lat/long hoặc attribute[ward_code]; chỉ address_string/address_id thì chưa định vị được.",
            "lat/long or attribute[ward_code] is required; address_string or address_id alone cannot be placed.",
        )
    payload: dict[str, Any] = {
        "category": _category(fields.get("service_code")).code,
        "description": fields.get("description"),
        "location": location,
        "ward_code": ward_code,
        "address": fields.get("address_string"),
        "device_id": fields.get("device_id"),
    }
    consent = _consent(attributes)  # checked even when no contact comes with it
    if fields.get("email") or fields.get("phone"):
        payload["contact"] = {"email": fields.get("email"), "phone": fields.get("phone"), "share_with_officer": consent}
    return {name: value for name, value in payload.items() if value is not None}


def _service_notice(category: Category, media_dropped: bool) -> str:
    if category.urgent:
        notice = bilingual(
            f"Tiếp nhận trong {category.acknowledge_hours} giờ, xử lý trong {category.resolve_hours} giờ.",
            f"Acknowledged within {category.acknowledge_hours} hours, resolved within {category.resolve_hours} hours.",
        )
    else:
        notice = bilingual(
            f"Tiếp nhận trong {category.acknowledge_hours} giờ, xử lý trong "
            f"{category.resolve_working_days} ngày làm việc.",
            f"Acknowledged within {category.acknowledge_hours} hours, resolved within "
            f"{category.resolve_working_days} working days.",
        )
    if media_dropped:
        notice = bilingual(
            notice["vi"] + " Ảnh từ media_url không được tải về; hãy gửi ảnh qua ứng dụng.",
            notice["en"] + " The media_url was not fetched; send photos through the app.",
        )
    return one_line(notice)


def file_request(
    form: RequestForm, caller: filing.Caller, *, ports: Ports, settings: Settings, now: datetime
) -> list[dict[str, Any]]:
    """File a GeoReport request as a report: the same use case as POST /reports."""
    check_jurisdiction(form.fields.get("jurisdiction_id"), settings)
    media_dropped = _check_media_url(form.fields.get("media_url"))
    payload = submission_payload(form)
    receipt = filing.submit_report(payload, caller, ports=ports, settings=settings, now=now)
    category = _category(form.fields["service_code"])
    return [{
        "service_request_id": receipt["report_id"],
        "service_notice": _service_notice(category, media_dropped),
        "account_id": None,
    }]


# --- reading requests ------------------------------------------------------------------------

def open311_status(status: Status) -> str:
    return CLOSED if status in _CLOSED_STATES else OPEN


def service_request(report: Report, ports: Ports, settings: Settings) -> dict[str, Any]:
    """A published report as GeoReport shows it: what `views.report_facts` shows everyone."""
    facts = views.report_facts(report, settings, ports=ports)
    category = get_category(report.category_code)
    # A reopened report keeps its earlier result until the next one: show it only once closed.
    result = views.result_view(report, ports.photos, to_everyone=True) if report.status in _CLOSED_STATES else None
    label = one_line(STATUS_LABELS[report.status])
    owner = facts["owner_unit"]
    ward = facts["ward"]
    location = facts["location"]
    return {
        "service_request_id": report.report_id,
        "status": open311_status(report.status),
        "status_notes": f"{label}: {result['note']}" if result else label,
        "service_name": one_line(category.name),
        "service_code": category.service_code,
        "description": report.description,
        "agency_responsible": one_line(owner["name"]) if owner else None,
        "service_notice": _service_notice(category, media_dropped=False),
        "requested_datetime": local_time(report.created_at),
        "updated_datetime": local_time(report.updated_at),
        "expected_datetime": local_time(resolve_deadline(report)),
        "address": facts["address"] or (one_line(ward["name"]) if ward else None),
        "address_id": None,
        "zipcode": None,
        "lat": location["lat"] if location else None,
        "long": location["lon"] if location else None,
        "media_url": facts["photos"][0]["url"] if facts["photos"] else None,
    }


def one_request(report_id: str, *, ports: Ports, settings: Settings) -> list[dict[str, Any]]:
    report = ports.reports.get(report_id) if is_report_id(report_id) else None
    if report is None or not report.is_public():
        raise NotFound()
    return [service_request(report, ports, settings)]


def request_of_token(token: str) -> NoReturn:
    """Every service is realtime: the id comes back at once, so no token ever names a request."""
    raise NotFound(bilingual(
        "Không có token này: mọi yêu cầu được cấp service_request_id ngay khi gửi.",
        "No such token: every request gets its service_request_id at once.",
    ))


def _datetime(raw: str, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        moment = None
    # Far-off years would overflow the 90-day arithmetic; no report is that old or that new.
    if moment is None or moment.tzinfo is None or not _YEARS[0] <= moment.year <= _YEARS[1]:
        raise _invalid(
            "invalid_datetime", field,
            f"{field} phải theo ISO 8601 có múi giờ, ví dụ 2026-11-01T00:00:00+07:00.",
            f"{field} must be ISO 8601 with a time zone, e.g. 2026-11-01T00:00:00+07:00.",
        )
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class RequestQuery:
    start: datetime
    end: datetime
    service_codes: tuple[str, ...]
    statuses: tuple[Status, ...]
    page: int
    page_size: int


def _window(query: Mapping[str, str], now: datetime) -> tuple[datetime, datetime]:
    start = _datetime(query["start_date"], "start_date") if query.get("start_date") else None
    end = _datetime(query["end_date"], "end_date") if query.get("end_date") else None
    if start is None and end is None:
        end = now
    if start is None:
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if start > end:
        raise _invalid(
            "invalid_window", "start_date", "start_date phải trước end_date.", "start_date must precede end_date."
        )
    if end - start > WINDOW:
        raise _invalid(
            "window_too_long", "end_date",
            "Khoảng thời gian không được quá 90 ngày.", "The date range may not span more than 90 days.",
        )
    return start, end


def _positive(raw: str | None, field: str, default: int, highest: int) -> int:
    if raw is None:
        return default
    return whole_number(raw, field, lowest=1, highest=highest, code="invalid_paging")


def request_query(query: Mapping[str, str], now: datetime) -> RequestQuery:
    start, end = _window(query, now)
    service_codes = tuple(code.strip() for code in query.get("service_code", "").split(",") if code.strip())
    for code in service_codes:
        if by_service_code(code) is None:
            raise _invalid(
                "unknown_service_code", "service_code",
                f"service_code '{code}' không tồn tại.", f"Unknown service_code '{code}'.",
            )
    statuses: list[Status] = []
    for name in (part.strip() for part in query.get("status", "").split(",") if part.strip()):
        if name not in _STATES_BY_OPEN311_STATUS:
            raise _invalid(
                "invalid_status", "status", "status phải là open hoặc closed.", "status must be open or closed."
            )
        statuses.extend(sorted(_STATES_BY_OPEN311_STATUS[name]))
    page_size = _positive(query.get("page_size"), "page_size", PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX)
    page = _positive(query.get("page"), "page", 1, RESULTS_MAX // page_size)
    return RequestQuery(start, end, service_codes, tuple(statuses), page, page_size)


def list_requests(
    query: Mapping[str, str], *, ports: Ports, settings: Settings, now: datetime
) -> list[dict[str, Any]]:
    """GET requests: by ids (which overrides everything else), or by the date window (the last
    90 days by default), service codes and status, a page at a time, the latest first."""
    check_jurisdiction(query.get("jurisdiction_id"), settings)
    if query.get("service_request_id"):
        ids = [part.strip() for part in query["service_request_id"].split(",") if part.strip()]
        if len(ids) > REQUEST_IDS_MAX:
            raise _invalid(
                "too_many_ids", "service_request_id",
                f"Tối đa {REQUEST_IDS_MAX} service_request_id mỗi lần.",
                f"At most {REQUEST_IDS_MAX} service_request_id at once.",
            )
        reports = [ports.reports.get(report_id) for report_id in dict.fromkeys(ids) if is_report_id(report_id)]
        return [
            service_request(report, ports, settings)
            for report in reports
            if report is not None and report.is_public()
        ]
    wanted = request_query(query, now)
    categories = [by_service_code(code).code for code in wanted.service_codes]
    skip = (wanted.page - 1) * wanted.page_size
    found: list[dict[str, Any]] = []
    reports = ports.reports.published_requested_between(
        wanted.start, wanted.end, published_by=wanted.end + PUBLICATION_LAG, read_limit=INDEX_READ_MAX,
        category_codes=categories, statuses=wanted.statuses,
    )
    for position, report in enumerate(reports):
        if position >= skip + wanted.page_size:
            break
        if position >= skip:
            found.append(service_request(report, ports, settings))
    return found
