"""Bulk import of units, officers and rules from CSV (processing.onboarding) on the fake ports: strict
parsing with errors by file, line and column, the diff, the rule check, the dry run that writes
nothing, and the refusal of an import with errors or a gap; the parser fuzzed with hypothesis."""

from datetime import UTC, datetime

import pytest
from directory_for_tests import OTHER_UNIT, VI_THANH_WARD, WARD_UNIT
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from phananh.processing import onboarding
from phananh.processing.sign_in import Forbidden
from phananh.report.categories import all_categories
from phananh.routing.rules import ANY_WARD
from phananh.shared.errors import InvalidInput, Refused

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
UNITS_CSV = (
    "\ufeffunit_id,name_vi,name_en,kind,ward_code,parent_unit_id,email,phone,active\r\n"
    "so_gtvt,Sở Giao thông vận tải,Department of Transport,department,,so_xay_dung,sgtvt@haugiang.gov.vn,"
    "+84293000001,\r\n"
    "doi_cong_trinh,\"Đội công trình, Sở GTVT\",Works team,department,,so_gtvt,dct@haugiang.gov.vn,"
    "+84293000002,true\r\n"
)
OFFICERS_CSV = (
    "officer_id,unit_id,full_name,email,phone,role\n"
    "so_gtvt.head,so_gtvt,Nguyễn Thị Hồng Nhung,nhung@haugiang.gov.vn,+84912000001,unit_head\n"
    "so_gtvt.officer,so_gtvt,Trần Văn Đức,duc@haugiang.gov.vn,+84912000002,officer\n"
)


def run(ports, settings, principal, *, dry_run=True, **texts):
    return onboarding.import_directory(principal, {"dry_run": dry_run, **texts}, ports=ports, settings=settings,
                                       now=NOW)


def field_wide(unit_id):
    """A rules CSV that gives every field to one unit across the province: no gap anywhere."""
    return "category_code,ward_code,unit_id\n" + "".join(
        f"{category.code},*,{unit_id}\n" for category in all_categories())


def test_a_dry_run_shows_the_diff_and_the_rule_check_and_writes_nothing(ports, settings, coordinator, directory):
    result = run(ports, settings, coordinator, units_csv=UNITS_CSV, officers_csv=OFFICERS_CSV,
                 rules_csv="category_code,ward_code,unit_id\nroads,*,so_gtvt\nlighting,*,so_xay_dung\n")
    assert result["errors"] == [] and result["dry_run"] and not result["applied"]
    assert [unit["unit_id"] for unit in result["diff"]["units"]["added"]] == ["so_gtvt", "doi_cong_trinh"]
    assert result["diff"]["units"]["added"][1]["name"] == {"vi": "Đội công trình, Sở GTVT", "en": "Works team"}
    assert len(result["diff"]["officers"]["added"]) == 2
    assert result["diff"]["rules"]["added"] == [{"category_code": "roads", "ward_code": ANY_WARD, "unit_id": "so_gtvt"}]
    assert result["diff"]["rules"]["unchanged"] == 1
    # Fields other than roads and lighting have no rule in the small directory: gaps, shown not written.
    assert result["rule_check"]["gaps"] and result["rule_check"]["overlaps"] == []
    assert ports.directory.unit("so_gtvt") is None and ports.directory.officer("so_gtvt.head") is None
    assert "so_gtvt.head" not in ports.sign_ins.accounts and ports.notifier.topics == {}
    assert [rule.unit_id for rule in ports.directory.rules_for("roads")] == [WARD_UNIT]


def test_an_import_that_leaves_a_gap_is_refused_whole(ports, settings, coordinator, directory):
    with pytest.raises(Refused) as refused:
        run(ports, settings, coordinator, dry_run=False, units_csv=UNITS_CSV)
    assert refused.value.code == "import_refused"
    assert refused.value.details["details"]["rule_check"]["gaps"]
    assert ports.directory.unit("so_gtvt") is None


def test_an_import_without_errors_or_gaps_writes_units_officers_with_sign_ins_and_rules(
        ports, settings, coordinator, directory):
    result = run(ports, settings, coordinator, dry_run=False, units_csv=UNITS_CSV, officers_csv=OFFICERS_CSV,
                 rules_csv=field_wide("so_gtvt"))
    assert result["applied"] and result["errors"] == [] and result["rule_check"] == {"gaps": [], "overlaps": []}
    unit = ports.directory.unit("doi_cong_trinh")
    assert unit.parent_unit_id == "so_gtvt" and unit.topic_arn.endswith("-unit-doi_cong_trinh") and unit.active
    head = ports.directory.officer("so_gtvt.head")
    assert head.full_name == "Nguyễn Thị Hồng Nhung" and head.credentials_since == NOW
    assert ports.sign_ins.accounts["so_gtvt.head"].group == "unit_head"
    assert {rule.unit_id for rule in ports.directory.rules_for("roads")} == {WARD_UNIT, "so_gtvt"}

    again = run(ports, settings, coordinator, units_csv=UNITS_CSV.replace("Works team", "Works crew"),
                officers_csv=OFFICERS_CSV)
    assert again["diff"]["units"]["unchanged"] == 1 and again["diff"]["officers"]["unchanged"] == 2
    [changed] = again["diff"]["units"]["changed"]
    assert changed["id"] == "doi_cong_trinh" and changed["after"]["name"]["en"] == "Works crew"
    assert changed["before"]["name"]["en"] == "Works team"


