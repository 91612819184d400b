"""Report ids: what the generator writes is what every check recognises, and nothing else is looked up."""

import json
from datetime import UTC, datetime

import pytest

from phananh.adapters import events
from phananh.adapters.events import UnreadableMessage
from phananh.report.photo_keys import QUARANTINE_PREFIX
from phananh.shared.ids import is_report_id, new_report_id

FILED = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_a_new_id_names_its_day_and_is_recognised():
    ids = {new_report_id(FILED) for _ in range(200)}
    assert len(ids) == 200
    for report_id in ids:
        assert report_id.startswith("PA261123")
        assert is_report_id(report_id)
        # Read out over the phone: no I, L, O or U in the random part.
        assert not set(report_id[8:]) & set("ILOU")


@pytest.mark.parametrize("value", ["PA261123ABCDEFGH", "PA261123BROKEN00", "PA000000NOTHERE0"])
def test_any_eight_letters_or_digits_after_the_day_can_be_an_id(value):
    assert is_report_id(value)


@pytest.mark.parametrize("value", [
    "PA261123ABCDEFGH\n",  # a trailing newline: `$` would let it by
    " PA261123ABCDEFGH",
    "PA261123ABCDEFG",  # one short
    "PA261123ABCDEFGHI",  # one long
    "PAABCDEFABCDEFGH",  # the day must be digits
    "PA٢٦١١٢٣ABCDEFGH",  # and ASCII ones
    "pa261123abcdefgh",
    "PA261123ABCDEFG-",
    None, 261123, b"PA261123ABCDEFGH",
])
def test_nothing_else_is_an_id(value):
    assert not is_report_id(value)


def _upload_notice(key: str) -> str:
    return json.dumps({"Records": [{"eventName": "ObjectCreated:Post", "s3": {"object": {"key": key}}}]})


def test_an_upload_key_names_a_report_by_the_same_rule():
    report_id = new_report_id(FILED)
    [item] = events.parse_upload_message(_upload_notice(f"{QUARANTINE_PREFIX}{report_id}/1"))
    assert (item.report_id, item.photo_index) == (report_id, 1)
    with pytest.raises(UnreadableMessage):
        events.parse_upload_message(_upload_notice(f"{QUARANTINE_PREFIX}PAABCDEFABCDEFGH/1"))
