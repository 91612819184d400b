"""The ReportStore contract: the fake and the DynamoDB adapter keep, change and list reports alike."""

import math
from dataclasses import replace
from datetime import timedelta, timezone

import pytest
from fakes import FakeIdempotencyStore, FakeReportStore, ReportExists
from pynamodb.exceptions import TransactWriteError
from sample_reports import FILED_AT, assigned, event_of, filed_event, received

from phananh.adapters.dynamo.claims import DynamoIdempotencyStore
from phananh.adapters.dynamo.reports import DynamoReportStore
from phananh.report.lifecycle import Action, Publication, Status
from phananh.report.model import ContactView, Location, Photo, Rating, Result
from phananh.report.ports import ClaimTaken, FiledClaim
from phananh.routing.geo import METRES_PER_DEGREE
from phananh.routing.latitude_bands import BAND_DEG
from phananh.shared.errors import InvalidInput, StateConflict

HOUR = timedelta(hours=1)


@pytest.fixture
def store(implementation):
    return FakeReportStore() if implementation == "fake" else DynamoReportStore()


def created(store, report):
    store.create(report, filed_event(report))
    return report


def changed(store, before, action=Action.ACKNOWLEDGE, **fields):
    after = before.changed(before.updated_at + HOUR, **fields)
    store.save_change(before, after, event_of(after, action, before=before))
    return after


@pytest.fixture
def claims_and_store(implementation):
    if implementation == "fake":
        claims = FakeIdempotencyStore()
        return claims, FakeReportStore(claims)
    return DynamoIdempotencyStore(), DynamoReportStore()


def filed_claim(report, key="reports:key-of-the-contract", *, now=1_000, expires_at=2_000):
    return FiledClaim(key=key, request_hash="hash", expires_at=expires_at, caller="device-pseudonym",
                      report_id=report.report_id, response={"report_id": report.report_id}, now=now)


# --- keeping and changing ------------------------------------------------------------------------

def test_a_report_filed_with_its_claim_writes_both_and_a_taken_key_writes_neither(claims_and_store):
    claims, store = claims_and_store
    first = received()
    store.create(first, filed_event(first), filed_claim(first))
    kept = claims.get(filed_claim(first).key, now=1_500)
    assert (kept.state, kept.response, kept.report_id) == ("COMPLETED", {"report_id": first.report_id}, first.report_id)
    second = received()
    with pytest.raises(ClaimTaken):
        store.create(second, filed_event(second), filed_claim(second, now=1_500))
    assert store.get(second.report_id) is None and store.events(second.report_id) == []
    # Expired by `now`, the earlier claim counts as absent (TTL deletes it late).
    store.create(second, filed_event(second), filed_claim(second, now=2_500, expires_at=9_000))
    assert claims.get(filed_claim(first).key, now=2_500).report_id == second.report_id
    assert claims.get(filed_claim(first).key, now=9_001) is None


def test_a_created_report_reads_back_as_it_was_written(store):
    photo = Photo(state="checked", image_key="public/x.jpg", thumbnail_key="public/x_t.jpg", width=640, height=480,
                  perceptual_hash="ffee")
    report = created(store, assigned(photos={"1": photo, "2": Photo(state="rejected", reason="not_an_image")},
                                     result=Result(note="done", at=FILED_AT, officer="officer-1", photo_count=1),
                                     result_photos={"1": photo}, held_for=("pii",),
                                     rating=Rating(score=4, fixed=True, comment="ok", comment_hidden=False,
                                                   at=FILED_AT + HOUR, resolved_at=FILED_AT, by="reporter")))
    assert store.get(report.report_id) == report
    assert store.get("PA260302NOTTHERE") is None


def test_the_named_assignee_is_kept_and_cleared(store):
    report = created(store, assigned())
    named = changed(store, report, Action.ASSIGN_OFFICER, assignee_id="so_xay_dung.officer")
    assert store.get(report.report_id).assignee_id == "so_xay_dung.officer"
    # The console's queue reads the owner_queue index: the name is there too.
    assert [queued.assignee_id for queued in store.owner_queue(report.owner_unit_id, report.status)] == [
        "so_xay_dung.officer"]
    changed(store, named, Action.ASSIGN_OFFICER, assignee_id=None)
    assert store.get(report.report_id).assignee_id is None


def test_an_id_is_created_once(store):
    report = created(store, received())
    with pytest.raises((ReportExists, TransactWriteError)):
        store.create(replace(report, description="another"), filed_event(report))
    assert store.get(report.report_id).description == report.description


