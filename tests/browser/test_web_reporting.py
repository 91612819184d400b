"""Web reporting (the site's /new, /mine and /mine/<id>) in Chromium against the local stack: a report
with a photo filed online, exactly once, its photo resized on the phone and checked; a report made
offline, kept in IndexedDB with its Idempotency-Key and sent once when the connection returns, the
app shell opening offline from the service worker meanwhile; the report followed in /mine, rated
there once an officer resolved it through the API, and the rating public. axe-core on every screen."""

from __future__ import annotations

import io
import json
import re
import uuid
from typing import Any

import requests
from browser.harness import VI_THANH, check_accessibility, record
from local_stack_runner import banner_tokens, wait_until
from PIL import Image
from playwright.sync_api import Browser, Page, Request, Route, expect

UNIT = "so_xay_dung"
# Routing waits for the photo check, which the local stack runs a moment after the upload.
ROUTED_LIMIT_S = 60
EXIF_ORIENTATION = 0x0112
ROTATED_90_CW = 6

# navigator.serviceWorker.ready never settles when the worker fails to install: bounded, so the test
# fails instead of waiting for ever.
SERVICE_WORKER_READY_MS = 15_000
SERVICE_WORKER_SCOPE = """(limit) => Promise.race([
  navigator.serviceWorker.ready.then((ready) => ready.scope),
  new Promise((resolve) => setTimeout(() => resolve('not installed within the limit'), limit)),
])"""

READ_STORE = """async ([store, key]) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('phananh-reporting');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const request = key === null
    ? db.transaction(store).objectStore(store).getAll()
    : db.transaction(store).objectStore(store).get(key);
  const value = await new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return value;
}"""


def _sideways_photo() -> bytes:
    """A 3000×2000 JPEG a phone held upright would take: stored sideways, EXIF orientation 6."""
    image = Image.new("RGB", (3000, 2000), (180, 90, 40))
    for x in range(0, 3000, 60):
        image.paste((x % 255, 200, 255 - x % 255), (x, 0, x + 30, 2000))
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = ROTATED_90_CW
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=92)
    return buffer.getvalue()


def _device_store(page: Page, store: str, key: str | None = None) -> Any:
    """What the site keeps on the device, read from IndexedDB itself."""
    return page.evaluate(READ_STORE, [store, key])


def _filings(page: Page) -> list[str]:
    """The Idempotency-Key of every POST /reports the page sends, as it sends them."""
    keys: list[str] = []

    def seen(request: Request) -> None:
        if request.method == "POST" and re.search(r"/reports$", request.url):
            keys.append(request.headers.get("idempotency-key", ""))

    page.on("request", seen)
    return keys


def _api(stack, method: str, path: str, role: str, **kwargs) -> requests.Response:
    _, token = banner_tokens(stack)[role]
    return requests.request(method, f"{stack.base_url}{path}", headers={"Authorization": f"Bearer {token}"},
                            timeout=10, **kwargs)


