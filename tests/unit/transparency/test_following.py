"""Following a published report from a device, without an account (phananh.transparency.following),
and the outbox pushing its followers (phananh.outbox.delivery): on the fake ports."""

from dataclasses import replace
from datetime import timedelta

import pytest
from fakes import PUSH, FakeContactVault, SealRefused
from flows_on_fakes import ROUTED_AT, deliver_changes, routed

from phananh.intake import tokens
from phananh.intake.caller import Caller
from phananh.outbox import delivery
from phananh.outbox.effects import Effect, Kind
from phananh.processing import commands
from phananh.report.ports import DeviceGone
from phananh.report.push_device import PushDevice
from phananh.shared.errors import InvalidInput, NotFound, RateLimited, StateConflict
from phananh.transparency import following

NOW = ROUTED_AT + timedelta(minutes=5)
CALLER = Caller(source_ip="203.0.113.9")
SITE = "https://phananh.example.vn"
FOLLOWER = {"platform": "apns", "token": "ab" * 32}
OTHER_FOLLOWER = {"platform": "fcm", "token": "follower-two:APA91b" + "x" * 40}


def follow(ports, settings, report_id, device=FOLLOWER, caller=CALLER, now=NOW):
    return following.follow_report(report_id, dict(device), caller, ports=ports, settings=settings, now=now)


def pushed_to(ports, device):
    return [push.message for push in ports.notifier.pushes if push.device == PushDevice.from_dict(device)]


@pytest.fixture
def published(ports, settings, directory):
    report, _ = routed(ports, replace(settings, site_url=SITE), push=PUSH)
    return report


def test_a_device_follows_a_published_report_with_a_token_only_it_holds(ports, settings, published):
    reply = follow(ports, settings, published.report_id)
    assert reply["report_id"] == published.report_id
    assert reply["follow_token"].startswith(f"{published.report_id}.")
    assert reply["expires_at"] == (NOW + timedelta(days=following.FOLLOW_DAYS)).isoformat()
    [stored] = ports.follows.of_report(published.report_id, now=int(NOW.timestamp()))
    # The follow token is not stored, only its hash; the device is sealed for the follower-push purpose.
    assert reply["follow_token"] not in repr(stored)
    assert stored.follow_id == tokens.hash_token(reply["follow_token"])
    vault = FakeContactVault()
    assert vault.unseal_follower_device(stored.device_ciphertext, published.report_id) == PushDevice.from_dict(FOLLOWER)
    with pytest.raises(SealRefused):  # never opened as the reporter's device, nor for another report
        vault.unseal_push_device(stored.device_ciphertext, published.report_id)


def test_following_twice_from_the_same_device_is_the_same_follow(ports, settings, published):
    first = follow(ports, settings, published.report_id)
    again = follow(ports, settings, published.report_id, now=NOW + timedelta(days=3))
    assert again["follow_token"] == first["follow_token"]
    [stored] = ports.follows.of_report(published.report_id, now=int(NOW.timestamp()))
    assert stored.expires_at == int((NOW + timedelta(days=3 + following.FOLLOW_DAYS)).timestamp())  # renewed
    other = follow(ports, settings, published.report_id, device=OTHER_FOLLOWER, now=NOW + timedelta(days=3))
    assert other["follow_token"] != first["follow_token"]
    assert len(ports.follows.of_report(published.report_id, now=int(NOW.timestamp()))) == 2


def test_only_a_report_the_public_sees_can_be_followed(ports, settings, directory, published):
    with pytest.raises(NotFound):
        follow(ports, settings, "PA260101ABCDEFGH")
    commands.unpublish(directory.principal(directory.coordinator), published.report_id, "riêng tư",
                       ports=ports, now=NOW)
    with pytest.raises(NotFound):
        follow(ports, settings, published.report_id)
    assert ports.follows.follows == {}


