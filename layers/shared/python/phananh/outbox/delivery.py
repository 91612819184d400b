"""The outbox's two steps: each change of a report forwarded as its effects (the routing message to
the intake queue, every other effect to the delivery queue), then each effect delivered on its own.

Both steps run at least once per change (a stream batch, a queue message may come again): forwarding
twice queues an effect twice, and delivering it twice sends nothing twice, each channel being sent
under its leased claim named by the effect's occasion key (phananh.escalation.alerts.send_once).
An effect is delivered from the report as it is now: one whose occasion has passed (the report
transferred on again, the assignee changed) is dropped, the later change having its own. An
escalation level is the exception: once recorded it is sent (see `_escalate`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from phananh.escalation import alerts, notices, sweeper
from phananh.outbox.effects import Effect, Kind, effects_of
from phananh.ports import Ports
from phananh.report.deadlines import WATCHED, current_deadline, resolve_deadline
from phananh.report.lifecycle import ENDED_STATES, Status
from phananh.report.model import Report, iso, parse_iso
from phananh.report.ports import DeviceGone
from phananh.routing.geo import WardDirectory
from phananh.shared.observability import count, logger
from phananh.shared.settings import Settings
from phananh.transparency import following
from phananh.transparency.ports import Follow

Image = dict[str, Any]


def forward(changes: Iterable[tuple[Image | None, Image | None]], *, ports: Ports, settings: Settings,
            now: datetime) -> list[Effect]:
    """Queue the effects of these changes (images before and after); the effects queued."""
    queued: list[Effect] = []
    deliveries: list[dict[str, Any]] = []
    for old, new in changes:
        for effect in effects_of(old, new):
            if effect.kind is Kind.ROUTE:
                _send_to_routing(new, ports=ports, settings=settings, now=now)
            else:
                deliveries.append(effect.to_message())
            queued.append(effect)
    if deliveries:
        ports.queues.send_deliveries(deliveries)
    return queued


def _send_to_routing(new: Image, *, ports: Ports, settings: Settings, now: datetime) -> None:
    """A report filed without photos is routed now; one awaiting photos at its photo cutoff (its
    photos' checks route it sooner, once they all arrived)."""
    report_id = new["report_id"]
    if not int(new.get("photo_count") or 0):
        ports.queues.send_to_routing(report_id)
        return
    cutoff = parse_iso(new["created_at"]) + timedelta(seconds=settings.photo_cutoff_s)
    ports.queues.send_to_routing_at_photo_cutoff(report_id, delay_s=max(0, int((cutoff - now).total_seconds())))


def deliver(effect: Effect, *, ports: Ports, settings: Settings, wards: WardDirectory, now: datetime) -> None:
    """Send what `effect` calls for, each channel once; raises (to be retried) if a channel failed."""
    report = ports.reports.get(effect.report_id)
    if report is None:
        logger.info("effect of a report no longer held; dropped", extra={"report_id": effect.report_id})
        return
    console_url = settings.console_url
    if effect.kind is Kind.OWNER_ALERT:
        if report.owner_unit_id != effect.target:
            count("EffectOutdated")
            return
        alerts.alert_owner(report, occasion_key=_claim_prefix(effect), wards=wards, ports=ports, now=now,
                           console_url=console_url, unit_inbox=settings.alert_unit_inbox == 1)
    elif effect.kind is Kind.ASSIGNEE_ALERT:
        officer = ports.directory.officer(effect.target)
        if report.assignee_id != effect.target or officer is None:
            count("EffectOutdated")
            return
        alerts.alert_assignee(report, officer, occasion_key=_claim_prefix(effect), wards=wards, ports=ports,
                              now=now, console_url=console_url)
    elif effect.kind is Kind.PUSH:
        _push(effect, lambda reporter: notices.status_message(reporter, Status(effect.detail)), ports=ports, now=now)
    elif effect.kind is Kind.FOLLOWERS:
        _tell_followers(effect, report, ports=ports, settings=settings, wards=wards, now=now)
    elif effect.kind is Kind.FOLLOW_CONFIRMATION:
        _ask_to_confirm(effect, report, ports=ports, settings=settings, wards=wards, now=now)
    elif effect.kind is Kind.RATING_REMINDER:
        _push(effect, notices.rating_reminder_message, ports=ports, now=now)
    elif effect.kind is Kind.ESCALATION:
        _escalate(effect, report, ports=ports, wards=wards, now=now, console_url=console_url)
    elif effect.kind is Kind.QUESTION:
        _relay_question(effect, report, ports=ports, now=now, site_url=settings.site_url)


def _escalate(effect: Effect, report: Report, *, ports: Ports, wards: WardDirectory, now: datetime,
              console_url: str) -> None:
    """One recorded escalation level's messages: an e-mail to each address, the SMS through the unit's topic.

    Sent even when the report was acknowledged or resolved since: the level was recorded (the
    state machine's condition held: still breached, at that deadline), the trail and the public
    mark say so, and the people it names are owed the message, as they were when the state machine
    sent it right after recording. Its occasion key is the level's and the deadline's, not the
    version's, so a level recorded again by a retried execution is not sent again.
    """
    level, due = int(effect.target), parse_iso(effect.detail)
    messages = sweeper.level_messages(report, _breached_kind(report, due), due, level, directory=ports.directory,
                                      wards=wards, console_url=console_url)
    if messages is None:
        return

    def email_to(address: str) -> Callable[[], object]:
        return lambda: ports.notifier.send_email([address], messages.subject, messages.email_body)

    channels = [(f"email:{address}", email_to(address)) for address in messages.target.emails]
    topic = messages.target.unit.topic_arn
    if topic:
        channels.append(("sms", lambda: ports.notifier.publish_to_topic(topic, messages.subject, messages.sms_body)))
    alerts.send_once(_claim_prefix(effect), channels, ports=ports, now=now,
                     log_extra={"report_id": effect.report_id, "level": level})


def _breached_kind(report: Report, due: datetime) -> str:
    """Which deadline `due` was ("ack" or "resolve"). The level was recorded while the report was in
    a watched state held to `due`: if it still is, its state says; if it moved on since, the resolve
    deadline is the one a transfer or an acknowledgement leaves as it was."""
    if current_deadline(report) == due and report.status in WATCHED:
        return WATCHED[report.status]
    return "resolve" if resolve_deadline(report) == due else "ack"


def _relay_question(effect: Effect, report: Report, *, ports: Ports, now: datetime, site_url: str) -> None:
    """The owner unit's question to the reporter: pushed to their app when it gave a token, else (or
    when the push finds the app gone) an SMS and/or an e-mail to the contact they left, opened here
    and nowhere else on the way (the officers never see it unless the reporter agreed). A question
    answered, or followed by another, before this delivery is not sent: the reporter reads the
    current one in their view."""
    question = report.latest_question
    if question is None or iso(question.asked_at) != effect.detail or not question.waiting:
        count("EffectOutdated")
        return
    message = notices.question_message(report.report_id, question, site_url)
    if report.push_ciphertext is not None:
        # Unlike a status change, a question waits on the reporter's answer (and pauses the
        # deadline): an app gone is no reason for it to go unread while a contact can carry it.
        _push(effect, lambda _: message.body, ports=ports, now=now,
              when_gone=lambda: _relay_to_contact(effect, report, message, ports=ports, now=now))
        return
    _relay_to_contact(effect, report, message, ports=ports, now=now)


def _relay_to_contact(effect: Effect, report: Report, message: notices.QuestionMessage, *, ports: Ports,
                      now: datetime) -> None:
    """The question by SMS and/or e-mail to the contact the reporter left, each under its own claim."""
    if report.contact_ciphertext is None:
        count("QuestionNotRelayed")  # no way to reach them: they read it with the tracking token
        return
    contact = ports.contacts.unseal_contact(report.contact_ciphertext, report.report_id)
    channels: list[tuple[str, Callable[[], object]]] = []
    if contact.get("phone"):
        channels.append(("sms", _naming_nobody(lambda: ports.notifier.send_sms(_e164(contact["phone"]), message.body))))
    if contact.get("email"):
        channels.append(("email", _naming_nobody(
            lambda: ports.notifier.send_email([contact["email"]], message.subject, message.body))))
    alerts.send_once(_claim_prefix(effect), channels, ports=ports, now=now,
                     log_extra={"report_id": report.report_id})
    count("QuestionRelayed")


def _e164(phone: str) -> str:
    """A reporter's number as SNS takes it: the national form (0…, as submission accepts it) with
    Vietnam's country code instead of the trunk 0."""
    return "+84" + phone[1:] if phone.startswith("0") else phone


class RelayFailed(Exception):
    """A relayed message that failed, by the kind of error only: SES's and SNS's own messages may
    quote the address or the number, and the outbox logs what a channel raises."""


def _naming_nobody(send: Callable[[], object]) -> Callable[[], None]:
    def sent() -> None:
        try:
            send()
        except Exception as failure:
            # `from None`: the logged traceback must not carry the original message.
            raise RelayFailed(type(failure).__name__) from None

    return sent


def _claim_prefix(effect: Effect) -> str:
    return f"effect:{effect.key}"


def _push(effect: Effect, message_for: Callable[[str], str], *, ports: Ports, now: datetime,
          when_gone: Callable[[], None] | None = None) -> None:
    """A push to the reporter of the report `effect` targets (its own, or one merged into it); when
    their app is gone, `when_gone` reaches them otherwise. It runs inside the push's claim: if it
    raises, the claim is given back and the retry, finding the app gone again (its token is dead),
    runs it again, which then sends only what it did not send before (each under its own claim)."""
    reporter = ports.reports.get(effect.target)
    if reporter is None or reporter.push_ciphertext is None:
        return  # no app to push to (never given, or erased since)

    def push() -> None:
        device = ports.contacts.unseal_push_device(reporter.push_ciphertext, reporter.report_id)
        try:
            ports.notifier.push_to_device(device, message_for(reporter.report_id))
        except DeviceGone as gone:
            # No retry would reach it: done with (the reporter reads the change with the token).
            logger.info("reporter's app gone; not pushed",
                        extra={"report_id": reporter.report_id, "reason": str(gone)})
            count("ReporterPushUndeliverable")
            if when_gone is not None:
                when_gone()
            return
        count("ReporterPushed")

    alerts.send_once(_claim_prefix(effect), [("push", push)], ports=ports, now=now,
                     log_extra={"report_id": effect.report_id})


def _tell_followers(effect: Effect, report: Report, *, ports: Ports, settings: Settings, wards: WardDirectory,
                    now: datetime) -> None:
    """Each device following the report pushed its new status, each confirmed address e-mailed it
    (a pending one is told nothing), under a claim of its own (a retry tells only those not told
    yet), while the public may see the report; a device that is gone loses its follow. A change
    that ended the report ends their purpose: the follows are erased, after each was told (a
    failed message raises first, and the retry erases them)."""
    follows = [follow for follow in ports.follows.of_report(report.report_id, now=int(now.timestamp()))
               if not follow.pending]
    if follows and report.is_public():
        status = Status(effect.detail)
        message = following.follower_message(report, status, wards, site_url=settings.site_url)

        def push_to(follow: Follow) -> Callable[[], None]:
            def push() -> None:
                device = ports.contacts.unseal_follower_device(follow.device_ciphertext, report.report_id)
                try:
                    ports.notifier.push_to_device(device, message)
                except DeviceGone as gone:
                    logger.info("follower's app gone; follow dropped",
                                extra={"report_id": report.report_id, "reason": str(gone)})
                    ports.follows.remove(report.report_id, follow.follow_id)
                    count("FollowerPushUndeliverable")
                    return
                count("FollowerPushed")
            return push

        def mail_to(follow: Follow) -> Callable[[], None]:
            def mail() -> None:
                follower = ports.contacts.unseal_follower_email(follow.email_ciphertext, report.report_id)
                sent = following.follower_mail(report, status, wards, follower["token"], site_url=settings.site_url)
                ports.notifier.send_email([follower["email"]], sent.subject, sent.body)
                count("FollowerMailed")
            return _naming_nobody(mail)

        channels = [(f"follower:{follow.follow_id}", mail_to(follow) if follow.email_ciphertext else push_to(follow))
                    for follow in follows]
        alerts.send_once(_claim_prefix(effect), channels, ports=ports, now=now,
                         log_extra={"report_id": effect.report_id})
    if Status(effect.detail) in ENDED_STATES:
        count("FollowsErased", ports.follows.remove_all(report.report_id))


def _ask_to_confirm(effect: Effect, report: Report, *, ports: Ports, settings: Settings, wards: WardDirectory,
                    now: datetime) -> None:
    """The one confirmation mail of a pending e-mail follow, under its claim. Not sent once the follow
    is no longer the one that asked (confirmed, unfollowed, lapsed, asked again after lapsing) or the
    public no longer sees the report: nothing would come of it."""
    follow = ports.follows.get(report.report_id, effect.target, now=int(now.timestamp()))
    if (follow is None or not follow.pending or follow.email_ciphertext is None
            or str(follow.expires_at) != effect.detail or not report.is_public()):
        count("EffectOutdated")
        return
    follower = ports.contacts.unseal_follower_email(follow.email_ciphertext, report.report_id)
    mail = following.confirmation_mail(report, wards, follower["token"], site_url=settings.site_url)
    if alerts.send_once(_claim_prefix(effect), [("email", _naming_nobody(
            lambda: ports.notifier.send_email([follower["email"]], mail.subject, mail.body)))],
            ports=ports, now=now, log_extra={"report_id": report.report_id}):
        count("FollowConfirmationMailed")
