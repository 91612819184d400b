"""The unit head's and the coordinator's screens in Chromium on the local stack: a unit head names the
officer who works a report and the queue shows it; the team's workload and the escalations; a
coordinator reviews what was held, merges two reports from their side-by-side, reads the dashboard
(with each unit's confirmed fixes) and downloads the CSV export. Each screen is checked with axe-core
and kept as a screenshot."""

from __future__ import annotations

import re
from pathlib import Path

import requests
from browser.harness import check_accessibility, file_report, reporter_view, sign_in
from local_stack_runner import banner_tokens, wait_until
from playwright.sync_api import expect

HEAD = "so_xay_dung.head"
OFFICER = "so_xay_dung.officer"
COORDINATOR = "ban_dieu_phoi.coordinator1"


def open_signed_in(page, path: str, officer_id: str) -> None:
    """Opens a console path signed out, signs in on the form it sends the officer to, and checks the
    console brought them back to that path."""
    page.goto(path)
    # The console moves to the sign-in form with ?next=<path>; signing in before that would lose it.
    expect(page).to_have_url(re.compile(r"/console/sign-in\?next="))
    sign_in(page, officer_id)
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def test_a_unit_head_assigns_a_report_to_an_officer_and_the_queue_shows_it(page, stack):
    receipt = file_report(stack.base_url, description="Nắp cống bị vỡ trước trường tiểu học")
    report_id = receipt["report_id"]

    open_signed_in(page, f"/console/reports/{report_id}", HEAD)  # the alert e-mail's deep link, through the sign-in
    form = page.get_by_test_id("assignee-form")
    choice = form.locator('select[name="officer_id"]')
    expect(choice).to_be_enabled()
    officer_option = choice.locator(f'option[value="{OFFICER}"]')
    officer_name = officer_option.inner_text().split(" (")[0]
    check_accessibility(page, "report-assignee-form")

    choice.select_option(OFFICER)
    form.get_by_role("button", name="Lưu người xử lý").click()
    expect(form.get_by_test_id("assignee")).to_contain_text(officer_name)

    page.get_by_role("navigation").get_by_role("link", name="Hàng đợi").click()
    row = page.get_by_test_id("queue-table").locator("tr", has=page.get_by_role("link", name=report_id))
    expect(row).to_contain_text(officer_name)

    page.get_by_role("navigation").get_by_role("link", name="Đội ngũ").click()
    officer_row = page.get_by_test_id("team-table").locator(f'tr[data-officer="{OFFICER}"]')
    expect(officer_row).to_contain_text(officer_name)
    assert int(officer_row.locator("td.number").first.inner_text()) >= 1  # the report just assigned is open
    check_accessibility(page, "team")

    page.get_by_role("navigation").get_by_role("link", name="Cảnh báo quá hạn").click()
    expect(page.get_by_test_id("level-3")).to_be_visible()
    check_accessibility(page, "escalations-unit")


def test_a_coordinator_merges_two_reports_from_their_side_by_side(page, stack):
    master = file_report(stack.base_url, description="Đèn đường tắt cả dãy phố, tối om")
    # A phone number in the text holds the report for review (personal data).
    duplicate = file_report(stack.base_url, description="Đèn đường hỏng cả dãy, ai cần hỏi gọi 0912 345 678")

    open_signed_in(page, "/console/moderation", COORDINATOR)
    waiting = page.get_by_test_id("review-list").locator("li", has=page.get_by_text(duplicate["report_id"]))
    expect(waiting).to_contain_text("số điện thoại")
    check_accessibility(page, "moderation")

    waiting.get_by_role("button").first.click()
    panel = page.get_by_test_id("review-panel")
    expect(panel).to_contain_text(duplicate["report_id"])
    panel.get_by_label("Mã phản ánh kia").fill(master["report_id"])
    panel.get_by_role("button", name="So sánh", exact=True).click()
    side_by_side = panel.get_by_test_id("side-by-side")
    expect(side_by_side).to_contain_text("Đèn đường tắt cả dãy phố")
    expect(side_by_side).to_contain_text("0912 345 678")
    expect(panel.get_by_test_id("merge-distance")).to_contain_text(re.compile(r"\d+ m"))
    check_accessibility(page, "moderation-merge-side-by-side")

    # The older report (or, filed the same second, the one brought in) is the proposed master.
    panel.get_by_test_id("merge-confirm").click()
    expect(panel).to_contain_text(f"Đã gộp {duplicate['report_id']} vào {master['report_id']}")
    wait_until(lambda: reporter_view(stack.base_url, duplicate).get("merged_into") == master["report_id"])


