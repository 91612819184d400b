"""Who owns a report: its ward, then the unit the routing rules give for (field, ward).

Rules are keyed by (category_code, ward_code), the routing-rules table's key. A ward rule sends a
field's reports in one ward to a unit (usually the ward's People's Committee); the field-wide
rule (ward code ANY_WARD) sends the rest to the provincial department; whatever no rule covers
goes to the coordinators, with a reason they can read. Every report gets exactly one owner.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from phananh.report.categories import Category
from phananh.routing.directory import COORDINATORS_ID
from phananh.routing.geo import Ward, WardDirectory
from phananh.shared.errors import Text, bilingual

ANY_WARD = "*"

RuleKey = tuple[str, str]
"""(category_code, ward_code)"""

ResolutionMethod = Literal["given", "polygon", "nearest", "outside"]
OwnerBasis = Literal["ward_rule", "field_rule", "coordinators"]
ProblemKind = Literal["overlap", "gap", "unknown_unit", "unknown_category", "unknown_ward"]
PROBLEM_KINDS: tuple[ProblemKind, ...] = ("overlap", "gap", "unknown_unit", "unknown_category", "unknown_ward")

NO_WARD_REASON = bilingual(
    "Không xác định được xã, phường trong địa bàn tỉnh cho phản ánh (ngoài địa bàn hoặc vị trí không rõ).",
    "No ward of the province could be found for the report (outside the province or no usable location).",
)


@dataclass(frozen=True)
class WardResolution:
    ward: Ward | None
    method: ResolutionMethod
    distance_m: float | None
    """Metres to the ward's centre, for a "nearest" resolution only."""


def resolve_ward(
    wards: WardDirectory,
    *,
    ward_code: str | None,
    location: tuple[float, float] | None,
    max_distance_m: float,
) -> WardResolution:
    """The ward a report belongs to: the ward code the reporter gave, if it is one of ours; else
    the ward whose polygon holds the (lat, lon) location; else the ward with the nearest centre
    within `max_distance_m`; else none ("outside": the coordinators decide)."""
    given = wards.get(ward_code) if ward_code else None
    if given is not None:
        return WardResolution(given, "given", None)
    if location is not None:
        lat, lon = location
        located = wards.locate(lat, lon)
        if located is not None:
            return WardResolution(located, "polygon", None)
        nearest = wards.nearest(lat, lon, max_distance_m)
        if nearest is not None:
            ward, distance_m = nearest
            return WardResolution(ward, "nearest", distance_m)
    return WardResolution(None, "outside", None)


@dataclass(frozen=True)
class RoutingRule:
    category_code: str
    ward_code: str
    """A ward code, or ANY_WARD for the field-wide rule."""
    unit_id: str

    @property
    def key(self) -> RuleKey:
        return (self.category_code, self.ward_code)


class RuleSet(Mapping[RuleKey, str]):
    """Routing rules as a mapping (category_code, ward_code) → unit id, one unit per key."""

    def __init__(self, rules: Iterable[RoutingRule]):
        units: dict[RuleKey, str] = {}
        for rule in rules:
            if units.setdefault(rule.key, rule.unit_id) != rule.unit_id:
                raise ValueError(f"rules overlap: {_describe(rule.key)} → {units[rule.key]} and {rule.unit_id}")
        self._units = units

    def __getitem__(self, key: RuleKey) -> str:
        return self._units[key]

    def __iter__(self) -> Iterator[RuleKey]:
        return iter(self._units)

    def __len__(self) -> int:
        return len(self._units)


@dataclass(frozen=True)
class OwnerDecision:
    unit_id: str
    basis: OwnerBasis
    reason: Text | None
    """Why the coordinators got the report; None when a rule decided."""