@pytest.mark.parametrize("body, code, field", [
    ({"platform": "sns", "token": "x" * 40}, "invalid_push_platform", "platform"),
    ({"platform": "apns", "token": "not hex"}, "invalid_push_token", "token"),
    ({"platform": "fcm"}, "missing_field", "token"),
])
def test_a_body_that_is_no_push_registration_is_refused_naming_its_field(ports, settings, published, body, code,
                                                                         field):
    with pytest.raises(InvalidInput) as refused:
        following.follow_report(published.report_id, body, CALLER, ports=ports, settings=settings, now=NOW)
    assert (refused.value.code, refused.value.details["field"]) == (code, field)
    assert ports.follows.follows == {}


def test_a_push_service_without_an_application_is_refused(ports, settings, published):
    with pytest.raises(InvalidInput) as refused:
        follow(ports, replace(settings, push_apns_application_arn=""), published.report_id)
    assert refused.value.code == "push_platform_unavailable"


def test_following_is_rate_limited_per_caller_address(ports, settings, published):
    tight = replace(settings, ip_bucket_capacity=2, ip_refill_per_hour=1)
    follow(ports, tight, published.report_id)
    follow(ports, tight, published.report_id, device=OTHER_FOLLOWER)
    with pytest.raises(RateLimited):
        follow(ports, tight, published.report_id)
    follow(ports, tight, published.report_id, caller=Caller(source_ip="198.51.100.7"))  # another address


def test_the_follow_token_alone_unfollows(ports, settings, published):
    token = follow(ports, settings, published.report_id)["follow_token"]
    following.unfollow(token, ports=ports)
    assert ports.follows.follows == {}
    with pytest.raises(NotFound):
        following.unfollow(token, ports=ports)  # gone already


@pytest.mark.parametrize("token", [None, "", "not-a-token", "PA260101ABCDEFGH", "PA260101ABCDEFGH.short"])
def test_no_token_or_one_of_the_wrong_shape_is_unauthorized(ports, token):
    with pytest.raises(following.FollowTokenRefused) as refused:
        following.unfollow(token, ports=ports)
    assert refused.value.code == "unauthorized"


def test_a_well_formed_token_nobody_was_given_is_not_found(ports, settings, published):
    token = follow(ports, settings, published.report_id)["follow_token"]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(NotFound):
        following.unfollow(forged, ports=ports)
    assert len(ports.follows.follows) == 1


def test_each_follower_is_pushed_each_status_change_once_with_nothing_about_the_reporter(
        ports, settings, directory, published):
    site = replace(settings, site_url=SITE)
    follow(ports, settings, published.report_id)
    follow(ports, settings, published.report_id, device=OTHER_FOLLOWER)
    commands.acknowledge(directory.principal(directory.officer), published.report_id, ports=ports, now=NOW)
    changes = list(ports.reports.changes)
    delivery.forward(changes, ports=ports, settings=site, now=NOW)  # a stream batch delivered twice
    deliver_changes(ports, site, now=NOW)
    for device in (FOLLOWER, OTHER_FOLLOWER):
        [message] = pushed_to(ports, device)
        assert message.startswith(f"Phản ánh bạn theo dõi {published.report_id} (")
        assert "Đơn vị đã nhận xử lý" in message and "Acknowledged by the unit" in message
        assert message.endswith(f"{SITE}/report/{published.report_id}")
        assert published.description not in message and PUSH["token"] not in message
    # The reporter is pushed as before, apart from the followers.
    assert len(pushed_to(ports, PUSH)) == 2


def test_a_follower_whose_app_is_gone_loses_the_follow_and_the_others_are_pushed(
        ports, settings, directory, published):
    follow(ports, settings, published.report_id)
    other = follow(ports, settings, published.report_id, device=OTHER_FOLLOWER)
    push = ports.notifier.push_to_device

    def gone_for_the_first(device, message):
        if device == PushDevice.from_dict(FOLLOWER):
            raise DeviceGone("EndpointDisabled")
        push(device, message)

    ports.notifier.push_to_device = gone_for_the_first
    commands.acknowledge(directory.principal(directory.officer), published.report_id, ports=ports, now=NOW)
    deliver_changes(ports, settings, now=NOW)
    [left] = ports.follows.of_report(published.report_id, now=int(NOW.timestamp()))
    assert left.follow_id == tokens.hash_token(other["follow_token"])
    assert len(pushed_to(ports, OTHER_FOLLOWER)) == 1


