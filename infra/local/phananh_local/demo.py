"""Demo data for the local stack: the province's units and officers (each officer with a sign-in,
each unit with its SMS/push topic), and the routing rules that give every ward and field exactly
one owner."""

from __future__ import annotations

from dataclasses import replace

from phananh import bootstrap
from phananh.routing.directory import demo_directory
from phananh.routing.geo import load_wards
from phananh.routing.rules import demo_rules
from phananh.shared.settings import get_settings, unit_topic_name
from phananh_local.identities import seed_officer_logins


def seed_demo_data() -> str:
    ports = bootstrap.ports()
    wards = load_wards(get_settings().wards_geojson_path)
    units, officers = demo_directory(wards)
    phones_by_unit: dict[str, list[str]] = {}
    for officer in officers:
        phones_by_unit.setdefault(officer.unit_id, []).append(officer.phone)
    units = tuple(
        replace(unit, topic_arn=ports.notifier.create_unit_topic(
            unit_topic_name(unit.unit_id), phones_by_unit.get(unit.unit_id, [])
        ))
        for unit in units
    )
    rules = demo_rules(wards)
    ports.directory.put_units(units)
    ports.directory.put_officers(officers)
    ports.directory.put_rules(rules)
    seed_officer_logins(officers)
    return f"{len(wards.all())} wards, {len(units)} units, {len(officers)} officers, {len(rules)} routing rules"