def test_a_change_saved_on_the_version_it_was_decided_on_is_kept_with_its_event(store):
    report = created(store, assigned())
    after = changed(store, report, status=Status.ACKNOWLEDGED)
    assert store.get(report.report_id) == after
    assert [event.version for event in store.events(report.report_id)] == [1, 2]
    assert store.events(report.report_id)[1].action is Action.ACKNOWLEDGE


def test_a_change_decided_on_an_older_version_is_refused_and_changes_nothing(store):
    report = created(store, assigned())
    current = changed(store, report)
    stale = report.changed(report.updated_at + 2 * HOUR, description="written over")
    with pytest.raises(StateConflict) as refused:
        store.save_change(report, stale, event_of(stale, Action.NOTE))
    assert refused.value.code == "version_conflict"
    assert refused.value.details == {"current": {"report_id": report.report_id}}
    assert store.get(report.report_id) == current
    assert len(store.events(report.report_id)) == 2


def test_a_change_of_a_report_never_created_is_a_conflict(store):
    ghost = assigned()
    with pytest.raises(StateConflict):
        changed(store, ghost)
    assert store.get(ghost.report_id) is None


def test_changes_saved_together_are_kept_all_or_not_at_all(store):
    kept, merged = created(store, assigned()), created(store, assigned())
    moved_on = changed(store, merged)
    keeping = kept.changed(kept.updated_at + HOUR, merged_reports=(merged.report_id,))
    merging = merged.changed(merged.updated_at + HOUR, merged_into=kept.report_id)  # decided on version 1
    with pytest.raises(StateConflict) as refused:
        store.save_changes([
            (kept, keeping, event_of(keeping, Action.ABSORB, before=kept)),
            (merged, merging, event_of(merging, Action.MERGE, before=merged)),
        ])
    assert refused.value.details["current"]["report_id"] == kept.report_id
    assert store.get(kept.report_id) == kept
    assert store.get(merged.report_id) == moved_on
    assert len(store.events(kept.report_id)) == 1

    merging = moved_on.changed(moved_on.updated_at + HOUR, merged_into=kept.report_id)
    store.save_changes([
        (kept, keeping, event_of(keeping, Action.ABSORB, before=kept)),
        (moved_on, merging, event_of(merging, Action.MERGE, before=moved_on)),
    ])
    assert store.get(kept.report_id).merged_reports == (merged.report_id,)
    assert store.get(merged.report_id).merged_into == kept.report_id


def test_what_a_reader_changes_in_its_copy_is_not_stored(store):
    report = created(store, assigned(photos={"1": Photo(state="checked")}))
    copy = store.get(report.report_id)
    copy.photos["1"] = Photo(state="rejected", reason="tampered")
    assert store.get(report.report_id).photos == {"1": Photo(state="checked")}


def test_contact_views_are_kept_apart_from_the_trail_in_time_order(store):
    report = created(store, assigned())
    first = ContactView(report.report_id, FILED_AT + HOUR, "officer-1", "call back", Status.ASSIGNED)
    second = ContactView(report.report_id, FILED_AT + 2 * HOUR, "officer-2", "visit", Status.ASSIGNED)
    store.record_contact_view(second)
    store.record_contact_view(first)
    store.record_contact_view(first)  # the same view in the same second: a second record
    assert store.contact_views(report.report_id) == [first, first, second]
    assert [event.version for event in store.events(report.report_id)] == [1]


# --- lists ---------------------------------------------------------------------------------------

def test_nearby_lists_the_reports_of_the_field_still_being_handled_around_a_point(store):
    here = created(store, assigned(at=FILED_AT))
    next_door = created(store, assigned(at=FILED_AT + HOUR, location=Location(9.7791, 105.4701)))
    created(store, assigned(category_code="lighting"))
    created(store, assigned(status=Status.CLOSED))
    created(store, assigned(location=Location(10.5, 106.5)))
    found = store.nearby("roads", 9.779, 105.47, 150)
    assert sorted(report.report_id for report in found) == sorted([here.report_id, next_door.report_id])


def test_nearby_finds_a_report_across_a_latitude_band_edge_and_not_beyond_the_radius(store):
    edge = math.ceil(9.779 / BAND_DEG) * BAND_DEG
    across = created(store, assigned(location=Location(edge + 30 / METRES_PER_DEGREE, 105.47)))
    east_of_the_circle = created(store, assigned(location=Location(edge - 10 / METRES_PER_DEGREE, 105.48)))
    found = {report.report_id for report in store.nearby("roads", edge - 10 / METRES_PER_DEGREE, 105.47, 50)}
    assert across.report_id in found
    assert east_of_the_circle.report_id not in found


def every_page(read, **kwargs):
    """The items of every page a paged read gives, following its cursors."""
    items, cursor, pages = [], None, 0
    while True:
        page = read(cursor=cursor, **kwargs)
        items += page.items
        pages += 1
        if not page.cursor:
            return items, pages
        cursor = page.cursor


def test_the_public_feed_lists_public_reports_the_latest_published_first_in_pages(store):
    reports = [created(store, assigned(at=FILED_AT + n * HOUR)) for n in range(5)]
    created(store, assigned(at=FILED_AT + 9 * HOUR, publication=Publication.HELD))
    created(store, received(created_at=FILED_AT + 9 * HOUR))
    items, pages = every_page(store.published, limit=2)
    assert [report.report_id for report in items] == [report.report_id for report in reversed(reports)]
    assert pages == 3


def test_the_public_feed_filters_what_each_page_read(store):
    in_ward = [created(store, assigned(at=FILED_AT + n * HOUR)) for n in (0, 1)]
    created(store, assigned(at=FILED_AT + 2 * HOUR, ward_code="93102"))
    acknowledged = created(store, assigned(at=FILED_AT + 3 * HOUR, status=Status.ACKNOWLEDGED))
    items, _ = every_page(store.published, limit=2, ward_code="93101")
    assert [report.report_id for report in items] == [acknowledged.report_id] + [
        report.report_id for report in reversed(in_ward)
    ]
    # The first page read the acknowledged report and the other ward's: it keeps one.
    first_page = store.published(limit=2, cursor=None, ward_code="93101")
    assert [report.report_id for report in first_page.items] == [acknowledged.report_id]
    only_acknowledged, _ = every_page(store.published, limit=10, status=Status.ACKNOWLEDGED)
    assert [report.report_id for report in only_acknowledged] == [acknowledged.report_id]


def test_a_field_is_read_from_its_own_partition_and_its_cursor_stays_there(store):
    lights = [created(store, assigned(at=FILED_AT + n * HOUR, category_code="lighting")) for n in range(3)]
    created(store, assigned(at=FILED_AT + 5 * HOUR))
    items, pages = every_page(store.published, limit=2, category_code="lighting")
    assert [report.report_id for report in items] == [report.report_id for report in reversed(lights)]
    assert pages == 2
    cursor = store.published(limit=2, cursor=None, category_code="lighting").cursor
    with pytest.raises(InvalidInput) as refused:
        store.published(limit=2, cursor=cursor)
    assert refused.value.code == "invalid_cursor"


@pytest.mark.parametrize("cursor", ["not-a-cursor", "W10", "WyJhIiwiYiJd"])
def test_a_cursor_not_given_by_the_store_is_refused(store, cursor):
    with pytest.raises(InvalidInput) as refused:
        store.published(limit=2, cursor=cursor)
    assert refused.value.details == {"field": "cursor"}


def test_the_review_queue_lists_held_reports_the_longest_waiting_first(store):
    held = [created(store, assigned(at=FILED_AT + n * HOUR, publication=Publication.HELD)) for n in (2, 0, 1)]
    created(store, assigned(at=FILED_AT))
    items, pages = every_page(store.awaiting_review, limit=2)
    assert [report.report_id for report in items] == [held[1].report_id, held[2].report_id, held[0].report_id]
    assert pages == 2
    assert store.published(limit=10, cursor=None).items[0].publication is Publication.PUBLISHED


def test_a_units_queue_lists_one_state_the_earliest_deadline_first(store):
    queue = [created(store, assigned("unit-a", at=FILED_AT + n * HOUR)) for n in (1, 0, 2)]
    created(store, assigned("unit-a", status=Status.ACKNOWLEDGED))
    created(store, assigned("unit-b"))
    items, pages = every_page(store.unit_queue, unit_id="unit-a", status=Status.ASSIGNED, limit=2)
    assert [report.report_id for report in items] == [queue[1].report_id, queue[0].report_id, queue[2].report_id]
    assert pages == 2
    assert [report.report_id for report in store.owner_queue("unit-a", Status.ASSIGNED)] == [
        queue[1].report_id, queue[0].report_id, queue[2].report_id
    ]


def test_due_by_lists_the_reports_of_a_state_whose_deadline_has_come_the_earliest_first(store):
    late, later = created(store, assigned(at=FILED_AT + HOUR)), created(store, assigned(at=FILED_AT))
    created(store, assigned(at=FILED_AT + 10 * HOUR))
    created(store, assigned(at=FILED_AT, status=Status.ACKNOWLEDGED))
    due = store.due_by(Status.ASSIGNED, FILED_AT + timedelta(days=1, hours=1))
    assert [report.report_id for report in due] == [later.report_id, late.report_id]


def test_published_requested_between_reads_a_window_of_the_feed_within_its_budget(store):
    reports = [created(store, assigned(at=FILED_AT + n * HOUR)) for n in range(6)]
    window = list(store.published_requested_between(
        FILED_AT + HOUR, FILED_AT + 4 * HOUR, published_by=FILED_AT + 5 * HOUR, read_limit=10,
    ))
    assert [report.report_id for report in window] == [report.report_id for report in reversed(reports[1:5])]
    budgeted = list(store.published_requested_between(
        FILED_AT, FILED_AT + 4 * HOUR, published_by=FILED_AT + 5 * HOUR, read_limit=2,
    ))
    # The budget counts what was read: the latest published (filed after the window) uses one.
    assert [report.report_id for report in budgeted] == [reports[4].report_id]


def test_published_requested_between_reads_from_published_from_what_was_filed_before_it(store):
    # Filed the day before and published in the window (a daily snapshot's day), or filed and published before it.
    held = created(store, assigned(at=FILED_AT + 2 * HOUR, created_at=FILED_AT - 20 * HOUR))
    created(store, assigned(at=FILED_AT + HOUR))
    window = list(store.published_requested_between(
        FILED_AT - 30 * HOUR, FILED_AT + 4 * HOUR, published_by=FILED_AT + 4 * HOUR, read_limit=10,
        published_from=FILED_AT + timedelta(minutes=90),
    ))
    assert [report.report_id for report in window] == [held.report_id]


def test_bounds_in_another_time_zone_mean_the_same_moments(store):
    # A public filter's day starts at midnight in Vietnam (UTC+7): 17:00 UTC the evening before.
    vietnam = timezone(timedelta(hours=7))
    evening_before = created(store, assigned(at=FILED_AT + HOUR, created_at=FILED_AT))
    start, end = (FILED_AT - HOUR).astimezone(vietnam), (FILED_AT + 2 * HOUR).astimezone(vietnam)
    window = list(store.published_requested_between(start, end, published_by=end, read_limit=10))
    assert [report.report_id for report in window] == [evening_before.report_id]
    assert [report.report_id for report in store.filed_between(start, end, read_limit=10)] == [
        evening_before.report_id
    ]
    assert list(store.published_requested_between(
        start + 2 * HOUR, end + HOUR, published_by=end + HOUR, read_limit=10,
    )) == []


def test_published_requested_between_merges_the_fields_asked_for(store):
    lights = created(store, assigned(at=FILED_AT + HOUR, category_code="lighting"))
    roads = created(store, assigned(at=FILED_AT + 2 * HOUR))
    created(store, assigned(at=FILED_AT + 3 * HOUR, category_code="trees"))
    window = list(store.published_requested_between(
        FILED_AT, FILED_AT + 5 * HOUR, published_by=FILED_AT + 5 * HOUR, read_limit=10,
        category_codes=["lighting", "roads"], statuses=[Status.ASSIGNED],
    ))
    assert [report.report_id for report in window] == [roads.report_id, lights.report_id]


def test_filed_between_lists_every_state_and_unit_filed_in_the_window_the_latest_first(store):
    # Across a month's end (the index is partitioned by month) and in states no queue holds.
    start = FILED_AT.replace(day=1) - timedelta(days=1)
    reports = [created(store, assigned(at=start + n * 12 * HOUR)) for n in range(4)]
    ended = changed(store, reports[1], Action.REJECT, status=Status.REJECTED)
    created(store, received(created_at=start - timedelta(days=40), updated_at=start - timedelta(days=40)))
    window = list(store.filed_between(start, start + 36 * HOUR, read_limit=10))
    assert [report.report_id for report in window] == [report.report_id for report in reversed(reports)]
    assert window[2].status is Status.REJECTED and window[2].version == ended.version
    assert len(list(store.filed_between(start, start + 36 * HOUR, read_limit=3))) == 3
