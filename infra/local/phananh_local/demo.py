"""Demo data for the local stack: the province's units and officers, ready to receive reports."""

from __future__ import annotations

from phananh.directory import demo_directory
from phananh.geo import load_wards
from phananh.settings import get_settings
from phananh.store import DirectoryStore


def seed_demo_data() -> str:
    wards = load_wards(get_settings().wards_geojson_path)
    units, officers = demo_directory(wards)
    store = DirectoryStore()
    store.put_units(units)
    store.put_officers(officers)
    return f"{len(wards.all())} wards, {len(units)} units, {len(officers)} officers"
