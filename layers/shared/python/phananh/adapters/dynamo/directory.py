"""Units, officers and routing rules in DynamoDB: the DirectoryStore of phananh.routing.ports.

Units and routing rules are read by nearly every invocation (routing, alerts, views) and change a
few times a year, so the container keeps what it read for `directory_cache_ttl_s` seconds; a write
through this adapter forgets everything kept, so the container that made a change sees it at once
and the others within the TTL. Officers are always read afresh: a sign-in must see a revocation.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import asdict
from typing import Any, TypeVar

from phananh.adapters.dynamo.models import OfficerModel, RoutingRuleModel, UnitModel
from phananh.report.model import iso, parse_iso
from phananh.routing.directory import Officer, Unit
from phananh.routing.rules import RoutingRule
from phananh.shared.settings import get_settings

Value = TypeVar("Value")


class _RecentReads:
    """Values read lately, each until its expiry (monotonic seconds)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[Hashable, tuple[float, Any]] = {}
        # Bumped by every forget, so that a read begun before a write is not kept after it.
        self._generation = 0

    def read(self, key: Hashable, fetch: Callable[[], Value]) -> Value:
        ttl_s = get_settings().directory_cache_ttl_s
        with self._lock:
            kept, generation = self._kept.get(key), self._generation
        if kept is not None and time.monotonic() < kept[0]:
            return kept[1]
        value = fetch()
        with self._lock:
            if ttl_s > 0 and generation == self._generation:
                self._kept[key] = (time.monotonic() + ttl_s, value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()
            self._generation += 1


# One per container, shared by every instance of the adapter: a write through any of them is seen by all.
recent_reads = _RecentReads()


def _unit(item: UnitModel) -> Unit:
    fields = {name: getattr(item, name) for name in Unit.__dataclass_fields__}
    return Unit(**{**fields, "active": item.active is not False})


def _officer(item: OfficerModel) -> Officer:
    fields = {name: getattr(item, name) for name in Officer.__dataclass_fields__}
    return Officer(**{**fields, "credentials_since": parse_iso(item.credentials_since)})


class DynamoDirectoryStore:
    """Units, officers and routing rules: read by routing, alerts and views; written by seeding
    and administration."""

    def put_units(self, units: Iterable[Unit]) -> None:
        with UnitModel.batch_write() as batch:
            for unit in units:
                batch.save(UnitModel(**asdict(unit)))
        recent_reads.forget()

    def put_officers(self, officers: Iterable[Officer]) -> None:
        with OfficerModel.batch_write() as batch:
            for officer in officers:
                batch.save(OfficerModel(**{**asdict(officer), "credentials_since": iso(officer.credentials_since)}))

    def put_rules(self, rules: Iterable[RoutingRule]) -> None:
        with RoutingRuleModel.batch_write() as batch:
            for rule in rules:
                batch.save(RoutingRuleModel(**asdict(rule)))
        recent_reads.forget()

    def unit(self, unit_id: str) -> Unit | None:
        return recent_reads.read(("unit", unit_id), lambda: self._read_unit(unit_id))

    @staticmethod
    def _read_unit(unit_id: str) -> Unit | None:
        try:
            item = UnitModel.get(unit_id)
        except UnitModel.DoesNotExist:
            return None
        return _unit(item)

    def units(self) -> list[Unit]:
        """Every unit (a small reference table, read whole by the daily digest)."""
        return list(recent_reads.read("units", lambda: tuple(_unit(item) for item in UnitModel.scan())))

    def officer(self, officer_id: str) -> Officer | None:
        try:
            item = OfficerModel.get(officer_id, consistent_read=True)
        except OfficerModel.DoesNotExist:
            return None
        return _officer(item)

    def officers_of(self, unit_id: str) -> list[Officer]:
        return [_officer(item) for item in OfficerModel.by_unit.query(unit_id)]

    def delete_rule(self, category_code: str, ward_code: str) -> None:
        RoutingRuleModel(category_code=category_code, ward_code=ward_code).delete()
        recent_reads.forget()

    def delete_officer(self, officer_id: str) -> None:
        OfficerModel(officer_id=officer_id).delete()

    def rules_for(self, category_code: str) -> list[RoutingRule]:
        return list(recent_reads.read(("rules", category_code), lambda: tuple(
            RoutingRule(category_code=item.category_code, ward_code=item.ward_code, unit_id=item.unit_id)
            for item in RoutingRuleModel.query(category_code)
        )))
