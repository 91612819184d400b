"""Response templates officers start from when they write to the reporter, in Vietnamese and English.

Every field has the generic set, one or more for each kind of step; the common fields have their own
wording too, listed first. Square brackets mark what the officer fills in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from phananh.report.categories import get_category
from phananh.shared.errors import InvalidInput, Text, bilingual

Kind = Literal["acknowledge", "progress", "resolve", "transfer", "reject"]
KINDS: tuple[Kind, ...] = ("acknowledge", "progress", "resolve", "transfer", "reject")


@dataclass(frozen=True)
class Template:
    template_id: str
    kind: Kind
    text: Text = field(hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.template_id, "kind": self.kind, "text": dict(self.text)}


def _template(template_id: str, kind: Kind, vi: str, en: str) -> Template:
    return Template(template_id, kind, bilingual(vi, en))


_GENERIC: tuple[Template, ...] = (
    _template(
        "generic.acknowledge", "acknowledge",
        "Đơn vị đã tiếp nhận phản ánh của bạn và đang phân công cán bộ kiểm tra thực tế.",
        "We have received your report and are assigning an officer to inspect the site.",
    ),
    _template(
        "generic.progress.planned", "progress",
        "Cán bộ đã kiểm tra hiện trường; đơn vị đang lập phương án xử lý, dự kiến hoàn thành trước ngày [ngày].",
        "An officer has inspected the site; we are planning the work and expect to finish by [date].",
    ),
    _template(
        "generic.progress.coordinating", "progress",
        "Đơn vị đang phối hợp với các cơ quan liên quan để xử lý nội dung phản ánh.",
        "We are working with the other agencies concerned to resolve the report.",
    ),
    _template(
        "generic.resolve", "resolve",
        "Đơn vị đã xử lý xong nội dung phản ánh. Cảm ơn bạn đã chung tay xây dựng địa phương.",
        "The problem you reported has been dealt with. Thank you for helping your community.",
    ),
    _template(
        "generic.transfer.other_unit", "transfer",
        "Nội dung phản ánh thuộc thẩm quyền của [đơn vị]; đơn vị đã chuyển để xử lý theo quy định.",
        "This matter falls under [unit]; we have passed the report on to them.",
    ),
    _template(
        "generic.transfer.not_ours", "transfer",
        "Nội dung phản ánh không thuộc thẩm quyền của đơn vị; đã chuyển bộ phận điều phối để phân công lại.",
        "This matter is outside our remit; the report has gone to the coordinators to be reassigned.",
    ),
    _template(
        "generic.reject.spam", "reject",
        "Phản ánh không nêu vấn đề cụ thể tại hiện trường nên không được tiếp nhận.",
        "The report describes no specific problem on the ground, so it cannot be accepted.",
    ),
    _template(
        "generic.reject.abuse", "reject",
        "Phản ánh có nội dung xúc phạm, vu khống hoặc vi phạm pháp luật nên không được tiếp nhận.",
        "The report contains insulting, defamatory or unlawful content, so it cannot be accepted.",
    ),
    _template(
        "generic.reject.not_public_matter", "reject",
        "Nội dung là tranh chấp dân sự giữa cá nhân, không phải vấn đề công cộng; đề nghị bạn liên hệ "
        "UBND xã, phường hoặc Tòa án nhân dân để được hướng dẫn.",
        "This is a private dispute, not a public matter; please contact your ward People's Committee or "
        "the People's Court for advice.",
    ),
)

_BY_CATEGORY: dict[str, tuple[Template, ...]] = {
    "roads": (
        _template(
            "roads.progress", "progress",
            "Đơn vị đã khảo sát mặt đường và lập phương án sửa chữa; biển cảnh báo đã được đặt trong thời gian chờ "
            "thi công.",
            "We have surveyed the road and planned the repair; warning signs are in place until the work is done.",
        ),
        _template(
            "roads.resolve", "resolve",
            "Đã vá ổ gà, hoàn trả mặt đường; người và xe đi lại an toàn.",
            "The pothole has been patched and the surface restored; the road is safe again.",
        ),
    ),
    "lighting": (
        _template(
            "lighting.progress", "progress",
            "Đã kiểm tra tuyến chiếu sáng và xác định nguyên nhân hư hỏng; đang thay thế thiết bị.",
            "We have checked the lighting line and found the fault; the parts are being replaced.",
        ),
        _template(
            "lighting.resolve", "resolve",
            "Đã thay bóng đèn và thiết bị hư hỏng; đèn đường hoạt động bình thường.",
            "The faulty lamp and equipment have been replaced; the street lights work normally.",
        ),
    ),
    "drainage": (
        _template(
            "drainage.progress", "progress",
            "Đang nạo vét cống, hố ga bị nghẹt tại khu vực phản ánh.",
            "The blocked drains and gullies in the area are being cleared.",
        ),
        _template(
            "drainage.resolve", "resolve",
            "Đã nạo vét, khơi thông cống thoát nước; nước rút bình thường.",
            "The drains have been cleared; water drains away normally.",
        ),
    ),
    "flooding": (
        _template(
            "flooding.acknowledge", "acknowledge",
            "Đã tiếp nhận; lực lượng tại chỗ đang đến hiện trường hỗ trợ người dân.",
            "Received; local teams are on their way to help residents.",
        ),
        _template(
            "flooding.progress", "progress",
            "Đang bơm tiêu nước, gia cố bờ bao và phân luồng giao thông tại khu vực ngập.",
            "We are pumping the water away, reinforcing the dykes and diverting traffic around the flood.",
        ),
        _template(
            "flooding.resolve", "resolve",
            "Nước đã rút, bờ bao đã được gia cố; đơn vị tiếp tục theo dõi khi có triều cường.",
            "The water has receded and the dyke is reinforced; we keep watching at high tide.",
        ),
    ),
    "landslide": (
        _template(
            "landslide.acknowledge", "acknowledge",
            "Đã tiếp nhận; lực lượng đang đến khoanh vùng và cảnh báo khu vực sạt lở.",
            "Received; a team is on its way to cordon off and signpost the landslide.",
        ),
        _template(
            "landslide.resolve", "resolve",
            "Đã khoanh vùng, cắm biển cảnh báo và đưa người dân ra khỏi khu vực nguy hiểm; phương án khắc phục lâu "
            "dài đang được lập.",
            "The area is cordoned off and signposted and residents are out of danger; a lasting repair is being "
            "planned.",
        ),
    ),
    "hazard": (
        _template(
            "hazard.acknowledge", "acknowledge",
            "Đã tiếp nhận; lực lượng đang đến hiện trường để khoanh vùng, bảo đảm an toàn.",
            "Received; a team is on its way to make the place safe.",
        ),
        _template(
            "hazard.resolve", "resolve",
            "Đã xử lý sự cố ([dọn cây ngã / đậy nắp hố ga / ...]); người đi đường qua lại an toàn.",
            "The hazard has been removed ([fallen tree cleared / manhole covered / ...]); the way is safe.",
        ),
    ),
    "waste": (
        _template(
            "waste.progress", "progress",
            "Đã báo đơn vị thu gom; rác sẽ được thu dọn trong ngày [ngày].",
            "The collection service has been told; the rubbish will be removed on [date].",
        ),
        _template(
            "waste.resolve", "resolve",
            "Đã thu dọn rác tồn đọng và vệ sinh khu vực; đơn vị sẽ tăng cường kiểm tra việc đổ rác sai quy định.",
            "The rubbish has been cleared and the area cleaned; we will step up checks on illegal dumping.",
        ),
    ),
    "urban_order": (
        _template(
            "urban_order.progress", "progress",
            "Đã kiểm tra, nhắc nhở và yêu cầu các hộ kinh doanh trả lại vỉa hè, lòng đường.",
            "We have inspected and told the traders to clear the pavement and the road.",
        ),
        _template(
            "urban_order.resolve", "resolve",
            "Đã xử lý việc lấn chiếm vỉa hè, lòng đường theo quy định; lối đi đã thông thoáng.",
            "The encroachments on the pavement and road have been dealt with under the rules; the way is clear.",
        ),
    ),
    "construction": (
        _template(
            "construction.progress", "progress",
            "Đã kiểm tra công trình và lập biên bản; vụ việc đang được xử lý theo quy định về trật tự xây dựng.",
            "The site has been inspected and a record made; it is being dealt with under the building rules.",
        ),
        _template(
            "construction.resolve", "resolve",
            "Đã xử lý vi phạm trật tự xây dựng theo quy định; chủ công trình đã khắc phục.",
            "The building violation has been dealt with under the rules; the owner has put it right.",
        ),
    ),
    "trees": (
        _template(
            "trees.resolve", "resolve",
            "Đã cắt tỉa hoặc đốn hạ cây nguy hiểm và dọn dẹp hiện trường.",
            "The dangerous tree has been pruned or felled and the site cleared.",
        ),
    ),
    "noise": (
        _template(
            "noise.progress", "progress",
            "Đã kiểm tra và nhắc nhở cơ sở gây tiếng ồn.",
            "The source of the noise has been visited and warned.",
        ),
        _template(
            "noise.resolve", "resolve",
            "Đã xử lý cơ sở gây ồn theo quy định; lực lượng chức năng tiếp tục kiểm tra vào ban đêm.",
            "The noise source has been dealt with under the rules; night-time checks continue.",
        ),
    ),
    "water_supply": (
        _template(
            "water_supply.progress", "progress",
            "Tổ kỹ thuật đang kiểm tra đường ống; dự kiến cấp nước trở lại trước [giờ, ngày].",
            "A repair crew is checking the pipes; water should be back by [time, date].",
        ),
        _template(
            "water_supply.resolve", "resolve",
            "Đã sửa chữa đường ống; việc cấp nước đã trở lại bình thường.",
            "The pipe has been repaired; the water supply is back to normal.",
        ),
    ),
    "electricity": (
        _template(
            "electricity.progress", "progress",
            "Tổ kỹ thuật đang kiểm tra và khắc phục sự cố lưới điện.",
            "A repair crew is finding and fixing the fault on the grid.",
        ),
        _template(
            "electricity.resolve", "resolve",
            "Đã khắc phục sự cố; việc cấp điện đã trở lại bình thường.",
            "The fault has been fixed; the power supply is back to normal.",
        ),
    ),
}


def templates_for(category_code: str) -> list[dict[str, Any]]:
    """The templates for a field: its own wording first, then the generic set."""
    if get_category(category_code) is None:
        raise InvalidInput(
            "unknown_category", bilingual("Lĩnh vực không tồn tại.", "Unknown category."), field="category"
        )
    return [template.to_dict() for template in (*_BY_CATEGORY.get(category_code, ()), *_GENERIC)]
