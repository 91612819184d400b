"""The officers' console in the browser: the JavaScript a first visit downloads (target ≤ 250 KB
gzip), and a queue of 500 open reports rendered and then filtered in headless Chromium (target
under 1 s each).

The built console (web/dist/console, rebuilt by `make console` when stale) is served from a local
HTTP server that also stands in for the API: /officer/me, a 500-report /officer/queue in pages of
200 as the real route pages it, and an empty /public/wards. The session is one the console finds in
localStorage, as after an earlier sign-in, so no Cognito is involved.

Figures:
- initial JavaScript: the entry script and its static imports (from Vite's manifest), gzip level 9
  as a CDN would serve them; and with the queue screen's own chunk, which a signed-in officer loads next.
- render: from the start of navigation to the 500th row in the page (config, session, three
  queue pages, every row with its live clock); and from the last queue page's arrival to the 500th
  row (the rendering alone).
- filter: from choosing a state in the filter to the table showing exactly the matching rows.

The machine's two cores are shared: figures taken while other work runs are slower (the load
average is printed with them).

    python -m benchmarks.console [--runs 5]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

from benchmarks.common import REPO_ROOT, heading, median, verdict
from benchmarks.web_build import gzip_kb, manifest, static_chunks

DIST = REPO_ROOT / "web" / "dist" / "console"
CHROMIUM = Path("/usr/bin/chromium")
TARGET_INITIAL_JS_KB = 250
TARGET_RENDER_S = 1.0
QUEUE_SIZE = 500
PAGE_SIZE = 200
STATES = ("ASSIGNED", "ACKNOWLEDGED", "IN_PROGRESS")
FIELDS = ("roads", "lighting", "drainage", "waste", "trees")
CLIENT_ID = "benchclient"
OFFICER = "so_xay_dung.officer"


def build_console() -> None:
    result = subprocess.run(["make", "--no-print-directory", "console"], cwd=REPO_ROOT, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise SystemExit(f"`make console` failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def initial_scripts() -> list[Path]:
    """What the first visit runs: the entry (index.html's module script) and its static imports."""
    built = manifest(DIST)
    [entry] = [key for key, chunk in built.items() if chunk.get("isEntry")]
    return [DIST / file for file in static_chunks(built, entry)]


def queue_chunks() -> list[Path]:
    """What the queue screen adds once signed in: its lazily loaded chunk and what only it imports."""
    initial = {path.name for path in initial_scripts()}
    files = static_chunks(manifest(DIST), "src/features/queue/QueueScreen.tsx")
    return [DIST / file for file in files if Path(file).name not in initial]


def _jwt(claims: dict) -> str:
    # Padded base64: the library decodes the payload with a Buffer that wants whole quads.
    def part(value: dict) -> str:
        return base64.b64encode(json.dumps(value).encode()).decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.c2ln"


def queue_items(now: datetime) -> list[dict]:
    """500 open reports spread over states, fields, wards, deadlines (a third overdue) and escalation."""
    items = []
    for n in range(QUEUE_SIZE):
        state = STATES[n % 3]
        due = now + timedelta(hours=(n % 90) - 30)
        items.append({
            "report_id": f"PA2612{n:010d}", "version": 3, "status": state,
            "category": {"code": FIELDS[n % 5], "name": {"vi": f"Lĩnh vực {n % 5}", "en": f"Field {n % 5}"}},
            "ward_code": f"W{n % 9}", "address": f"Số {n} đường Trần Hưng Đạo",
            "description": f"Phản ánh số {n}: ổ gà sâu, nước đọng khi mưa, cần xử lý gấp trước khi có tai nạn.",
            "photo_count": 1, "transfer_count": 0, "created_at": (now - timedelta(days=n % 7)).isoformat(),
            "due_at": due.isoformat(), "past_due": due < now,
            "location": {"lat": 9.77 + (n % 50) / 2000, "lon": 105.46 + (n // 50) / 1000},
            "deadline_kind": "acknowledge" if state == "ASSIGNED" else "resolve",
            "escalation_level": 1 if due < now - timedelta(hours=12) else 0,
            "assignee": {"officer_id": OFFICER, "name": "Cán bộ"} if n % 4 == 0 else None,
        })
    return items


class StubConsole(BaseHTTPRequestHandler):
    """The built console's files, and the few API answers the queue screen asks for."""

    items: ClassVar[list[dict]] = []

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, value: dict, status: int = 200) -> None:
        self._send(status, json.dumps(value).encode(), "application/json")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/console/config.json":
            return self._json({"region": "ap-southeast-1", "userPoolId": "ap-southeast-1_bench", "clientId": CLIENT_ID,
                               "cognitoEndpoint": None, "authFlow": "USER_PASSWORD_AUTH", "tileUrl": None,
                               "tileAttribution": None})
        if url.path == "/officer/me":
            return self._json({"officer_id": OFFICER, "roles": ["officer"],
                               "unit": {"unit_id": "so_xay_dung", "name": {"vi": "Sở Xây dựng", "en": "Construction"}}})
        if url.path == "/officer/queue":
            start = int(parse_qs(url.query).get("cursor", ["0"])[0])
            page = self.items[start:start + PAGE_SIZE]
            following = start + PAGE_SIZE if start + PAGE_SIZE < len(self.items) else None
            counts = {state: sum(item["status"] == state for item in self.items) for state in STATES}
            return self._json({"unit_id": "so_xay_dung", "counts": counts, "reports": page,
                               "next_cursor": str(following) if following else None})
        if url.path == "/public/wards":
            return self._json({"type": "FeatureCollection", "features": []})
        if url.path.startswith("/console/"):
            file = (DIST / url.path.removeprefix("/console/")).resolve()
            if DIST in file.parents and file.is_file():
                kind = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}.get(file.suffix,
                                                                                              "application/octet-stream")
                return self._send(200, file.read_bytes(), kind)
            return self._send(200, (DIST / "index.html").read_bytes(), "text/html")
        return self._json({"code": "not_found", "message": {"vi": "Không có", "en": "Not found"}}, 404)


def signed_in_storage() -> str:
    """An init script leaving the tokens amazon-cognito-identity-js keeps after a sign-in."""
    expires = int(time.time()) + 3600
    claims = {"sub": OFFICER, "cognito:username": OFFICER, "exp": expires, "iat": expires - 3600, "token_use": "id"}
    prefix = f"CognitoIdentityServiceProvider.{CLIENT_ID}"
    entries = {
        f"{prefix}.LastAuthUser": OFFICER,
        f"{prefix}.{OFFICER}.idToken": _jwt(claims),
        f"{prefix}.{OFFICER}.accessToken": _jwt({**claims, "token_use": "access"}),
        f"{prefix}.{OFFICER}.refreshToken": "refresh",
        f"{prefix}.{OFFICER}.clockDrift": "0",
    }
    return "".join(f"localStorage.setItem({json.dumps(key)}, {json.dumps(value)});" for key, value in entries.items())


ROWS = "document.querySelectorAll('tr[data-report-id]').length"
FILTER_TIMING = """async (state) => {
    const select = document.querySelector('select[name="state"]');
    const expected = %d;
    const started = performance.now();
    select.value = state;
    select.dispatchEvent(new Event('change', {bubbles: true}));
    while (document.querySelectorAll('tr[data-report-id]').length !== expected) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return (performance.now() - started) / 1000;
}"""


LAST_QUEUE_PAGE = """Math.max(...performance.getEntriesByType('resource')
    .filter((entry) => entry.name.includes('/officer/queue')).map((entry) => entry.responseEnd))"""


def measure(runs: int) -> tuple[list[float], list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    StubConsole.items = queue_items(datetime.now(UTC))
    in_progress = sum(item["status"] == "IN_PROGRESS" for item in StubConsole.items)
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubConsole)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    renders, drawn, filters = [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_init_script(signed_in_storage())
                page = context.new_page()
                page.goto(f"{base}/console/")
                page.wait_for_function(f"{ROWS} === {QUEUE_SIZE}", timeout=30_000)
                shown_at = page.evaluate("performance.now()")
                arrived_at = page.evaluate(LAST_QUEUE_PAGE)
                renders.append(shown_at / 1000)
                drawn.append((shown_at - arrived_at) / 1000)
                filters.append(page.evaluate(FILTER_TIMING % in_progress, "IN_PROGRESS"))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return renders, drawn, filters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    build_console()

    heading("Console: initial JavaScript (gzip -9)")
    scripts = initial_scripts()
    initial = sum(gzip_kb(path) for path in scripts)
    for path in scripts:
        print(f"  {path.name:<40} {gzip_kb(path):7.1f} KB  ({path.stat().st_size / 1024:.1f} KB raw)")
    print(f"  initial JavaScript: {initial:.1f} KB gzip (target ≤ {TARGET_INITIAL_JS_KB} KB): "
          f"{verdict(initial <= TARGET_INITIAL_JS_KB)}")
    screen = queue_chunks()
    with_queue = initial + sum(gzip_kb(path) for path in screen)
    print(f"  with the queue screen ({', '.join(path.name for path in screen) or 'no chunk found'}): "
          f"{with_queue:.1f} KB gzip")
    every = sum(gzip_kb(path) for path in (DIST / "assets").glob("*.js"))
    print(f"  every chunk of the console together: {every:.1f} KB gzip")

    heading(f"Console: a queue of {QUEUE_SIZE} reports in headless Chromium ({runs} runs, "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    if not CHROMIUM.is_file():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    renders, drawn, filters = measure(runs)
    render, draw, filtered = median(renders), median(drawn), median(filters)
    print(f"  rendered (navigation → {QUEUE_SIZE} rows): median {render:.3f} s, worst {max(renders):.3f} s "
          f"(target < {TARGET_RENDER_S} s): {verdict(render < TARGET_RENDER_S)}")
    print(f"  drawn (last queue page received → {QUEUE_SIZE} rows): median {draw:.3f} s, worst {max(drawn):.3f} s "
          f"(target < {TARGET_RENDER_S} s): {verdict(draw < TARGET_RENDER_S)}")
    print(f"  filtered (state filter → matching rows): median {filtered:.3f} s, worst {max(filters):.3f} s "
          f"(target < {TARGET_RENDER_S} s): {verdict(filtered < TARGET_RENDER_S)}")


if __name__ == "__main__":
    main()
