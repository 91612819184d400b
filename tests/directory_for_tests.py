"""A small directory for the use cases on fakes: Vị Thanh ward's committee owns its roads, the
coordinators get everything else; each unit has an officer, the ward a unit head too."""

from __future__ import annotations

from dataclasses import dataclass

from phananh.processing.principal import Principal
from phananh.routing.directory import CITY_COMMITTEE_ID, COORDINATORS_ID, Officer, Unit
from phananh.routing.rules import ANY_WARD, RoutingRule

VI_THANH_WARD = "31321"
WARD_UNIT = "ubnd_31321"
OTHER_UNIT = "so_xay_dung"


@dataclass(frozen=True)
class Directory:
    ward: Unit
    other: Unit
    coordinators: Unit
    officer: Officer
    unit_head: Officer
    other_officer: Officer
    coordinator: Officer

    def principal(self, officer: Officer) -> Principal:
        return Principal(officer_id=officer.officer_id, unit_id=officer.unit_id, roles=frozenset({officer.role}))


def _unit(unit_id: str, kind: str, name: str, *, ward_code: str | None = None, topic: bool = True) -> Unit:
    return Unit(
        unit_id=unit_id, name={"vi": name, "en": name}, kind=kind, ward_code=ward_code,
        parent_unit_id=CITY_COMMITTEE_ID, email=f"{unit_id}@cantho.gov.vn", phone="+84292000000",
        topic_arn=f"arn:aws:sns:ap-southeast-1:000000000000:phananh-unit-{unit_id}" if topic else None,
    )


def _officer(officer_id: str, unit_id: str, role: str) -> Officer:
    return Officer(officer_id=officer_id, unit_id=unit_id, full_name=f"Cán bộ {officer_id}",
                   email=f"{officer_id}@cantho.gov.vn", phone="+84901234567", role=role)


def seed(ports) -> Directory:
    directory = Directory(
        ward=_unit(WARD_UNIT, "ward_committee", "UBND phường Vị Thanh", ward_code=VI_THANH_WARD),
        other=_unit(OTHER_UNIT, "department", "Sở Xây dựng"),
        coordinators=_unit(COORDINATORS_ID, "coordinators", "Ban điều phối", topic=False),
        officer=_officer("vt.officer", WARD_UNIT, "officer"),
        unit_head=_officer("vt.head", WARD_UNIT, "unit_head"),
        other_officer=_officer("sxd.officer", OTHER_UNIT, "officer"),
        coordinator=_officer("dp.coordinator", COORDINATORS_ID, "coordinator"),
    )
    ports.directory.put_units([directory.ward, directory.other, directory.coordinators])
    ports.directory.put_officers(
        [directory.officer, directory.unit_head, directory.other_officer, directory.coordinator]
    )
    ports.directory.put_rules([
        RoutingRule("roads", VI_THANH_WARD, WARD_UNIT),
        RoutingRule("lighting", ANY_WARD, OTHER_UNIT),
    ])
    return directory
