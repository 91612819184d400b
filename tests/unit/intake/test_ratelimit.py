import pytest

from phananh.intake.ratelimit import network_of, seconds_until_token


def test_retry_after_is_when_the_next_token_arrives():
    assert seconds_until_token(full_at=1360, latest=1000) == 360
    assert seconds_until_token(full_at=1000.2, latest=1000) == 1


@pytest.mark.parametrize(("address", "network"), [
    ("203.0.113.7", "203.0.113.7"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:0db8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
    ("not-an-address", "not-an-address"),
])
def test_one_sender_is_one_ipv4_address_or_one_ipv6_slash_64(address, network):
    assert network_of(address) == network
