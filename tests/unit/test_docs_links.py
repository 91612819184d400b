"""The README stays a newcomer's page, and no link in it or in docs/ leads nowhere."""

import re
from collections import Counter
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
README_MAX_LINES = 160

FENCED_BLOCK = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.DOTALL | re.MULTILINE)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def prose(path: Path) -> str:
    """The page without its code: a link-like text inside code is an example, not a link."""
    return FENCED_BLOCK.sub("", path.read_text(encoding="utf-8"))


def relative_links(path: Path) -> list[str]:
    return [target for target in LINK.findall(CODE_SPAN.sub("", prose(path))) if not EXTERNAL.match(target)]


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces as
    hyphens, and a repeated heading numbered from its second use."""
    seen: Counter[str] = Counter()
    result = set()
    for heading in HEADING.findall(prose(path)):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        result.add(f"{slug}-{seen[slug]}" if seen[slug] else slug)
        seen[slug] += 1
    return result


@pytest.mark.parametrize("page", PAGES, ids=[str(page.relative_to(REPO_ROOT)) for page in PAGES])
def test_every_relative_link_leads_to_a_file_and_heading_in_the_repository(page):
    broken = []
    for target in relative_links(page):
        file_part, _, anchor = target.partition("#")
        destination = (page.parent / file_part).resolve() if file_part else page
        if not destination.is_relative_to(REPO_ROOT) or not destination.exists():
            broken.append(f"{target}: no such file in the repository")
        elif anchor and (destination.suffix != ".md" or anchor not in anchors(destination)):
            broken.append(f"{target}: no heading #{anchor} in {destination.relative_to(REPO_ROOT)}")
    assert not broken, f"{page.relative_to(REPO_ROOT)} has broken links:\n" + "\n".join(broken)


def test_the_readme_links_every_page_of_docs():
    linked = {(README.parent / target.partition("#")[0]).resolve() for target in relative_links(README)}
    unlinked = [page.name for page in DOCS.glob("*.md") if page.resolve() not in linked]
    assert not unlinked, f"docs pages the README does not link: {unlinked}"


def test_the_readme_stays_a_short_page():
    lines = len(README.read_text(encoding="utf-8").splitlines())
    assert lines < README_MAX_LINES, f"README.md has {lines} lines; move detail into docs/"


def test_anchors_are_the_ones_github_renders(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# `POST /reports` — file a report\n"
        "## Personal data (Law 2025, Decree 13/2023)\n"
        "## Tiếp nhận\n## Tiếp nhận\n"
        "```sh\n# a comment in code is no heading\n```\n",
        encoding="utf-8",
    )
    assert anchors(page) == {
        "post-reports--file-a-report", "personal-data-law-2025-decree-132023", "tiếp-nhận", "tiếp-nhận-1",
    }
