"""A coordinator keeps the directory from the console: the routing rules matrix (an edit saved, one that
would leave a gap refused with the API's reason next to the cell), the owner map, units and officers
(a unit created after the form's errors are shown), and a CSV import whose dry run shows the diff, the
rule check and the line errors and writes nothing. Each screen is checked with axe-core and kept as a
screenshot."""

from __future__ import annotations

import uuid

from browser.harness import check_accessibility, screenshot, sign_in
from playwright.sync_api import Page, expect

COORDINATOR = "ban_dieu_phoi.coordinator1"
# A field with only a field-wide rule in the demo directory (its department everywhere), so removing
# that rule leaves every ward without an owner; no other browser test files telecoms reports.
FIELD = "telecoms"
FIELD_OWNER = "Sở Khoa học và Công nghệ"
WARD = "31321"
WARD_COMMITTEE = "Ủy ban nhân dân phường Vị Thanh"
# The matrix needs every field's rules (one request each) and the directory, and an import checks the
# rules of every field: slow on a busy machine.
LOAD_LIMIT_MS = 30_000


def _open(page: Page, path: str, heading: str) -> None:
    page.goto(f"/console{path}")
    title = page.get_by_role("heading", level=1, name=heading)
    username = page.locator('input[name="username"]')
    expect(title.or_(username)).to_be_visible()
    if username.is_visible():
        sign_in(page, COORDINATOR)
    expect(title).to_be_visible()


def _cell(page: Page, ward: str):
    return page.locator(f'td[data-field="{FIELD}"][data-ward="{ward}"]')


def test_a_coordinator_edits_a_rule_and_is_refused_a_gap(page: Page):
    _open(page, "/rules", "Quy tắc phân công")
    grid = page.get_by_role("grid", name="Đơn vị phụ trách theo xã, phường và lĩnh vực")
    expect(grid).to_be_visible(timeout=LOAD_LIMIT_MS)
    field_wide = _cell(page, "*")
    expect(field_wide).to_have_text(FIELD_OWNER)
    expect(_cell(page, WARD)).to_contain_text(FIELD_OWNER)
    expect(_cell(page, WARD)).to_contain_text("theo quy tắc toàn lĩnh vực")
    check_accessibility(page, "console-rules")

    # The grid is one tab stop; the arrows move between cells.
    page.locator('td[data-cell="0:0"]').focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator('td[data-cell="0:1"]')).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator('td[data-cell="1:1"]')).to_be_focused()

    # Removing the field-wide rule would leave every ward without an owner: refused, the reason by the cell.
    field_wide.focus()
    page.keyboard.press("Enter")
    picker = field_wide.get_by_role("combobox")
    expect(picker).to_be_focused()
    picker.select_option("")
    field_wide.get_by_role("button", name="Lưu").click()
    refusal = field_wide.get_by_role("alert")
    expect(refusal).to_contain_text("Không lưu được", timeout=LOAD_LIMIT_MS)
    expect(refusal).to_contain_text(f"lĩnh vực {FIELD}")
    expect(refusal).to_contain_text("không có quy tắc nào")
    expect(picker).to_have_attribute("aria-invalid", "true")
    screenshot(page, "console-rules-gap-refused")
    check_accessibility(page, "console-rules-gap-refused")
    page.keyboard.press("Escape")
    expect(field_wide).to_be_focused()
    expect(field_wide).to_have_text(FIELD_OWNER)

    # A ward rule of its own is saved, then removed again (the field-wide rule takes over).
    ward_cell = _cell(page, WARD)
    ward_cell.click()
    ward_cell.get_by_role("combobox").select_option("ubnd_31321")
    ward_cell.get_by_role("button", name="Lưu").click()
    expect(ward_cell).to_have_text(WARD_COMMITTEE, timeout=LOAD_LIMIT_MS)
    expect(page.get_by_test_id("live-polite")).to_contain_text("Đã lưu quy tắc")
    ward_cell.click()
    ward_cell.get_by_role("combobox").select_option("")
    ward_cell.get_by_role("button", name="Lưu").click()
    expect(ward_cell).to_contain_text("theo quy tắc toàn lĩnh vực", timeout=LOAD_LIMIT_MS)


