"""Latitude bands: how the nearby reports of a field are found in a few index queries.

The `nearby_band` index files each report still being handled under its field and the band of
latitude it lies in, sorted by its longitude. A search around a point reads, in each band its
circle touches, the longitudes the circle spans: one query per band. A band is 0.015° (~1.7 km)
high, more than the widest circle searched is across (the public's "is it one of these?": 500 m
plus the 100 m a photo's point may be moved by rounding, 1.2 km across), so any search touches one
band, or two near a band's edge. A band much higher would make each query read more reports outside
the circle; a lower one, more queries. (Geohash cells, before, took nine queries: a point's cell
and its eight neighbours.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from phananh.routing.geo import METRES_PER_DEGREE

BAND_DEG = 0.015


def band_key(category_code: str, lat: float) -> str:
    """The index partition of a report of this field at this latitude."""
    return f"{category_code}#{math.floor(lat / BAND_DEG)}"


def lon_key(lon: float) -> str:
    """The index sort key of a report at this longitude: offset by 180° and zero-padded so that the
    text sorts as the number does (six decimals, ~0.1 m)."""
    return f"{lon + 180:010.6f}"


@dataclass(frozen=True)
class BandWindow:
    """One query of a search: a band's reports with a longitude key from `lon_from` to `lon_to`."""

    band: str
    lon_from: str
    lon_to: str


def _lon_spans(lon: float, d_lon: float) -> list[tuple[float, float]]:
    """The longitudes from lon - d_lon to lon + d_lon, split where they cross the antimeridian."""
    if d_lon >= 180:
        return [(-180.0, 180.0)]
    west, east = lon - d_lon, lon + d_lon
    if west < -180:
        return [(-180.0, east), (west + 360, 180.0)]
    if east > 180:
        return [(west, 180.0), (-180.0, east - 360)]
    return [(west, east)]


def windows(category_code: str, lat: float, lon: float, radius_m: float) -> list[BandWindow]:
    """The queries that find every report of the field within `radius_m` of (lat, lon), and a few
    more around the circle (its bounding box): the caller measures the distances."""
    d_lat = radius_m / METRES_PER_DEGREE
    south, north = max(lat - d_lat, -90.0), min(lat + d_lat, 90.0)
    # The circle is widest in longitude a little poleward of its centre: the cosine at its poleward
    # edge gives a span at least that wide.
    poleward_cos = math.cos(math.radians(min(abs(lat) + d_lat, 90.0)))
    d_lon = 180.0 if poleward_cos < 1e-9 else radius_m / (METRES_PER_DEGREE * poleward_cos)
    spans = _lon_spans(lon, d_lon)
    return [
        BandWindow(band=f"{category_code}#{band}", lon_from=lon_key(west), lon_to=lon_key(east))
        for band in range(math.floor(south / BAND_DEG), math.floor(north / BAND_DEG) + 1)
        for west, east in spans
    ]
