"""The public results site in Chromium against the local stack (with its 90-day demo history): the map
and the list of published reports, their filters in a URL that can be shared and walked back; a
report's public page with the officer's note, the deadlines and the owner unit; the league tables
ranking only the units above the minimum; the language toggle. axe-core on every page, and the
page's Content-Security-Policy holds throughout (the `page` fixture)."""

from __future__ import annotations

import re
import uuid

from browser.harness import check_accessibility, screenshot
from browser.site_flows import officer_acts, public, published_report
from playwright.sync_api import Page, Request, expect


def _list_items(page: Page):
    return page.locator("#report-list li.report-item")


def test_the_map_and_list_follow_filters_kept_in_a_shareable_url(page: Page, stack):
    receipt = published_report(stack, description=f"Đèn đường hỏng trước trường (site {uuid.uuid4().hex[:6]})")
    report_id = receipt["report_id"]

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản đồ phản ánh")
    # The reports arrive as clustered markers, each state with its symbol, and the legend says them in words.
    expect(page.locator(".site-marker, .site-cluster").first).to_be_visible()
    legend = page.get_by_role("region", name="Chú giải")
    expect(legend).to_contain_text("Đang xử lý")
    expect(legend).to_contain_text("Quá hạn")
    expect(page.get_by_test_id("report-count")).to_contain_text("phản ánh")
    check_accessibility(page, "site-map")

    # The skip link past the map lands in the list.
    page.locator(".explore-skip").focus()
    expect(page.locator(".explore-skip")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#report-list$"))

    # Filters go into the URL; each is a step back/forward can walk.
    page.get_by_label("Lĩnh vực").select_option("roads")
    expect(page).to_have_url(re.compile(r"/\?category=roads$"))
    page.get_by_label("Tình trạng").select_option("ASSIGNED")
    expect(page).to_have_url(re.compile(r"/\?category=roads&status=ASSIGNED$"))
    expect(page.locator(f'li[data-report-id="{report_id}"]')).to_have_count(1)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?category=roads$"))
    expect(page.get_by_label("Tình trạng")).to_have_value("")
    page.go_forward()
    expect(page.get_by_label("Tình trạng")).to_have_value("ASSIGNED")

    # The list-only view, shared as a URL, opens the same filtered list without downloading the map.
    shared = "/?category=roads&status=ASSIGNED&view=list"
    # A fresh visitor: in the first page's context the service worker precaches every built file, map included.
    fresh = page.context.browser.new_context(base_url=stack.base_url, service_workers="block", locale="vi-VN")
    other = fresh.new_page()
    requested: list[str] = []
    other.on("request", lambda request: requested.append(request.url))
    other.goto(shared)
    expect(other.locator(f'li[data-report-id="{report_id}"]')).to_have_count(1)
    expect(other.locator(".leaflet-container")).to_have_count(0)
    assert not [url for url in requested if "MapPanel" in url or "leaflet" in url.lower()], requested
    statuses = other.locator("#report-list li.report-item .badge").all_inner_texts()
    assert statuses and all(text in ("Chờ tiếp nhận", "Quá hạn") for text in statuses), statuses
    check_accessibility(other, "site-list")
    fresh.close()

    # The report's line opens its page.
    page.locator(f'li[data-report-id="{report_id}"] a').click()
    expect(page).to_have_url(re.compile(f"/report/{report_id}$"))


def test_the_list_keeps_in_step_with_the_visible_map_area(page: Page, stack):
    published_report(stack)
    page.goto("/")
    expect(page.locator(".site-marker, .site-cluster").first).to_be_visible()
    count = page.get_by_test_id("report-count")
    expect(count).not_to_have_text("")
    everything = _list_items(page).count()
    # Zoomed far in on one corner of the province, fewer reports are in view, and the list says so.
    page.get_by_test_id("explore-map").scroll_into_view_if_needed()
    box = page.get_by_test_id("explore-map").bounding_box()
    assert box
    for _ in range(5):
        page.mouse.dblclick(box["x"] + 5, box["y"] + box["height"] - 5)
        page.wait_for_timeout(300)
    expect(count).to_contain_text("vùng bản đồ đang xem")
    assert _list_items(page).count() <= everything
    page.get_by_label("Chỉ những phản ánh trong vùng bản đồ đang xem").uncheck()
    expect(count).not_to_contain_text("vùng bản đồ đang xem")


def test_a_reports_public_page_shows_its_steps_notes_deadlines_and_owner(page: Page, stack):
    receipt = published_report(stack, description=f"Cây đổ chắn đường (site {uuid.uuid4().hex[:6]})")
    report_id = receipt["report_id"]
    note = "Đã cử đội đến dọn cây trong sáng nay."
    officer_acts(stack, report_id, "acknowledge", note=note)

    page.goto(f"/report/{report_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(report_id)
    expect(page.get_by_test_id("owner-unit")).to_have_text("Sở Xây dựng")
    expect(page.get_by_test_id("timeline")).to_contain_text("Đã tiếp nhận")
    expect(page.get_by_test_id("timeline")).to_contain_text(note)
    deadlines = page.get_by_test_id("deadlines")
    expect(deadlines.get_by_role("row", name=re.compile("Tiếp nhận"))).to_contain_text("Đúng hạn")
    expect(deadlines.get_by_role("row", name=re.compile("Giải quyết"))).to_contain_text("Đang chờ")
    expect(page.get_by_role("heading", name="Ảnh trước và sau")).to_be_visible()
    expect(page.get_by_role("region", name="Bản đồ vị trí phản ánh")).to_be_visible()
    expect(page.get_by_text("Chưa có đánh giá.")).to_be_visible()
    check_accessibility(page, "site-report")

    page.goto("/report/PA0000000NOTHERE")
    expect(page.get_by_text("Không có phản ánh công khai với mã này.")).to_be_visible()


def test_a_resolved_reports_page_shows_before_and_after_and_whether_the_fix_was_shown_on_the_spot(
        page: Page, stack):
    closed = public(stack, "/public/open-data/reports.geojson", status="CLOSED")["features"]
    by_verdict = {feature["properties"]["fix_location_verified"]: feature["properties"]["report_id"]
                  for feature in closed}
    assert {True, False} <= set(by_verdict), "the demo history resolves with after-photos with and without GPS"
    for verified, badge in ((True, "Đã xác minh vị trí"), (False, "Chưa xác minh vị trí")):
        page.goto(f"/report/{by_verdict[verified]}")
        before_after = page.get_by_test_id("before-after")
        expect(before_after.get_by_role("heading", name="Ảnh trước và sau")).to_be_visible()
        expect(before_after.get_by_test_id("fix-location")).to_contain_text(badge)
        if verified:  # verified by an after-photo, which is shown beside the reporter's
            expect(before_after.get_by_role("img", name=re.compile("Ảnh sau khi xử lý"))).not_to_have_count(0)
    check_accessibility(page, "site-report-resolved")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("fix-location")).to_contain_text("Location not verified")


def test_an_overdue_report_is_marked_on_its_page_and_in_the_list(page: Page, stack):
    # The open data filters the whole set (a feed page keeps what its one read of the index holds).
    overdue = public(stack, "/public/open-data/reports.geojson", overdue="true")["features"]
    assert overdue, "the demo history escalates some reports to the last level"
    report_id = overdue[0]["properties"]["report_id"]
    page.goto(f"/report/{report_id}")
    expect(page.locator(".report-page__status")).to_contain_text("Quá hạn")
    page.goto("/?overdue=true&view=list")
    expect(page.get_by_label("Chỉ phản ánh quá hạn")).to_be_checked()
    item = page.locator(f'li[data-report-id="{report_id}"]')
    expect(item).to_contain_text("Quá hạn")


def test_the_league_ranks_only_units_with_enough_resolved_reports(page: Page, stack):
    league = public(stack, "/public/league", period="90")
    minimum = league["min_resolved"]
    page.goto("/league")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảng xếp hạng")
    table = page.get_by_test_id("league-units")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(league["units"]))
    ranked_here = 0
    for unit in league["units"]:
        row = table.locator(f'tr[data-key="{unit["unit_id"]}"]')
        assert row.get_attribute("data-ranked") == ("true" if unit["resolved"] >= minimum else "false"), unit
        if unit["resolved"] >= minimum:
            ranked_here += 1
            expect(row.locator("td").first).to_have_text(str(unit["rank"]))
        else:
            expect(row).to_contain_text("chưa đủ số liệu để xếp hạng")
    assert ranked_here > 0 and ranked_here < len(league["units"]), "the demo ranks some units, not all"
    # The interval is written out, not only drawn.
    expect(table.locator(".league-table__ci").first).to_contain_text("khoảng tin cậy 95 %")
    expect(page.get_by_test_id("league-fields")).to_be_visible()
    # Chart.js comes in its own chunk with the trends; its table is there for whoever cannot see it.
    expect(page.get_by_test_id("trend-chart")).to_be_visible()
    expect(page.get_by_test_id("trend-table").locator("tbody tr")).to_have_count(12)
    check_accessibility(page, "site-league")

    with page.expect_request(lambda request: "/public/league?period=365" in request.url):
        page.get_by_label("Kỳ").select_option("365")
    expect(page).to_have_url(re.compile(r"/league\?period=365$"))

    page.get_by_role("link", name="Cách tính và xếp hạng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cách xếp hạng")
    expect(page.get_by_test_id("method-minimum")).to_contain_text(f"ít nhất {minimum} phản ánh")
    check_accessibility(page, "site-league-method")


