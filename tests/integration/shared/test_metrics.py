"""The EMF metrics the dashboard and alarms read (issue 7), as the functions really print them."""

import json

import boto3
import pytest
from report_flows import deliver, doubled_stream_pollers, file_report, queued_bodies, resolved_and_rated, routed_report

from phananh import bootstrap
from phananh.escalation import sweeper
from phananh.processing.principal import Principal
from phananh.report.model import utcnow
from phananh.shared import observability
from phananh.shared.settings import get_settings

OFFICER = Principal("so_xay_dung.officer", "so_xay_dung", frozenset({"officer"}))


@pytest.fixture
def emf(monkeypatch, capsys):
    """Reads the EMF lines printed so far: {metric name: [(value, dimensions)]}."""
    # Earlier tests ran with metrics disabled, which leaves what they added unflushed.
    observability.metrics.clear_metrics()
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    capsys.readouterr()

    def read() -> dict[str, list[tuple[float, dict[str, str]]]]:
        found: dict[str, list] = {}
        for line in capsys.readouterr().out.splitlines():
            if not line.startswith('{"_aws"'):
                continue
            record = json.loads(line)
            for directive in record["_aws"]["CloudWatchMetrics"]:
                assert directive["Namespace"] == "Phananh"
                (dimension_names,) = directive["Dimensions"]
                dimensions = {name: record[name] for name in dimension_names}
                for metric in directive["Metrics"]:
                    for value in record[metric["Name"]]:
                        found.setdefault(metric["Name"], []).append((value, dimensions))
        return found

    return read


def test_routing_reports_its_latency_in_seconds(aws, submit_api, route_api, emf):
    file_report(submit_api, category="roads")
    deliver(route_api, queued_bodies(aws))
    metrics = emf()
    [(routed, dimensions)] = metrics["ReportRouted"]
    [(latency, _)] = metrics["RoutingLatency"]
    assert routed == 1 and dimensions == {"service": "phananh"}
    assert 0 <= latency < 60


def test_the_sweeper_reports_the_overdue_backlog(aws, submit_api, route_api, emf, seeded):
    routed_report(aws, submit_api, route_api)
    emf()
    sweeper.sweep(ports=bootstrap.ports(), now=utcnow())
    # The schedule app's middleware flushes after each run; here the domain is called directly.
    observability.flush()
    assert [value for value, _ in emf()["OverdueReports"]] == [0]


def test_a_rating_reports_its_score_once_though_the_stream_redelivers(aws, submit_api, route_api, rate_api, emf):
    pollers = doubled_stream_pollers(aws)
    resolved_and_rated(aws, submit_api, route_api, rate_api, OFFICER, score=4)
    for poller in pollers:
        assert poller.poll_once() > 0
    assert emf()["SatisfactionScore"] == [(4.0, {"service": "phananh"})]


def test_each_escalation_level_fired_is_counted_once_by_level(aws, submit_api, route_api, rate_api, emf):
    pollers = doubled_stream_pollers(aws)
    receipt = routed_report(aws, submit_api, route_api)
    table = boto3.client("dynamodb")
    # What the escalation state machine's Update task writes when level 2 fires.
    table.update_item(
        TableName=get_settings().reports_table,
        Key={"report_id": {"S": receipt["report_id"]}},
        UpdateExpression=(
            "SET escalation_level = :level, escalation_due = :due, escalated_at = :now, escalated_by = :execution, "
            "version = version + :one"
        ),
        ExpressionAttributeValues={
            ":level": {"N": "2"}, ":due": {"S": "2026-01-01T00:00:00+00:00"},
            ":now": {"S": utcnow().isoformat()}, ":execution": {"S": "arn:aws:states:execution:test"},
            ":one": {"N": "1"},
        },
    )
    for poller in pollers:
        assert poller.poll_once() > 0
    assert emf()["Escalated"] == [(1.0, {"service": "phananh", "level": "2"})]