def test_a_coordinator_publishes_a_held_report_and_rejects_another_with_grounds(page, stack):
    held = file_report(stack.base_url, description="Rác ứ đọng bên kênh, liên hệ tôi: dan.pho@example.vn")
    spam = file_report(stack.base_url, description="Khuyến mãi lớn, mua ngay hôm nay")

    open_signed_in(page, f"/console/moderation?report={held['report_id']}", COORDINATOR)
    panel = page.get_by_test_id("review-panel")
    expect(panel.get_by_test_id("publication")).to_contain_text("Chờ duyệt")
    publish = panel.get_by_test_id("publish-form")
    publish.get_by_label("Ghi chú cho nhật ký (không bắt buộc)").fill("Địa chỉ email là của cơ quan, được công khai")
    publish.get_by_role("button", name="Công khai").click()
    expect(panel.get_by_test_id("publication")).to_contain_text("Đang công khai")

    lookup = page.get_by_label("Mở phản ánh theo mã")
    lookup.fill(spam["report_id"])
    lookup.press("Enter")  # the whole screen works from the keyboard
    expect(panel).to_contain_text(spam["report_id"])
    reject = panel.get_by_test_id("reject-form")
    reject.get_by_role("button", name="Từ chối").click()
    expect(reject).to_contain_text("Hãy chọn căn cứ từ chối.")
    expect(reject).to_contain_text("Hãy ghi lý do.")
    check_accessibility(page, "moderation-reject-errors")
    reject.get_by_label("Tin rác, quảng cáo").check()
    reject.get_by_label("Giải thích cho người phản ánh").fill("Nội dung quảng cáo, không phải phản ánh")
    reject.get_by_role("button", name="Từ chối").click()
    expect(panel).to_contain_text("Phản ánh đã bị từ chối.")
    wait_until(lambda: reporter_view(stack.base_url, spam)["status"] == "REJECTED")


def test_a_coordinator_hides_a_rating_comment_and_unpublishes_the_report(page, stack):
    receipt = file_report(stack.base_url, description="Biển báo giao thông bị nghiêng")
    officer = {"Authorization": f"Bearer {banner_tokens(stack)['officer'][1]}"}
    base = f"{stack.base_url}/officer/reports/{receipt['report_id']}"
    assert requests.post(f"{base}/acknowledge", json={}, headers=officer, timeout=10).status_code == 200
    assert requests.post(f"{base}/resolve", json={"note": "Đã dựng lại biển.", "photo_count": 1}, headers=officer,
                         timeout=10).ok
    rated = requests.post(
        f"{stack.base_url}/reports/{receipt['report_id']}/rating",
        json={"score": 1, "fixed": False, "comment": "Cán bộ Nguyễn Văn A làm ẩu, nhà ở số 12 Trần Hưng Đạo"},
        headers={"Authorization": f"Bearer {receipt['tracking_token']}"}, timeout=10,
    )
    assert rated.status_code == 201, rated.text
    public_url = f"{stack.base_url}/public/reports/{receipt['report_id']}"

    open_signed_in(page, f"/console/moderation?report={receipt['report_id']}", COORDINATOR)
    hide = page.get_by_test_id("hide-comment-form")
    expect(hide).to_contain_text("Nguyễn Văn A")
    check_accessibility(page, "moderation-hide-comment")
    hide.get_by_label("Lý do ẩn").fill("Nêu tên và địa chỉ nhà riêng")
    hide.get_by_role("button", name="Ẩn bình luận").click()
    panel = page.get_by_test_id("review-panel")
    expect(panel).to_contain_text("Bình luận đã được ẩn khỏi công khai.")
    expect(page.get_by_test_id("hide-comment-form")).to_have_count(0)
    rating = requests.get(public_url, timeout=10).json()["rating"]
    assert rating["comment"] is None and rating["comment_hidden"] is True

    unpublish = panel.get_by_test_id("unpublish-form")
    unpublish.get_by_role("button", name="Không công khai").click()
    expect(unpublish).to_contain_text("Hãy ghi lý do.")
    unpublish.get_by_label("Lý do (ghi vào nhật ký)").fill("Người phản ánh đề nghị gỡ")
    unpublish.get_by_role("button", name="Không công khai").click()
    expect(panel.get_by_test_id("publication")).to_contain_text("Không công khai")
    assert requests.get(public_url, timeout=10).status_code == 404


