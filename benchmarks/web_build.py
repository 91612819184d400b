"""What the web apps' benchmarks read of a Vite build (web/dist/<app>): its manifest, the chunks a
chunk loads before it runs, and a file's size as it travels (gzip level 9)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


def gzip_kb(path: Path) -> float:
    return len(gzip.compress(path.read_bytes(), compresslevel=9)) / 1024


def manifest(dist: Path) -> dict:
    return json.loads((dist / ".vite" / "manifest.json").read_text(encoding="utf-8"))


def static_chunks(manifest: dict, key: str, seen: set[str] | None = None) -> list[str]:
    """A chunk's file and, recursively, those it imports statically (what the browser fetches before
    running it); a chunk in `seen` is left out, so sharing one set across entries lists each file once."""
    seen = set() if seen is None else seen
    if key in seen:
        return []
    seen.add(key)
    entry = manifest[key]
    found = [entry["file"]]
    for imported in entry.get("imports", []):
        found += static_chunks(manifest, imported, seen)
    return found
