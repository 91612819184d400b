"""What the browser tests do again and again: sign in through the console's form, check a screen with
axe-core, keep a screenshot, file a report as a citizen would.

The fixtures (tests/browser/conftest.py) give each test a `page` of Debian's Chromium on the local
stack that `make dev` starts (`stack`), with the console built first.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from local_stack_runner import wait_until
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from phananh_local.identities import DEMO_PASSWORD, fresh_totp_code, local_totp_secret

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE_SCRIPT = REPO_ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
VI_THANH = {"lat": 9.779, "lon": 105.47}
SIGN_IN_PATH = "/console/sign-in"
FORM_WAIT_MS = 5_000


def screenshot(page: Page, name: str) -> Path:
    """The whole page as tests/browser/artifacts/<name>.png (kept after the run, gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now.

    Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern
    (a <script> tag would be refused by it, as it should be)."""
    if not AXE_SCRIPT.is_file():
        raise AssertionError(f"{AXE_SCRIPT} is missing: cd web && npm ci (axe-core is a dev dependency)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return result["violations"]


def accessibility_summary(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def check_accessibility(page: Page, screen: str) -> None:
    """Fails on any serious or critical axe-core violation of `screen`, listing each with where it is;
    keeps a screenshot of the screen either way."""
    screenshot(page, screen)
    blocking = [violation for violation in axe_violations(page) if violation["impact"] in BLOCKING_IMPACTS]
    if blocking:
        raise AssertionError(
            f"axe-core: {len(blocking)} serious/critical accessibility violation(s) on {screen}:\n"
            + accessibility_summary(blocking)
        )


def _sign_in_step(page: Page, asked: set[str], limit_s: float) -> str:
    """What the form asks next: "new_password", "totp", or "done" once the console has left the form."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        for name in ("new_password", "totp"):
            if name not in asked and page.locator(f'input[name="{name}"]').is_visible():
                return name
        if SIGN_IN_PATH not in page.url and not page.locator('input[name="password"]').is_visible():
            return "done"
        page.wait_for_timeout(100)
    alerts = page.get_by_role("alert").all_inner_texts()
    screenshot(page, "sign-in-stuck")
    raise AssertionError(f"the sign-in did not finish (at {page.url}); the page says: {alerts}")


def sign_in(
    page: Page, officer_id: str, *, password: str = DEMO_PASSWORD, new_password: str | None = None,
    limit_s: float = 15,
) -> None:
    """Signs in through the console's form (the one the current page shows, e.g. after opening a deep link
    signed out, else /console/sign-in's):
    the username and password, then a new password when the pool asks for one (first sign-in), then
    the authenticator code when it asks for one (locally: moto's one TOTP secret)."""
    username = page.locator('input[name="username"]')
    if page.url.startswith("about:"):
        page.goto(SIGN_IN_PATH)
    try:
        # A screen opened signed out (a deep link) shows the form itself, keeping where it was going.
        username.wait_for(state="visible", timeout=FORM_WAIT_MS)
    except PlaywrightTimeoutError:
        page.goto(SIGN_IN_PATH)
    username.fill(officer_id)
    page.locator('input[name="password"]').fill(password)
    page.locator('button[type="submit"]').click()
    asked: set[str] = set()
    while (step := _sign_in_step(page, asked, limit_s)) != "done":
        asked.add(step)
        if step == "new_password":
            if new_password is None:
                raise AssertionError(f"{officer_id} must set a new password: pass new_password=")
            page.locator('input[name="new_password"]').fill(new_password)
        else:
            page.locator('input[name="totp"]').fill(fresh_totp_code(local_totp_secret()))
        page.locator('button[type="submit"]').click()


def file_report(base_url: str, *, category: str = "roads", description: str = "Ổ gà lớn trước chợ Vị Thanh",
                location: dict | None = None, routed: bool = True, **fields: Any) -> dict[str, Any]:
    """A citizen's report through the public API, as the mobile app files it; by default waits until it
    is routed (ASSIGNED to its unit: `roads` at Vị Thanh goes to so_xay_dung). Returns the receipt
    (report_id, tracking_token, …)."""
    body = {"category": category, "description": description, "location": location or VI_THANH, **fields}
    response = requests.post(
        f"{base_url}/reports", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=10
    )
    assert response.status_code == 201, response.text
    receipt = response.json()
    if routed:
        wait_until(lambda: reporter_view(base_url, receipt)["status"] == "ASSIGNED")
    return receipt


def reporter_view(base_url: str, receipt: dict[str, Any]) -> dict[str, Any]:
    """The report as its reporter sees it (with the tracking token)."""
    response = requests.get(
        f"{base_url}/reports/{receipt['report_id']}",
        headers={"Authorization": f"Bearer {receipt['tracking_token']}"}, timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


@dataclass
class PageRecord:
    """What a page said while a test drove it: its console lines and its CSP violations, across
    navigations (the violations are reported from the page through a binding, which the CSP does not
    govern)."""

    console: list[str] = field(default_factory=list)
    csp_violations: list[dict[str, Any]] = field(default_factory=list)


_RECORDS: dict[Page, PageRecord] = {}
_REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => window.__phananhCspViolation({
  directive: event.effectiveDirective, blocked: event.blockedURI, source: event.sourceFile, line: event.lineNumber,
}));
"""


def record(page: Page) -> PageRecord:
    """Starts recording the page's console and CSP violations (the `page` fixture does it)."""
    entry = _RECORDS[page] = PageRecord()
    page.on("console", lambda message: entry.console.append(f"{message.type}: {message.text}"))
    page.expose_function("__phananhCspViolation", lambda violation: entry.csp_violations.append(violation))
    page.add_init_script(_REPORT_CSP_VIOLATIONS)
    page.on("close", lambda closed: _RECORDS.pop(closed, None))
    return entry


def page_record(page: Page) -> PageRecord:
    """What the page said so far (its console lines, its CSP violations)."""
    return _RECORDS[page]