def test_the_dashboard_renders_with_its_tables_and_exports_csv(page, stack):
    file_report(stack.base_url, description="Cây đổ chắn ngang đường sau mưa")
    open_signed_in(page, "/console/dashboard", COORDINATOR)
    expect(page.get_by_test_id("totals")).to_be_visible()
    expect(page.get_by_test_id("trend-chart")).to_be_visible()
    assert page.get_by_test_id("trend-chart").evaluate("canvas => canvas.width") > 0
    page.get_by_text("Xem dạng bảng").first.click()
    expect(page.get_by_test_id("trend-table")).to_be_visible()
    assert page.get_by_test_id("trend-table").locator("tbody tr").count() >= 90
    expect(page.get_by_test_id("backlog-table")).to_be_attached()
    # Proof of fix beside each unit's own figures: the same confirmed fixes the public scorecards carry.
    scorecards = page.get_by_test_id("scorecards-table")
    expect(scorecards.get_by_role("columnheader", name="Khắc phục được xác nhận")).to_be_visible()
    units = requests.get(f"{stack.base_url}/public/scorecards", params={"period": 90}, timeout=10).json()["units"]
    cells = scorecards.get_by_test_id("confirmed-fixes")
    expect(cells).to_have_count(len(units))
    for cell, unit in zip(cells.all(), units, strict=True):
        share = unit["confirmed_fix_pct"]
        expected = str(unit["confirmed_fixes"]) if share is None else f"{unit['confirmed_fixes']} ("
        expect(cell).to_contain_text(expected)
    check_accessibility(page, "dashboard")

    export = page.get_by_test_id("export-form")
    export.get_by_label("Trạng thái").select_option("ASSIGNED")
    with page.expect_download() as download_info:
        export.get_by_test_id("export-download").click()
    download = download_info.value
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.startswith("\ufeffreport_id,status,")
    lines = content.strip().splitlines()
    assert len(lines) >= 2 and all(",ASSIGNED," in line for line in lines[1:])

    page.get_by_role("navigation").get_by_role("link", name="Cảnh báo quá hạn").click()
    expect(page.get_by_role("heading", name="Bảng cảnh báo quá hạn")).to_be_visible()
    check_accessibility(page, "escalations-board")

    # A coordinator reads any unit's workload: the unit is picked on the page.
    page.get_by_role("navigation").get_by_role("link", name="Đội ngũ").click()
    page.get_by_label("Đơn vị", exact=True).select_option("so_xay_dung")
    expect(page.get_by_test_id("team-table").locator(f'tr[data-officer="{OFFICER}"]')).to_be_visible()
    check_accessibility(page, "team-coordinator")