def test_a_disabled_unit_in_the_import_leaves_the_gap_its_rules_covered(ports, settings, coordinator, directory):
    result = run(ports, settings, coordinator, units_csv=(
        "unit_id,name_vi,name_en,kind,ward_code,parent_unit_id,email,phone,active\n"
        f"{OTHER_UNIT},Sở Xây dựng,Construction,department,,,sxd@haugiang.gov.vn,+84293000003,false\n"),
        rules_csv=field_wide(OTHER_UNIT))
    assert result["errors"] == []
    assert result["diff"]["units"]["changed"][0]["after"]["active"] is False
    assert len(result["rule_check"]["gaps"]) == len(all_categories()) * 28 - 1  # roads in Vị Thanh stays owned


def test_row_errors_name_the_file_line_and_column(ports, settings, coordinator, directory):
    result = run(ports, settings, coordinator, units_csv=(
        "unit_id,name_vi,name_en,kind,ward_code,parent_unit_id,email,phone,active\n"
        "\n"
        "Bad Id,Tên,Name,department,,,a@b.vn,+84293000001,\n"
        "ok_unit,\"Tên\nhai dòng\",Name,department,,,a@b.vn,+84293000001,\n"
        "ok_two,Tên,Name,planet,,,a@b.vn,+84293000001,\n"
        "ok_three,Tên,Name,department,,nobody,a@b.vn,+84293000001,\n"
        "ok_four,Tên,Name,department,,,not-an-email,+84293000001,maybe\n"
        "ok_five,Tên,Name,department\n"
        "ok_six,Tên,Name,department,,,a@b.vn,0293000001,\n"
        "ok_six,Tên,Name,department,,,a@b.vn,+84293000001,\n"
    ), officers_csv="officer_id,unit_id,full_name,email,phone,role\nx.y,no_unit,Ai đó,a@b.vn,+84912000001,chief\n",
        rules_csv="category_code,ward_code,unit_id\nastrology,*,so_xay_dung\nroads,99999,so_xay_dung\n"
                  "roads,31321,nobody\nroads,Vị Thanh,so_xay_dung\n")
    found = [(error["file"], error["line"], error["field"], error["code"]) for error in result["errors"]]
    assert found == [
        ("units", 3, "unit_id", "invalid_id"),
        ("units", 4, "name_vi", "line_break_not_allowed"),
        ("units", 6, "kind", "invalid_choice"),
        ("units", 7, "parent_unit_id", "unknown_unit"),
        ("units", 8, "active", "invalid_choice"),
        ("units", 9, None, "wrong_column_count"),
        ("units", 10, "phone", "invalid_format"),
        ("units", 11, "unit_id", "duplicate_row"),
        ("officers", 2, "role", "invalid_choice"),
        ("rules", 2, "category_code", "unknown_category"),
        ("rules", 3, "ward_code", "unknown_ward"),
        ("rules", 4, "unit_id", "unknown_unit"),
        ("rules", 5, "ward_code", "invalid_ward"),
    ]
    assert all(error["message"]["vi"] and error["message"]["en"] for error in result["errors"])
    with pytest.raises(Refused):
        run(ports, settings, coordinator, dry_run=False, officers_csv=(
            "officer_id,unit_id,full_name,email,phone,role\nx.y,no_unit,Ai đó,a@b.vn,+84912000001,officer\n"))


def test_a_header_must_have_exactly_the_files_columns(ports, settings, coordinator, directory):
    result = run(ports, settings, coordinator, officers_csv="officer_id,unit,full_name,email,email,phone,role\n"
                 "a,b,c,d,e,f,g\n", rules_csv="", units_csv="\ufeff\n\n")
    assert [(error["file"], error["line"], error["field"], error["code"]) for error in result["errors"]] == [
        ("units", 1, None, "missing_header"),
        ("officers", 1, "unit", "unknown_column"),
        ("officers", 1, "email", "duplicate_column"),
        ("officers", 1, "unit_id", "missing_column"),
        ("rules", 1, None, "missing_header"),
    ]
    assert result["diff"]["officers"] == {"added": [], "changed": [], "unchanged": 0}


