import json

import pytest

from phananh.adapters.events import UnreadableMessage, parse_upload_message
from phananh.routing.intake_item import IntakeItem

REPORT_ID = "PA261123QY9DA9AH"


def s3_notification(key: str) -> str:
    return json.dumps({"Records": [{"eventName": "ObjectCreated:Post", "s3": {"object": {"key": key}}}]})


def test_a_reporters_photo_and_an_after_photo_are_told_apart():
    [photo] = parse_upload_message(s3_notification(f"quarantine/{REPORT_ID}/2"))
    [after] = parse_upload_message(s3_notification(f"quarantine/{REPORT_ID}/r1"))
    assert photo == IntakeItem("photo", REPORT_ID, 2)
    assert after == IntakeItem("photo", REPORT_ID, 1, photo_kind="r")
    assert (photo.upload_key, after.upload_key) == (f"quarantine/{REPORT_ID}/2", f"quarantine/{REPORT_ID}/r1")


def test_the_photos_of_each_questions_answer_have_keys_of_their_own():
    [first] = parse_upload_message(s3_notification(f"quarantine/{REPORT_ID}/q1a2"))
    [third] = parse_upload_message(s3_notification(f"quarantine/{REPORT_ID}/q3a1"))
    assert (first.question_number, first.photo_index, first.upload_key) == (1, 2, f"quarantine/{REPORT_ID}/q1a2")
    assert (third.question_number, third.photo_index) == (3, 1)


@pytest.mark.parametrize("name", ["r", "x1", "r0", "rr1", "1r", "../1", "a1", "q1", "q0a1", "qa1", "q1a", "q10a1"])
def test_other_upload_names_are_not_ours(name):
    with pytest.raises(UnreadableMessage):
        parse_upload_message(s3_notification(f"quarantine/{REPORT_ID}/{name}"))


def test_the_route_function_takes_no_upload_notification():
    """Uploads go to the photo check's queue; one on the routing queue is never checked there."""
    from phananh.adapters.events import parse_intake_message

    with pytest.raises(UnreadableMessage):
        parse_intake_message(s3_notification(f"quarantine/{REPORT_ID}/1"))