def test_a_failed_push_is_retried_for_that_follower_only(ports, settings, directory, wards, published):
    follow(ports, settings, published.report_id)
    follow(ports, settings, published.report_id, device=OTHER_FOLLOWER)
    push = ports.notifier.push_to_device

    def down_for_the_second(device, message):
        if device == PushDevice.from_dict(OTHER_FOLLOWER):
            raise ConnectionError("SNS down")
        push(device, message)

    ports.notifier.push_to_device = down_for_the_second
    acknowledged = commands.acknowledge(directory.principal(directory.officer), published.report_id,
                                        ports=ports, now=NOW)
    effect = Effect(Kind.FOLLOWERS, published.report_id, acknowledged.version, detail="ACKNOWLEDGED")
    with pytest.raises(ConnectionError):
        delivery.deliver(effect, ports=ports, settings=settings, wards=wards, now=NOW)
    ports.notifier.push_to_device = push
    delivery.deliver(effect, ports=ports, settings=settings, wards=wards, now=NOW)  # the redelivery
    delivery.deliver(effect, ports=ports, settings=settings, wards=wards, now=NOW)  # and a duplicate
    assert len(pushed_to(ports, FOLLOWER)) == len(pushed_to(ports, OTHER_FOLLOWER)) == 1


def test_a_report_the_public_no_longer_sees_pushes_no_follower(ports, settings, directory, published):
    follow(ports, settings, published.report_id)
    commands.unpublish(directory.principal(directory.coordinator), published.report_id, "riêng tư",
                       ports=ports, now=NOW)
    commands.acknowledge(directory.principal(directory.officer), published.report_id, ports=ports, now=NOW)
    deliver_changes(ports, settings, now=NOW)
    assert pushed_to(ports, FOLLOWER) == []
    assert len(ports.follows.follows) == 1  # still followed: it may be published again


def test_the_follows_are_erased_once_the_report_ends_after_its_last_push(ports, settings, directory, published):
    from phananh.escalation import jobs

    follow(ports, settings, published.report_id)
    officer = directory.principal(directory.officer)
    commands.acknowledge(officer, published.report_id, ports=ports, now=NOW)
    commands.resolve(officer, published.report_id, "Đã vá.", photo_count=1, ports=ports, now=NOW)
    deliver_changes(ports, settings, now=NOW)
    assert len(ports.follows.follows) == 1
    later = NOW + timedelta(days=30)
    assert jobs.close_unrated(ports=ports, now=later) == [published.report_id]
    deliver_changes(ports, settings, now=later)
    assert "Đã đóng" in pushed_to(ports, FOLLOWER)[-1]
    assert ports.follows.follows == {}
    # Still public, but nothing more will happen to it: no new follow holds a device for nothing.
    with pytest.raises(StateConflict) as ended:
        follow(ports, settings, published.report_id, now=later)
    assert ended.value.code == "report_ended" and ports.follows.follows == {}


def test_a_follow_past_its_time_is_not_pushed(ports, settings, directory, published):
    follow(ports, settings, published.report_id)
    lapsed = NOW + timedelta(days=following.FOLLOW_DAYS, seconds=1)
    commands.acknowledge(directory.principal(directory.officer), published.report_id, ports=ports, now=lapsed)
    deliver_changes(ports, settings, now=lapsed)
    assert pushed_to(ports, FOLLOWER) == []


# -- following by e-mail (the public site's follow) ------------------------------------------------

ADDRESS = "nguoi.theo.doi@example.vn"


def follow_by_email(ports, settings, report_id, email=ADDRESS, caller=CALLER, now=NOW):
    return following.follow_report(report_id, {"email": email}, caller, ports=ports, settings=settings, now=now)


