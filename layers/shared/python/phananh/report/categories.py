"""The catalogue of report fields (lĩnh vực) a citizen can choose from.

Deadlines follow published practice: Đà Nẵng answers field reports in 3 working days; HCMC Thủ
Đức handles dangerous incidents in 3 hours, other reports in 3 working days and construction in
7; general petitions get 10 working days. Acknowledge and urgent-resolve times are clock hours;
`resolve_working_days` excludes weekends and Vietnamese public holidays.

Codes and service codes are stored with every report and published through Open311: never
rename one, add a new field instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from phananh.shared.errors import Text, bilingual

FIRE_EMERGENCY_NUMBER = "114"


@dataclass(frozen=True)
class Category:
    code: str
    service_code: str
    name: Text = field(hash=False)
    description: Text = field(hash=False)
    keywords: tuple[str, ...]
    acknowledge_hours: int
    resolve_working_days: int
    resolve_hours: int | None
    urgent: bool
    default_owner: str
    ward_level: bool
    # Reports of this field wait for a coordinator's approval before they are public (they are
    # routed and worked at once all the same); otherwise they are public once routed.
    review_first: bool = False
    # Resolving a report of this field needs no after-photo: the fix is a decision or a document
    # (an application handled, a fee refunded), not something a camera can show.
    after_photo_exempt: bool = False

    @property
    def after_photo_required(self) -> bool:
        return not self.after_photo_exempt

    def __post_init__(self) -> None:
        # A catalogue edit that breaks these would silently give a report no deadline.
        if self.acknowledge_hours <= 0:
            raise ValueError(f"{self.code}: acknowledge_hours must be positive")
        if self.urgent:
            if not self.resolve_hours or self.resolve_hours <= 0 or self.resolve_working_days:
                raise ValueError(f"{self.code}: urgent fields are resolved in hours")
        elif self.resolve_hours is not None or self.resolve_working_days <= 0:
            raise ValueError(f"{self.code}: non-urgent fields are resolved in working days")

    def to_public(self, lang: str | None = None) -> dict[str, Any]:
        """The entry GET /categories returns. With `lang` ("vi" or "en") names and descriptions
        are plain strings in that language (Vietnamese when the language is unknown), without
        it they stay bilingual {vi, en}."""
        return {
            "code": self.code,
            "service_code": self.service_code,
            "name": _localise(self.name, lang),
            "description": _localise(self.description, lang),
            "urgent": self.urgent,
            "acknowledge_hours": self.acknowledge_hours,
            "resolve_working_days": self.resolve_working_days,
            "resolve_hours": self.resolve_hours,
            "after_photo_required": self.after_photo_required,
        }


def _localise(text: Text, lang: str | None) -> Text | str:
    if lang is None:
        return dict(text)
    return text.get(lang) or text["vi"]


def _field(
    code: str,
    service_code: str,
    name: tuple[str, str],
    description: tuple[str, str],
    keywords: tuple[str, ...],
    *,
    owner: str,
    ward_level: bool,
    acknowledge_hours: int = 8,
    working_days: int = 0,
    hours: int | None = None,
    review_first: bool = False,
    after_photo_exempt: bool = False,
) -> Category:
    return Category(
        code=code,
        service_code=service_code,
        name=bilingual(*name),
        description=bilingual(*description),
        keywords=keywords,
        acknowledge_hours=acknowledge_hours,
        resolve_working_days=working_days,
        resolve_hours=hours,
        urgent=hours is not None,
        default_owner=owner,
        ward_level=ward_level,
        review_first=review_first,
        after_photo_exempt=after_photo_exempt,
    )


_CATEGORIES: tuple[Category, ...] = (
    _field(
        "urban_order",
        "PA-URBAN-ORDER",
        ("Trật tự đô thị", "Urban order"),
        (
            "Lấn chiếm vỉa hè, lòng đường; buôn bán, quảng cáo, rao vặt sai quy định.",
            "Pavements and roads occupied, unlicensed trading, illegal ads and posters.",
        ),
        ("lấn chiếm", "vỉa hè", "lòng đường", "buôn bán", "quảng cáo", "rao vặt", "bảng hiệu"),
        owner="so_xay_dung",
        ward_level=True,
        working_days=3,
    ),
    _field(
        "construction",
        "PA-CONSTRUCTION",
        ("Trật tự xây dựng", "Construction order"),
        (
            "Xây dựng không phép, sai phép; công trình gây mất an toàn, để vật liệu ra đường.",
            "Building without or against a permit; unsafe sites, materials left on the street.",
        ),
        ("xây dựng", "không phép", "sai phép", "công trình", "vật liệu", "giàn giáo"),
        owner="so_xay_dung",
        ward_level=True,
        working_days=7,
    ),
    _field(
        "waste",
        "PA-WASTE",
        ("Rác thải, vệ sinh môi trường", "Waste and cleanliness"),
        (
            "Rác tồn đọng, đổ rác sai nơi quy định, thu gom rác không đúng lịch.",
            "Uncollected or dumped rubbish, missed waste collection.",
        ),
        ("rác", "rác thải", "đổ rác", "thu gom", "xà bần", "vệ sinh"),
        owner="so_nong_nghiep_moi_truong",
        ward_level=True,
        working_days=3,
    ),
    _field(
        "pollution",
        "PA-POLLUTION",
        ("Ô nhiễm môi trường", "Pollution"),
        (
            "Khói, bụi, mùi hôi, xả nước thải ra kênh rạch, đốt rác, ô nhiễm từ cơ sở sản xuất.",
            "Smoke, dust, odours, waste water discharged into canals, burning, factory pollution.",
        ),
        ("ô nhiễm", "khói", "bụi", "mùi hôi", "nước thải", "xả thải", "đốt rác"),
        owner="so_nong_nghiep_moi_truong",
        ward_level=False,
        working_days=10,
    ),
    _field(
        "roads",
        "PA-ROADS",
        ("Đường sá, cầu, vỉa hè", "Roads, bridges and pavements"),
        (
            "Mặt đường hư hỏng, ổ gà, lún nứt; cầu, vỉa hè, hố ga xuống cấp.",
            "Damaged road surfaces, potholes, cracks; worn bridges, pavements and manholes.",
        ),
        ("ổ gà", "hư hỏng", "mặt đường", "lún", "nứt", "cầu", "vỉa hè", "hố ga"),
        owner="so_xay_dung",
        ward_level=False,
        working_days=3,
    ),
    _field(
        "lighting",
        "PA-LIGHTING",
        ("Chiếu sáng công cộng", "Street lighting"),
        (
            "Đèn đường không sáng, sáng ban ngày, trụ đèn hư hỏng.",
            "Street lights out or on by day, damaged lamp posts.",
        ),
        ("đèn đường", "chiếu sáng", "bóng đèn", "trụ đèn", "tối"),
        owner="so_xay_dung",
        ward_level=False,
        working_days=3,
    ),
    _field(
        "drainage",
        "PA-DRAINAGE",
        ("Thoát nước", "Drainage"),
        (
            "Cống, hố ga, mương thoát nước bị nghẹt, tràn nước thải.",
            "Blocked drains, gullies and ditches, sewage overflowing.",
        ),
        ("cống", "nghẹt", "hố ga", "mương", "thoát nước", "tràn"),
        owner="so_xay_dung",
        ward_level=False,
        working_days=3,
    ),
    _field(
        "flooding",
        "PA-FLOODING",
        ("Ngập nước, triều cường", "Flooding"),
        (
            "Ngập sâu do mưa, triều cường, vỡ bờ bao; nước vào nhà dân, xe không qua được.",
            "Deep flooding from rain, high tides or broken dykes; water entering homes.",
        ),
        ("ngập", "ngập nước", "triều cường", "vỡ bờ bao", "mưa lớn"),
        owner="so_xay_dung",
        ward_level=True,
        acknowledge_hours=1,
        hours=3,
    ),
    _field(
        "landslide",
        "PA-LANDSLIDE",
        ("Sạt lở, sụt lún", "Landslides and subsidence"),
        (
            "Sạt lở bờ sông, kênh rạch, bờ kè; sụt lún đất đe dọa nhà cửa, đường đi.",
            "Collapsing river or canal banks and embankments, subsidence threatening homes.",
        ),
        ("sạt lở", "bờ sông", "bờ kè", "sụt lún", "kênh rạch"),
        owner="so_nong_nghiep_moi_truong",
        ward_level=True,
        acknowledge_hours=1,
        hours=3,
    ),
    _field(
        "hazard",
        "PA-HAZARD",
        ("Sự cố nguy hiểm", "Dangerous incident"),
        (
            "Cây ngã đổ, dây điện đứt, mất nắp hố ga, sụp đường: nguy hiểm cho người đi đường.",
            "Fallen trees, broken power lines, open manholes, road collapse: danger to people.",
        ),
        ("nguy hiểm", "cây ngã", "dây điện đứt", "mất nắp", "hố ga", "sụp", "sự cố"),
        owner="so_xay_dung",
        ward_level=True,
        acknowledge_hours=1,
        hours=3,
    ),
    _field(
        "fire_safety",
        "PA-FIRE",
        ("Phòng cháy, chữa cháy", "Fire safety"),
        (
            f"Nguy cơ cháy nổ, vi phạm phòng cháy chữa cháy. Khi đang cháy, hãy gọi ngay {FIRE_EMERGENCY_NUMBER}.",
            f"Fire risks and fire-safety violations. If there is a fire now, call {FIRE_EMERGENCY_NUMBER} first.",
        ),
        ("cháy", "cháy nổ", "phòng cháy", "chữa cháy", "khí gas", "bình chữa cháy"),
        owner="cong_an_thanh_pho",
        ward_level=False,
        acknowledge_hours=1,
        hours=3,
    ),
    _field(
        "trees",
        "PA-TREES",
        ("Cây xanh", "Trees"),
        (
            "Cây nghiêng, sâu bệnh, cành khô cần cắt tỉa; chặt cây trái phép.",
            "Leaning, diseased or dead trees needing pruning; illegal felling.",
        ),
        ("cây xanh", "cắt tỉa", "cành", "cây nghiêng", "chặt cây"),
        owner="so_xay_dung",
        ward_level=False,
        working_days=3,
    ),
    _field(
        "electricity",
        "PA-ELECTRICITY",
        ("Điện", "Electricity"),
        (
            "Mất điện, điện chập chờn, trụ điện nghiêng, dây điện võng thấp.",
            "Power cuts, unstable supply, leaning poles, sagging lines.",
        ),
        ("mất điện", "cúp điện", "điện chập chờn", "trụ điện", "dây điện"),
        owner="dien_luc",
        ward_level=False,
        acknowledge_hours=4,
        working_days=3,
    ),
    _field(
        "water_supply",
        "PA-WATER",
        ("Cấp nước", "Water supply"),
        (
            "Mất nước, nước yếu, nước đục có mùi, vỡ ống nước.",
            "No water, low pressure, dirty or smelly water, burst pipes.",
        ),
        ("mất nước", "cúp nước", "nước yếu", "nước đục", "vỡ ống"),
        owner="cap_thoat_nuoc",
        ward_level=False,
        acknowledge_hours=4,
        working_days=3,
    ),
    _field(
        "telecoms",
        "PA-TELECOMS",
        ("Viễn thông", "Telecommunications"),
        (
            "Cáp viễn thông treo thấp, rối; trạm phát sóng, sóng di động yếu.",
            "Low-hanging or tangled telecom cables, masts, weak mobile signal.",
        ),
        ("cáp", "dây cáp", "viễn thông", "sóng", "internet", "trạm phát sóng"),
        owner="so_khoa_hoc_cong_nghe",
        ward_level=False,
        working_days=10,
    ),
    _field(
        "transport",
        "PA-TRANSPORT",
        ("Giao thông, vận tải", "Traffic and transport"),
        (
            "Đèn tín hiệu, biển báo hư hỏng; ùn tắc; xe buýt, bến xe, bến đò.",
            "Broken traffic lights and signs, congestion, buses, stations and ferries.",
        ),
        ("đèn tín hiệu", "biển báo", "ùn tắc", "xe buýt", "bến xe", "bến đò", "giao thông"),
        owner="so_xay_dung",
        ward_level=False,
        working_days=3,
    ),
    _field(
        "traffic_violation",
        "PA-TRAFFIC-VIOLATION",
        ("Vi phạm trật tự an toàn giao thông", "Traffic violations"),
        (
            "Đua xe, xe quá tải, đậu đỗ sai quy định, chạy ngược chiều.",
            "Street racing, overloaded trucks, illegal parking, wrong-way driving.",
        ),
        ("đua xe", "quá tải", "đậu xe", "ngược chiều", "vi phạm giao thông"),
        owner="cong_an_thanh_pho",
        ward_level=False,
        acknowledge_hours=4,
        working_days=3,
    ),
    _field(
        "noise",
        "PA-NOISE",
        ("Tiếng ồn", "Noise"),
        (
            "Karaoke, loa kéo, công trình thi công gây ồn, nhất là ban đêm.",
            "Karaoke, loudspeakers, noisy building work, especially at night.",
        ),
        ("tiếng ồn", "karaoke", "loa kéo", "ồn ào", "ban đêm"),
        owner="cong_an_thanh_pho",
        ward_level=True,
        acknowledge_hours=4,
        working_days=3,
    ),
    _field(
        "security",
        "PA-SECURITY",
        ("An ninh trật tự", "Security and public order"),
        (
            "Tụ tập gây rối, trộm cắp, cờ bạc, tệ nạn xã hội.",
            "Disorderly gatherings, theft, gambling, drugs and other vices.",
        ),
        ("gây rối", "trộm", "cờ bạc", "ma túy", "tệ nạn", "đánh nhau"),
        owner="cong_an_thanh_pho",
        ward_level=True,
        acknowledge_hours=4,
        working_days=3,
        # Such reports point at people (a house, a shop, a gathering): published only once checked.
        review_first=True,
    ),
    _field(
        "public_administration",
        "PA-ADMIN",
        ("Hành chính công", "Public administration"),
        (
            "Thủ tục hành chính, hồ sơ trễ hẹn, thái độ phục vụ của cán bộ.",
            "Administrative procedures, late applications, conduct of civil servants.",
        ),
        ("thủ tục", "hồ sơ", "trễ hẹn", "cán bộ", "một cửa", "thái độ"),
        owner="so_noi_vu",
        ward_level=False,
        working_days=10,
        after_photo_exempt=True,
    ),
    _field(
        "health",
        "PA-HEALTH",
        ("Y tế", "Health"),
        (
            "Cơ sở khám chữa bệnh, dịch bệnh, hành nghề y dược không phép.",
            "Clinics and hospitals, disease outbreaks, unlicensed medical practice.",
        ),
        ("bệnh viện", "trạm y tế", "dịch bệnh", "sốt xuất huyết", "nhà thuốc", "khám bệnh"),
        owner="so_y_te",
        ward_level=False,
        working_days=10,
    ),
    _field(
        "food_safety",
        "PA-FOOD-SAFETY",
        ("An toàn thực phẩm", "Food safety"),
        (
            "Thực phẩm bẩn, không rõ nguồn gốc; cơ sở ăn uống mất vệ sinh.",
            "Contaminated or untraceable food, unhygienic eateries.",
        ),
        ("thực phẩm", "ngộ độc", "vệ sinh", "quán ăn", "nguồn gốc"),
        owner="so_y_te",
        ward_level=False,
        working_days=10,
    ),
    _field(
        "education",
        "PA-EDUCATION",
        ("Giáo dục", "Education"),
        (
            "Trường lớp, dạy thêm học thêm, các khoản thu, an toàn trường học.",
            "Schools, private tutoring, school fees, school safety.",
        ),
        ("trường học", "dạy thêm", "học phí", "khoản thu", "giáo viên"),
        owner="so_giao_duc_dao_tao",
        ward_level=False,
        working_days=10,
        after_photo_exempt=True,
    ),
    _field(
        "social_welfare",
        "PA-SOCIAL",
        ("An sinh xã hội", "Social welfare"),
        (
            "Người lang thang, xin ăn; trẻ em, người già, người khuyết tật cần hỗ trợ.",
            "Homeless people and beggars; children, elderly or disabled people needing help.",
        ),
        ("lang thang", "xin ăn", "trẻ em", "người già", "khuyết tật", "trợ cấp"),
        owner="so_y_te",
        ward_level=True,
        working_days=10,
        after_photo_exempt=True,
    ),
    _field(
        "trade",
        "PA-TRADE",
        ("Thương mại, chợ", "Trade and markets"),
        (
            "Hàng giả, hàng kém chất lượng, giá cả, chợ, cửa hàng xăng dầu.",
            "Counterfeit or substandard goods, prices, markets, petrol stations.",
        ),
        ("hàng giả", "giá cả", "chợ", "xăng dầu", "cân thiếu"),
        owner="so_cong_thuong",
        ward_level=False,
        working_days=10,
    ),
    _field(
        "culture_tourism",
        "PA-CULTURE",
        ("Văn hóa, thể thao, du lịch", "Culture, sport and tourism"),
        (
            "Di tích, lễ hội, khu du lịch, dịch vụ du lịch, cơ sở thể thao.",
            "Heritage sites, festivals, tourist spots and services, sports venues.",
        ),
        ("di tích", "lễ hội", "du lịch", "chợ nổi", "thể thao", "khu vui chơi"),
        owner="so_van_hoa_the_thao_du_lich",
        ward_level=False,
        working_days=10,
    ),
)

_BY_CODE = {category.code: category for category in _CATEGORIES}
_BY_SERVICE_CODE = {category.service_code: category for category in _CATEGORIES}


def all_categories() -> tuple[Category, ...]:
    return _CATEGORIES


def get_category(code: str) -> Category | None:
    return _BY_CODE.get(code)


def by_service_code(service_code: str) -> Category | None:
    return _BY_SERVICE_CODE.get(service_code)