def _unit_reports_described(stack, description: str) -> list[dict]:
    """The open reports of the unit with this description, from the coordinator's view of its queue."""
    found, cursor = [], None
    while True:
        params = {"unit_id": UNIT, "limit": 200, **({"cursor": cursor} if cursor else {})}
        page = _api(stack, "GET", "/officer/queue", "coordinator", params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        found += [item for item in body["reports"] if item["description"] == description]
        cursor = body.get("next_cursor")
        if not cursor:
            return found


def _reporter_view(stack, report_id: str, token: str) -> dict:
    response = requests.get(f"{stack.base_url}/reports/{report_id}", headers={"Authorization": f"Bearer {token}"},
                            timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def _fill_report(page: Page, description: str) -> None:
    expect(page.locator('select[name="category"] option[value="roads"]')).to_have_count(1)
    page.get_by_label("Lĩnh vực").select_option("roads")
    page.get_by_label("Nội dung phản ánh").fill(description)


def _after_photo_without_gps() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 90, 90)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _resolve_through_the_api(stack, report_id: str) -> None:
    """Acknowledged, then resolved with an after-photo whose phone wrote no position (so the result
    reads "location not verified"), uploaded through the form the answer holds."""
    def act(action: str, **body) -> dict:
        current = _api(stack, "GET", f"/officer/reports/{report_id}", "officer")
        assert current.status_code == 200, current.text
        done = _api(stack, "POST", f"/officer/reports/{report_id}/{action}", "officer",
                    json={"version": current.json()["version"], **body})
        assert done.status_code == 200, done.text
        return done.json()

    act("acknowledge")
    [form] = act("resolve", note="Đã vá ổ gà trên đường.", photo_count=1)["uploads"]
    uploaded = requests.post(form["url"], data={**form["fields"], "Content-Type": "image/jpeg"},
                             files={"file": ("sau.jpg", _after_photo_without_gps(), "image/jpeg")}, timeout=30)
    assert uploaded.ok, uploaded.text


def test_a_report_with_a_photo_is_filed_once_online_its_photo_resized_upright(page: Page, stack):
    description = f"Ổ gà trước cổng chợ (web {uuid.uuid4().hex[:8]})"
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": VI_THANH["lat"], "longitude": VI_THANH["lon"]})
    filings = _filings(page)
    page.goto("/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi phản ánh")
    _fill_report(page, description)
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Chọn ảnh có sẵn").click()
    chooser.value.set_files([{"name": "o-ga.jpg", "mimeType": "image/jpeg", "buffer": _sideways_photo()}])
    expect(page.get_by_test_id("photo-list").locator("img")).to_have_count(1)
    page.get_by_role("button", name="Dùng vị trí hiện tại (GPS)").click()
    expect(page.get_by_test_id("chosen-place")).to_contain_text("Thuộc")
    page.wait_for_load_state("networkidle")
    check_accessibility(page, "site-new")

    page.get_by_role("button", name="Gửi phản ánh").click()
    receipt = page.get_by_test_id("report-receipt")
    expect(receipt).to_be_visible(timeout=20_000)
    expect(receipt).to_contain_text("Ảnh đã được gửi", timeout=20_000)
    report_id = page.get_by_test_id("receipt-id").inner_text()
    check_accessibility(page, "site-new-receipt")

    # The token is on the device (IndexedDB), never in the address bar; the outbox is empty again.
    kept = _device_store(page, "mine", report_id)
    assert kept["token"] and kept["token"] not in page.url
    assert _device_store(page, "outbox") == []

    view = wait_until(lambda: (v := _reporter_view(stack, report_id, kept["token"]))["photos"] and v,
                      limit_s=ROUTED_LIMIT_S)
    photo = Image.open(io.BytesIO(requests.get(view["photos"][0]["url"], timeout=10).content))
    # Resized in the browser to 2048 px on its longest side, and turned upright as EXIF said.
    assert photo.size == (1365, 2048)
    wait_until(lambda: _reporter_view(stack, report_id, kept["token"])["status"] == "ASSIGNED", limit_s=ROUTED_LIMIT_S)
    assert [item["report_id"] for item in _unit_reports_described(stack, description)] == [report_id]
    assert len(filings) == 1 and filings[0]


def test_the_site_is_installable_and_its_service_worker_is_at_the_root(page: Page, stack):
    page.goto("/new")
    manifest_url = page.locator('link[rel="manifest"]').get_attribute("href")
    manifest = requests.get(f"{stack.base_url}{manifest_url}", timeout=10)
    assert manifest.headers["Content-Type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["display"] == "standalone" and body["start_url"] == "/new" and body["short_name"]
    sizes = set()
    for icon in body["icons"]:
        image = requests.get(f"{stack.base_url}{icon['src']}", timeout=10)
        assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
        sizes.add(Image.open(io.BytesIO(image.content)).size)
    assert {(192, 192), (512, 512)} <= sizes
    # What it precaches is the build itself: every file it lists is served (one missing file and the
    # worker never installs).
    worker = requests.get(f"{stack.base_url}/sw.js", timeout=10)
    assert "javascript" in worker.headers["Content-Type"]
    listed = re.search(r'"urls":(\[[^\]]*\])', worker.text)
    assert listed, "sw.js carries no precache list"
    missing = [url for url in json.loads(listed.group(1))
               if requests.get(f"{stack.base_url}{url}", timeout=10).status_code != 200]
    assert missing == []
    assert page.evaluate(SERVICE_WORKER_SCOPE, SERVICE_WORKER_READY_MS) == f"{stack.base_url}/"

    # English one click away, and the form's words with it.
    page.get_by_role("button", name="Switch to English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a problem")
    expect(page.get_by_label("Field", exact=True)).to_be_visible()
    page.goto("/mine")
    expect(page.get_by_role("heading", level=1)).to_have_text("My reports")
    expect(page.get_by_text("No reports on this device yet.")).to_be_visible()
    check_accessibility(page, "site-mine-empty-en")


def test_a_report_made_offline_is_sent_once_when_back_online_followed_and_rated(page: Page, stack):
    description = f"Đèn đường hỏng cả dãy (web ngoại tuyến {uuid.uuid4().hex[:8]})"
    filings = _filings(page)
    page.goto("/new")
    # The service worker takes the page over: from then on the app shell opens without a network.
    # (Polled with evaluate: wait_for_function's string would be an eval, which the CSP refuses.)
    wait_until(lambda: page.evaluate("() => navigator.serviceWorker.controller !== null"))
    _fill_report(page, description)
    page.get_by_role("button", name="Chọn trên bản đồ").click()
    expect(page.get_by_test_id("place-map")).to_be_visible()
    page.get_by_role("button", name="Đặt vị trí ở giữa bản đồ").click()
    expect(page.get_by_test_id("chosen-place")).to_contain_text("Thuộc")

    page.context.set_offline(True)
    expect(page.get_by_test_id("offline-notice")).to_be_visible()
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page.get_by_test_id("report-queued")).to_contain_text("chờ gửi")
    outbox = _device_store(page, "outbox")
    assert len(outbox) == 1 and outbox[0]["filed"] is None
    key = outbox[0]["key"]
    assert filings == []

    # Offline, /mine opens from the service worker's cache and shows it waiting.
    page.goto("/mine")
    waiting = page.get_by_test_id("queued-report")
    expect(waiting).to_contain_text("Chờ gửi")
    expect(waiting).to_contain_text(description)
    check_accessibility(page, "site-mine-offline")

    page.context.set_offline(False)
    mine = page.locator('[data-testid="my-report"]').filter(has_text=description)
    expect(mine).to_be_visible(timeout=20_000)
    expect(waiting).to_have_count(0)
    report_id = mine.get_attribute("data-report-id")
    assert report_id
    assert filings and set(filings) == {key}
    wait_until(lambda: len(_unit_reports_described(stack, description)) == 1, limit_s=ROUTED_LIMIT_S)
    assert [item["report_id"] for item in _unit_reports_described(stack, description)] == [report_id]
    page.wait_for_load_state("networkidle")
    check_accessibility(page, "site-mine")

    # Followed in /mine/<id>; resolved by the officer through the API; rated here.
    mine.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(report_id)
    assert page.url.endswith(f"/mine/{report_id}")
    _resolve_through_the_api(stack, report_id)
    page.reload()
    # Before and after side by side, once the photo check has passed the after-photo.
    before_after = page.get_by_test_id("before-after")
    expect(before_after.get_by_role("heading", name="Ảnh trước và sau")).to_be_visible()
    expect(before_after.get_by_test_id("fix-location")).to_contain_text("Chưa xác minh vị trí")
    wait_until(lambda: len(_api(stack, "GET", f"/officer/reports/{report_id}", "officer").json()["result"]["photos"])
               == 1, limit_s=ROUTED_LIMIT_S)
    page.reload()
    expect(page.get_by_test_id("before-after").get_by_role("img", name="Ảnh sau khi xử lý, số 1")).to_be_visible()
    form = page.get_by_test_id("rating-form")
    expect(form).to_be_visible()
    check_accessibility(page, "site-mine-report-rate")
    form.get_by_label("4 sao").check()
    form.get_by_label("Đã khắc phục").check()
    form.get_by_label("Nhận xét (không bắt buộc)").fill("Sửa nhanh, cảm ơn.")
    form.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_test_id("my-rating")).to_contain_text("4/5")

    public = requests.get(f"{stack.base_url}/public/reports/{report_id}", timeout=10).json()
    assert public["rating"]["score"] == 4
    page.get_by_role("link", name="Trang công khai của phản ánh").click()
    expect(page.get_by_test_id("rating")).to_contain_text("Sửa nhanh, cảm ơn.")
    expect(page.get_by_test_id("rating")).to_contain_text("4")
    assert _api(stack, "GET", f"/officer/reports/{report_id}", "coordinator").json()["status"] == "CLOSED"