def test_the_owner_map_colours_the_wards_of_one_field_with_a_legend_and_a_table(page: Page):
    _open(page, "/rules", "Quy tắc phân công")
    field_picker = page.get_by_label("Lĩnh vực trên bản đồ")
    expect(field_picker).to_be_visible(timeout=LOAD_LIMIT_MS)
    field_picker.select_option(FIELD)
    legend = page.locator(".rules-legend")
    expect(legend).to_contain_text(FIELD_OWNER)
    expect(legend).to_contain_text("28 xã, phường")
    expect(page.locator("path.ward-owner")).to_have_count(28)
    expect(page.locator("path.ward-owner--gap")).to_have_count(0)
    page.get_by_text("Xem dạng bảng").click()
    table = page.locator(".rules-map__table table")
    row = table.locator("tr").filter(has=page.get_by_role("rowheader", name="Vị Thanh", exact=True))
    expect(row).to_contain_text(FIELD_OWNER)
    owner_map = page.get_by_role("region", name="Bản đồ xã, phường tô màu theo đơn vị phụ trách lĩnh vực Viễn thông")
    owner_map.scroll_into_view_if_needed()
    check_accessibility(page, "console-rules-map")


def test_a_coordinator_creates_a_unit_after_the_form_names_its_errors(page: Page):
    _open(page, "/directory", "Đơn vị và cán bộ")
    expect(page.get_by_role("rowheader", name="Sở Xây dựng", exact=True)).to_be_visible(timeout=LOAD_LIMIT_MS)
    check_accessibility(page, "console-directory")

    page.get_by_role("button", name="Thêm đơn vị").click()
    dialog = page.get_by_role("dialog", name="Thêm đơn vị")
    dialog.get_by_role("button", name="Lưu").click()
    summary = dialog.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Có vấn đề cần sửa")
    expect(summary.get_by_role("link")).to_have_count(6)  # id, both names, kind, e-mail, phone (ward, parent optional)
    summary.get_by_role("link", name="Email").click()
    expect(dialog.get_by_label("Email")).to_be_focused()
    expect(dialog.get_by_label("Số điện thoại")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page, "console-directory-unit-errors")

    unit_id = f"so_thu_nghiem_{uuid.uuid4().hex[:6]}"
    dialog.get_by_label("Mã đơn vị").fill(unit_id)
    dialog.get_by_label("Tên tiếng Việt").fill("Sở Thử nghiệm")
    dialog.get_by_label("Tên tiếng Anh").fill("Department of Trials")
    dialog.get_by_label("Loại").select_option("department")
    dialog.get_by_label("Đơn vị cấp trên").select_option("ubnd_thanh_pho")
    dialog.get_by_label("Email").fill(f"{unit_id}@example.vn")
    dialog.get_by_label("Số điện thoại").fill("+84900009999")
    dialog.get_by_role("button", name="Lưu").click()
    expect(dialog).to_be_hidden(timeout=LOAD_LIMIT_MS)

    page.get_by_label("Lọc theo tên hoặc mã").fill(unit_id)
    row = page.get_by_role("row", name="Sở Thử nghiệm")
    expect(row).to_contain_text(unit_id)
    expect(row).to_contain_text("Đang hoạt động")
    expect(row).to_contain_text("Ủy ban nhân dân thành phố Cần Thơ")
    screenshot(page, "console-directory-unit-created")


