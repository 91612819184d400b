import unicodedata

import pytest

from phananh.intake.submission import check_idempotency_key, parse_submission
from phananh.shared.errors import InvalidInput


def parse(wards, **fields):
    payload = {"category": "roads", "description": "Ổ gà", "ward_code": "31321", **fields}
    return parse_submission(payload, wards=wards, max_photos=5, service_area_margin_m=2000)


def test_a_minimal_report_needs_only_a_field_a_description_and_a_place(wards):
    submission = parse(wards)
    assert (submission.category_code, submission.ward_code, submission.photo_count) == ("roads", "31321", 0)
    assert submission.location is None and submission.contact is None


def test_text_is_stored_in_composed_form_and_trimmed(wards):
    decomposed = unicodedata.normalize("NFD", "  Đèn đường hỏng  ")
    assert parse(wards, description=decomposed).description == "Đèn đường hỏng"


def test_phone_numbers_are_normalised(wards):
    contact = parse(wards, contact={"phone": "+84 912.345-678"}).contact
    assert contact.phone == "+84912345678"
    assert contact.share_with_officer is False


@pytest.mark.parametrize("key", [
    "short", "has space in it", "x" * 129, "ümlaut-key-123",
    # Guessable: a readable or counting key, a time-based (version 1) or all-zero UUID, another spelling.
    "retry-key-0001", "3f1c9a52-demo-report-0001", "00000000-0000-0000-0000-000000000001",
    "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "{0b5c6a7e-2f1d-4c1b-9a57-3c0f8f6b2d11}",
    "0b5c6a7e2f1d4c1b9a573c0f8f6b2d11",
])
def test_malformed_idempotency_keys_are_refused(key):
    with pytest.raises(InvalidInput):
        check_idempotency_key(key)


def test_random_uuid_keys_are_accepted_in_one_spelling():
    assert check_idempotency_key("0B5C6A7E-2F1D-4C1B-9A57-3C0F8F6B2D11") == "0b5c6a7e-2f1d-4c1b-9a57-3c0f8f6b2d11"
