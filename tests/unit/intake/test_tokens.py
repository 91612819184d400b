from phananh.intake import tokens


def test_tracking_tokens_are_random_and_128_bits():
    issued = {tokens.new_tracking_token() for _ in range(100)}
    assert len(issued) == 100
    assert all(len(token) == 22 for token in issued)


def test_only_the_right_token_matches_its_hash():
    token = tokens.new_tracking_token()
    stored = tokens.hash_token(token)
    assert token not in stored
    assert tokens.token_matches(token, stored)
    assert not tokens.token_matches(token + "x", stored)
    assert not tokens.token_matches(tokens.new_tracking_token(), stored)


KEY = "0b5c6a7e-2f1d-4c1b-9a57-3c0f8f6b2d11"


def test_a_claim_derives_the_same_token_every_time_and_only_under_its_secret():
    first = tokens.tracking_token_for_claim(b"secret-a", KEY, "PA261201ABCDEFGH")
    assert first == tokens.tracking_token_for_claim(b"secret-a", KEY, "PA261201ABCDEFGH")
    assert first != tokens.tracking_token_for_claim(b"secret-b", KEY, "PA261201ABCDEFGH")
    assert len(first) == 22


def test_the_same_key_claimed_again_for_another_report_derives_another_token():
    # Once a key's record expired, whoever files under it gets a new report: never the earlier token.
    assert tokens.tracking_token_for_claim(b"s", KEY, "PA261201ABCDEFGH") != tokens.tracking_token_for_claim(
        b"s", KEY, "PA261201HGFEDCBA"
    )


def test_pseudonyms_are_stable_and_do_not_reveal_the_value():
    device = tokens.pseudonym(b"s", "device", "ios-ABCDEF-1234")
    assert device == tokens.pseudonym(b"s", "device", "ios-ABCDEF-1234")
    assert "ABCDEF" not in device
    assert device != tokens.pseudonym(b"s", "ip", "ios-ABCDEF-1234")
