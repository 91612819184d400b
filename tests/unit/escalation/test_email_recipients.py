"""Whom an alert, an escalation level or a digest e-mails: one rule, one fallback (the unit's own address)."""

import pytest

from phananh.escalation.alerts import email_recipients
from phananh.routing.directory import Officer, Unit

UNIT = Unit(
    unit_id="so_xay_dung", name={"vi": "Sở Xây dựng", "en": "Department of Construction"}, kind="department",
    ward_code=None, parent_unit_id="ubnd_thanh_pho", email="so_xay_dung@example.vn", phone="+84900000003",
)


def _officer(post: str, role: str, email: str) -> Officer:
    return Officer(officer_id=f"so_xay_dung.{post}", unit_id="so_xay_dung", full_name=post, email=email,
                   phone="+84900010003", role=role)


class Directory:
    """The two reads the rule makes of the directory, from a list held in memory."""

    def __init__(self, *officers: Officer):
        self.officers = list(officers)

    def officers_of(self, unit_id: str) -> list[Officer]:
        return [officer for officer in self.officers if officer.unit_id == unit_id]


HEAD = _officer("head", "unit_head", "so_xay_dung.head@example.vn")
OFFICER = _officer("officer", "officer", "so_xay_dung.officer@example.vn")


def test_every_officer_with_an_address_in_order():
    assert email_recipients(UNIT, Directory(OFFICER, HEAD)) == [HEAD.email, OFFICER.email]


def test_roles_narrow_who_hears_of_it():
    assert email_recipients(UNIT, Directory(OFFICER, HEAD), roles={"unit_head"}) == [HEAD.email]


def test_one_address_twice_is_one_recipient():
    twin = _officer("deputy", "unit_head", HEAD.email)
    assert email_recipients(UNIT, Directory(HEAD, twin)) == [HEAD.email]


@pytest.mark.parametrize("bad", ["nguyen,van@example.vn", "a@example.vn\n", "Trưởng phòng <a@example.vn>"])
def test_an_address_ses_would_refuse_is_left_out(bad):
    assert email_recipients(UNIT, Directory(HEAD, _officer("old", "officer", bad))) == [HEAD.email]


@pytest.mark.parametrize("officers", [
    (),  # nobody in the unit yet
    (_officer("old", "unit_head", "nguyen,van@example.vn"),),  # nobody with an address SES takes
    (OFFICER,),  # nobody with the role asked for
])
def test_without_a_usable_officer_the_unit_address_is_used(officers):
    assert email_recipients(UNIT, Directory(*officers), roles={"unit_head"}) == [UNIT.email]


def test_a_unit_address_ses_would_refuse_reaches_nobody():
    broken = Unit(**{**UNIT.__dict__, "email": "so xay dung@example.vn"})
    assert email_recipients(broken, Directory()) == []


def test_a_unit_with_a_shared_inbox_is_e_mailed_once_there_instead_of_each_officer():
    assert email_recipients(UNIT, Directory(OFFICER, HEAD), unit_inbox=True) == [UNIT.email]


def test_a_shared_inbox_ses_would_refuse_falls_back_to_the_officers():
    broken = Unit(**{**UNIT.__dict__, "email": "so xay dung@example"})
    assert email_recipients(broken, Directory(OFFICER, HEAD), unit_inbox=True) == [HEAD.email, OFFICER.email]
