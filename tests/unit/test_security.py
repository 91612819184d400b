from phananh import security


def test_tracking_tokens_are_random_and_128_bits():
    tokens = {security.new_tracking_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(token) == 22 for token in tokens)


def test_only_the_right_token_matches_its_hash():
    token = security.new_tracking_token()
    stored = security.hash_token(token)
    assert token not in stored
    assert security.token_matches(token, stored)
    assert not security.token_matches(token + "x", stored)
    assert not security.token_matches(security.new_tracking_token(), stored)


def test_a_key_derives_the_same_token_every_time_and_only_under_its_secret():
    first = security.tracking_token_for_key(b"secret-a", "key-12345678")
    assert first == security.tracking_token_for_key(b"secret-a", "key-12345678")
    assert first != security.tracking_token_for_key(b"secret-b", "key-12345678")
    assert first != security.tracking_token_for_key(b"secret-a", "key-12345679")
    assert len(first) == 22


def test_pseudonyms_are_stable_and_do_not_reveal_the_value():
    device = security.pseudonym(b"s", "device", "ios-ABCDEF-1234")
    assert device == security.pseudonym(b"s", "device", "ios-ABCDEF-1234")
    assert "ABCDEF" not in device
    assert device != security.pseudonym(b"s", "ip", "ios-ABCDEF-1234")
