"""The outbox's two steps on the fake ports (phananh.outbox.delivery): changes forwarded as effects,
each effect delivered from the report as it is now, each channel once however often it comes."""

from dataclasses import replace
from datetime import timedelta

import pytest
from fakes import PUSH, Routed
from flows_on_fakes import ROUTED_AT, deliver_changes, filed, routed

from phananh.outbox import delivery
from phananh.outbox.effects import Effect, Kind, image_of
from phananh.processing import commands
from phananh.report.model import iso

NOW = ROUTED_AT + timedelta(hours=1)


def test_a_change_forwarded_twice_is_delivered_once(ports, settings, directory):
    report, _ = routed(ports, settings, push=PUSH)
    commands.acknowledge(directory.principal(directory.officer), report.report_id, ports=ports, now=NOW)
    changes = list(ports.reports.changes)
    delivery.forward(changes, ports=ports, settings=settings, now=NOW)  # a stream batch delivered twice
    deliver_changes(ports, settings, now=NOW)
    assert len(ports.notifier.pushes) == 2  # routed, acknowledged: each once


def test_a_report_awaiting_photos_is_routed_at_its_cutoff_counted_from_its_filing(ports, settings):
    report_id = filed(ports, settings, photo_count=1)["report_id"]
    late = ROUTED_AT + timedelta(seconds=settings.photo_cutoff_s)  # past the cutoff already
    deliver_changes(ports, settings, now=late)
    assert ports.queues.routed == [Routed(report_id, at_photo_cutoff=True, delay_s=0)]


def test_an_owner_alert_whose_owner_changed_since_is_dropped(ports, settings, directory, wards):
    report, _ = routed(ports, settings)
    sent = len(ports.notifier.emails)
    outdated = Effect(Kind.OWNER_ALERT, report.report_id, report.version, directory.other.unit_id)
    delivery.deliver(outdated, ports=ports, settings=settings, wards=wards, now=NOW)
    assert len(ports.notifier.emails) == sent


def test_with_shared_inboxes_a_new_report_is_e_mailed_once_to_its_unit_not_to_each_officer(ports, settings, directory):
    routed(ports, replace(settings, alert_unit_inbox=1))
    unit = ports.directory.unit(directory.officer.unit_id)
    assert [email.recipients for email in ports.notifier.emails] == [[unit.email]]


def test_a_failed_channel_fails_the_delivery_and_its_redelivery_sends_only_it(ports, settings, directory):
    publish = ports.notifier.publish_to_topic
    ports.notifier.publish_to_topic = lambda *args: (_ for _ in ()).throw(ConnectionError("SNS down"))
    with pytest.raises(ConnectionError):
        routed(ports, settings)
    emails = len(ports.notifier.emails)
    ports.notifier.publish_to_topic = publish
    deliver_changes(ports, settings, now=ROUTED_AT)  # the delivery queue's redelivery
    assert len(ports.notifier.emails) == emails and len(ports.notifier.published) == 1


def test_a_push_to_an_app_that_is_gone_is_done_with_not_retried_and_its_token_is_not_logged(ports, settings,
                                                                                           caplog):
    from phananh.report.ports import DeviceGone

    def gone(device, message):
        raise DeviceGone("EndpointDisabled")

    ports.notifier.push_to_device = gone
    caplog.set_level("INFO", logger="phananh")
    report, _ = routed(ports, settings, push=PUSH)  # no raise: nothing to retry
    assert ports.queues.deliveries == []
    assert ports.claims.claim(f"effect:{report.report_id}:v{report.version}:push:{report.report_id}:push",
                              "alert", 0, now=0).state == "COMPLETED"
    assert "app gone" in caplog.text and PUSH["token"] not in caplog.text


def test_an_effect_of_a_report_no_longer_held_is_dropped(ports, settings, wards):
    effect = Effect(Kind.PUSH, "PA260302GONE0000", 3, "PA260302GONE0000", "ACKNOWLEDGED")
    delivery.deliver(effect, ports=ports, settings=settings, wards=wards, now=NOW)
    assert ports.notifier.pushes == []


# -- an escalation level recorded: its messages, once per level and channel ----------------------


def _level(report, level):
    return Effect(Kind.ESCALATION, report.report_id, report.version, str(level), iso(report.acknowledge_due_at))


def _escalation_sent(ports, report_id):
    emails = [email for email in ports.notifier.emails if "Quá hạn" in email.subject and report_id in email.subject]
    texts = [text for text in ports.notifier.published if "Quá hạn" in text.body]
    return emails, texts


def test_each_level_is_sent_once_per_channel_however_often_it_is_delivered(ports, settings, directory, wards):
    report, _ = routed(ports, settings)
    for level in (1, 1, 2, 2):  # each level's effect delivered twice
        delivery.deliver(_level(report, level), ports=ports, settings=settings, wards=wards, now=NOW)
    emails, texts = _escalation_sent(ports, report.report_id)
    assert [(email.recipients, email.subject.split("]")[0]) for email in emails] == [
        ([directory.unit_head.email], "[Quá hạn cấp 1"), ([directory.coordinator.email], "[Quá hạn cấp 2"),
    ]
    # The ward's phones through its topic; the coordinators have none.
    assert [text.topic_arn for text in texts] == [directory.ward.topic_arn]


def test_a_level_failing_on_one_channel_is_retried_on_that_channel_alone(ports, settings, directory, wards):
    report, _ = routed(ports, settings)
    publish = ports.notifier.publish_to_topic
    ports.notifier.publish_to_topic = lambda *args: (_ for _ in ()).throw(ConnectionError("SNS down"))
    with pytest.raises(ConnectionError):
        delivery.deliver(_level(report, 1), ports=ports, settings=settings, wards=wards, now=NOW)
    assert len(_escalation_sent(ports, report.report_id)[0]) == 1
    ports.notifier.publish_to_topic = publish
    delivery.deliver(_level(report, 1), ports=ports, settings=settings, wards=wards, now=NOW)  # its redelivery
    emails, texts = _escalation_sent(ports, report.report_id)
    assert len(emails) == 1 and [text.topic_arn for text in texts] == [directory.ward.topic_arn]


def test_a_level_recorded_is_sent_though_the_report_was_acknowledged_since(ports, settings, directory, wards):
    report, _ = routed(ports, settings)
    commands.acknowledge(directory.principal(directory.officer), report.report_id, ports=ports, now=NOW)
    delivery.deliver(_level(report, 1), ports=ports, settings=settings, wards=wards, now=NOW)
    [email], _ = _escalation_sent(ports, report.report_id)
    assert "chưa được tiếp nhận" in email.body  # still the acknowledge deadline's level, not the resolve one's


def test_a_level_recorded_on_the_stream_is_delivered_through_the_outbox(ports, settings, directory, wards):
    report, _ = routed(ports, settings)
    before = image_of(report)
    escalated = replace(report, escalation_level=1, escalation_due=report.acknowledge_due_at, escalated_at=NOW,
                        version=report.version + 1)
    delivery.forward([(before, image_of(escalated))] * 2, ports=ports, settings=settings, now=NOW)  # twice
    deliver_changes(ports, settings, now=NOW)
    emails, texts = _escalation_sent(ports, report.report_id)
    assert [email.recipients for email in emails] == [[directory.unit_head.email]] and len(texts) == 1