def test_one_click_switches_every_page_to_english_and_it_stays(page: Page, stack):
    page.goto("/league/method")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_test_id("language-toggle").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("How the league works")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Map of reports")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Map of reports")
    check_accessibility(page, "site-map-en")
    page.get_by_test_id("language-toggle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản đồ phản ánh")


def test_the_api_reference_loads_the_spec_from_this_site_alone(page: Page, stack):
    elsewhere: list[str] = []

    def same_site_only(request: Request) -> None:
        if not request.url.startswith(stack.base_url):
            elsewhere.append(request.url)

    page.on("request", same_site_only)
    page.goto("/")
    with page.expect_response(lambda response: response.url.endswith("/openapi.json")) as spec:
        page.get_by_role("contentinfo").get_by_role("link", name="Tài liệu API").click()
    assert spec.value.ok
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/public/reports")).not_to_have_count(0)
    assert elsewhere == [], f"the reference must work offline (no CDN): {elsewhere}"
    check_accessibility(page, "site-api-reference")
    # /docs/api, the address in the footer's contract, leads to the same page.
    page.goto("/docs/api")
    expect(page).to_have_url(re.compile(r"/docs/api/index\.html$"))
    screenshot(page, "site-api-reference-docs-api")


def test_on_a_phone_the_map_downloads_only_when_scrolled_into_sight(page: Page, stack):
    # A fresh phone (no service worker precaching every built file), the map below the filters.
    phone = page.context.browser.new_context(base_url=stack.base_url, service_workers="block", locale="vi-VN",
                                             viewport={"width": 412, "height": 823})
    visitor = phone.new_page()
    requested: list[str] = []
    visitor.on("request", lambda request: requested.append(request.url))
    visitor.goto("/")
    expect(_list_items(visitor).first).to_be_visible()
    assert not [url for url in requested if "MapPanel" in url or "leaflet" in url.lower()], requested
    visitor.locator(".explore-map").scroll_into_view_if_needed()
    # The map's own markers (the legend shows the same symbols outside it).
    expect(visitor.locator(".leaflet-marker-icon").first).to_be_visible()
    assert [url for url in requested if "leaflet" in url.lower()]
    phone.close()
