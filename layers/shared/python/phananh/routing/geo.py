"""Administrative units of the service area (two-tier system, from 1 July 2025) and locating a
reported point in them.

The wards are the features of a configured GeoJSON file (a deploying province brings its own);
each feature's `properties.code` (or `id`) is the statistics-office (NSO) ward code. Vietnamese
names and centre points come from the `vietnamadminunits` package's bundled database, joined on
that code; it has no English names, so those come from the GeoJSON (`fullNameEn`).

Shapely and the database are loaded on first use only: importing this module stays cheap for
the functions that never locate a point.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from phananh.shared.errors import Text, bilingual

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180
_AREA_TYPES = frozenset({"Polygon", "MultiPolygon"})


class WardDataError(RuntimeError):
    """The configured ward boundaries (or the names database) cannot be used."""


@dataclass(frozen=True)
class Ward:
    code: str
    name: Text = field(hash=False)
    short_name: str
    ward_type: str
    province_code: str
    centre: tuple[float, float]


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_chord = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(half_chord))


def snap_to_grid(lat: float, lon: float, cell_m: float) -> tuple[float, float]:
    """The centre of the grid cell (about `cell_m` metres square) that holds the point.

    Deterministic: every point of a cell gives the same centre, however often it is asked, so
    repeated reads cannot be averaged back to the point. Rows are cut in latitude, and each row's
    cells in longitude as wide as `cell_m` at the row's middle latitude.
    """
    lat_step = cell_m / METRES_PER_DEGREE
    row_lat = (math.floor(lat / lat_step) + 0.5) * lat_step
    lon_step = cell_m / (METRES_PER_DEGREE * math.cos(math.radians(row_lat)))
    cell_lon = (math.floor(lon / lon_step) + 0.5) * lon_step
    return round(row_lat, 6), round(cell_lon, 6)


class _SpatialIndex:
    """Ward polygons in a local equirectangular frame: x = lon·cos(lat0), y = lat, where lat0 is
    the middle latitude of the service area. In that frame one unit is METRES_PER_DEGREE metres
    in every direction, so distances in metres need no projection library. Across a province
    (about 1° of latitude around 10°N) cos(lat) varies by under 0.4%, i.e. a few metres on a
    margin of a few kilometres. Scaling x keeps point-in-polygon answers exact."""

    def __init__(self, geometries: list[Mapping[str, Any]]):
        import numpy as np
        import shapely

        try:
            # Rings go to shapely as numpy arrays: several times faster than shapely's shape().
            areas = [
                [[np.asarray(ring, dtype=float)[:, :2] for ring in polygon] for polygon in _polygons(geometry)]
                for geometry in geometries
            ]
            latitudes = np.concatenate([ring[:, 1] for area in areas for polygon in area for ring in polygon])
            self.lon_scale = math.cos(math.radians((latitudes.min() + latitudes.max()) / 2))
            scale = np.array([self.lon_scale, 1.0])
            polygons = [
                shapely.MultiPolygon(
                    [shapely.Polygon(shell * scale, [hole * scale for hole in holes]) for shell, *holes in area]
                )
                for area in areas
            ]
        except (ValueError, TypeError, IndexError, shapely.errors.ShapelyError) as exc:
            raise WardDataError(f"invalid ward geometry: {exc}") from exc
        self.tree = shapely.STRtree(polygons)
        self._point = shapely.Point

    def point(self, lat: float, lon: float) -> Any:
        return self._point(lon * self.lon_scale, lat)


def _polygons(geometry: Mapping[str, Any]) -> list[Any]:
    coordinates = geometry["coordinates"]
    return coordinates if geometry["type"] == "MultiPolygon" else [coordinates]


class WardDirectory:
    """The wards of the service area. Build it with `load_wards`, which caches it per file."""

    def __init__(self, wards: Iterable[Ward], geometries: Mapping[str, Mapping[str, Any]],
                 properties: Mapping[str, Mapping[str, Any]] | None = None):
        self._wards = tuple(sorted(wards, key=lambda ward: ward.code))
        self._by_code = {ward.code: ward for ward in self._wards}
        if len(self._by_code) != len(self._wards):
            raise WardDataError("duplicate ward codes")
        unmatched = set(self._by_code) ^ set(geometries)
        if unmatched:
            raise WardDataError(f"wards and geometries differ on codes: {sorted(unmatched)}")
        self._geometries = geometries
        self._properties = properties or {}

    @cached_property
    def _index(self) -> _SpatialIndex:
        return _SpatialIndex([self._geometries[ward.code] for ward in self._wards])

    def get(self, code: str) -> Ward | None:
        return self._by_code.get(code)

    def all(self) -> tuple[Ward, ...]:
        return self._wards

    def outline(self, code: str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
        """A ward's (properties, geometry) as the configured file has them."""
        return self._properties.get(code, {}), self._geometries[code]

    def locate(self, lat: float, lon: float) -> Ward | None:
        """The ward whose polygon holds the point. A point exactly on a shared border goes to
        the lower ward code, so the answer never depends on index order."""
        if not _finite(lat, lon):
            return None
        hits = self._index.tree.query(self._index.point(lat, lon), predicate="intersects")
        return self._wards[int(hits.min())] if len(hits) else None

    def nearest(self, lat: float, lon: float, max_distance_m: float) -> tuple[Ward, float] | None:
        """The ward with the nearest centre point and the distance to it in metres, if within
        `max_distance_m`."""
        if not _finite(lat, lon):
            return None
        best = min(
            ((ward, haversine_m(lat, lon, *ward.centre)) for ward in self._wards),
            key=lambda pair: pair[1],
            default=None,
        )
        return best if best is not None and best[1] <= max_distance_m else None

    def within_service_area(self, lat: float, lon: float, margin_m: float = 0.0) -> bool:
        """Whether the point lies in one of the wards or at most `margin_m` metres from one
        (distance measured in the index's local metric frame, see _SpatialIndex)."""
        if margin_m < 0:
            raise ValueError("margin_m must not be negative")
        if not _finite(lat, lon):
            return False
        hits = self._index.tree.query(
            self._index.point(lat, lon),
            predicate="dwithin",
            distance=margin_m / METRES_PER_DEGREE,
        )
        return len(hits) > 0


