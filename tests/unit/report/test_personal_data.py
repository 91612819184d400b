import pytest

from phananh.report.personal_data import PersonalData, personal_data_in

PHONE, EMAIL, NATIONAL_ID = PersonalData.PHONE, PersonalData.EMAIL, PersonalData.NATIONAL_ID


@pytest.mark.parametrize("text", [
    "Liên hệ anh Tư 0912345678 để biết thêm",
    "SĐT: 0912 345 678",
    "gọi 0912.345.678 nhé",
    "số 091-234-5678",
    "Zalo 0389 123 456",
    "+84 912 345 678",
    "+84912345678",
    "(+84) 77 888 9999",
    "điện thoại bàn 0293 3877 123",
    "028 3822 1234 (văn phòng)",
    "0 9 1 2 3 4 5 6 7 8",
    "cuối câu có số 0987654321.",
])
def test_vietnamese_phone_numbers_are_found(text):
    assert personal_data_in(text) == {PHONE}


@pytest.mark.parametrize("text", [
    "Email: nguyen.van.a@gmail.com",
    "gửi về to.dan-pho_3+phananh@ubnd.vithanh.gov.vn giúp",
])
def test_email_addresses_are_found(text):
    assert personal_data_in(text) == {EMAIL}


@pytest.mark.parametrize("text", [
    "CCCD của chủ nhà 079203001234",
    "số định danh 093 185 000 123",
    "căn cước 001099012345 bị rơi",
    "CMND số 381234567",
    "cmnd: 023456789 của người lấn chiếm",
    "Chứng minh nhân dân 361234567",
])
def test_citizen_id_numbers_are_found(text):
    assert personal_data_in(text) == {NATIONAL_ID}


def test_several_kinds_are_all_named():
    text = "Chủ quán Nguyễn Văn B, 0905123456, b@example.vn, CCCD 048085001234"
    assert personal_data_in(text) == {PHONE, EMAIL, NATIONAL_ID}


@pytest.mark.parametrize("text", [
    # Dates and times
    "Từ ngày 12/05/2024 đến nay",
    "ngày 02.05.2024 08.30 vẫn còn ngập",
    "2024-05-12 09:30 rác chưa thu",
    "lúc 05.2024 08.30.15",
    # Amounts of money
    "bị phạt 1.500.000 đồng",
    "thu 500.000đ mỗi tháng, tổng 12.000.000.000 đồng",
    "chi phí 2,5 triệu; 0,5 tỷ",
    "giá 350 000 đồng / 1 m2",
    # House numbers, alleys, streets, plates, hotlines
    "Nhà số 123/45 đường 3/2, hẻm 09",
    "Số 12A kiệt 05 Trần Phú, tổ 3 khu vực 4",
    "xe biển số 95A-123.45 đậu trên vỉa hè",
    "gọi tổng đài 1900 1234 hoặc 114",
    # Report ids and other codes
    "Trùng với phản ánh PA261123QY9DA9AH và PA26112309123456",
    "mã hồ sơ 2611230912345678",
    # Numbers that are too long or too short to be a phone
    "toạ độ 9.7791, 105.4702",
    "cột điện số 091234567",
    "mã số 09123456789",
    "9 chữ số 381234567 không kèm tên giấy tờ",
    # A 12-digit number without a province code
    "số công tơ 123456789012",
    "mã 099123456789 (tỉnh không tồn tại)",
    # An @ that is not an address
    "gửi @UBND phường, email bị thiếu",
    "",
])
def test_what_a_street_report_is_full_of_is_not_personal_data(text):
    assert personal_data_in(text) == frozenset()


def test_no_text_has_no_personal_data():
    assert personal_data_in(None) == frozenset()
