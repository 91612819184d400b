"""With the console's URL set (PHANANH_CONSOLE_URL), each alert e-mail the system sends about a
report links to the report's page there: routing's new-report alert, a transfer's alert to the new
owner, and every escalation level."""

from dataclasses import replace
from datetime import timedelta

import pytest
from flows_on_fakes import deliver_changes, routed

from phananh.outbox import delivery
from phananh.outbox.effects import Effect, Kind
from phananh.processing import commands
from phananh.report.model import iso

CONSOLE = "http://127.0.0.1:8080/console"


@pytest.fixture
def console_settings(settings):
    return replace(settings, console_url=CONSOLE)


def test_the_routing_and_transfer_alerts_link_to_the_report(ports, console_settings, directory):
    report = routed(ports, console_settings)[0]
    link = f"{CONSOLE}/reports/{report.report_id}"
    assert ports.notifier.emails and all(link in email.body for email in ports.notifier.emails)
    sent = len(ports.notifier.emails)
    commands.transfer(directory.principal(directory.officer), report.report_id, "Thuộc Sở Xây dựng",
                      to_unit_id=directory.other.unit_id, ports=ports,
                      now=report.updated_at + timedelta(minutes=5))
    deliver_changes(ports, console_settings, now=report.updated_at + timedelta(minutes=5))
    new_owner = ports.notifier.emails[sent:]
    assert [email.recipients for email in new_owner] == [[directory.other_officer.email]]
    assert link in new_owner[0].body


def test_every_escalation_level_links_to_the_report(ports, console_settings, directory, wards):
    report = routed(ports, console_settings)[0]
    sent = len(ports.notifier.emails)
    for level in (1, 2):
        effect = Effect(Kind.ESCALATION, report.report_id, report.version, str(level), iso(report.acknowledge_due_at))
        delivery.deliver(effect, ports=ports, settings=console_settings, wards=wards, now=report.acknowledge_due_at)
    escalated = ports.notifier.emails[sent:]
    assert len(escalated) == 2 and all(
        email.body.endswith(f"{CONSOLE}/reports/{report.report_id}") for email in escalated
    )