def test_two_rows_for_one_key_with_different_units_are_an_overlap(ports, settings, coordinator, directory):
    result = run(ports, settings, coordinator, rules_csv=(
        f"ward_code,unit_id,category_code\n{VI_THANH_WARD},{WARD_UNIT},lighting\n{VI_THANH_WARD},{OTHER_UNIT},lighting\n"
        f"{VI_THANH_WARD},{OTHER_UNIT},lighting\n"))
    assert [error["code"] for error in result["errors"]] == ["duplicate_row"]
    assert [problem["kind"] for problem in result["rule_check"]["overlaps"]] == ["overlap"]


def test_broken_quoting_is_an_error_of_its_line(ports, settings, coordinator, directory):
    result = run(ports, settings, coordinator, rules_csv='category_code,ward_code,unit_id\nroads,"*"x,so_xay_dung\n')
    assert [(error["line"], error["code"]) for error in result["errors"]] == [(2, "invalid_csv")]


def test_too_many_rows_are_refused_at_the_first_one_over(ports, settings, coordinator, directory, monkeypatch):
    monkeypatch.setattr(onboarding, "CSV_ROWS_MAX", 2)
    monkeypatch.setattr(onboarding, "OFFICER_ROWS_MAX", 1)
    officers = OFFICERS_CSV.replace(",so_gtvt,", f",{OTHER_UNIT},")
    result = run(ports, settings, coordinator, rules_csv=field_wide(OTHER_UNIT), officers_csv=officers)
    assert [(error["file"], error["line"], error["code"]) for error in result["errors"]] == [
        ("officers", 3, "too_many_rows"), ("rules", 4, "too_many_rows")]


@pytest.mark.parametrize("body, code, field", [
    ({"dry_run": "yes", "rules_csv": "x"}, "invalid_type", "dry_run"),
    ({"rules_csv": "x"}, "invalid_type", "dry_run"),
    ({"dry_run": True}, "nothing_to_import", None),
    ({"dry_run": True, "rules_csv": ["a"]}, "invalid_type", "rules_csv"),
    ({"dry_run": True, "rules_csv": "a" * (onboarding.CSV_MAX_BYTES + 1)}, "csv_too_large", "rules_csv"),
    ({"dry_run": True, "units_csv": "ữ" * (onboarding.CSV_MAX_BYTES // 3 + 1)}, "csv_too_large", "units_csv"),
    ({"dry_run": True, "rules": "x"}, "unknown_field", "rules"),
])
def test_a_malformed_request_is_a_bad_request(ports, settings, coordinator, body, code, field):
    with pytest.raises(InvalidInput) as refused:
        onboarding.import_directory(coordinator, body, ports=ports, settings=settings, now=NOW)
    assert refused.value.code == code and refused.value.details.get("field") == field


def test_only_coordinators_import(ports, settings, directory):
    with pytest.raises(Forbidden):
        run(ports, settings, directory.principal(directory.unit_head), rules_csv=field_wide(OTHER_UNIT))


CSV_TEXT = st.text(alphabet=st.sampled_from(list(",\"\r\n \ufeff\x00\t;ab_1*ĐữỔ=+-@\u202e\u2028")), max_size=300)


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.sampled_from(["", "category_code,ward_code,unit_id\n", "unit_id\n"]), text=CSV_TEXT)
def test_any_text_parses_to_rows_and_errors_that_point_into_it(header, text):
    errors = onboarding.RowErrors()
    content = header + text
    rows = onboarding.read_csv("rules", content, errors)
    lines = content.removeprefix("\ufeff").count("\n") + content.count("\r") + 1
    for row in rows:
        assert set(row.cells) == set(onboarding.RULE_COLUMNS) and 2 <= row.line <= lines
    for error in errors.listed:
        assert error["file"] == "rules" and 1 <= error["line"] <= lines
        assert error["message"]["vi"] and error["message"]["en"]


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(units=CSV_TEXT, officers=CSV_TEXT, rules=CSV_TEXT)
def test_any_import_is_answered_with_a_result_or_a_refusal_and_a_dry_run_writes_nothing(
        ports, settings, coordinator, directory, units, officers, rules):
    headers = {"units_csv": ",".join(onboarding.UNIT_COLUMNS) + "\n", "officers_csv":
               ",".join(onboarding.OFFICER_COLUMNS) + "\n", "rules_csv": ",".join(onboarding.RULE_COLUMNS) + "\n"}
    texts = {"units_csv": headers["units_csv"] + units, "officers_csv": headers["officers_csv"] + officers,
             "rules_csv": headers["rules_csv"] + rules}
    before = (ports.directory.units(), [ports.directory.rules_for(c.code) for c in all_categories()])
    result = run(ports, settings, coordinator, **texts)
    assert set(result) == {"dry_run", "applied", "diff", "rule_check", "errors"}
    assert (ports.directory.units(), [ports.directory.rules_for(c.code) for c in all_categories()]) == before