def owner_for(
    rules: Mapping[RuleKey, str], category_code: str, ward: Ward | None,
    *, is_active: Callable[[str], bool] = lambda unit_id: True,
) -> OwnerDecision:
    """The one unit that owns a report of `category_code` in `ward`: the ward rule, else the
    field-wide rule, else the coordinators. A report without a ward goes to the coordinators even
    when the field has a field-wide rule: a provincial department's remit ends at the province's
    border, and only a person can tell where such a report belongs. A rule naming a disabled unit
    (`is_active` false) counts as absent, as the rule check counts it (a gap)."""
    if ward is None:
        return OwnerDecision(COORDINATORS_ID, "coordinators", NO_WARD_REASON)
    ward_unit = rules.get((category_code, ward.code))
    if ward_unit is not None and is_active(ward_unit):
        return OwnerDecision(ward_unit, "ward_rule", None)
    field_unit = rules.get((category_code, ANY_WARD))
    if field_unit is not None and is_active(field_unit):
        return OwnerDecision(field_unit, "field_rule", None)
    return OwnerDecision(
        COORDINATORS_ID,
        "coordinators",
        bilingual(
            f"Chưa có quy tắc phân công cho lĩnh vực {category_code} tại {ward.name['vi']}.",
            f"No routing rule for field {category_code} in {ward.name['en']}.",
        ),
    )


@dataclass(frozen=True)
class RuleProblem:
    kind: ProblemKind
    text: Text


def check_rules(
    rules: Iterable[RoutingRule],
    *,
    categories: Iterable[Category],
    wards: WardDirectory,
    unit_ids: Collection[str],
) -> list[RuleProblem]:
    """What is wrong with a rule set: two units for one (field, ward) key, a (field, ward) pair of
    the service area no rule covers, and rules naming a unit, field or ward that does not exist.
    Problems come grouped by kind, in PROBLEM_KINDS order."""
    rules = tuple(rules)
    category_codes = [category.code for category in categories]
    known_categories = set(category_codes)
    found: dict[ProblemKind, list[RuleProblem]] = {kind: [] for kind in PROBLEM_KINDS}

    units_by_key: dict[RuleKey, list[str]] = {}
    for rule in rules:
        key_units = units_by_key.setdefault(rule.key, [])
        if rule.unit_id not in key_units:
            key_units.append(rule.unit_id)
        if rule.unit_id not in unit_ids:
            found["unknown_unit"].append(
                _problem(
                    "unknown_unit",
                    f"{_describe_vi(rule.key)}: không có đơn vị {rule.unit_id}",
                    f"{_describe(rule.key)}: no unit {rule.unit_id}",
                )
            )
        if rule.category_code not in known_categories:
            found["unknown_category"].append(
                _problem(
                    "unknown_category",
                    f"{_describe_vi(rule.key)}: không có lĩnh vực {rule.category_code}",
                    f"{_describe(rule.key)}: no field {rule.category_code}",
                )
            )
        if rule.ward_code != ANY_WARD and wards.get(rule.ward_code) is None:
            found["unknown_ward"].append(
                _problem(
                    "unknown_ward",
                    f"{_describe_vi(rule.key)}: không có xã, phường {rule.ward_code} trong địa bàn",
                    f"{_describe(rule.key)}: no ward {rule.ward_code} in the service area",
                )
            )

    for key, key_units in units_by_key.items():
        if len(key_units) > 1:
            listed = ", ".join(key_units)
            found["overlap"].append(
                _problem(
                    "overlap",
                    f"{_describe_vi(key)}: trùng quy tắc, nhiều đơn vị ({listed})",
                    f"{_describe(key)}: overlapping rules, several units ({listed})",
                )
            )

    for code in category_codes:
        if (code, ANY_WARD) in units_by_key:
            continue
        for ward in wards.all():
            if (code, ward.code) not in units_by_key:
                found["gap"].append(
                    _problem(
                        "gap",
                        f"lĩnh vực {code}, {ward.name['vi']} ({ward.code}): không có quy tắc nào",
                        f"field {code}, {ward.name['en']} ({ward.code}): no rule covers it",
                    )
                )
    return [problem for kind in PROBLEM_KINDS for problem in found[kind]]


def _problem(kind: ProblemKind, vi: str, en: str) -> RuleProblem:
    return RuleProblem(kind, bilingual(vi, en))


def _describe(key: RuleKey) -> str:
    category_code, ward_code = key
    return f"field {category_code}, " + ("all wards" if ward_code == ANY_WARD else f"ward {ward_code}")


def _describe_vi(key: RuleKey) -> str:
    category_code, ward_code = key
    return f"lĩnh vực {category_code}, " + ("mọi xã, phường" if ward_code == ANY_WARD else f"xã, phường {ward_code}")