def mails_to(ports, address=ADDRESS):
    return [mail for mail in ports.notifier.emails if mail.recipients == [address]]


def mailed_token(mail, page):
    """The follow token a mail's link carries in its fragment, for the site's page `page`."""
    tokens_in = {line.rpartition("#")[2] for line in mail.body.splitlines() if f"/{page}#" in line}
    [token] = tokens_in  # the same link in each language
    return token


def test_an_address_follows_nothing_until_it_confirms_the_one_mail_it_was_sent(ports, settings, directory,
                                                                               published):
    site = replace(settings, site_url=SITE)
    reply = follow_by_email(ports, site, published.report_id)
    # Whoever typed the address is not given the token: only the inbox is.
    assert reply["pending"] is True and "follow_token" not in reply and set(reply["message"]) == {"vi", "en"}
    [stored] = ports.follows.of_report(published.report_id, now=int(NOW.timestamp()))
    assert stored.pending and stored.device_ciphertext is None and ADDRESS not in repr(stored)
    assert stored.expires_at == int((NOW + timedelta(hours=following.PENDING_HOURS)).timestamp())
    with pytest.raises(SealRefused):  # never opened as a device
        FakeContactVault().unseal_follower_device(stored.email_ciphertext, published.report_id)
    commands.acknowledge(directory.principal(directory.officer), published.report_id, ports=ports, now=NOW)
    deliver_changes(ports, site, now=NOW)
    [confirmation] = mails_to(ports)  # and no status mail before the confirmation
    assert confirmation.body.count(f"{SITE}/follow#") == 2  # once in each language
    token = mailed_token(confirmation, "follow")
    assert stored.follow_id == tokens.hash_token(token)
    confirmed = following.confirm_follow(token, ports=ports, now=NOW)
    assert confirmed == {"report_id": published.report_id, "confirmed": True,
                         "expires_at": (NOW + timedelta(days=following.FOLLOW_DAYS)).isoformat()}
    assert following.confirm_follow(token, ports=ports, now=NOW + timedelta(hours=1)) == confirmed  # idempotent
    commands.add_progress(directory.principal(directory.officer), published.report_id, "Đang thi công.",
                          ports=ports, now=NOW)
    deliver_changes(ports, site, now=NOW)
    [_, status] = mails_to(ports)
    assert "Đang xử lý" in status.subject and "In progress" in status.subject
    assert f"{SITE}/report/{published.report_id}" in status.body
    assert mailed_token(status, "unfollow") == token
    assert published.description not in status.body + confirmation.body
    following.unfollow(token, ports=ports)
    assert ports.follows.follows == {}


def test_the_same_address_following_again_is_sent_no_second_confirmation(ports, settings, published):
    first = follow_by_email(ports, settings, published.report_id)
    # Another case is the same inbox; the reply is the same and tells nothing.
    again = follow_by_email(ports, settings, published.report_id, email=ADDRESS.upper(),
                            now=NOW + timedelta(hours=2))
    assert again == first
    deliver_changes(ports, settings, now=NOW)
    assert len(mails_to(ports)) == 1
    token = mailed_token(mails_to(ports)[0], "follow")
    following.confirm_follow(token, ports=ports, now=NOW + timedelta(hours=3))
    follow_by_email(ports, settings, published.report_id, now=NOW + timedelta(days=2))  # confirmed: left as it is
    deliver_changes(ports, settings, now=NOW + timedelta(days=2))
    [stored] = ports.follows.follows.values()
    assert not stored.pending and len(mails_to(ports)) == 1


def test_a_pending_follow_lapses_and_a_new_request_is_sent_a_new_confirmation(ports, settings, published):
    follow_by_email(ports, settings, published.report_id)
    deliver_changes(ports, settings, now=NOW)
    old_token = mailed_token(mails_to(ports)[0], "follow")
    later = NOW + timedelta(hours=following.PENDING_HOURS, seconds=1)
    with pytest.raises(NotFound):
        following.confirm_follow(old_token, ports=ports, now=later)
    follow_by_email(ports, settings, published.report_id, now=later)
    deliver_changes(ports, settings, now=later)
    assert len(mails_to(ports)) == 2
    following.confirm_follow(mailed_token(mails_to(ports)[1], "follow"), ports=ports, now=later)


