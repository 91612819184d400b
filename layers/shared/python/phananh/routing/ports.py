"""The port of what routing owns: the directory of units, officers and owner rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from phananh.routing.directory import Officer, Unit
from phananh.routing.rules import RoutingRule


class DirectoryStore(Protocol):
    """Units, officers and routing rules: read by routing, alerts and views; written by seeding and
    administration."""

    def put_units(self, units: Iterable[Unit]) -> None: ...

    def put_officers(self, officers: Iterable[Officer]) -> None: ...

    def put_rules(self, rules: Iterable[RoutingRule]) -> None: ...

    def unit(self, unit_id: str) -> Unit | None: ...

    def units(self) -> list[Unit]:
        """Every unit (a small reference table)."""

    def officer(self, officer_id: str) -> Officer | None: ...

    def officers_of(self, unit_id: str) -> list[Officer]: ...

    def delete_officer(self, officer_id: str) -> None: ...

    def rules_for(self, category_code: str) -> list[RoutingRule]: ...

    def delete_rule(self, category_code: str, ward_code: str) -> None: ...
