
import pytest

from phananh.intake.submission import parse_submission
from phananh.shared.errors import InvalidInput

ENDPOINT = "arn:aws:sns:ap-southeast-1:123456789012:endpoint/GCM/phananh-app/0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"


def parse(wards, **fields):
    payload = {"category": "roads", "description": "Ổ gà", "ward_code": "31321", **fields}
    return parse_submission(payload, wards=wards, max_photos=5, service_area_margin_m=2000)


def test_a_push_endpoint_is_optional(wards):
    assert parse(wards).push_endpoint is None
    assert parse(wards, push_endpoint=ENDPOINT).push_endpoint == ENDPOINT


@pytest.mark.parametrize("endpoint", [
    "https://push.example/hook",
    ENDPOINT.replace(":endpoint/", ":topic/"),
    ENDPOINT.replace("123456789012", "1234"),
    ENDPOINT.replace("arn:aws:", "arn:evil:"),
    ENDPOINT[:-1],
    ENDPOINT + "/extra",
    12345,
])
def test_anything_but_an_sns_platform_endpoint_is_refused(wards, endpoint):
    with pytest.raises(InvalidInput) as refused:
        parse(wards, push_endpoint=endpoint)
    assert refused.value.details == {"field": "push_endpoint"}
