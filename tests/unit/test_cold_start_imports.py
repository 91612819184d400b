"""What each app pulls in when Lambda first imports it: heavy libraries only where a path needs them."""

from import_probe import modules_loaded_by

HEAVY = ("PIL", "pillow_heif", "shapely", "numpy", "holidays", "aws_xray_sdk", "aws_cdk", "moto")


def heavy_at_start_of(app: str) -> set[str]:
    return modules_loaded_by(f"from phananh_local.apps import load_chalice_app; load_chalice_app({app!r})", HEAVY)


def test_the_citizen_api_starts_without_image_geometry_or_calendar_libraries():
    assert heavy_at_start_of("submit") == set()


def test_the_route_function_never_loads_pillow_at_start():
    assert heavy_at_start_of("route") == set()


def test_the_rate_app_starts_without_image_geometry_or_calendar_libraries():
    assert heavy_at_start_of("rate") == set()


def test_the_schedule_app_starts_without_image_geometry_or_calendar_libraries():
    assert heavy_at_start_of("schedule") == set()


def test_the_photo_check_loads_pillow_only_when_a_photo_arrives():
    assert heavy_at_start_of("photos") == set()


def test_the_photo_check_never_loads_the_table_code():
    """Its role reaches no table: it is built with the photos and queues ports only."""
    loaded = modules_loaded_by(
        "from phananh_local.apps import load_chalice_app; load_chalice_app('photos')", ("pynamodb",)
    )
    assert loaded == set()
