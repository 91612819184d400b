"""What the demo history's reporters and officers write (phananh_local.demo_history): ordinary
Vietnamese descriptions per field, officers' notes and reporters' comments. Places are streets and
landmarks any town has; nothing names or reaches a person."""

from __future__ import annotations

# Field → what a reporter writes; "{place}" is filled with one of PLACES.
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "roads": (
        "Ổ gà lớn giữa đường {place}, xe máy đi ban đêm rất dễ té.",
        "Mặt đường {place} bong tróc, đá dăm văng ra lòng đường.",
        "Vỉa hè {place} bị sụt một đoạn khoảng 2 mét, người đi bộ phải xuống lòng đường.",
        "Nắp hố ga {place} bị vỡ, có nguy cơ sụp bánh xe.",
    ),
    "lighting": (
        "Đèn đường {place} tắt cả tuần nay, buổi tối rất tối.",
        "Cột đèn chiếu sáng {place} bị nghiêng, bóng đèn chập chờn.",
        "Ba bóng đèn liên tiếp trên đoạn {place} không sáng.",
    ),
    "drainage": (
        "Cống thoát nước {place} bị tắc, nước đọng bốc mùi hôi.",
        "Miệng cống {place} đầy rác, mưa xuống là nước tràn lên đường.",
        "Mương thoát nước {place} bị lấp, nước không thoát được.",
    ),
    "waste": (
        "Rác thải tập kết tự phát ở {place}, nhiều ngày chưa được thu gom.",
        "Xe thu gom rác không đến {place} từ đầu tuần, rác tràn ra lề đường.",
        "Có người đổ xà bần và rác ra bãi đất trống {place}.",
    ),
    "urban_order": (
        "Hàng quán lấn chiếm hết vỉa hè {place}, người đi bộ không có lối đi.",
        "Bảng quảng cáo dựng trái phép trên vỉa hè {place}, che khuất tầm nhìn.",
        "Xe đậu tràn lan dưới lòng đường {place} vào giờ cao điểm.",
    ),
    "construction": (
        "Công trình xây dựng {place} để vật liệu tràn ra đường, không che chắn.",
        "Công trình {place} thi công cả ban đêm, vượt quá giờ cho phép.",
    ),
    "flooding": (
        "Triều cường làm ngập sâu đoạn {place}, nước vào cả nhà dân.",
        "Mưa lớn, đoạn {place} ngập hơn 30 cm, xe chết máy hàng loạt.",
    ),
    "hazard": (
        "Dây điện bị đứt rơi xuống vỉa hè {place}, rất nguy hiểm.",
        "Cây lớn ngã chắn ngang đường {place} sau cơn giông.",
    ),
    "landslide": ("Bờ kè {place} bị sạt lở, đất lấn vào sát nhà dân.",),
    "fire_safety": ("Lối thoát hiểm của khu nhà trọ {place} bị khóa và chất đầy đồ.",),
    "trees": (
        "Cây xanh {place} mọc sát dây điện, cần cắt tỉa trước mùa mưa bão.",
        "Cành cây khô lớn trên đường {place} có nguy cơ gãy rơi xuống.",
    ),
    "electricity": (
        "Khu vực {place} mất điện từ sáng đến giờ chưa có lại.",
        "Điện chập chờn liên tục ở {place}, thiết bị trong nhà bị hư.",
        "Trụ điện {place} bị nghiêng sau khi xe tải va quệt.",
    ),
    "water_supply": (
        "Nước máy khu vực {place} yếu, buổi sáng gần như không có nước.",
        "Ống nước bị bể ở {place}, nước chảy lênh láng ra đường.",
        "Nước máy {place} có màu vàng đục và mùi lạ.",
    ),
    "traffic_violation": (
        "Xe tải chạy vào đường cấm {place} vào giờ cao điểm.",
        "Nhiều xe chạy ngược chiều ở đoạn {place}, rất dễ xảy ra tai nạn.",
    ),
    "noise": (
        "Quán karaoke {place} mở nhạc rất lớn đến khuya.",
        "Tiếng ồn từ xưởng cơ khí {place} kéo dài cả buổi tối.",
    ),
    "security": ("Nhóm thanh niên tụ tập đua xe ở {place} vào ban đêm.",),
    "pollution": (
        "Cơ sở sản xuất {place} xả khói đen, mùi khét khắp khu vực.",
        "Nước thải chưa qua xử lý chảy thẳng ra kênh {place}.",
    ),
    "food_safety": ("Quầy hàng ăn {place} bày bán thực phẩm không rõ nguồn gốc.",),
    "health": ("Khu vực {place} có nhiều lăng quăng, cần phun thuốc diệt muỗi.",),
    "transport": ("Trạm chờ xe buýt {place} bị hư mái che, trời mưa không có chỗ trú.",),
    "trade": ("Khu chợ {place} họp lấn ra lòng đường, gây ùn tắc buổi sáng.",),
    "public_administration": ("Bộ phận một cửa {place} hẹn trả hồ sơ nhưng quá hạn chưa có kết quả.",),
    "telecoms": ("Cáp viễn thông bị đứt treo lơ lửng ở {place}.",),
    "culture_tourism": ("Bảng chỉ dẫn khu di tích {place} bị mờ, du khách khó tìm đường.",),
    "education": ("Khu vực trước cổng trường {place} thiếu biển báo giảm tốc.",),
    "social_welfare": ("Người già neo đơn ở {place} cần được hỗ trợ sửa nhà trước mùa mưa.",),
}

