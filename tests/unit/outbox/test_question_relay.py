"""The owner unit's question relayed to the reporter by the outbox (phananh.outbox.delivery): pushed to
their app, else (or when the app is gone) by SMS and e-mail to the contact they left, opened only there;
once however often the change comes; never after the question stopped waiting; a failure that names nobody."""

from dataclasses import replace
from datetime import timedelta

import pytest
from fakes import PUSH
from flows_on_fakes import CONTACT, ROUTED_AT, deliver_changes, routed

from phananh.intake import answers
from phananh.outbox import delivery
from phananh.outbox.effects import Kind
from phananh.processing import commands
from phananh.report.ports import DeviceGone

ASKED = ROUTED_AT + timedelta(hours=1)
QUESTION = "Ổ gà nằm bên trái hay bên phải chợ?"


@pytest.fixture
def site_settings(settings):
    return replace(settings, site_url="https://phananh.example.vn")


def asked(ports, settings, officer, **reporter):
    report, token = routed(ports, settings, **reporter)
    commands.ask_reporter(officer, report.report_id, QUESTION, photo_requested=True, pause_working_days=3,
                          ports=ports, now=ASKED)
    return report.report_id, token


def test_a_reporter_with_the_app_gets_the_question_by_push_with_a_link_to_their_view(
        ports, site_settings, directory, officer):
    report_id, _ = asked(ports, site_settings, officer, push=PUSH, contact=CONTACT)
    pushes, emails = len(ports.notifier.pushes), len(ports.notifier.emails)
    delivered = deliver_changes(ports, site_settings, now=ASKED)
    assert [effect.kind for effect in delivered] == [Kind.QUESTION]
    (push,) = ports.notifier.pushes[pushes:]
    assert QUESTION in push.message and f"https://phananh.example.vn/mine/{report_id}" in push.message
    assert "ảnh" in push.message and "photo" in push.message
    # The app is enough: the contact is not opened, and no SMS or e-mail goes out.
    assert ports.notifier.sms == [] and len(ports.notifier.emails) == emails


def test_a_reporter_who_left_a_contact_gets_it_by_sms_and_e_mail_once(ports, site_settings, directory, officer):
    report_id, _ = asked(ports, site_settings, officer, contact=CONTACT)
    emails = len(ports.notifier.emails)
    changes = list(ports.reports.changes)
    delivery.forward(changes, ports=ports, settings=site_settings, now=ASKED)  # the stream batch twice
    deliver_changes(ports, site_settings, now=ASKED)
    (sms,) = ports.notifier.sms
    assert sms.phone == "+84" + CONTACT["phone"][1:] and QUESTION in sms.message and f"/mine/{report_id}" in sms.message
    (email,) = ports.notifier.emails[emails:]
    assert email.recipients == [CONTACT["email"]] and QUESTION in email.body
    # Nothing in the message says who the reporter is, or how else to reach them.
    assert CONTACT["email"] not in sms.message and CONTACT["phone"][1:] not in email.body


def test_a_question_answered_before_its_delivery_is_not_sent(ports, settings, directory, officer):
    report_id, token = asked(ports, settings, officer, contact=CONTACT)
    answers.answer_question(report_id, token, {"text": "Bên trái"}, ports=ports, now=ASKED + timedelta(minutes=1))
    deliver_changes(ports, settings, now=ASKED + timedelta(minutes=1))
    assert ports.notifier.sms == []


def test_a_second_question_is_relayed_too_and_the_answer_between_is_not(ports, settings, directory, officer):
    report_id, token = asked(ports, settings, officer, contact=CONTACT)
    deliver_changes(ports, settings, now=ASKED)
    answers.answer_question(report_id, token, {"text": "Bên trái"}, ports=ports, now=ASKED + timedelta(hours=1))
    commands.ask_reporter(officer, report_id, "Ổ gà rộng bao nhiêu?", pause_working_days=3, ports=ports,
                          now=ASKED + timedelta(hours=2))
    assert [effect.kind for effect in deliver_changes(ports, settings, now=ASKED + timedelta(hours=2))] == [
        Kind.QUESTION]
    first, second = ports.notifier.sms
    assert QUESTION in first.message and "Ổ gà rộng bao nhiêu?" in second.message


