"""The browser tests' fixtures: the web apps built (as `make web` builds them), the local stack that
`make dev` starts, Debian's Chromium driven by Playwright, and a fresh page per test.

The page's Content-Security-Policy holds on every screen: a test whose page reported a violation
fails at its teardown, with the violations listed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser.harness import ARTIFACTS, REPO_ROOT, record, screenshot
from local_stack_runner import LocalStack, running_stack
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
DEFAULT_TIMEOUT_MS = 10_000
# What an `expect` waits for at most. The figures screens (the dashboard, the league tables) read a
# scorecard query per unit and field: on moto that is tens of calls of tens of milliseconds each, a
# few seconds, more on a machine busy with other work (in the cloud, well under one). A check that
# holds passes as soon as it does; only a failing one waits this long.
EXPECT_TIMEOUT_MS = 20_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    # The `page` fixture's teardown reads it: a failed test leaves a screenshot of where it stopped.
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="session", autouse=True)
def fresh_artifacts() -> None:
    """tests/browser/artifacts holds this run's screenshots only."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)


@pytest.fixture(scope="session")
def web_build() -> Path:
    """web/dist (the console and the site), (re)built first when missing or older than its sources (the
    Makefile's rule)."""
    result = subprocess.run(
        ["make", "--no-print-directory", "web"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"`make web` failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return REPO_ROOT / "web" / "dist"


@pytest.fixture(scope="session")
def stack(web_build) -> Iterator[LocalStack]:
    yield from running_stack(demo_history=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium fonts-noto-core)")
    with sync_playwright() as playwright:
        # Never Playwright's own browser builds (`playwright install` downloads them): Debian's Chromium.
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, stack: LocalStack) -> Iterator[Page]:
    """A page in a context of its own (no cookies or storage from another test), on the stack's base URL,
    in Vietnamese as the console's first language."""
    context = browser.new_context(base_url=stack.base_url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    new_page = context.new_page()
    recorded = record(new_page)
    yield new_page
    if request.node.stash.get(_CALL_FAILED, False):
        screenshot(new_page, f"FAILED-{request.node.name}")
    context.close()
    if recorded.csp_violations:
        pytest.fail(f"Content-Security-Policy violations on {request.node.name}: {recorded.csp_violations}")
