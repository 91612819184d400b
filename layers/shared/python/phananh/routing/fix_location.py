"""Proof of fix: whether an after-photo was taken where the problem was reported.

The after-photo's own GPS is read before the photo check strips it (as for the reporter's photos,
phananh.routing.photos) and compared here with the report's point; only the verdict is kept on the
result, never the position the officer's phone wrote.
"""

from __future__ import annotations

from phananh.report.model import Location
from phananh.routing.geo import haversine_m

# A phone's GPS is good to a few tens of metres in a street; 100 m still tells the right block.
FIX_LOCATION_RADIUS_M = 100.0


def taken_at_report_point(report_point: Location | None, photo_gps: tuple[float, float] | None) -> bool:
    """True when the after-photo's GPS lies within FIX_LOCATION_RADIUS_M of the report's point; False
    when either is missing (a photo without GPS proves nothing about where it was taken)."""
    if report_point is None or photo_gps is None:
        return False
    return haversine_m(report_point.lat, report_point.lon, *photo_gps) <= FIX_LOCATION_RADIUS_M
