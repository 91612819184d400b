from phananh.ratelimit import BucketPolicy, refilled, seconds_until_token

POLICY = BucketPolicy(capacity=10, refill_per_hour=10)


def test_a_bucket_refills_at_its_rate_up_to_capacity():
    assert refilled(POLICY, 0, updated_at=1000, now=1000) == 0
    assert refilled(POLICY, 0, updated_at=1000, now=1000 + 360) == 1
    assert refilled(POLICY, 5, updated_at=1000, now=1000 + 100_000) == 10


def test_a_clock_going_backwards_adds_nothing():
    assert refilled(POLICY, 3, updated_at=1000, now=900) == 3


def test_retry_after_is_when_the_next_token_arrives():
    assert seconds_until_token(POLICY, 0) == 360
    assert seconds_until_token(POLICY, 0.5) == 180
    assert seconds_until_token(POLICY, 0.9999999) == 1
