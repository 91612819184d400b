"""The signed-in officer as the officers' app shows them."""

from phananh.processing.principal import Principal
from phananh.processing.sign_in import profile
from phananh.routing.directory import Unit
from phananh.shared.errors import bilingual

WARD_UNIT = Unit(
    unit_id="ubnd_31321", name=bilingual("Ủy ban nhân dân phường Vị Thanh", "Vi Thanh Ward People's Committee"),
    kind="ward_committee", ward_code="31321", parent_unit_id="ubnd_thanh_pho",
    email="ubnd_31321@example.vn", phone="+84900000001",
)


class _Directory:
    def __init__(self, *units):
        self.units = {unit.unit_id: unit for unit in units}

    def unit(self, unit_id):
        return self.units.get(unit_id)


def test_the_profile_names_the_officer_their_roles_in_order_and_their_unit():
    head = Principal("ubnd_31321.head", "ubnd_31321", frozenset({"unit_head", "officer"}))
    assert profile(head, directory=_Directory(WARD_UNIT)) == {
        "officer_id": "ubnd_31321.head",
        "roles": ["officer", "unit_head"],
        "unit": {"unit_id": "ubnd_31321", "name": WARD_UNIT.name},
    }


def test_an_officer_whose_unit_is_gone_has_no_unit():
    stranded = Principal("gone.officer", "gone", frozenset({"officer"}))
    assert profile(stranded, directory=_Directory(WARD_UNIT))["unit"] is None
