"""An officer's day in the console, in Chromium against the local stack: the alert e-mail's deep link
survives the sign-in, the report filed a moment earlier is in the queue (and on the map), the officer
acknowledges it, resolves it with an after-photo uploaded through the browser, and the reporter's
view shows the result. A change made meanwhile (409) is shown and retried on the fresh state; a
report filed while the queue is open appears without a reload. Every screen passes axe-core and
leaves a screenshot."""

import re

import requests
from browser.harness import check_accessibility, file_report, reporter_view, sign_in
from local_stack_runner import banner_tokens
from photo_samples import astronaut_face, jpeg_with_gps
from playwright.sync_api import Page, expect

OFFICER = "so_xay_dung.officer"
# The queue is fetched again every 30 s (web/console/src/features/queue/useQueue.ts).
QUEUE_POLL_S = 30


def _open_report_signed_in(page: Page, report_id: str) -> None:
    """The alert e-mail's link, followed while signed out: the sign-in form, then the report itself."""
    page.goto(f"/console/reports/{report_id}")
    expect(page.locator('input[name="username"]')).to_be_visible()
    page.wait_for_url(re.compile(r"/console/sign-in\?next=%2Freports%2F" + report_id + "$"))
    sign_in(page, OFFICER)
    expect(page.get_by_role("heading", level=1)).to_contain_text(report_id)
    assert page.url.endswith(f"/console/reports/{report_id}")


def _act(page: Page, action: str, note: str | None = None) -> None:
    page.locator(f'button[data-action="{action}"]').click()
    if note is not None:
        page.locator('#action-form textarea[name="note"]').fill(note)


def _after_photo_with_a_passer_by() -> bytes:
    """The repaired road with someone walking past: the check blurs her face in the published copy."""
    import io

    from PIL import Image

    road = Image.open(io.BytesIO(jpeg_with_gps(colour=(60, 60, 60), size=(1200, 900))))
    scene = road.convert("RGB")
    scene.paste(astronaut_face(160), (500, 250))
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=90, exif=road.info["exif"])
    return buffer.getvalue()


