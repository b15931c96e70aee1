import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-production-secret-for-this-test-only-0123456789",
    "ALLOWED_HOSTS": "greenjobs-qom.ir",
    "DATABASE_URL": "postgres://greenjobs@127.0.0.1:5432/greenjobs",
    "PORTAL_BASE_URL": "https://greenjobs-qom.ir",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def start_production(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENV and not key.startswith(("DJANGO_", "PYTEST_"))
    }
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="greenjobs.settings.production")
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_starts_when_its_secrets_and_hosts_are_given():
    result = start_production()

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS", "PORTAL_BASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without(variable):
    result = start_production(**{variable: None})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_production_refuses_a_portal_address_that_is_no_address():
    result = start_production(PORTAL_BASE_URL="greenjobs-qom.ir")

    assert result.returncode != 0
    assert "PORTAL_BASE_URL must be an http(s) address, not 'greenjobs-qom.ir'" in result.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("agencies:home"))

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = {
        directive.split(" ", 1)[0]: directive.split(" ", 1)[1]
        for directive in response["Content-Security-Policy"].split("; ")
    }
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