def _finite(lat: float, lon: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lon)


def load_wards(path: str | os.PathLike[str]) -> WardDirectory:
    """The wards of a GeoJSON FeatureCollection, read once per file and process."""
    return _load_wards(os.fspath(Path(path).resolve()))


@cache
def _load_wards(path: str) -> WardDirectory:
    features = _read_features(Path(path))
    names = _package_names(list(features))
    unknown = sorted(set(features) - set(names))
    if unknown:
        raise WardDataError(f"{path}: ward codes unknown to vietnamadminunits (update it?): {unknown}")
    wards = [_ward(code, names[code], props) for code, (props, _) in features.items()]
    return WardDirectory(
        wards,
        {code: geometry for code, (_, geometry) in features.items()},
        {code: props for code, (props, _) in features.items()},
    )


def _read_features(path: Path) -> dict[str, tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """(properties, geometry) by ward code."""
    try:
        document = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise WardDataError(f"ward boundaries file not found: {path}") from None
    except (OSError, ValueError) as exc:
        raise WardDataError(f"cannot read ward boundaries from {path}: {exc}") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise WardDataError(f"{path}: not a GeoJSON FeatureCollection")
    features: dict[str, tuple[Mapping[str, Any], Mapping[str, Any]]] = {}
    for position, feature in enumerate(document.get("features") or ()):
        if not isinstance(feature, dict):
            raise WardDataError(f"{path}: feature {position} is not a GeoJSON Feature")
        properties = feature.get("properties") or {}
        code = str(properties.get("code") or feature.get("id") or "")
        geometry = feature.get("geometry") or {}
        if not code or geometry.get("type") not in _AREA_TYPES:
            raise WardDataError(f"{path}: feature {position} needs a ward code and a polygon")
        if code in features:
            raise WardDataError(f"{path}: ward code {code} appears twice")
        features[code] = (properties, geometry)
    if not features:
        raise WardDataError(f"{path}: no ward features")
    return features


def _package_names(codes: list[str]) -> dict[str, tuple[Any, ...]]:
    """Rows (wardCode, ward, wardShort, wardType, provinceCode, wardLat, wardLon) by code, read
    from the package's sqlite file: importing the package itself would load all its data."""
    import sqlite3

    database = _package_database()
    query = (
        "SELECT wardCode, ward, wardShort, wardType, provinceCode, wardLat, wardLon"
        " FROM admin_units WHERE wardCode IN (SELECT value FROM json_each(?))"
    )
    try:
        with closing(sqlite3.connect(database.as_uri() + "?mode=ro", uri=True)) as connection:
            return {row[0]: row for row in connection.execute(query, (json.dumps(codes),))}
    except sqlite3.Error as exc:
        raise WardDataError(f"cannot read ward names from {database}: {exc}") from exc


def _package_database() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    folders = (spec.submodule_search_locations if spec else None) or ()
    for folder in folders:
        database = Path(folder) / "data" / "dataset.db"
        if database.is_file():
            return database
    raise WardDataError("the vietnamadminunits package (ward names) is not installed")


def _ward(code: str, row: tuple[Any, ...], properties: Mapping[str, Any]) -> Ward:
    _, full_name, short_name, ward_type, province_code, lat, lon = row
    return Ward(
        code=code,
        name=bilingual(full_name, properties.get("fullNameEn") or full_name),
        short_name=short_name,
        ward_type=ward_type.lower(),
        province_code=province_code,
        centre=(lat, lon),
    )
