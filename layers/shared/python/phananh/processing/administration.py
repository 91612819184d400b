"""What coordinators keep: routing rules, units and officers.

Every rule change is checked before it is written: a field must keep exactly one owner in every
ward (no overlap is possible with one rule per key; a gap is refused), and a rule may only name a
unit, field and ward that exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from phananh.ports import Ports
from phananh.processing.policy import require_coordinator
from phananh.processing.principal import ROLES, Principal
from phananh.report.categories import Category, all_categories, get_category
from phananh.report.model import iso
from phananh.routing.directory import (
    COORDINATORS_ID,
    Officer,
    Unit,
    is_directory_id,
    is_email_address,
    is_phone_number,
)
from phananh.routing.geo import load_wards
from phananh.routing.ports import DirectoryStore
from phananh.routing.rules import ANY_WARD, RoutingRule, RuleProblem, check_rules
from phananh.shared.errors import InvalidInput, NotFound, StateConflict, Text, bilingual
from phananh.shared.errors import invalid_field as _invalid
from phananh.shared.settings import Settings, unit_topic_name
from phananh.shared.text_policy import clean_text

# ASCII digits: str.isdigit also takes "²" and "٣".
_WARD_CODE = re.compile(r"[0-9]{1,16}")
_UNIT_KINDS = ("city_committee", "ward_committee", "department", "coordinators", "police", "utility")


def _identifier(value: Any, field: str) -> str:
    if not is_directory_id(value):
        raise _invalid("invalid_id", field, f"'{field}' không hợp lệ.", f"'{field}' is not a valid id.")
    return value


def _choice(value: Any, field: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _invalid(
            "invalid_choice", field,
            f"'{field}' phải là một trong: {', '.join(choices)}.", f"'{field}' must be one of: {', '.join(choices)}.",
        )
    return value


def _wrong_format(field: str) -> InvalidInput:
    return _invalid("invalid_format", field, f"'{field}' sai định dạng.", f"'{field}' has the wrong format.")


def _email(value: Any) -> str:
    if not is_email_address(value):
        raise _wrong_format("email")
    return value


def _phone(value: Any) -> str:
    if not is_phone_number(value):
        raise _wrong_format("phone")
    return value


def _name(value: Any) -> Text:
    if not isinstance(value, dict):
        raise _invalid("invalid_type", "name", "Tên cần có dạng {vi, en}.", "name must be {vi, en}.")
    return {
        "vi": clean_text(value.get("vi"), "name.vi", max_length=200, required=True),
        "en": clean_text(value.get("en"), "name.en", max_length=200, required=True),
    }


# Routing rules


def rules_of(principal: Principal, category_code: str, *, ports: Ports) -> list[dict[str, str]]:
    require_coordinator(principal)
    _known_category(category_code)
    return [asdict(rule) for rule in ports.directory.rules_for(category_code)]


def _known_category(category_code: Any) -> str:
    if not isinstance(category_code, str) or get_category(category_code) is None:
        raise _invalid("unknown_category", "category_code", "Lĩnh vực không tồn tại.", "Unknown category.")
    return category_code


def rule_problems(rules: Iterable[RoutingRule], categories: Iterable[Category], *, units: Mapping[str, Unit],
                  settings: Settings) -> list[RuleProblem]:
    """The rule check (routing.rules.check_rules) as routing will apply the rules: a rule naming a
    disabled unit counts as absent, so the (field, ward) pairs only it covered show as gaps."""
    live = [rule for rule in rules if rule.unit_id not in units or units[rule.unit_id].active]
    return check_rules(
        live, categories=categories, wards=load_wards(settings.wards_geojson_path), unit_ids=set(units)
    )


def _problems(rules: list[RoutingRule], category_code: str, *, directory: DirectoryStore,
              settings: Settings, changed_unit: Unit | None = None) -> list[dict[str, Any]]:
    """The problems of one field's rules, with the units as the directory has them (or with
    `changed_unit` as it is about to be written)."""
    units = {unit_id: directory.unit(unit_id) for unit_id in {rule.unit_id for rule in rules}}
    if changed_unit is not None:
        units[changed_unit.unit_id] = changed_unit
    known = {unit_id: unit for unit_id, unit in units.items() if unit is not None}
    problems = rule_problems(rules, [get_category(category_code)], units=known, settings=settings)
    return [{"kind": problem.kind, "text": problem.text} for problem in problems]


def _refuse(problems: list[dict[str, Any]]) -> StateConflict:
    return StateConflict(
        "rules_problem",
        bilingual("Thay đổi này làm bộ quy tắc phân công bị lỗi.", "This change would break the routing rules."),
        current={"problems": problems},
    )


def build_rule(category_code: Any, ward_code: Any, unit_id: Any) -> RoutingRule:
    """A rule from a coordinator's fields, checked for form (a known field, a ward code or "*", a unit id)."""
    category_code = _known_category(category_code)
    if not isinstance(ward_code, str) or not (ward_code == ANY_WARD or _WARD_CODE.fullmatch(ward_code)):
        raise _invalid("invalid_ward", "ward_code", "Mã phường/xã không hợp lệ.", "Not a ward code.")
    return RoutingRule(category_code=category_code, ward_code=ward_code, unit_id=_identifier(unit_id, "unit_id"))


