"""The public site in Lighthouse: the map page `/` and the reporting page `/new`, served by a local
stack (`make dev`'s, with its demo history) as the edge serves them, measured by Lighthouse 12.2.3
(benchmarks/lighthouse, installed with `npm ci` when missing) in Debian's chromium with Lighthouse's
mobile emulation (a mid-range phone, throttled "slow 4G" network and 4x CPU slowdown).

Figures per page, against the issue's targets (a miss is reported, not a failure):
- performance ≥ 90, accessibility ≥ 95, best practices ≥ 95 (Lighthouse's scores, 0–100; the median
  of the runs);
- initial JavaScript, gzip -9 as the CDN serves it: the site's entry script and its static imports
  (web/dist/site/.vite/manifest.json) plus every other built script the page loaded before Lighthouse
  finished (its network requests); target ≤ 150 KB for /new.

The machine's two cores are shared: performance taken while other work runs is lower (the load average
is printed with it).

    python -m benchmarks.site [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

from benchmarks.common import REPO_ROOT, heading, median, verdict
from benchmarks.web_build import gzip_kb, manifest, static_chunks

DIST = REPO_ROOT / "web" / "dist" / "site"
LIGHTHOUSE_DIR = REPO_ROOT / "benchmarks" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGET_SCORES = {"performance": 90, "accessibility": 95, "best-practices": 95}
PAGES = {"/": "the map", "/new": "web reporting"}
# The reporting page must stay light enough for a cheap phone on a slow network.
TARGET_INITIAL_JS_KB = {"/new": 150}


def build_site() -> None:
    result = subprocess.run(["make", "--no-print-directory", "web"], cwd=REPO_ROOT, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise SystemExit(f"`make web` failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def install_lighthouse() -> None:
    if LIGHTHOUSE.is_file():
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, check=True)


def entry_scripts() -> list[str]:
    """The built files every page of the site loads first, relative to web/dist/site."""
    built = manifest(DIST)
    seen: set[str] = set()
    return [file for key, chunk in built.items() if chunk.get("isEntry") for file in static_chunks(built, key, seen)]


# The performance score's metrics, as Lighthouse names its audits, and how each is shown.
METRICS = {
    "first-contentful-paint": ("FCP", "ms"), "largest-contentful-paint": ("LCP", "ms"),
    "total-blocking-time": ("TBT", "ms"), "speed-index": ("SI", "ms"), "cumulative-layout-shift": ("CLS", ""),
}


@dataclass
class PageFigures:
    scores: dict[str, float]
    scripts: list[str]
    metrics: dict[str, float]


def lighthouse(url: str) -> PageFigures:
    """One Lighthouse run (mobile emulation, its default): the categories' scores and the site's scripts loaded."""
    command = [
        str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300,
                            env={**os.environ, "CHROME_PATH": CHROMIUM})
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout)
    if report.get("runtimeError"):
        raise SystemExit(f"lighthouse could not load {url}: {report['runtimeError']}")
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    requests = report["audits"]["network-requests"]["details"]["items"]
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    scripts = [urlsplit(item["url"]).path.lstrip("/") for item in requests
               if item.get("resourceType") == "Script" and item["url"].startswith(origin)]
    metrics = {name: report["audits"][name]["numericValue"] for name in METRICS}
    return PageFigures(scores, scripts, metrics)


def initial_js_kb(loaded: list[str]) -> tuple[float, list[str]]:
    files = list(dict.fromkeys([*entry_scripts(), *(file for file in loaded if (DIST / file).is_file())]))
    return sum(gzip_kb(DIST / file) for file in files), files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    runs = parser.parse_args().runs
    build_site()
    install_lighthouse()
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from local_stack_runner import STARTUP_LIMIT_S, LocalStack

    stack = LocalStack()
    try:
        stack.wait_for(r"Ready in", STARTUP_LIMIT_S)
        for path, name in PAGES.items():
            heading(f"Site: {path} ({name}), Lighthouse 12.2.3 mobile, {runs} run(s), "
                    f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            figures = [lighthouse(stack.base_url + path) for _ in range(runs)]
            for category in CATEGORIES:
                score = median([figure.scores[category] for figure in figures])
                target = TARGET_SCORES[category]
                print(f"  {category:<15} {score:5.0f} (target ≥ {target}): {verdict(score >= target)}")
            print("  " + ", ".join(
                f"{label} {median([figure.metrics[name] for figure in figures]):.{0 if unit else 3}f}{unit}"
                for name, (label, unit) in METRICS.items()
            ) + " (simulated slow 4G, 4x CPU slowdown)")
            total, files = initial_js_kb(figures[0].scripts)
            for file in files:
                print(f"    {file:<50} {gzip_kb(DIST / file):7.1f} KB gzip")
            target_kb = TARGET_INITIAL_JS_KB.get(path)
            measured = f"  initial JavaScript: {total:.1f} KB gzip"
            print(measured + (f" (target ≤ {target_kb} KB): {verdict(total <= target_kb)}" if target_kb else ""))
    finally:
        stack.shut_down()


if __name__ == "__main__":
    main()
