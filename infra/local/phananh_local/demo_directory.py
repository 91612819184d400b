"""The demo directory the local stack seeds (and the tests and benchmarks use): the province's
units, one officer and one head in each, coordinators, and routing rules that give every ward and
field exactly one owner. Contacts are fake and the same on every run.

Departments are those of a province after the March 2025 mergers (Sở Xây dựng took over
transport, Sở Nông nghiệp và Môi trường merged agriculture and environment, Sở Khoa học và Công
nghệ absorbed information and communications, Sở Y tế took social protection). A deployment
seeds its own directory; none of this is in the Lambda layer.
"""

from __future__ import annotations

from phananh.report.categories import all_categories
from phananh.routing.directory import CITY_COMMITTEE_ID, COORDINATORS_ID, Officer, Role, Unit, UnitKind
from phananh.routing.geo import Ward, WardDirectory
from phananh.routing.rules import ANY_WARD, RoutingRule
from phananh.shared.errors import bilingual

DEMO_EMAIL_DOMAIN = "example.vn"
# Demo numbers all start with 0900 00: obviously made up, and in E.164 as SNS needs them.
_DEMO_UNIT_PHONE = "+8490000{:04d}"
_DEMO_OFFICER_PHONE = "+8490001{:04d}"
_DEMO_COORDINATORS = 3


def ward_committee_id(ward_code: str) -> str:
    """The unit id of a ward's People's Committee (UBND xã/phường)."""
    return f"ubnd_{ward_code}"


# (unit_id, kind, parent, vi name, en name), supervisors before the units they supervise.
_PROVINCIAL_UNITS: tuple[tuple[str, UnitKind, str | None, str, str], ...] = (
    (
        CITY_COMMITTEE_ID,
        "city_committee",
        None,
        "Ủy ban nhân dân thành phố Cần Thơ",
        "Can Tho City People's Committee",
    ),
    (
        COORDINATORS_ID,
        "coordinators",
        CITY_COMMITTEE_ID,
        "Trung tâm Giám sát, điều hành đô thị thông minh",
        "Smart City Monitoring and Operations Centre",
    ),
    ("so_xay_dung", "department", CITY_COMMITTEE_ID, "Sở Xây dựng", "Department of Construction"),
    (
        "so_nong_nghiep_moi_truong",
        "department",
        CITY_COMMITTEE_ID,
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
    ),
    ("so_y_te", "department", CITY_COMMITTEE_ID, "Sở Y tế", "Department of Health"),
    (
        "so_giao_duc_dao_tao",
        "department",
        CITY_COMMITTEE_ID,
        "Sở Giáo dục và Đào tạo",
        "Department of Education and Training",
    ),
    (
        "so_cong_thuong",
        "department",
        CITY_COMMITTEE_ID,
        "Sở Công Thương",
        "Department of Industry and Trade",
    ),
    (
        "so_khoa_hoc_cong_nghe",
        "department",
        CITY_COMMITTEE_ID,
        "Sở Khoa học và Công nghệ",
        "Department of Science and Technology",
    ),
    ("so_noi_vu", "department", CITY_COMMITTEE_ID, "Sở Nội vụ", "Department of Home Affairs"),
    (
        "so_van_hoa_the_thao_du_lich",
        "department",
        CITY_COMMITTEE_ID,
        "Sở Văn hóa, Thể thao và Du lịch",
        "Department of Culture, Sports and Tourism",
    ),
    (
        "cong_an_thanh_pho",
        "police",
        CITY_COMMITTEE_ID,
        "Công an thành phố Cần Thơ",
        "Can Tho City Police",
    ),
    (
        "dien_luc",
        "utility",
        "so_cong_thuong",
        "Công ty Điện lực Cần Thơ",
        "Can Tho Power Company",
    ),
    (
        "cap_thoat_nuoc",
        "utility",
        "so_xay_dung",
        "Công ty Cấp thoát nước Cần Thơ",
        "Can Tho Water Supply and Sewerage Company",
    ),
)

_FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ")
_MIDDLE_NAMES = ("Minh", "Thanh", "Ngọc", "Hoàng", "Quốc", "Thu", "Hữu")
_GIVEN_NAMES = (
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Khoa", "Lan", "Linh", "Long",
    "Mai", "Nam", "Phúc", "Quân", "Tâm", "Thảo", "Trang", "Tú", "Vy", "Yến", "Khánh",
)  # fmt: skip


def _demo_name(number: int) -> str:
    # The three list lengths are pairwise coprime, so names repeat only after 11·7·23 officers.
    return " ".join(
        (
            _FAMILY_NAMES[number % len(_FAMILY_NAMES)],
            _MIDDLE_NAMES[number % len(_MIDDLE_NAMES)],
            _GIVEN_NAMES[number % len(_GIVEN_NAMES)],
        )
    )


def _ward_committee(ward: Ward) -> tuple[str, UnitKind, str | None, str, str]:
    return (
        ward_committee_id(ward.code),
        "ward_committee",
        CITY_COMMITTEE_ID,
        f"Ủy ban nhân dân {ward.ward_type} {ward.short_name}",
        f"{ward.name['en']} People's Committee",
    )


def demo_directory(wards: WardDirectory) -> tuple[tuple[Unit, ...], tuple[Officer, ...]]:
    """Units (supervisors first, then one committee per ward by code) and their officers: one
    officer and one unit head in every unit, plus coordinators on the coordinators board.
    Contacts are fake and the same on every run."""
    rows = [(*row, None) for row in _PROVINCIAL_UNITS] + [(*_ward_committee(ward), ward.code) for ward in wards.all()]
    units = tuple(
        Unit(
            unit_id=unit_id,
            name=bilingual(name_vi, name_en),
            kind=kind,
            ward_code=ward_code,
            parent_unit_id=parent,
            email=f"{unit_id}@{DEMO_EMAIL_DOMAIN}",
            phone=_DEMO_UNIT_PHONE.format(number),
        )
        for number, (unit_id, kind, parent, name_vi, name_en, ward_code) in enumerate(rows, start=1)
    )

    staffing: list[tuple[str, str, Role]] = []
    for unit in units:
        staffing += [(unit.unit_id, "head", "unit_head"), (unit.unit_id, "officer", "officer")]
    staffing += [(COORDINATORS_ID, f"coordinator{n}", "coordinator") for n in range(1, _DEMO_COORDINATORS + 1)]
    officers = tuple(
        Officer(
            officer_id=f"{unit_id}.{post}",
            unit_id=unit_id,
            full_name=_demo_name(number),
            email=f"{unit_id}.{post}@{DEMO_EMAIL_DOMAIN}",
            phone=_DEMO_OFFICER_PHONE.format(number),
            role=role,
        )
        for number, (unit_id, post, role) in enumerate(staffing, start=1)
    )
    return units, officers


def demo_rules(wards: WardDirectory) -> tuple[RoutingRule, ...]:
    """The demo rule set: ward-level fields go to each ward's People's Committee, with the field's
    department as the field-wide fallback; other fields go to their department everywhere."""
    rules: list[RoutingRule] = []
    for category in all_categories():
        rules.append(RoutingRule(category.code, ANY_WARD, category.default_owner))
        if category.ward_level:
            rules += [RoutingRule(category.code, ward.code, ward_committee_id(ward.code)) for ward in wards.all()]
    return tuple(rules)