def test_an_officer_acknowledges_and_resolves_a_new_report_with_an_after_photo(page, stack):
    receipt = file_report(stack.base_url, description="Ổ gà sâu trước số 12 đường Trần Hưng Đạo")
    report_id = receipt["report_id"]

    page.goto("/console/sign-in")
    expect(page.locator('input[name="username"]')).to_be_visible()
    check_accessibility(page, "console-sign-in")
    _open_report_signed_in(page, report_id)
    expect(page.get_by_test_id("description")).to_have_text("Ổ gà sâu trước số 12 đường Trần Hưng Đạo")
    expect(page.get_by_test_id("audit-trail")).to_contain_text("Chờ tiếp nhận")
    page.wait_for_load_state("networkidle")
    check_accessibility(page, "console-report")

    # The queue: the report is there, with its live clock; the map shows it as a marker and in the list.
    page.get_by_role("link", name="Về hàng đợi").click()
    row = page.locator(f'tr[data-report-id="{report_id}"]')
    expect(row).to_be_visible()
    expect(row.get_by_test_id("deadline-clock")).to_contain_text("tiếp nhận")
    expect(page.get_by_test_id("count-ASSIGNED")).not_to_contain_text(re.compile(r"^\s*0\b"))
    check_accessibility(page, "console-queue")
    page.get_by_role("navigation").get_by_role("link", name="Bản đồ").click()
    expect(page.get_by_test_id("map-list").get_by_role("link", name=report_id)).to_be_visible()
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    check_accessibility(page, "console-map")

    # Acknowledge, starting from a template.
    page.get_by_test_id("map-list").get_by_role("link", name=report_id).click()
    _act(page, "acknowledge")
    template = page.locator('#action-form select[name="template"]')
    if template.count():
        template.select_option(index=1)
    page.locator('#action-form button[type="submit"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã tiếp nhận")

    # Resolve with an after-photo uploaded from the browser; the checked copy shows when the check is done.
    _act(page, "resolve", "Đã vá ổ gà và san phẳng mặt đường.")
    # Roads are not an exempt field: the dialog says why an after-photo is needed, and asks for one.
    expect(page.locator("#action-form")).to_contain_text("Cần ít nhất một ảnh chụp tại hiện trường")
    page.locator('#action-form button[type="submit"]').click()
    expect(page.locator("#action-form")).to_contain_text("Vui lòng chọn ít nhất một ảnh sau khi xử lý.")
    page.set_input_files(
        'input[name="after_photos"]',
        files=[{"name": "sau-khi-va.jpg", "mimeType": "image/jpeg", "buffer": _after_photo_with_a_passer_by()}],
    )
    page.locator('#action-form button[type="submit"]').click()
    expect(page.get_by_test_id("result-photos").locator("img")).to_have_count(1, timeout=60_000)
    expect(page.get_by_test_id("photo-check")).to_contain_text("đã được kiểm tra")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã giải quyết")
    # The after-photo's own GPS lies ~25 m from the report's point.
    expect(page.get_by_test_id("fix-location")).to_contain_text("Đã xác minh vị trí")
    check_accessibility(page, "console-report-resolved")

    # The full-size photo opens in a dialog that Escape closes, focus returning to its thumbnail.
    thumbnail = page.get_by_test_id("result-photos").get_by_role("button")
    thumbnail.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("img")).to_be_visible()
    # The passer-by's face is blurred in the copy everyone sees; the owner unit also gets the original.
    expect(dialog.get_by_test_id("evidence-link")).to_have_attribute("href", re.compile(r"evidence/"))
    check_accessibility(page, "console-photo-dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(thumbnail).to_be_focused()

    view = reporter_view(stack.base_url, receipt)
    assert view["status"] == "RESOLVED"
    assert view["result"]["note"] == "Đã vá ổ gà và san phẳng mặt đường."
    assert len(view["result"]["photos"]) == 1 and view["result"]["location_verified"] is True
    assert "evidence_url" not in view["result"]["photos"][0]
    assert requests.get(view["result"]["photos"][0]["url"], timeout=10).headers["Content-Type"] == "image/jpeg"


def test_a_change_made_meanwhile_is_shown_and_retried_on_the_fresh_state(page, stack):
    receipt = file_report(stack.base_url, description="Cống thoát nước bị tắc")
    report_id = receipt["report_id"]
    _open_report_signed_in(page, report_id)
    _act(page, "acknowledge")
    page.locator('#action-form button[type="submit"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã tiếp nhận")
    # The page reads the report once more after an action: let that finish, so that what it holds is
    # the acknowledged report and nothing later.
    page.wait_for_load_state("networkidle")

    # A colleague adds a progress note through the API while this page still holds the old version.
    _, token = banner_tokens(stack)["officer"]
    colleague = requests.post(
        f"{stack.base_url}/officer/reports/{report_id}/progress",
        json={"note": "Đã cử tổ kiểm tra hiện trường."}, headers={"Authorization": f"Bearer {token}"}, timeout=10,
    )
    assert colleague.status_code == 200, colleague.text

    _act(page, "progress", "Đã liên hệ đơn vị thi công.")
    page.locator('#action-form button[type="submit"]').click()
    conflict = page.get_by_test_id("conflict")
    expect(conflict).to_contain_text("vừa được người khác thay đổi")
    expect(conflict).to_contain_text("Đã tiếp nhận → Đang xử lý")
    expect(conflict).to_contain_text("Bắt đầu xử lý")
    check_accessibility(page, "console-report-conflict")
    conflict.get_by_role("button", name="Thử lại trên trạng thái mới").click()
    expect(conflict).to_have_count(0)
    expect(page.get_by_test_id("audit-trail")).to_contain_text("Đã liên hệ đơn vị thi công.")


def test_a_new_report_appears_in_the_open_queue_and_the_language_is_remembered(page, stack):
    page.goto("/console/")
    sign_in(page, OFFICER)
    expect(page.get_by_test_id("queue-table")).to_be_visible()

    receipt = file_report(stack.base_url, description="Cây đổ chắn lối đi")
    row = page.locator(f'tr[data-report-id="{receipt["report_id"]}"]')
    expect(row).to_be_visible(timeout=(QUEUE_POLL_S + 15) * 1000)
    expect(row).to_contain_text("Mới")
    expect(page.get_by_test_id("live-polite")).to_contain_text("phản ánh mới")

    # Filters live in the address bar: "overdue only" hides the fresh report, clearing brings it back.
    page.get_by_label("Chỉ quá hạn").check()
    assert "overdue=1" in page.url
    expect(row).to_have_count(0)
    page.get_by_role("button", name="Xoá bộ lọc").click()
    expect(row).to_be_visible()

    # Search by id opens the report.
    page.get_by_label("Mở phản ánh theo mã").fill(receipt["report_id"].lower())
    page.get_by_role("button", name="Mở", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(receipt["report_id"])

    # English one click away, remembered across a reload, and <html lang> follows.
    page.get_by_role("button", name="Switch to English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Report {receipt['report_id']}")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Report {receipt['report_id']}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_accessibility(page, "console-report-en")

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator('input[name="username"]')).to_be_visible()
    page.goto("/console/")
    expect(page.locator('input[name="username"]')).to_be_visible()


def test_a_transfer_names_the_unit_from_the_picker_and_the_report_leaves_the_queue(page, stack):
    receipt = file_report(stack.base_url, description="Biển báo giao thông bị đổ — không phải việc của sở")
    report_id = receipt["report_id"]
    _open_report_signed_in(page, report_id)
    _act(page, "transfer")
    unit_picker = page.locator('#action-form select[name="to_unit_id"]')
    expect(unit_picker.locator("option")).not_to_have_count(1)
    chosen = unit_picker.locator("option").nth(1)
    unit_name = chosen.inner_text()
    unit_picker.select_option(index=1)
    page.locator('#action-form button[type="submit"]').click()
    # The reason is required: the error is tied to its field.
    expect(page.get_by_label("Lý do chuyển")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Lý do chuyển").fill("Biển báo thuộc đơn vị quản lý giao thông.")
    page.locator('#action-form button[type="submit"]').click()
    expect(page.get_by_test_id("handed-over")).to_contain_text(unit_name)
    check_accessibility(page, "console-report-transferred")
    page.get_by_role("link", name="Về hàng đợi").click()
    queue_shown = page.get_by_test_id("queue-table").or_(page.get_by_text("Không có phản ánh nào khớp bộ lọc."))
    expect(queue_shown).to_be_visible()
    expect(page.locator(f'tr[data-report-id="{report_id}"]')).to_have_count(0)
    assert reporter_view(stack.base_url, receipt)["owner_unit"]["name"]["vi"] == unit_name


def test_a_unit_head_signs_in_with_the_authenticator_code_and_stays_signed_in(page, stack):
    page.goto("/console/map")
    page.locator('input[name="username"]').fill("so_xay_dung.head")
    page.locator('input[name="password"]').fill("wrong-password-1!")
    page.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("sign-in-error")).to_contain_text("không đúng")
    sign_in(page, "so_xay_dung.head")  # the form asks for the TOTP code next: the harness types moto's
    page.wait_for_url(re.compile(r"/console/map$"))
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("Trưởng đơn vị")
    # The session is kept: a new tab of the same browser context opens signed in.
    second = page.context.new_page()
    second.goto("/console/")
    expect(second.get_by_test_id("signed-in-as")).to_contain_text("so_xay_dung.head")
    second.close()


def test_an_officer_asks_the_reporter_and_reads_the_answer(page, stack):
    receipt = file_report(stack.base_url, description="Cây đổ chắn một nửa đường (hỏi người phản ánh)")
    report_id = receipt["report_id"]
    _open_report_signed_in(page, report_id)

    page.locator('button[data-action="ask"]').click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Gửi câu hỏi").click()
    expect(dialog).to_contain_text("Vui lòng nhập câu hỏi.")
    dialog.get_by_label("Câu hỏi").fill("Cây đổ ở đầu hay cuối con hẻm?")
    dialog.get_by_label("Đề nghị gửi kèm ảnh").check()
    check_accessibility(page, "console-ask-dialog")
    dialog.get_by_role("button", name="Gửi câu hỏi").click()
    expect(dialog).to_have_count(0)
    panel = page.get_by_test_id("question")
    expect(panel.get_by_test_id("question-text")).to_have_text("Cây đổ ở đầu hay cuối con hẻm?")
    expect(panel.get_by_test_id("question-waiting")).to_contain_text("tạm dừng")
    expect(page.locator('button[data-action="ask"]')).to_have_count(0)
    expect(page.get_by_test_id("audit-trail")).to_contain_text("Hỏi người phản ánh")
    check_accessibility(page, "console-question-waiting")

    # The reporter answers with the tracking token; the officer reads it, and may ask again.
    answered = requests.post(f"{stack.base_url}/reports/{report_id}/answers", json={"text": "Ở đầu hẻm, gần số 3."},
                             headers={"Authorization": f"Bearer {receipt['tracking_token']}"}, timeout=10)
    assert answered.status_code == 201, answered.text
    page.reload()
    expect(page.get_by_test_id("answer")).to_contain_text("Ở đầu hẻm, gần số 3.")

    # A second question is listed after the first, which keeps its answer.
    page.locator('button[data-action="ask"]').click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Câu hỏi").fill("Cây có đè lên dây điện không?")
    dialog.get_by_role("button", name="Gửi câu hỏi").click()
    expect(dialog).to_have_count(0)
    items = page.get_by_test_id("question-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Câu hỏi 1")
    expect(items.nth(0).get_by_test_id("answer")).to_contain_text("Ở đầu hẻm, gần số 3.")
    expect(items.nth(1).get_by_test_id("question-text")).to_have_text("Cây có đè lên dây điện không?")
    expect(items.nth(1).get_by_test_id("question-waiting")).to_be_visible()
    answered = requests.post(f"{stack.base_url}/reports/{report_id}/answers", json={"text": "Không, chỉ chắn đường."},
                             headers={"Authorization": f"Bearer {receipt['tracking_token']}"}, timeout=10)
    assert answered.status_code == 201, answered.text
    page.reload()
    expect(page.get_by_test_id("answer")).to_have_count(2)
    expect(page.locator('button[data-action="ask"]')).to_be_visible()
    page.get_by_role("button", name="Switch to English").click()
    expect(page.get_by_test_id("question")).to_contain_text("Question to the reporter")
    expect(page.get_by_test_id("question-item").nth(1)).to_contain_text("Question 2")
    check_accessibility(page, "console-question-answered")


def test_the_queue_marks_a_report_whose_question_waits_as_paused_until_the_answer(page, stack):
    receipt = file_report(stack.base_url, description="Đèn đường tắt cả dãy (chờ người phản ánh)")
    report_id = receipt["report_id"]
    _, token = banner_tokens(stack)["officer"]
    asked = requests.post(f"{stack.base_url}/officer/reports/{report_id}/questions",
                          json={"text": "Đèn tắt từ cột số mấy?"}, headers={"Authorization": f"Bearer {token}"},
                          timeout=10)
    assert asked.status_code == 201, asked.text
    paused_until = asked.json()["questions"][0]["clock_paused_until"]
    assert paused_until

    page.goto("/console/")
    sign_in(page, OFFICER)
    row = page.locator(f'tr[data-report-id="{report_id}"]')
    expect(row).to_be_visible()
    badge = row.get_by_test_id("clock-paused")
    expect(badge).to_have_text("Chờ bổ sung thông tin: thời hạn tạm dừng")
    check_accessibility(page, "console-queue-paused")
    page.get_by_role("button", name="Switch to English").click()
    expect(badge).to_have_text("Awaiting information: the deadline is paused")

    # The answer ends the pause: the badge goes with it.
    answered = requests.post(f"{stack.base_url}/reports/{report_id}/answers", json={"text": "Từ cột số 4."},
                             headers={"Authorization": f"Bearer {receipt['tracking_token']}"}, timeout=10)
    assert answered.status_code == 201, answered.text
    page.reload()
    expect(row).to_be_visible()
    expect(row.get_by_test_id("clock-paused")).to_have_count(0)
