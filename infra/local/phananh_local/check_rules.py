"""Checks a routing rule set against the fields, the configured wards and the demo units.

    python -m phananh_local.check_rules [--rules FILE.json] [--wards FILE.geojson] [--lang vi|en]

The rules file is a JSON list of {"category_code", "ward_code", "unit_id"} objects ("*" as the
ward code for a field-wide rule); without one, the demo rules are checked. Prints each problem and
a summary line; exits 1 when there is a problem, 2 when the input cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from phananh.report.categories import all_categories
from phananh.routing.geo import WardDataError, load_wards
from phananh.routing.rules import RoutingRule, check_rules
from phananh_local.demo_directory import demo_directory, demo_rules
from phananh_local.deploy import local_wards_geojson

_SUMMARY_LABELS = {
    "overlap": ("overlap", "overlaps"),
    "gap": ("gap", "gaps"),
    "unknown_unit": ("unknown unit", "unknown units"),
    "unknown_category": ("unknown category", "unknown categories"),
    "unknown_ward": ("unknown ward", "unknown wards"),
}
_RULE_FIELDS = ("category_code", "ward_code", "unit_id")


class RulesFileError(ValueError):
    pass


def read_rules(path: Path) -> list[RoutingRule]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RulesFileError(f"cannot read rules from {path}: {exc}") from exc
    if not isinstance(document, list):
        raise RulesFileError(f"{path}: expected a JSON list of rules")
    rules = []
    for position, item in enumerate(document):
        if not isinstance(item, dict) or not all(isinstance(item.get(name), str) for name in _RULE_FIELDS):
            raise RulesFileError(f"{path}: rule {position} needs string fields {', '.join(_RULE_FIELDS)}")
        rules.append(RoutingRule(**{name: item[name] for name in _RULE_FIELDS}))
    return rules


def summary(kinds: Counter[str]) -> str:
    parts = []
    for kind, (singular, plural) in _SUMMARY_LABELS.items():
        count = kinds[kind]
        parts.append(f"{count} {singular if count == 1 else plural}")
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m phananh_local.check_rules", description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=Path, help="JSON list of rules (default: the demo rules)")
    parser.add_argument("--wards", type=Path, help="ward boundaries GeoJSON (default: the configured file)")
    parser.add_argument("--lang", choices=("vi", "en"), default="en", help="language of the problem texts")
    args = parser.parse_args(argv)

    try:
        wards = load_wards(args.wards or local_wards_geojson())
        rules = read_rules(args.rules) if args.rules else demo_rules(wards)
    except (WardDataError, RulesFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    units, _ = demo_directory(wards)
    problems = check_rules(rules, categories=all_categories(), wards=wards, unit_ids={unit.unit_id for unit in units})

    for problem in problems:
        print(f"{problem.kind}: {problem.text[args.lang]}")
    print(summary(Counter(problem.kind for problem in problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
