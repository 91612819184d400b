import json
import os
import subprocess
import sys
from dataclasses import asdict

from repo_files import REPO_ROOT, WARDS_FILE

from phananh.routing.geo import load_wards
from phananh.routing.rules import ANY_WARD
from phananh_local.demo_directory import demo_rules

PYTHONPATH = os.pathsep.join(str(REPO_ROOT / folder) for folder in ("layers/shared/python", "infra/cdk", "infra/local"))


def run_check(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "phananh_local.check_rules", *arguments],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": PYTHONPATH},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_demo_rules_pass():
    result = run_check()

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["0 overlaps, 0 gaps, 0 unknown units, 0 unknown categories, 0 unknown wards"]


def test_a_rule_file_with_an_overlap_and_a_gap_fails(tmp_path):
    rules = [asdict(rule) for rule in demo_rules(load_wards(WARDS_FILE))]
    rules = [
        rule for rule in rules if not (rule["category_code"] == "waste" and rule["ward_code"] in (ANY_WARD, "31333"))
    ]
    rules.append({"category_code": "roads", "ward_code": ANY_WARD, "unit_id": "so_y_te"})
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(json.dumps(rules), encoding="utf-8")

    result = run_check("--rules", str(rules_file))

    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("overlap: field roads, all wards")
    assert "so_y_te" in lines[0]
    assert lines[1].startswith("gap: field waste")
    assert "31333" in lines[1]
    assert lines[2:] == ["1 overlap, 1 gap, 0 unknown units, 0 unknown categories, 0 unknown wards"]


def test_an_unreadable_rule_file_is_an_error(tmp_path):
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(json.dumps([{"category_code": "roads"}]), encoding="utf-8")

    result = run_check("--rules", str(rules_file))

    assert result.returncode == 2
    assert "rule 0" in result.stderr