PLACES = (
    "trước chợ phường", "gần cổng trường tiểu học", "đầu hẻm 12", "cạnh trạm y tế phường",
    "trước nhà văn hóa khu vực", "gần cầu kênh", "đoạn gần bến xe", "ngã tư gần chùa",
    "trước công viên", "cuối đường Trần Hưng Đạo", "đường Nguyễn Trãi", "đường 30 Tháng 4",
    "đường Lê Lợi", "khu dân cư số 5", "gần bệnh viện", "bờ kè sông",
)  # fmt: skip

ADDRESSES = (
    "Đường Trần Hưng Đạo", "Đường Nguyễn Trãi", "Đường 30 Tháng 4", "Đường Lê Lợi",
    "Đường Hùng Vương", "Đường Nguyễn Huệ", "Hẻm 12", "Khu dân cư số 5",
)  # fmt: skip

ACKNOWLEDGE_NOTES = (
    "Đã tiếp nhận, đơn vị sẽ cử người kiểm tra hiện trường.",
    "Đã tiếp nhận phản ánh, đang lên kế hoạch xử lý.",
    "Tiếp nhận. Tổ công tác sẽ xuống hiện trường trong ngày.",
)
PROGRESS_NOTES = (
    "Đã kiểm tra hiện trường, đang bố trí nhân lực và vật tư.",
    "Đội thi công đang xử lý, dự kiến hoàn thành trong tuần.",
    "Đã làm việc với các bên liên quan, đang khắc phục.",
)
RESOLVE_NOTES = (
    "Đã xử lý xong, hiện trường đã được khắc phục.",
    "Đã hoàn thành sửa chữa và dọn dẹp khu vực.",
    "Đã xử lý dứt điểm, đơn vị sẽ tiếp tục theo dõi.",
    "Đã khắc phục sự cố và kiểm tra lại an toàn.",
)
RESOLVE_AGAIN_NOTES = (
    "Đã xử lý lại theo phản hồi của người dân, kiểm tra kỹ toàn bộ đoạn.",
    "Đã khắc phục triệt để lần hai và nghiệm thu tại chỗ.",
)
TRANSFER_REASONS = (
    "Không thuộc thẩm quyền của phường, chuyển sở chuyên ngành xử lý.",
    "Vụ việc vượt khả năng của địa phương, đề nghị sở chuyên ngành hỗ trợ.",
)

# Score → what a reporter may add (None: no comment).
RATING_COMMENTS: dict[int, tuple[str | None, ...]] = {
    5: ("Xử lý rất nhanh, cảm ơn đơn vị.", "Rất hài lòng.", None),
    4: ("Đã ổn, cảm ơn.", None),
    3: ("Tạm được nhưng hơi chậm.", None),
    2: ("Xử lý chưa triệt để.", "Chậm quá, mấy ngày sau mới thấy làm."),
    1: ("Chưa thấy sửa gì cả.", "Vẫn như cũ, đề nghị kiểm tra lại."),
}
