"""Tests run against the real PostgreSQL and Redis when they answer.

With REQUIRE_SERVICES=1 (CI) a missing service is an error at start-up, never a quiet fall back to
SQLite or a skipped test.
"""

import os
import socket
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_BROKER_TRANSPORT_OPTIONS, env

# pytest-xdist runs the suite in several processes (gw0, gw1…) and names each in this variable; a Celery
# worker process a test starts inherits it. Each gets its own test database (pytest-django adds the
# suffix), and below its own Redis keys, Celery queue and folders, so no process sees another's work.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)
TEST_DATABASE_URL = env("TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/greenjobs")
TEST_REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port), timeout=1):
            return True
    except OSError:
        return False


POSTGRES_AVAILABLE = _reachable(TEST_DATABASE_URL)
REDIS_AVAILABLE = _reachable(TEST_REDIS_URL)
if REQUIRE_SERVICES and not POSTGRES_AVAILABLE:
    raise ImproperlyConfigured(f"REQUIRE_SERVICES=1 but PostgreSQL at {TEST_DATABASE_URL} does not answer")
if REQUIRE_SERVICES and not REDIS_AVAILABLE:
    raise ImproperlyConfigured(f"REQUIRE_SERVICES=1 but Redis at {TEST_REDIS_URL} does not answer")

SECRET_KEY = "test-only-key"  # noqa: S105
DEMO_PASSWORD = env("DEMO_PASSWORD", default=COMMITTED_DEMO_PASSWORD)  # noqa: F405
COMMITTED_DEMO_PASSWORD_ALLOWED = True
# The cache outlives a test: the suite signs up far more often than a person could. The throttle's own
# test sets a small limit.
SIGN_UP_LIMIT = 100_000
PASSWORD_RESET_LIMIT = 100_000
DEBUG = False
ALLOWED_HOSTS = ["*"]
if POSTGRES_AVAILABLE:
    DATABASES = {"default": env.db_url_config(TEST_DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / f"test{XDIST_WORKER}.sqlite3",
        }
    }

REDIS_URL = TEST_REDIS_URL if REDIS_AVAILABLE else ""
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
REDIS_KEY_PREFIX = f"test-{XDIST_WORKER or 'main'}:"
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": REDIS_KEY_PREFIX}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": REDIS_KEY_PREFIX}
CELERY_TASK_DEFAULT_QUEUE = f"test-{XDIST_WORKER or 'main'}"
# Every kind on the test process's own queue; the tests of the routing name the kinds they route.
TASK_KIND_QUEUES = []
CELERY_TASK_QUEUES = None
# Unit tests run tasks in process; the worker tests switch this off and start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The test client's own host, so an absolute link in a response can be followed by the client.
PORTAL_BASE_URL = "http://testserver"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / ("test-private" + (f"-{XDIST_WORKER}" if XDIST_WORKER else ""))
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "fa"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Static files come from the app folders (live-server browser tests too); nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Text messages are kept in notifications.sms.outbox, as e-mails are in django.core.mail.outbox.
SMS_BACKEND = "notifications.sms.LocmemBackend"
