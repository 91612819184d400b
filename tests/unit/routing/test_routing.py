from collections import Counter

import pytest

from phananh.report.categories import all_categories, get_category
from phananh.routing.directory import COORDINATORS_ID
from phananh.routing.rules import (
    ANY_WARD,
    RoutingRule,
    RuleSet,
    check_rules,
    owner_for,
    resolve_ward,
)
from phananh_local.demo_directory import demo_directory, demo_rules, ward_committee_id

VI_THANH = "31321"
VI_TAN = "31333"
IN_VI_THANH = (9.779, 105.47)
# West of Vị Tân, about 2.1 km from its centre and just across the province's border.
JUST_OUTSIDE_VI_TAN = (9.7929, 105.4349)
CAN_THO_CENTRE = (10.03, 105.78)


@pytest.fixture(scope="module")
def unit_ids(wards):
    units, _ = demo_directory(wards)
    return {unit.unit_id for unit in units}


@pytest.fixture(scope="module")
def rules(wards):
    return demo_rules(wards)


def check(rules, wards, unit_ids):
    return check_rules(rules, categories=all_categories(), wards=wards, unit_ids=unit_ids)


# resolve_ward


def test_a_point_in_a_polygon_resolves_to_that_ward(wards):
    resolution = resolve_ward(wards, ward_code=None, location=IN_VI_THANH, max_distance_m=3000)
    assert resolution.ward.code == VI_THANH
    assert resolution.method == "polygon"
    assert resolution.distance_m is None


def test_a_valid_ward_code_wins_over_the_location(wards):
    resolution = resolve_ward(wards, ward_code=VI_TAN, location=IN_VI_THANH, max_distance_m=3000)
    assert (resolution.ward.code, resolution.method) == (VI_TAN, "given")


def test_an_invalid_ward_code_falls_back_to_the_location(wards):
    resolution = resolve_ward(wards, ward_code="99999", location=IN_VI_THANH, max_distance_m=3000)
    assert (resolution.ward.code, resolution.method) == (VI_THANH, "polygon")


def test_a_point_just_outside_the_polygons_goes_to_the_nearest_centre(wards):
    assert wards.locate(*JUST_OUTSIDE_VI_TAN) is None

    resolution = resolve_ward(wards, ward_code=None, location=JUST_OUTSIDE_VI_TAN, max_distance_m=3000)

    assert (resolution.ward.code, resolution.method) == (VI_TAN, "nearest")
    assert 1500 < resolution.distance_m < 3000


def test_a_point_too_far_from_every_centre_is_outside(wards):
    resolution = resolve_ward(wards, ward_code=None, location=CAN_THO_CENTRE, max_distance_m=1000)
    assert resolution.ward is None
    assert resolution.method == "outside"
    assert resolve_ward(wards, ward_code=None, location=JUST_OUTSIDE_VI_TAN, max_distance_m=1000).method == "outside"


def test_no_ward_code_and_no_location_is_outside(wards):
    resolution = resolve_ward(wards, ward_code="99999", location=None, max_distance_m=3000)
    assert (resolution.ward, resolution.method) == (None, "outside")


# owner_for


def test_the_ward_rule_comes_first_then_the_field_rule(wards):
    rules = RuleSet(
        [
            RoutingRule("waste", VI_THANH, ward_committee_id(VI_THANH)),
            RoutingRule("waste", ANY_WARD, "so_nong_nghiep_moi_truong"),
        ]
    )

    in_vi_thanh = owner_for(rules, "waste", wards.get(VI_THANH))
    in_vi_tan = owner_for(rules, "waste", wards.get(VI_TAN))

    assert (in_vi_thanh.unit_id, in_vi_thanh.basis, in_vi_thanh.reason) == ("ubnd_31321", "ward_rule", None)
    assert (in_vi_tan.unit_id, in_vi_tan.basis, in_vi_tan.reason) == ("so_nong_nghiep_moi_truong", "field_rule", None)


def test_a_plain_mapping_works_as_rules(wards):
    decision = owner_for({("roads", ANY_WARD): "so_xay_dung"}, "roads", wards.get(VI_TAN))
    assert (decision.unit_id, decision.basis) == ("so_xay_dung", "field_rule")


def test_without_a_rule_the_coordinators_decide_and_are_told_why(wards):
    rules = RuleSet([RoutingRule("waste", ANY_WARD, "so_nong_nghiep_moi_truong")])

    decision = owner_for(rules, "roads", wards.get(VI_TAN))

    assert (decision.unit_id, decision.basis) == (COORDINATORS_ID, "coordinators")
    assert "roads" in decision.reason["en"]
    assert "Phường Vị Tân" in decision.reason["vi"]