def test_a_confirmation_queued_for_a_follow_confirmed_or_gone_is_not_sent(ports, settings, published):
    follow_by_email(ports, settings, published.report_id)
    [queued] = ports.queues.deliveries
    ports.follows.remove_all(published.report_id)
    deliver_changes(ports, settings, now=NOW)
    assert mails_to(ports) == [] and queued["effect"] == "follow_confirmation"


def test_a_confirmation_that_could_not_be_queued_leaves_no_pending_follow(ports, settings, published):
    def down(effects):
        raise ConnectionError("SQS down")

    ports.queues.send_deliveries = down
    with pytest.raises(ConnectionError):
        follow_by_email(ports, settings, published.report_id)
    assert ports.follows.follows == {}


@pytest.mark.parametrize("body, code, field", [
    ({"email": "not an address"}, "invalid_email", "email"),
    ({"email": 42}, "invalid_type", "email"),
    ({"email": "a@b.vn", "platform": "fcm"}, "invalid_body", None),
])
def test_a_body_that_is_no_address_is_refused(ports, settings, published, body, code, field):
    with pytest.raises(InvalidInput) as refused:
        following.follow_report(published.report_id, body, CALLER, ports=ports, settings=settings, now=NOW)
    assert (refused.value.code, refused.value.details.get("field")) == (code, field)
    assert ports.follows.follows == {} and ports.queues.deliveries == []


def test_following_by_email_has_the_device_follow_s_refusals(ports, settings, directory, published):
    with pytest.raises(NotFound):
        follow_by_email(ports, settings, "PA260101ABCDEFGH")
    tight = replace(settings, ip_bucket_capacity=1, ip_refill_per_hour=1)
    follow(ports, tight, published.report_id)
    with pytest.raises(RateLimited):  # one bucket per address, whichever way it follows
        follow_by_email(ports, tight, published.report_id)
    officer = directory.principal(directory.officer)
    commands.acknowledge(officer, published.report_id, ports=ports, now=NOW)
    commands.resolve(officer, published.report_id, "Đã vá.", photo_count=1, ports=ports, now=NOW)
    from phananh.escalation import jobs

    jobs.close_unrated(ports=ports, now=NOW + timedelta(days=30))
    with pytest.raises(StateConflict):
        follow_by_email(ports, settings, published.report_id, now=NOW + timedelta(days=30))


@pytest.mark.parametrize("token", [None, "", "PA260101ABCDEFGH.short"])
def test_confirming_needs_a_token_of_the_right_shape(ports, token):
    with pytest.raises(following.FollowTokenRefused):
        following.confirm_follow(token, ports=ports, now=NOW)


def test_the_email_follows_are_erased_with_the_others_once_the_report_ends(ports, settings, directory, published):
    from phananh.escalation import jobs

    follow_by_email(ports, settings, published.report_id)
    deliver_changes(ports, settings, now=NOW)
    following.confirm_follow(mailed_token(mails_to(ports)[0], "follow"), ports=ports, now=NOW)
    follow_by_email(ports, settings, published.report_id, email="cho.xac.nhan@example.vn")  # still pending
    officer = directory.principal(directory.officer)
    commands.acknowledge(officer, published.report_id, ports=ports, now=NOW)
    commands.resolve(officer, published.report_id, "Đã vá.", photo_count=1, ports=ports, now=NOW)
    later = NOW + timedelta(days=30)
    jobs.close_unrated(ports=ports, now=later)
    deliver_changes(ports, settings, now=later)
    assert "Đã đóng" in mails_to(ports)[-1].subject
    assert [len(mails_to(ports, address)) for address in (ADDRESS, "cho.xac.nhan@example.vn")] == [4, 0]
    assert ports.follows.follows == {}
