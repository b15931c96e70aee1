import socket
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection


def answers(url: str) -> bool:
    """Whether something listens at the URL's host and port, asked here rather than read from settings."""
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port), timeout=2):
            return True
    except OSError:
        return False


def test_suite_runs_on_postgresql_when_services_are_required():
    # CI sets REQUIRE_SERVICES=1; a quiet fall back to SQLite there would hide real-database behaviour.
    if settings.REQUIRE_SERVICES:
        assert connection.vendor == "postgresql"
        assert settings.REDIS_URL.startswith("redis://")
    else:
        # Locally the fall back is allowed, but only when the service really is absent.
        postgres_up = answers(settings.TEST_DATABASE_URL)
        assert connection.vendor == ("postgresql" if postgres_up else "sqlite")
        redis_up = answers(settings.TEST_REDIS_URL)
        assert (settings.TEST_REDIS_URL if redis_up else "") == settings.REDIS_URL
        assert (settings.TEST_REDIS_URL if redis_up else "memory://") == settings.CELERY_BROKER_URL
