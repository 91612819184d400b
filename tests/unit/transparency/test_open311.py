"""Open311 GeoReport requests (transparency.open311) on the fake ports: a request filed as a report,
and published reports read back one at a time or by window, service and status."""

from datetime import timedelta

import pytest
from flows_on_fakes import ROUTED_AT, deliver_changes, routed

from phananh.intake import filing
from phananh.processing import commands
from phananh.report.lifecycle import Status
from phananh.shared.errors import InvalidInput, NotFound
from phananh.transparency import open311

NOW = ROUTED_AT + timedelta(hours=2)


def test_a_request_is_filed_as_a_report_the_same_way_as_through_the_app(ports, settings, directory):
    form = open311.request_form({"service_code": "PA-ROADS", "lat": "9.779", "long": "105.47",
                                 "description": "Ổ gà lớn trước chợ"})
    [answer] = open311.file_request(form, filing.Caller("203.0.113.7"), ports=ports, settings=settings, now=NOW)
    report = ports.reports.get(answer["service_request_id"])
    assert (report.status, report.category_code) == (Status.RECEIVED, "roads")
    deliver_changes(ports, settings, now=NOW)
    assert [routed.report_id for routed in ports.queues.routed] == [report.report_id]


def test_a_published_report_reads_as_a_service_request_and_others_do_not_exist(ports, settings, directory):
    public, _ = routed(ports, settings)
    [request] = open311.one_request(public.report_id, ports=ports, settings=settings)
    assert (request["status"], request["service_code"]) == ("open", "PA-ROADS")
    assert request["agency_responsible"] is not None
    held, _ = routed(ports, settings, description="Gọi 0961234580")
    for report_id in (held.report_id, "PA260302NOTTHERE", "not-an-id"):
        with pytest.raises(NotFound):
            open311.one_request(report_id, ports=ports, settings=settings)


def test_requests_are_listed_by_window_service_and_status_the_latest_first(ports, settings, directory):
    coordinator = directory.principal(directory.coordinator)
    roads = [routed(ports, settings, now=ROUTED_AT + timedelta(minutes=n))[0] for n in range(3)]
    lights = routed(ports, settings, now=ROUTED_AT + timedelta(minutes=5), category="lighting")[0]
    commands.reject(coordinator, roads[0].report_id, "spam", "x", ports=ports, now=NOW)
    listed = open311.list_requests({}, ports=ports, settings=settings, now=NOW)
    assert [request["service_request_id"] for request in listed] == [
        lights.report_id, roads[2].report_id, roads[1].report_id]
    only_roads = open311.list_requests({"service_code": "PA-ROADS", "status": "open"}, ports=ports,
                                       settings=settings, now=NOW)
    assert [request["service_request_id"] for request in only_roads] == [roads[2].report_id, roads[1].report_id]
    by_ids = open311.list_requests({"service_request_id": f"{roads[1].report_id},{roads[0].report_id}"},
                                   ports=ports, settings=settings, now=NOW)
    assert [request["service_request_id"] for request in by_ids] == [roads[1].report_id]
    second_page = open311.list_requests({"page_size": "2", "page": "2"}, ports=ports, settings=settings, now=NOW)
    assert [request["service_request_id"] for request in second_page] == [roads[1].report_id]
    with pytest.raises(InvalidInput):
        open311.list_requests({"service_code": "PA-NOPE"}, ports=ports, settings=settings, now=NOW)
