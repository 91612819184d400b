"""What coordinators keep (processing.administration) on the fake ports: routing rules checked before
they are written, units with their topics, officers with their sign-ins."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from directory_for_tests import OTHER_UNIT, VI_THANH_WARD

from phananh.processing import administration
from phananh.processing.sign_in import Forbidden, principal_from_claims
from phananh.routing.directory import COORDINATORS_ID
from phananh.routing.rules import ANY_WARD
from phananh.shared.errors import InvalidInput, NotFound, StateConflict

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
NEW_OFFICER = {"unit_id": OTHER_UNIT, "full_name": "Trần Văn B", "email": "tvb@cantho.gov.vn",
               "phone": "+84907654321", "role": "officer"}


def test_a_ward_rule_under_a_field_wide_rule_is_kept(ports, settings, coordinator, directory):
    rules = administration.put_rule(coordinator, "lighting", VI_THANH_WARD, directory.ward.unit_id, ports=ports,
                                    settings=settings)
    assert {(rule["ward_code"], rule["unit_id"]) for rule in rules} == {
        (ANY_WARD, OTHER_UNIT), (VI_THANH_WARD, directory.ward.unit_id)}
    assert len(ports.directory.rules_for("lighting")) == 2
    assert administration.rules_of(coordinator, "lighting", ports=ports) == [
        {"category_code": "lighting", "ward_code": ward, "unit_id": unit}
        for ward, unit in sorted([(ANY_WARD, OTHER_UNIT), (VI_THANH_WARD, directory.ward.unit_id)])
    ]


def test_a_change_that_leaves_a_ward_without_an_owner_or_names_no_unit_is_refused(ports, settings, coordinator):
    with pytest.raises(StateConflict) as gap:
        administration.delete_rule(coordinator, "lighting", ANY_WARD, ports=ports, settings=settings)
    assert gap.value.code == "rules_problem" and gap.value.details["current"]["problems"]
    with pytest.raises(StateConflict):
        administration.put_rule(coordinator, "lighting", ANY_WARD, "no_such_unit", ports=ports, settings=settings)
    assert [rule.unit_id for rule in ports.directory.rules_for("lighting")] == [OTHER_UNIT]


def test_rules_name_a_known_field_and_a_ward_code(ports, settings, coordinator):
    with pytest.raises(InvalidInput) as field:
        administration.put_rule(coordinator, "astrology", ANY_WARD, OTHER_UNIT, ports=ports, settings=settings)
    with pytest.raises(InvalidInput) as ward:
        administration.put_rule(coordinator, "lighting", "Vị Thanh", OTHER_UNIT, ports=ports, settings=settings)
    assert (field.value.code, ward.value.code) == ("unknown_category", "invalid_ward")
    with pytest.raises(NotFound):
        administration.delete_rule(coordinator, "lighting", "99999", ports=ports, settings=settings)


def test_a_new_unit_gets_its_topic_and_a_changed_one_keeps_it(ports, settings, coordinator, directory):
    body = {"name": {"vi": "Đội trật tự", "en": "Order team"}, "kind": "department",
            "parent_unit_id": directory.other.unit_id, "email": "dtt@cantho.gov.vn", "phone": "+84292111111"}
    unit = administration.put_unit(coordinator, "doi_trat_tu", body, ports=ports, settings=settings)
    assert unit.topic_arn.endswith("-unit-doi_trat_tu")
    assert list(ports.notifier.topics) == ["phananh-unit-doi_trat_tu"]
    changed = administration.put_unit(
        coordinator, "doi_trat_tu", {**body, "email": "moi@cantho.gov.vn"}, ports=ports, settings=settings
    )
    assert changed.topic_arn == unit.topic_arn and ports.directory.unit("doi_trat_tu").email == "moi@cantho.gov.vn"
    assert len(ports.notifier.topics) == 1
    with pytest.raises(InvalidInput):
        administration.put_unit(
            coordinator, "doi_trat_tu", {**body, "parent_unit_id": "nobody"}, ports=ports, settings=settings
        )


def test_an_officer_post_filled_anew_gets_a_fresh_sign_in_and_a_changed_role_keeps_it(ports, coordinator):
    officer = administration.put_officer(coordinator, "sxd.b", NEW_OFFICER, ports=ports, now=NOW)
    assert officer.credentials_since == NOW
    assert ports.sign_ins.accounts["sxd.b"].email == "tvb@cantho.gov.vn"
    promoted = administration.put_officer(coordinator, "sxd.b", {**NEW_OFFICER, "role": "unit_head"}, ports=ports,
                                          now=NOW + timedelta(days=1))
    assert promoted.credentials_since == NOW and ports.sign_ins.accounts["sxd.b"].group == "unit_head"
    assert ports.sign_ins.removed == []
    successor = administration.put_officer(coordinator, "sxd.b", {**NEW_OFFICER, "email": "moi@cantho.gov.vn"},
                                           ports=ports, now=NOW + timedelta(days=2))
    assert successor.credentials_since == NOW + timedelta(days=2)
    assert ports.sign_ins.removed == ["sxd.b"]


def test_a_removed_officer_loses_the_sign_in_and_the_row(ports, coordinator, directory):
    administration.remove_officer(coordinator, directory.other_officer.officer_id, ports=ports)
    assert ports.directory.officer(directory.other_officer.officer_id) is None
    with pytest.raises(NotFound):
        administration.remove_officer(coordinator, directory.other_officer.officer_id, ports=ports)
    claims = {"cognito:username": directory.other_officer.officer_id, "cognito:groups": ["officer"],
              "iat": int(NOW.timestamp())}
    with pytest.raises(Forbidden):
        principal_from_claims(claims, ports.directory)


def test_a_unit_is_shown_with_its_officers(ports, coordinator, directory):
    shown = administration.unit_with_officers(coordinator, directory.ward.unit_id, ports=ports)
    assert sorted(officer["officer_id"] for officer in shown["officers"]) == sorted(
        [directory.officer.officer_id, directory.unit_head.officer_id])


def test_only_coordinators_administer(ports, settings, directory):
    head = directory.principal(directory.unit_head)
    for attempt in (
        lambda: administration.rules_of(head, "roads", ports=ports),
        lambda: administration.put_rule(head, "lighting", ANY_WARD, OTHER_UNIT, ports=ports, settings=settings),
        lambda: administration.put_officer(head, "vt.new", NEW_OFFICER, ports=ports, now=NOW),
        lambda: administration.remove_officer(head, directory.officer.officer_id, ports=ports),
    ):
        with pytest.raises(Forbidden):
            attempt()
    assert ports.sign_ins.accounts == {}


def test_a_token_names_an_officer_only_with_the_role_the_directory_gives(ports, directory):
    claims = {"cognito:username": directory.officer.officer_id, "iat": int(NOW.timestamp())}
    assert principal_from_claims({**claims, "cognito:groups": ["officer", "coordinator"]},
                                 ports.directory).roles == {"officer"}
    with pytest.raises(Forbidden):
        principal_from_claims({**claims, "cognito:groups": ["coordinator"]}, ports.directory)


def _disabled(unit):
    return {"name": unit.name, "kind": unit.kind, "ward_code": unit.ward_code, "parent_unit_id": None,
            "email": unit.email, "phone": unit.phone, "active": False}


def test_a_unit_whose_rules_would_leave_a_gap_cannot_be_disabled(ports, settings, coordinator, directory):
    with pytest.raises(StateConflict) as refused:
        administration.put_unit(coordinator, OTHER_UNIT, _disabled(directory.other), ports=ports, settings=settings)
    assert {problem["kind"] for problem in refused.value.details["current"]["problems"]} == {"gap"}
    assert ports.directory.unit(OTHER_UNIT).active


def test_a_disabled_unit_gets_no_new_reports_and_a_rule_naming_it_is_a_gap(ports, settings, coordinator, directory):
    from flows_on_fakes import routed

    # Vị Thanh's roads rule names the ward committee; the field has no field-wide rule, so only that
    # ward's rule is checked (the small directory covers one ward): disabling the committee is a gap.
    administration.put_rule(coordinator, "lighting", VI_THANH_WARD, directory.ward.unit_id, ports=ports,
                            settings=settings)
    with pytest.raises(StateConflict):
        administration.put_unit(coordinator, directory.ward.unit_id, _disabled(directory.ward), ports=ports,
                                settings=settings)
    ports.directory.put_units([replace(directory.ward, active=False)])
    assert routed(ports, settings, category="lighting")[0].owner_unit_id == OTHER_UNIT
    assert routed(ports, settings, category="roads")[0].owner_unit_id == COORDINATORS_ID
    with pytest.raises(StateConflict) as gap:
        administration.put_rule(coordinator, "lighting", ANY_WARD, directory.ward.unit_id, ports=ports,
                                settings=settings)
    assert {problem["kind"] for problem in gap.value.details["current"]["problems"]} == {"gap"}


def test_the_coordinators_cannot_be_disabled_and_active_is_a_boolean(ports, settings, coordinator, directory):
    for unit_id, body, code in [
        (COORDINATORS_ID, _disabled(directory.coordinators), "unit_required"),
        (OTHER_UNIT, {**_disabled(directory.other), "active": "no"}, "invalid_type"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            administration.put_unit(coordinator, unit_id, body, ports=ports, settings=settings)
        assert (refused.value.code, refused.value.details["field"]) == (code, "active")


def test_the_unit_list_has_every_unit_with_its_officers(ports, coordinator, directory, officer):
    listed = administration.units_with_officers(coordinator, ports=ports)["units"]
    assert [unit["unit_id"] for unit in listed] == sorted(
        [directory.ward.unit_id, directory.other.unit_id, directory.coordinators.unit_id])
    ward = next(unit for unit in listed if unit["unit_id"] == directory.ward.unit_id)
    assert ward["active"] is True
    assert [person["officer_id"] for person in ward["officers"]] == sorted(["vt.officer", "vt.head"])
    with pytest.raises(Forbidden):
        administration.units_with_officers(officer, ports=ports)
