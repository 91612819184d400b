"""The open-data page in Chromium against the local stack: the CSV and GeoJSON downloads of the map's
filters parse, hold the published reports and none of a reporter's personal data (the privacy canary:
a phone, an e-mail and a device id given with a report); the daily snapshots and the data dictionary
are listed; axe-core finds nothing serious."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

from browser.harness import check_accessibility
from browser.site_flows import public, published_report
from playwright.sync_api import Page, expect

from phananh.shared.clock import VIETNAM

PHONE, EMAIL, DEVICE = "0939517286", "canary.site7@example.vn", "device-canary-site-3f9"
CANARIES = (PHONE, EMAIL, DEVICE)


def _download(page: Page, test_id: str) -> tuple[str, bytes]:
    with page.expect_download() as started:
        page.get_by_test_id(test_id).click()
    download = started.value
    path = download.path()
    assert path is not None, download.failure()
    return download.url, path.read_bytes()


def test_the_downloads_of_the_maps_filters_parse_and_hold_no_personal_data(page: Page, stack):
    contact = {"phone": PHONE, "email": EMAIL, "share_with_officer": False}
    receipt = published_report(stack, device_id=DEVICE, contact=contact)
    report_id = receipt["report_id"]

    # The map's filters travel to the data page in the same query string.
    page.goto("/?category=roads&status=ASSIGNED")
    page.get_by_role("link", name="Tải dữ liệu này (CSV, GeoJSON)").click()
    expect(page).to_have_url(re.compile(r"/data\?category=roads&status=ASSIGNED$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu mở")

    url, body = _download(page, "download-csv")
    assert "/public/open-data/reports.csv?category=roads&status=ASSIGNED" in url
    text = body.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {row["status"] for row in rows} == {"ASSIGNED"}
    # The canary's report is in the file, so the search below could find its details if they were there.
    assert report_id in {row["report_id"] for row in rows}

    url, body = _download(page, "download-geojson")
    assert "/public/open-data/reports.geojson?category=roads&status=ASSIGNED" in url
    collection = json.loads(body)
    assert collection["type"] == "FeatureCollection"
    features = {feature["properties"]["report_id"]: feature for feature in collection["features"]}
    assert report_id in features
    mine = features[report_id]
    assert mine["geometry"]["type"] == "Point" and len(mine["geometry"]["coordinates"]) == 2
    # Properties are the CSV's columns, one schema.
    assert set(mine["properties"]) == set(rows[0])

    leaks = [f"{canary} in {name}" for name, data in (("CSV", text), ("GeoJSON", body.decode()))
             for canary in CANARIES if canary in data]
    assert leaks == []
    check_accessibility(page, "site-data")


def test_the_data_page_lists_the_daily_snapshots_whose_files_download_and_parse_and_the_dictionary(
        page: Page, stack):
    dictionary = public(stack, "/public/open-data")
    page.goto("/data")
    table = page.get_by_test_id("dictionary")
    expect(table.locator("tbody tr")).to_have_count(len(dictionary["columns"]))
    expect(table).to_contain_text("report_id")

    # The local stack wrote a snapshot for each day of the demo history: the newest day first.
    snapshots = page.get_by_test_id("snapshots")
    expect(snapshots).to_be_visible()
    days = snapshots.locator("tbody tr")
    listed = [(row.locator("th").inner_text(), int(row.locator("td").first.inner_text())) for row in days.all()]
    assert len(listed) >= 30 and [day for day, _ in listed] == sorted((day for day, _ in listed), reverse=True)
    index = next(position for position, (_, rows) in enumerate(listed) if rows > 0)
    day, rows = listed[index]
    files = days.nth(index)

    with page.expect_download() as started:
        files.get_by_role("link", name=f"CSV {day}").click()
    assert started.value.url.endswith(f"/open-data/daily/{day}.csv")
    text = started.value.path().read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    csv_rows = list(reader)
    assert reader.fieldnames == [column["name"] for column in dictionary["columns"]]
    # Each report of the day's file was published on that day in Vietnam (UTC+7).
    assert len(csv_rows) == rows
    assert {datetime.fromisoformat(row["published_at"]).astimezone(VIETNAM).date().isoformat()
            for row in csv_rows} == {day}
    with page.expect_download() as started:
        files.get_by_role("link", name=f"GeoJSON {day}").click()
    collection = json.loads(started.value.path().read_bytes())
    assert [feature["id"] for feature in collection["features"]] == [row["report_id"] for row in csv_rows]

    contentinfo = page.get_by_role("contentinfo")
    discovery = contentinfo.get_by_role("link", name="Open311 (khám phá dịch vụ)")
    expect(discovery).to_have_attribute("href", "/open311/v2/discovery.json")
    check_accessibility(page, "site-data-dictionary")