def test_a_filing_whose_answer_is_lost_is_retried_with_its_key_and_filed_once(browser: Browser, stack):
    """The worst case for duplicates: the API filed the report but the phone never heard back."""
    # Without the service worker, so that the page's own route sees (and cuts) the answer.
    context = browser.new_context(base_url=stack.base_url, locale="vi-VN", service_workers="block")
    page = context.new_page()
    recorded = record(page)
    description = f"Rác thải ứ đọng (web mất kết nối {uuid.uuid4().hex[:8]})"
    filings = _filings(page)
    cut: list[int] = []

    def lose_the_first_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.fallback()
            return
        answer = route.fetch()
        if not cut:
            cut.append(answer.status)
            route.abort("connectionreset")
        else:
            route.fulfill(response=answer)

    page.route(re.compile(r"/reports$"), lose_the_first_answer)
    page.goto("/new")
    _fill_report(page, description)
    page.get_by_label("Hoặc chọn phường/xã").select_option(label="Vị Thanh")
    page.get_by_role("button", name="Gửi phản ánh").click()
    receipt = page.get_by_test_id("report-receipt")
    expect(receipt).to_be_visible(timeout=20_000)
    report_id = page.get_by_test_id("receipt-id").inner_text()

    assert cut == [201]
    assert len(filings) == 2 and len(set(filings)) == 1
    wait_until(lambda: _unit_reports_described(stack, description), limit_s=ROUTED_LIMIT_S)
    assert [item["report_id"] for item in _unit_reports_described(stack, description)] == [report_id]
    context.close()
    assert recorded.csp_violations == []