def test_a_report_without_a_ward_goes_to_the_coordinators_even_with_a_field_rule():
    decision = owner_for({("roads", ANY_WARD): "so_xay_dung"}, "roads", None)
    assert (decision.unit_id, decision.basis) == (COORDINATORS_ID, "coordinators")
    assert set(decision.reason) == {"vi", "en"}


def test_a_rule_set_refuses_two_units_for_one_key():
    with pytest.raises(ValueError, match="overlap"):
        RuleSet([RoutingRule("waste", ANY_WARD, "so_xay_dung"), RoutingRule("waste", ANY_WARD, "so_y_te")])
    assert len(RuleSet([RoutingRule("waste", ANY_WARD, "so_y_te")] * 2)) == 1


# check_rules


def test_an_overlap_is_found(rules, wards, unit_ids):
    problems = check([*rules, RoutingRule("waste", VI_THANH, "so_xay_dung")], wards, unit_ids)

    assert [problem.kind for problem in problems] == ["overlap"]
    assert "waste" in problems[0].text["en"]
    assert VI_THANH in problems[0].text["en"]
    assert "so_xay_dung" in problems[0].text["en"]


def test_a_repeated_identical_rule_is_no_overlap(rules, wards, unit_ids):
    assert check([*rules, rules[0]], wards, unit_ids) == []


def test_a_gap_is_found(rules, wards, unit_ids):
    # Without its field-wide fallback, a ward-level field with one ward rule missing leaves a gap.
    holed = [rule for rule in rules if not (rule.category_code == "waste" and rule.ward_code in (ANY_WARD, VI_TAN))]

    problems = check(holed, wards, unit_ids)

    assert [problem.kind for problem in problems] == ["gap"]
    assert "waste" in problems[0].text["en"]
    assert VI_TAN in problems[0].text["en"]


def test_a_field_without_any_rule_has_a_gap_in_every_ward(rules, wards, unit_ids):
    problems = check([rule for rule in rules if rule.category_code != "roads"], wards, unit_ids)
    assert [problem.kind for problem in problems] == ["gap"] * len(wards.all())


@pytest.mark.parametrize(
    ("rule", "kind", "named"),
    [
        (RoutingRule("roads", VI_TAN, "so_giao_thong"), "unknown_unit", "so_giao_thong"),
        (RoutingRule("parking", ANY_WARD, "so_xay_dung"), "unknown_category", "parking"),
        (RoutingRule("roads", "00001", "so_xay_dung"), "unknown_ward", "00001"),
    ],
)
def test_unknown_names_are_found(rules, wards, unit_ids, rule, kind, named):
    problems = check([*rules, rule], wards, unit_ids)
    assert [problem.kind for problem in problems] == [kind]
    assert named in problems[0].text["en"]
    assert named in problems[0].text["vi"]


def test_problems_come_grouped_by_kind(rules, wards, unit_ids):
    broken = [rule for rule in rules if rule.category_code != "health"]
    broken += [RoutingRule("parking", ANY_WARD, "nobody"), RoutingRule("roads", ANY_WARD, "so_y_te")]

    kinds = [problem.kind for problem in check(broken, wards, unit_ids)]

    assert kinds == ["overlap"] + ["gap"] * len(wards.all()) + ["unknown_unit", "unknown_category"]


# demo_rules


def test_the_demo_rules_are_clean(rules, wards, unit_ids):
    assert check(rules, wards, unit_ids) == []
    assert len(set(Counter(rule.key for rule in rules).values())) == 1


def test_the_demo_rules_give_every_ward_and_field_exactly_one_owner(rules, wards, unit_ids):
    rule_set = RuleSet(rules)
    for category in all_categories():
        for ward in wards.all():
            decision = owner_for(rule_set, category.code, ward)
            if category.ward_level:
                assert (decision.unit_id, decision.basis) == (ward_committee_id(ward.code), "ward_rule")
            else:
                assert (decision.unit_id, decision.basis) == (category.default_owner, "field_rule")
            assert decision.unit_id in unit_ids


def test_ward_level_fields_fall_back_to_their_department(rules):
    flooding = get_category("flooding")
    assert RuleSet(rules)[(flooding.code, ANY_WARD)] == flooding.default_owner