def test_a_reporter_with_no_way_to_be_reached_reads_it_with_the_token(ports, settings, directory, officer):
    asked(ports, settings, officer)
    emails = len(ports.notifier.emails)
    assert [effect.kind for effect in deliver_changes(ports, settings, now=ASKED)] == [Kind.QUESTION]
    assert ports.notifier.sms == [] and len(ports.notifier.emails) == emails


def test_a_failed_sms_is_retried_and_what_it_raises_names_no_number(ports, settings, directory, officer):
    asked(ports, settings, officer, contact={"phone": CONTACT["phone"]})

    def refused(phone, message):
        raise RuntimeError(f"Invalid parameter: PhoneNumber {phone}")

    ports.notifier.send_sms = refused
    with pytest.raises(delivery.RelayFailed) as failed:
        deliver_changes(ports, settings, now=ASKED)
    # The outbox logs what a channel raised, traceback included: neither may carry the number.
    assert str(failed.value) == "RuntimeError" and failed.value.__cause__ is None
    assert failed.value.__suppress_context__
    del ports.notifier.send_sms  # the fake's own method again: the redelivery sends it once
    deliver_changes(ports, settings, now=ASKED + timedelta(minutes=5))
    assert len(ports.notifier.sms) == 1


def test_a_reporter_whose_app_is_gone_gets_it_by_sms_and_e_mail_instead_once(ports, site_settings, directory,
                                                                              officer, caplog):
    report_id, _ = asked(ports, site_settings, officer, push=PUSH, contact=CONTACT)
    emails = len(ports.notifier.emails)
    pushes_tried = []

    def gone(device, message):
        pushes_tried.append(message)
        raise DeviceGone("EndpointDisabled")

    ports.notifier.push_to_device = gone
    caplog.set_level("INFO", logger="phananh")
    changes = list(ports.reports.changes)
    delivery.forward(changes, ports=ports, settings=site_settings, now=ASKED)  # the stream batch twice
    deliver_changes(ports, site_settings, now=ASKED)
    (sms,) = ports.notifier.sms
    assert QUESTION in sms.message and f"/mine/{report_id}" in sms.message
    (email,) = ports.notifier.emails[emails:]
    assert email.recipients == [CONTACT["email"]] and QUESTION in email.body
    assert len(pushes_tried) == 1  # the second copy found every claim taken
    assert "app gone" in caplog.text and PUSH["token"] not in caplog.text and CONTACT["email"] not in caplog.text


def test_a_failed_fallback_sms_is_retried_alone_after_the_e_mail_went(ports, settings, directory, officer):
    asked(ports, settings, officer, push=PUSH, contact=CONTACT)
    emails = len(ports.notifier.emails)

    def gone(device, message):
        raise DeviceGone("EndpointDisabled")

    def refused(phone, message):
        raise RuntimeError(f"Invalid parameter: PhoneNumber {phone}")

    ports.notifier.push_to_device = gone
    ports.notifier.send_sms = refused
    with pytest.raises(delivery.RelayFailed):
        deliver_changes(ports, settings, now=ASKED)
    assert len(ports.notifier.emails) == emails + 1
    del ports.notifier.send_sms
    deliver_changes(ports, settings, now=ASKED + timedelta(minutes=5))  # the redelivery: the app is gone still
    assert len(ports.notifier.sms) == 1 and len(ports.notifier.emails) == emails + 1
    deliver_changes(ports, settings, now=ASKED + timedelta(minutes=10))  # and once more: nothing is left to send
    assert len(ports.notifier.sms) == 1 and len(ports.notifier.emails) == emails + 1


def test_a_reporter_whose_app_is_gone_and_who_left_no_contact_reads_it_with_the_token(ports, settings, directory,
                                                                                       officer):
    asked(ports, settings, officer, push=PUSH)
    emails = len(ports.notifier.emails)

    def gone(device, message):
        raise DeviceGone("EndpointDisabled")

    ports.notifier.push_to_device = gone
    assert [effect.kind for effect in deliver_changes(ports, settings, now=ASKED)] == [Kind.QUESTION]
    assert ports.notifier.sms == [] and len(ports.notifier.emails) == emails