def test_a_coordinator_dry_runs_a_csv_import_and_sees_the_diff_before_anything_is_written(page: Page, tmp_path):
    unit_id = f"so_nhap_{uuid.uuid4().hex[:6]}"
    units_csv = tmp_path / "units.csv"
    units_csv.write_bytes(
        "\ufeffunit_id,name_vi,name_en,kind,ward_code,parent_unit_id,email,phone,active\r\n"
        f"{unit_id},Sở Nhập thử,Department of Imports,department,,ubnd_thanh_pho,{unit_id}@example.vn,"
        "+84900008888,true\r\n"
        "so_xay_dung,Sở Xây dựng,Construction Department,department,,ubnd_thanh_pho,so_xay_dung@example.vn,"
        "+84900000003,true\r\n".encode()
    )
    rules_csv = tmp_path / "rules.csv"
    rules_csv.write_text(f"category_code,ward_code,unit_id\n{FIELD},{WARD},{unit_id}\n{FIELD},{WARD},khong_co\n",
                         encoding="utf-8")

    _open(page, "/import", "Nhập hàng loạt từ CSV")
    check_accessibility(page, "console-import")
    page.get_by_label("Chọn tệp CSV đơn vị").set_input_files(units_csv)
    expect(page.get_by_label("Hoặc dán nội dung CSV đơn vị")).to_have_value(
        units_csv.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    )
    expect(page.locator("#import-units-status")).to_have_text("2 dòng dữ liệu.")
    page.get_by_label("Chọn tệp CSV quy tắc phân công").set_input_files(rules_csv)
    apply = page.get_by_role("button", name="Áp dụng")
    expect(apply).to_be_disabled()
    page.get_by_role("button", name="Chạy thử (chưa ghi gì)").click()

    result = page.locator(".import-result")
    expect(result.get_by_role("heading", name="Kết quả chạy thử")).to_be_focused(timeout=LOAD_LIMIT_MS)
    units = result.locator("section.import-kind").filter(has=page.get_by_role("heading", name="Đơn vị:"))
    expect(units.get_by_role("heading", level=3)).to_contain_text("Thêm mới (1) · Thay đổi (1)")
    expect(units.locator("table").first).to_contain_text(unit_id)
    changed = units.locator("tr").filter(has=page.get_by_role("rowheader", name="name", exact=True))
    expect(changed.locator("del")).to_have_text("Sở Xây dựng / Department of Construction")
    expect(changed.locator("ins")).to_have_text("Sở Xây dựng / Construction Department")
    errors = result.locator(".import-table--errors")
    expect(errors).to_contain_text("Quy tắc phân công")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("3")
    expect(apply).to_be_disabled()
    screenshot(page, "console-import-dry-run")
    check_accessibility(page, "console-import-dry-run")

    # Nothing was written: the directory has no such unit, and so_xay_dung keeps its English name.
    _open(page, "/directory", "Đơn vị và cán bộ")
    page.get_by_label("Lọc theo tên hoặc mã").fill(unit_id)
    expect(page.locator(".directory-table caption")).to_contain_text("(0/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Filter by name or id").fill("so_xay_dung")
    expect(page.get_by_role("row", name="Department of Construction")).to_be_visible()


def test_a_clean_import_is_applied_after_its_dry_run(page: Page):
    unit_id = f"so_ap_dung_{uuid.uuid4().hex[:6]}"
    _open(page, "/import", "Nhập hàng loạt từ CSV")
    page.get_by_label("Hoặc dán nội dung CSV đơn vị").fill(
        "unit_id,name_vi,name_en,kind,ward_code,parent_unit_id,email,phone,active\n"
        f"{unit_id},Sở Áp dụng,Department of Applying,department,,ubnd_thanh_pho,{unit_id}@example.vn,+84900007777,\n"
    )
    expect(page.locator("#import-units-status")).to_have_text("1 dòng dữ liệu.")
    apply = page.get_by_role("button", name="Áp dụng")
    page.get_by_role("button", name="Chạy thử (chưa ghi gì)").click()
    expect(page.get_by_role("heading", name="Kết quả chạy thử")).to_be_visible(timeout=LOAD_LIMIT_MS)
    expect(page.get_by_test_id("import-totals")).to_have_text("1 bản ghi thêm mới, 0 thay đổi, 0 giữ nguyên.")
    expect(apply).to_be_enabled()
    apply.click()
    expect(page.get_by_role("heading", name="Đã áp dụng")).to_be_focused(timeout=LOAD_LIMIT_MS)
    expect(apply).to_be_disabled()

    _open(page, "/directory", "Đơn vị và cán bộ")
    page.get_by_label("Lọc theo tên hoặc mã").fill(unit_id)
    expect(page.get_by_role("rowheader", name="Sở Áp dụng", exact=True)).to_be_visible()
