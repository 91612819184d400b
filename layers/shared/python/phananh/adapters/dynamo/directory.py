"""Units, officers and routing rules in DynamoDB: the DirectoryStore of phananh.routing.ports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

from phananh.adapters.dynamo.models import OfficerModel, RoutingRuleModel, UnitModel
from phananh.report.model import iso, parse_iso
from phananh.routing.directory import Officer, Unit
from phananh.routing.rules import RoutingRule


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

    def put_officers(self, officers: Iterable[Officer]) -> None:
        with OfficerModel.batch_write() as batch:
            for officer in officers:
                batch.save(OfficerModel(**{**asdict(officer), "credentials_since": iso(officer.credentials_since)}))

    def put_rules(self, rules: Iterable[RoutingRule]) -> None:
        with RoutingRuleModel.batch_write() as batch:
            for rule in rules:
                batch.save(RoutingRuleModel(**asdict(rule)))

    def unit(self, unit_id: str) -> Unit | None:
        try:
            item = UnitModel.get(unit_id)
        except UnitModel.DoesNotExist:
            return None
        return _unit(item)

    def units(self) -> list[Unit]:
        """Every unit (a small reference table, read whole by the daily digest)."""
        return [_unit(item) for item in UnitModel.scan()]

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

    def delete_officer(self, officer_id: str) -> None:
        OfficerModel(officer_id=officer_id).delete()

    def rules_for(self, category_code: str) -> list[RoutingRule]:
        return [
            RoutingRule(category_code=item.category_code, ward_code=item.ward_code, unit_id=item.unit_id)
            for item in RoutingRuleModel.query(category_code)
        ]
