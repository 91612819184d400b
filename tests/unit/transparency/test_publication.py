"""Publication beside the workflow: the moves of a report's publication, the gate at routing, and
the ~100 m grid a photo's point is shown on."""

import itertools
import math
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from phananh.report.lifecycle import Action, Publication, Status, is_public, next_publication
from phananh.report.model import Location, Report
from phananh.routing.geo import METRES_PER_DEGREE, haversine_m, snap_to_grid
from phananh.shared.errors import StateConflict
from phananh.transparency import publication
from phananh.transparency.items import location_view

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def report(**changes) -> Report:
    fields = dict(
        report_id="PA261201AAAAAAAA", version=1, status=Status.RECEIVED, source="app", category_code="roads",
        description="Ổ gà lớn trước chợ", location=Location(9.779, 105.47), ward_code="31321", address=None,
        photo_count=0, tracking_token_hash="x", contact_ciphertext=None, contact_shared=False,
        created_at=NOW, updated_at=NOW,
    )
    return replace(Report(**fields), **changes)


@pytest.mark.parametrize(("current", "action", "target"), [
    (Publication.HELD, Action.PUBLISH, Publication.PUBLISHED),
    (Publication.UNPUBLISHED, Action.PUBLISH, Publication.PUBLISHED),
    (Publication.PUBLISHED, Action.UNPUBLISH, Publication.UNPUBLISHED),
    (Publication.HELD, Action.UNPUBLISH, Publication.UNPUBLISHED),
])
def test_a_coordinator_publishes_or_unpublishes(current, action, target):
    assert next_publication(current, action) is target


@pytest.mark.parametrize(("current", "action"), [
    (Publication.PUBLISHED, Action.PUBLISH), (Publication.UNPUBLISHED, Action.UNPUBLISH),
])
def test_publishing_twice_or_unpublishing_twice_is_a_conflict(current, action):
    with pytest.raises(StateConflict) as refused:
        next_publication(current, action)
    assert refused.value.details["current"] == {"publication": str(current)}


def test_only_a_published_report_in_a_public_state_is_public():
    assert is_public(Status.ASSIGNED, Publication.PUBLISHED)
    assert not is_public(Status.ASSIGNED, Publication.HELD)
    assert not is_public(Status.CLOSED, Publication.UNPUBLISHED)
    assert not is_public(Status.REJECTED, Publication.PUBLISHED)
    assert not is_public(Status.RECEIVED, Publication.PUBLISHED)


def test_routing_publishes_a_plain_report_at_once():
    assert publication.at_routing(report()) == (Publication.PUBLISHED, ())


def test_routing_holds_a_report_of_a_field_reviewed_first():
    assert publication.at_routing(report(category_code="security")) == (Publication.HELD, ("review_first",))


def test_routing_holds_a_report_whose_public_text_carries_personal_data_and_names_each_kind():
    held = report(description="Gọi 0912345678 hoặc a@b.vn", address="Nhà ông B, CCCD 079203001234")
    assert publication.at_routing(held) == (Publication.HELD, ("phone", "email", "national_id"))
    assert set(publication.HOLD_GROUNDS) >= {"review_first", "phone", "email", "national_id"}


def test_a_point_snaps_to_the_centre_of_its_100_m_cell_the_same_way_every_time():
    point = (9.77913, 105.47027)
    snapped = snap_to_grid(*point, 100)
    assert snapped == snap_to_grid(*point, 100)
    assert 0 < haversine_m(*point, *snapped) <= 71  # at most half the diagonal of a 100 m cell
    # Every point of the cell gives the same centre, so many reads cannot be averaged back.
    nearby = {snap_to_grid(snapped[0] + dlat, snapped[1] + dlon, 100)
              for dlat, dlon in itertools.product((-3e-4, 0, 3e-4), repeat=2)}
    assert nearby == {snapped}


@pytest.mark.parametrize("lat", [8.6, 10.03, 16.05, 21.03, 23.3])
def test_cells_are_about_100_m_wide_across_vietnam(lat):
    west = snap_to_grid(lat, 105.0, 100)
    east = snap_to_grid(west[0], west[1] + 100 / (METRES_PER_DEGREE * math.cos(math.radians(west[0]))), 100)
    north = snap_to_grid(west[0] + 100 / METRES_PER_DEGREE, west[1], 100)
    assert east[0] == west[0] and haversine_m(*west, *east) == pytest.approx(100, abs=1)
    assert (north[0] - west[0]) * METRES_PER_DEGREE == pytest.approx(100, abs=1)


def test_only_a_point_from_a_photo_is_rounded_and_never_for_those_who_see_it_exactly():
    given = Location(9.77913, 105.47027)
    from_photo = Location(9.77913, 105.47027, from_photo=True)
    assert location_view(given, exact=False) == {
        "location": {"lat": 9.77913, "lon": 105.47027}, "location_rounded_to_m": None,
    }
    assert location_view(from_photo, exact=True)["location"] == {"lat": 9.77913, "lon": 105.47027}
    rounded = location_view(from_photo, exact=False)
    assert rounded["location_rounded_to_m"] == 100
    assert rounded["location"] == dict(zip(("lat", "lon"), snap_to_grid(9.77913, 105.47027, 100), strict=True))
    assert location_view(None, exact=False) == {"location": None, "location_rounded_to_m": None}