def put_rule(principal: Principal, category_code: Any, ward_code: Any, unit_id: Any, *,
             ports: Ports, settings: Settings) -> list[dict[str, str]]:
    """Set who owns `category_code` in `ward_code` ("*" for the whole field); returns the field's rules."""
    require_coordinator(principal)
    rule = build_rule(category_code, ward_code, unit_id)
    current = [existing for existing in ports.directory.rules_for(category_code) if existing.key != rule.key]
    problems = _problems([*current, rule], category_code, directory=ports.directory, settings=settings)
    if problems:
        raise _refuse(problems)
    ports.directory.put_rules([rule])
    return [asdict(existing) for existing in [*current, rule]]


def delete_rule(principal: Principal, category_code: Any, ward_code: Any, *,
                ports: Ports, settings: Settings) -> list[dict[str, str]]:
    require_coordinator(principal)
    category_code = _known_category(category_code)
    rules = ports.directory.rules_for(category_code)
    remaining = [rule for rule in rules if rule.ward_code != ward_code]
    if len(remaining) == len(rules):
        raise NotFound()
    problems = _problems(remaining, category_code, directory=ports.directory, settings=settings)
    if problems:
        raise _refuse(problems)
    ports.directory.delete_rule(category_code, ward_code)
    return [asdict(rule) for rule in remaining]


# Units


def build_unit(
    unit_id: Any, body: dict[str, Any], *, current_of: Callable[[str], Unit | None], exists: Callable[[str], bool]
) -> Unit:
    """A unit from a coordinator's fields, checked. `current_of` gives the unit as it is now (whose
    topic it keeps, and whose `active` an absent one keeps); `exists` says which units it may name
    as its parent."""
    unit_id = _identifier(unit_id, "unit_id")
    parent = body.get("parent_unit_id")
    if parent is not None and not exists(_identifier(parent, "parent_unit_id")):
        raise _invalid("unknown_unit", "parent_unit_id", "Đơn vị cấp trên không tồn tại.", "No such parent unit.")
    ward_code = body.get("ward_code")
    if ward_code is not None and not (isinstance(ward_code, str) and _WARD_CODE.fullmatch(ward_code)):
        raise _invalid("invalid_ward", "ward_code", "Mã phường/xã không hợp lệ.", "Not a ward code.")
    existing = current_of(unit_id)
    active = body.get("active", existing.active if existing else True)
    if not isinstance(active, bool):
        raise _invalid("invalid_type", "active", "'active' phải là true hoặc false.", "'active' must be true or false.")
    if not active and unit_id == COORDINATORS_ID:
        raise _invalid(
            "unit_required", "active", "Không thể tắt Ban điều phối: phản ánh chưa có quy tắc đều về đây.",
            "The coordinators cannot be disabled: every report no rule covers goes to them.",
        )
    return Unit(
        unit_id=unit_id,
        name=_name(body.get("name")),
        kind=_choice(body.get("kind"), "kind", _UNIT_KINDS),
        ward_code=ward_code,
        parent_unit_id=parent,
        email=_email(body.get("email")),
        phone=_phone(body.get("phone")),
        topic_arn=existing.topic_arn if existing else None,
        active=active,
    )


def with_topic(unit: Unit, *, ports: Ports) -> Unit:
    """A new unit gets its SMS/push topic (made idempotently)."""
    if unit.topic_arn is not None:
        return unit
    return replace(unit, topic_arn=ports.notifier.create_unit_topic(unit_topic_name(unit.unit_id), []))


