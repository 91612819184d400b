"""The harness's sign_in against the console's real form: an officer with a password, a unit head and a
coordinator with their authenticator code too (moto checks it), and the screens they land on."""

import pytest
from browser.harness import SIGN_IN_PATH, check_accessibility, sign_in


def test_the_sign_in_screen_is_accessible(page):
    page.goto(SIGN_IN_PATH)
    page.locator('input[name="username"]').wait_for()
    check_accessibility(page, "sign-in")


@pytest.mark.parametrize("officer_id", ["so_xay_dung.officer", "so_xay_dung.head", "ban_dieu_phoi.coordinator1"])
def test_each_role_signs_in_and_leaves_the_form(page, officer_id):
    page.goto("/console/")
    sign_in(page, officer_id)
    assert SIGN_IN_PATH not in page.url
    assert page.locator('input[name="password"]').count() == 0


def test_a_wrong_password_keeps_the_form_with_an_error(page):
    page.goto(SIGN_IN_PATH)
    with pytest.raises(AssertionError, match="did not finish"):
        sign_in(page, "so_xay_dung.officer", password="Wrong-password-1!", limit_s=5)
    assert page.locator('input[name="password"]').is_visible()


def test_a_deep_link_opened_signed_out_survives_the_sign_in(page):
    page.goto("/console/team")
    sign_in(page, "so_xay_dung.head")
    page.wait_for_url("**/console/team")
