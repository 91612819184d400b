"""Where a transfer sends a report, as the officer says it: a unit, or "not ours"."""

import pytest

from phananh.processing.commands import transfer_destination
from phananh.shared.errors import InvalidInput


def test_a_named_unit_is_the_destination():
    assert transfer_destination("so_xay_dung", None) == "so_xay_dung"
    assert transfer_destination("so_xay_dung", False) == "so_xay_dung"


def test_not_ours_leaves_the_choice_to_the_coordinators_whatever_unit_is_named():
    assert transfer_destination(None, True) is None
    assert transfer_destination("so_xay_dung", True) is None


@pytest.mark.parametrize("not_ours", [None, False, "true", 1])
def test_saying_neither_is_refused(not_ours):
    with pytest.raises(InvalidInput) as error:
        transfer_destination(None, not_ours)
    assert (error.value.code, error.value.details["field"]) == ("missing_field", "to_unit_id")