def put_unit(principal: Principal, unit_id: Any, body: dict[str, Any], *, ports: Ports, settings: Settings) -> Unit:
    """Create or change a unit; a new unit gets its SMS/push topic. Disabling a unit is refused while
    a field would be left with no owner in some ward (its rules must name another unit first)."""
    require_coordinator(principal)
    unit = build_unit(unit_id, body, current_of=ports.directory.unit, exists=lambda other: _unit_exists(ports, other))
    if not unit.active:
        for category in all_categories():
            rules = ports.directory.rules_for(category.code)
            if any(rule.unit_id == unit.unit_id for rule in rules):
                problems = _problems(
                    rules, category.code, directory=ports.directory, settings=settings, changed_unit=unit
                )
                if problems:
                    raise _refuse(problems)
    unit = with_topic(unit, ports=ports)
    ports.directory.put_units([unit])
    return unit


def _unit_exists(ports: Ports, unit_id: str) -> bool:
    return ports.directory.unit(unit_id) is not None


def units_with_officers(principal: Principal, *, ports: Ports) -> dict[str, Any]:
    """GET /coordinator/units: every unit, disabled ones too, each with its officers."""
    require_coordinator(principal)
    return {"units": [_with_officers(unit, ports) for unit in sorted(ports.directory.units(), key=_unit_id_of)]}


def _unit_id_of(unit: Unit) -> str:
    return unit.unit_id


def _with_officers(unit: Unit, ports: Ports) -> dict[str, Any]:
    officers = ports.directory.officers_of(unit.unit_id)
    return {**asdict(unit), "officers": [officer_view(officer) for officer in officers]}


def unit_with_officers(principal: Principal, unit_id: str, *, ports: Ports) -> dict[str, Any]:
    require_coordinator(principal)
    unit = ports.directory.unit(unit_id)
    if unit is None:
        raise NotFound()
    return _with_officers(unit, ports)


# Officers


def officer_view(officer: Officer) -> dict[str, Any]:
    return {**asdict(officer), "credentials_since": iso(officer.credentials_since)}


def put_officer(
    principal: Principal, officer_id: Any, body: dict[str, Any], *, ports: Ports, now: datetime
) -> Officer:
    """Create or change an officer: the table row (which says the unit and role) and the sign-in.

    Ids name a post, so a post filled anew (or given a new address) is a new person: the sign-in is
    made afresh and tokens issued before `now` stop working (Officer.credentials_since).
    """
    require_coordinator(principal)
    officer = build_officer(officer_id, body, unit_exists=lambda unit_id: _unit_exists(ports, unit_id))
    officer = enrol(officer, ports.directory.officer(officer.officer_id), ports=ports, now=now)
    ports.directory.put_officers([officer])
    return officer


def build_officer(officer_id: Any, body: dict[str, Any], *, unit_exists: Callable[[str], bool]) -> Officer:
    """An officer from a coordinator's fields, checked; `unit_exists` says which units they may belong to."""
    officer = Officer(
        officer_id=_identifier(officer_id, "officer_id"),
        unit_id=_identifier(body.get("unit_id"), "unit_id"),
        full_name=clean_text(body.get("full_name"), "full_name", max_length=200, required=True),
        email=_email(body.get("email")),
        phone=_phone(body.get("phone")),
        role=_choice(body.get("role"), "role", ROLES),
    )
    if not unit_exists(officer.unit_id):
        raise _invalid("unknown_unit", "unit_id", "Đơn vị không tồn tại.", "No such unit.")
    return officer


def enrol(officer: Officer, current: Officer | None, *, ports: Ports, now: datetime) -> Officer:
    """The officer's sign-in, made afresh for a new post holder (a new id or a new address: tokens
    issued before `now` stop working), kept otherwise; the officer as the table must keep them."""
    fresh = current is None or current.email != officer.email
    officer = replace(officer, credentials_since=now.replace(microsecond=0) if fresh else current.credentials_since)
    ports.sign_ins.create_sign_in(officer.officer_id, officer.email, officer.role, fresh=fresh)
    return officer


def remove_officer(principal: Principal, officer_id: str, *, ports: Ports) -> None:
    """The sign-in is signed out and deleted and the row removed: the officer's tokens stop working at once
    (the row is gone), and the post's next holder gets a new account."""
    require_coordinator(principal)
    if ports.directory.officer(officer_id) is None:
        raise NotFound()
    ports.sign_ins.remove_sign_in(officer_id)
    ports.directory.delete_officer(officer_id)
