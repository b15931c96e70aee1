from django.conf import settings
from django.db import connection


def test_suite_runs_on_postgresql_when_services_are_required():
    # CI sets REQUIRE_SERVICES=1; a quiet fall back to SQLite there would hide real-database behaviour.
    if settings.REQUIRE_SERVICES:
        assert connection.vendor == "postgresql"
        assert settings.REDIS_URL.startswith("redis://")
    else:
        assert connection.vendor in ("postgresql", "sqlite")