def test_the_reporter_reads_the_units_question_in_mine_and_answers_it_with_a_photo(page: Page, stack):
    description = f"Nắp cống bị vỡ (câu hỏi {uuid.uuid4().hex[:8]})"
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": VI_THANH["lat"], "longitude": VI_THANH["lon"]})
    page.goto("/new")
    _fill_report(page, description)
    page.get_by_role("button", name="Dùng vị trí hiện tại (GPS)").click()
    expect(page.get_by_test_id("chosen-place")).to_contain_text("Thuộc")
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page.get_by_test_id("report-receipt")).to_be_visible(timeout=20_000)
    report_id = page.get_by_test_id("receipt-id").inner_text()
    token = _device_store(page, "mine", report_id)["token"]
    wait_until(lambda: _reporter_view(stack, report_id, token)["status"] == "ASSIGNED", limit_s=ROUTED_LIMIT_S)

    # The owner unit asks, through the API; the public page says only that information is awaited.
    current = _api(stack, "GET", f"/officer/reports/{report_id}", "officer").json()
    asked = _api(stack, "POST", f"/officer/reports/{report_id}/questions", "officer",
                 json={"text": "Nắp cống ở phía nhà số mấy?", "photo_requested": True, "version": current["version"]})
    assert asked.status_code == 201, asked.text
    page.goto(f"/report/{report_id}")
    expect(page.get_by_test_id("awaiting-information")).to_contain_text("Chờ bổ sung thông tin")
    expect(page.locator("body")).not_to_contain_text("Nắp cống ở phía nhà số mấy?")

    page.goto(f"/mine/{report_id}")
    question = page.get_by_test_id("question")
    expect(question).to_contain_text("Nắp cống ở phía nhà số mấy?")
    expect(question).to_contain_text("Đơn vị đề nghị gửi kèm ảnh.")
    expect(page.get_by_test_id("awaiting-information")).to_be_visible()
    page.wait_for_load_state("networkidle")
    check_accessibility(page, "site-mine-question")
    form = page.get_by_test_id("answer-form")
    form.get_by_role("button", name="Gửi trả lời").click()
    expect(form.get_by_role("alert")).to_contain_text("Hãy nhập câu trả lời.")
    form.get_by_label("Câu trả lời của bạn").fill("Trước nhà số 15, sát lề phải.")
    with page.expect_file_chooser() as chooser:
        form.get_by_text("Chọn ảnh").click()
    chooser.value.set_files([{"name": "nap-cong.jpg", "mimeType": "image/jpeg", "buffer": _sideways_photo()}])
    expect(page.get_by_test_id("answer-photo-list").locator("img")).to_have_count(1)
    form.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_test_id("my-answer")).to_contain_text("Trước nhà số 15, sát lề phải.")
    expect(page.get_by_test_id("awaiting-information")).to_have_count(0)
    check_accessibility(page, "site-mine-answered")

    # The answer's photo went through the photo check onto the answer, as the owner unit sees it.
    wait_until(lambda: len(_reporter_view(stack, report_id, token)["questions"][0]["answer_photos"]) == 1,
               limit_s=ROUTED_LIMIT_S)
    seen = _api(stack, "GET", f"/officer/reports/{report_id}", "officer").json()
    (first,) = seen["questions"]
    assert first["answer"] == "Trước nhà số 15, sát lề phải." and not first["waiting"]

    # A second question: /mine lists both, the form under the one that waits.
    asked = _api(stack, "POST", f"/officer/reports/{report_id}/questions", "officer",
                 json={"text": "Nắp cống vỡ từ bao giờ?", "version": seen["version"]})
    assert asked.status_code == 201, asked.text
    page.goto(f"/mine/{report_id}")
    questions = page.get_by_test_id("question")
    expect(questions).to_have_count(2)
    expect(questions.nth(0).get_by_test_id("my-answer")).to_contain_text("Trước nhà số 15, sát lề phải.")
    expect(questions.nth(1)).to_contain_text("Nắp cống vỡ từ bao giờ?")
    expect(questions.nth(1).get_by_test_id("answer-form")).to_be_visible()
    expect(questions.nth(0).get_by_test_id("answer-form")).to_have_count(0)
    check_accessibility(page, "site-mine-second-question")
    page.goto(f"/report/{report_id}")
    expect(page.locator("body")).to_contain_text("Người phản ánh đã bổ sung thông tin")
    expect(page.locator("body")).not_to_contain_text("số 15")
