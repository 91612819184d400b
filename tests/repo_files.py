"""Where the tests find the repository and the province's reference data (kept beside it in shared/)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
WARDS_FILE = SHARED_DATA / "geo" / "hau_giang_area_2025_wards.geojson"
