"""The app's push registration as a submission carries it: a push service and that service's token."""

import pytest
from fakes import FCM_TOKEN

from phananh.intake.submission import parse_submission
from phananh.report.push_device import Platform, PushDevice
from phananh.shared.errors import InvalidInput

APNS_TOKEN = "9f" * 32
ENDPOINT = "arn:aws:sns:ap-southeast-1:123456789012:endpoint/GCM/phananh-app/0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"


def parse(wards, push_platforms=tuple(Platform), **fields):
    payload = {"category": "roads", "description": "Ổ gà", "ward_code": "31321", **fields}
    return parse_submission(payload, wards=wards, max_photos=5, service_area_margin_m=2000,
                            push_platforms=push_platforms)


def refusal(wards, **fields) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        parse(wards, **fields)
    return refused.value


def test_a_push_registration_is_optional(wards):
    assert parse(wards).push_device is None


def test_an_fcm_token_is_kept_as_given_and_an_apns_token_in_one_spelling(wards):
    assert parse(wards, push={"platform": "fcm", "token": FCM_TOKEN}).push_device == PushDevice(Platform.FCM, FCM_TOKEN)
    apns = parse(wards, push={"platform": "apns", "token": APNS_TOKEN.upper()}).push_device
    assert apns == PushDevice(Platform.APNS, APNS_TOKEN)


@pytest.mark.parametrize("push, code, field", [
    ("fcm", "invalid_type", "push"),
    ({"token": FCM_TOKEN}, "missing_field", "push.platform"),
    ({"platform": "GCM", "token": FCM_TOKEN}, "invalid_push_platform", "push.platform"),
    ({"platform": "fcm"}, "missing_field", "push.token"),
    ({"platform": "fcm", "token": 12345}, "invalid_type", "push.token"),
    ({"platform": "fcm", "token": "short:token"}, "invalid_push_token", "push.token"),
    ({"platform": "fcm", "token": FCM_TOKEN + "/../x"}, "invalid_push_token", "push.token"),
    ({"platform": "fcm", "token": "a" * 2000}, "too_long", "push.token"),
    ({"platform": "apns", "token": FCM_TOKEN}, "invalid_push_token", "push.token"),
    ({"platform": "apns", "token": APNS_TOKEN[:-1]}, "invalid_push_token", "push.token"),
    ({"platform": "apns", "token": "ab" * 201}, "invalid_push_token", "push.token"),
])
def test_a_malformed_registration_is_refused_naming_the_field_without_echoing_the_token(wards, push, code, field):
    refused = refusal(wards, push=push)
    assert (refused.code, refused.details) == (code, {"field": field})
    token = push.get("token") if isinstance(push, dict) else None
    if isinstance(token, str):
        assert token not in repr(refused.message)


def test_a_push_service_the_deployment_has_no_application_for_is_refused(wards):
    refused = refusal(wards, push_platforms=(Platform.FCM,), push={"platform": "apns", "token": APNS_TOKEN})
    assert (refused.code, refused.details) == ("push_platform_unavailable", {"field": "push.platform"})


def test_the_retired_endpoint_field_is_refused_out_loud(wards):
    refused = refusal(wards, push_endpoint=ENDPOINT)
    assert (refused.code, refused.details) == ("push_endpoint_replaced", {"field": "push_endpoint"})


def test_the_device_never_shows_its_token():
    assert FCM_TOKEN not in repr(PushDevice(Platform.FCM, FCM_TOKEN))
    assert FCM_TOKEN not in str(PushDevice(Platform.FCM, FCM_TOKEN))
