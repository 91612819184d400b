"""Geohash cells: nearby reports are found by looking up a cell and its eight neighbours.

At 7 characters a cell is about 153 m × 153 m near the equator, so every point within ~150 m of
a report lies in its cell or one of the neighbours: enough to catch duplicates within 50 m.
"""

from __future__ import annotations

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
