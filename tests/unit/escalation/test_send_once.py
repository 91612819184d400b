"""Each channel of an occasion sent once, under a leased claim: completed after the send, given back
after a failure, taken over once its lease has passed when it could not be given back."""

from datetime import UTC, datetime, timedelta

import pytest
from fakes import FakeIdempotencyStore, fake_ports

from phananh.escalation import alerts
from phananh.escalation.alerts import CLAIM_LEASE, COMPLETION_ATTEMPTS, ClaimHeld, send_once

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
OCCASION = "alert:PA1:routed"


class Channel:
    """A channel that fails its first `failures` sends and records the others."""

    def __init__(self, failures: int = 0):
        self.failures, self.sent = failures, 0

    def __call__(self) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("SNS throttled")
        self.sent += 1


class FailingClaims(FakeIdempotencyStore):
    """Claims whose release (or first completions) fail as DynamoDB may."""

    def __init__(self, *, release_fails: bool = False, completions_failing: int = 0):
        super().__init__()
        self.release_fails, self.completions_failing = release_fails, completions_failing

    def release(self, key: str) -> None:
        if self.release_fails:
            raise ConnectionError("DynamoDB throttled")
        super().release(key)

    def complete(self, key: str, response: dict) -> None:
        if self.completions_failing:
            self.completions_failing -= 1
            raise ConnectionError("DynamoDB throttled")
        super().complete(key, response)


def test_a_sent_channel_is_completed_and_never_sent_again_even_after_its_lease():
    ports, email = fake_ports(), Channel()
    send_once(OCCASION, [("email:a@example.vn", email)], ports=ports, now=NOW)
    send_once(OCCASION, [("email:a@example.vn", email)], ports=ports, now=NOW + 10 * CLAIM_LEASE)
    assert email.sent == 1
    assert ports.claims.claim(f"{OCCASION}:email:a@example.vn", "alert", 0, now=0).state == "COMPLETED"


def test_a_failed_channel_is_given_back_the_others_sent_and_the_retry_sends_only_it():
    ports, email, sms = fake_ports(), Channel(), Channel(failures=1)
    with pytest.raises(ConnectionError):
        send_once(OCCASION, [("sms", sms), ("email:a@example.vn", email)], ports=ports, now=NOW)
    assert (sms.sent, email.sent) == (0, 1)
    send_once(OCCASION, [("sms", sms), ("email:a@example.vn", email)], ports=ports, now=NOW)
    assert (sms.sent, email.sent) == (1, 1)


def test_a_claim_not_given_back_holds_the_retry_until_its_lease_passes_then_is_taken_over():
    ports, sms = fake_ports(claims=FailingClaims(release_fails=True)), Channel(failures=1)
    with pytest.raises(ConnectionError):
        send_once(OCCASION, [("sms", sms)], ports=ports, now=NOW)
    # The retry must fail (to come back), not take the held claim for "sent".
    with pytest.raises(ClaimHeld):
        send_once(OCCASION, [("sms", sms)], ports=ports, now=NOW + CLAIM_LEASE)
    assert sms.sent == 0
    send_once(OCCASION, [("sms", sms)], ports=ports, now=NOW + CLAIM_LEASE + timedelta(seconds=1))
    assert sms.sent == 1


def test_a_crashed_sender_s_claim_is_taken_over_after_the_lease():
    ports, email = fake_ports(), Channel()
    lease_until = int((NOW + CLAIM_LEASE).timestamp())
    # What a sender killed between its claim and its send leaves behind.
    ports.claims.claim(f"{OCCASION}:email:a@example.vn", "alert", lease_until + 3600,
                       now=int(NOW.timestamp()), lease_until=lease_until)
    send_once(OCCASION, [("email:a@example.vn", email)], ports=ports, now=NOW + 2 * CLAIM_LEASE)
    assert email.sent == 1


def test_a_completion_that_fails_is_retried_in_process(monkeypatch):
    monkeypatch.setattr(alerts, "COMPLETION_PAUSE_S", 0)
    claims = FailingClaims(completions_failing=COMPLETION_ATTEMPTS - 1)
    ports, email = fake_ports(claims=claims), Channel()
    send_once(OCCASION, [("email:a@example.vn", email)], ports=ports, now=NOW)
    send_once(OCCASION, [("email:a@example.vn", email)], ports=ports, now=NOW + 2 * CLAIM_LEASE)
    assert email.sent == 1


def test_a_completion_that_keeps_failing_does_not_fail_the_sent_delivery(monkeypatch):
    monkeypatch.setattr(alerts, "COMPLETION_PAUSE_S", 0)
    claims = FailingClaims(completions_failing=COMPLETION_ATTEMPTS)
    ports, email = fake_ports(claims=claims), Channel()
    send_once(OCCASION, [("email:a@example.vn", email)], ports=ports, now=NOW)  # no raise: it was sent
    # The one way to a double: the completion lost and a later delivery after the lease.
    held = claims.claim(f"{OCCASION}:email:a@example.vn", "alert", 0, now=int(NOW.timestamp()))
    assert held.state == "IN_PROGRESS" and email.sent == 1


def test_a_claim_from_before_leases_counts_as_sent():
    ports, email = fake_ports(), Channel()
    ports.claims.claim(f"{OCCASION}:email:a@example.vn", "alert", int((NOW + timedelta(days=30)).timestamp()))
    send_once(OCCASION, [("email:a@example.vn", email)], ports=ports, now=NOW)
    assert email.sent == 0
