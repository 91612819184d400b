"""The wards of the service area for maps in the browser (GET /public/wards): the configured
GeoJSON with its outlines thinned and its coordinates rounded, and only the properties a map labels.

The configured file carries survey-grade outlines (the Hau Giang one is 770 KB); a ward outline on a
screen needs about ten metres. Douglas–Peucker with a tolerance of 1e-4 degrees (about 11 m) and
coordinates rounded to 5 decimals (about 1 m) keep every ward recognisable at a fraction of the
size. Built once per file and process, with a strong ETag over the bytes sent.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from phananh.routing.geo import load_wards

TOLERANCE_DEG = 1e-4
DECIMALS = 5
# A closed ring needs four positions (the first repeated last).
_RING_MIN = 4

Point = tuple[float, float]


@dataclass(frozen=True)
class WardMap:
    body: str
    etag: str


def thin(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: the fewest of `points` (the first and last always kept) such that no point
    left out lies farther than `tolerance` from the line kept. Iterative, so a long ring cannot
    exhaust the recursion limit."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            offset = _distance_to_segment(points[index], points[first], points[last])
            if offset > distance:
                farthest, distance = index, offset
        if farthest is not None:
            keep[farthest] = True
            spans += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _distance_to_segment(point: Point, start: Point, end: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    length_sq = dx * dx + dy * dy
    if length_sq == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    along = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / length_sq))
    return ((x - x1 - along * dx) ** 2 + (y - y1 - along * dy) ** 2) ** 0.5


def simplify_ring(ring: Sequence[Sequence[float]], tolerance: float = TOLERANCE_DEG) -> list[list[float]] | None:
    """A ring thinned and rounded, still closed; None when too little of it is left to draw."""
    rounded: list[Point] = []
    for position in ring:
        point = (round(float(position[0]), DECIMALS), round(float(position[1]), DECIMALS))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    # A closed ring is thinned as two halves, so that its first point does not stay just because it is first.
    if len(rounded) >= _RING_MIN and rounded[0] == rounded[-1]:
        middle = len(rounded) // 2
        thinned = thin(rounded[: middle + 1], tolerance)[:-1] + thin(rounded[middle:], tolerance)
    else:
        thinned = thin(rounded, tolerance)
    if len(thinned) < _RING_MIN or thinned[0] != thinned[-1]:
        return None
    return [list(point) for point in thinned]


def simplify_geometry(geometry: Mapping[str, Any], tolerance: float = TOLERANCE_DEG) -> dict[str, Any]:
    """A (Multi)Polygon thinned ring by ring: holes that vanish are left out, and a polygon whose
    outer ring would vanish keeps that ring only rounded (a small island stays on the map)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    simplified = []
    for shell, *holes in polygons:
        outer = simplify_ring(shell, tolerance) or simplify_ring(shell, 0.0)
        if outer is None:
            continue
        simplified.append([outer, *(ring for ring in (simplify_ring(hole, tolerance) for hole in holes) if ring)])
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": simplified}
    return {"type": "Polygon", "coordinates": simplified[0]}


def ward_map(path: str | os.PathLike[str]) -> WardMap:
    """The web copy of the configured wards, built once per file and process."""
    return _ward_map(os.fspath(Path(path).resolve()))


@cache
def _ward_map(path: str) -> WardMap:
    wards = load_wards(path)
    features = []
    for ward in wards.all():
        properties, geometry = wards.outline(ward.code)
        features.append({
            "type": "Feature",
            "properties": {
                "code": ward.code,
                "name": properties.get("name") or ward.short_name,
                "nameEn": properties.get("nameEn") or ward.name["en"],
            },
            "geometry": simplify_geometry(geometry),
        })
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    return WardMap(body=body, etag=f'"{hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]}"')


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names this ETag (a list, `*`, or a weak form of it)."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags
