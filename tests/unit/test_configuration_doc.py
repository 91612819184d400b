"""docs/configuration.md names every setting the functions read: a new Settings field without a line
there fails here, with the variable to document."""

import re
from dataclasses import fields
from pathlib import Path

from phananh.shared.settings import ENV_PREFIX, Settings

CONFIGURATION = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_every_setting_is_documented():
    page = CONFIGURATION.read_text(encoding="utf-8")
    # The table shortens a run of similar names as `PHANANH_REPORTS_TABLE`, `…_AUDIT_TABLE`.
    undocumented = [
        ENV_PREFIX + field.name.upper() for field in fields(Settings)
        if not re.search(rf"`(?:{ENV_PREFIX}|…_){field.name.upper()}`", page)
    ]
    assert not undocumented, f"{CONFIGURATION.name} does not describe {undocumented}"
