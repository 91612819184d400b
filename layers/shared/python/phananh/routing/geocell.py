"""Geohash cells: nearby reports are found by looking up a cell and its eight neighbours.

At 7 characters a cell is about 153 m × 153 m near the equator, so every point within ~150 m of
a report lies in its cell or one of the neighbours: enough to catch duplicates within 50 m. A wider
search (the public's "is it one of these?", up to 500 m) looks up every cell its circle touches.
"""

from __future__ import annotations

import math

from phananh.routing.geo import METRES_PER_DEGREE

_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
PRECISION = 7


def encode(lat: float, lon: float, precision: int = PRECISION) -> str:
    lat_range, lon_range = [-90.0, 90.0], [-180.0, 180.0]
    cell, bits, bit_count, use_lon = [], 0, 0, True
    while len(cell) < precision:
        value, bounds = (lon, lon_range) if use_lon else (lat, lat_range)
        middle = (bounds[0] + bounds[1]) / 2
        bits <<= 1
        if value >= middle:
            bits |= 1
            bounds[0] = middle
        else:
            bounds[1] = middle
        use_lon = not use_lon
        bit_count += 1
        if bit_count == 5:
            cell.append(_BASE32[bits])
            bits, bit_count = 0, 0
    return "".join(cell)


def cell_size(precision: int = PRECISION) -> tuple[float, float]:
    """(height, width) of a cell in degrees."""
    lon_bits = (5 * precision + 1) // 2
    lat_bits = 5 * precision // 2
    return 180.0 / 2**lat_bits, 360.0 / 2**lon_bits


def neighbourhood(lat: float, lon: float, precision: int = PRECISION) -> list[str]:
    """The cell of (lat, lon) and the eight around it."""
    height, width = cell_size(precision)
    cells = {
        encode(lat + d_lat * height, lon + d_lon * width, precision)
        for d_lat in (-1, 0, 1)
        for d_lon in (-1, 0, 1)
    }
    return sorted(cells)


def cells_within(lat: float, lon: float, radius_m: float, precision: int = PRECISION) -> list[str]:
    """Every cell that the circle of `radius_m` around (lat, lon) touches: the cells of the square
    around it (a few more than needed at the corners, never one less)."""
    height, width = cell_size(precision)
    d_lat = radius_m / METRES_PER_DEGREE
    d_lon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6))
    rows = range(math.floor((lat - d_lat + 90) / height), math.floor((lat + d_lat + 90) / height) + 1)
    columns = range(math.floor((lon - d_lon + 180) / width), math.floor((lon + d_lon + 180) / width) + 1)
    cells = {
        encode(min((row + 0.5) * height - 90, 90.0), ((column + 0.5) * width) % 360 - 180, precision)
        for row in rows
        for column in columns
    }
    return sorted(cells)


def cells_around(lat: float, lon: float, radius_m: float | None = None) -> list[str]:
    """The cells a search around (lat, lon) looks up: the neighbourhood, or the cells within `radius_m`."""
    return neighbourhood(lat, lon) if radius_m is None else cells_within(lat, lon, radius_m)
