"""The embedded default: runs with no configuration (SQLite, a Celery worker over the file system,
console e-mail), and behaves like production where a person can tell: background work runs outside
the request, in the worker scripts/run.sh starts beside the server."""

from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, PORTAL_BASE_URL, REDIS_URL, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-only-insecure-key-never-used-in-production")
DEMO_PASSWORD = env("DEMO_PASSWORD", default=COMMITTED_DEMO_PASSWORD)  # noqa: F405
COMMITTED_DEMO_PASSWORD_ALLOWED = True
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "0.0.0.0"])  # noqa: S104
# scripts/run.sh sets PORTAL_BASE_URL from HOST/PORT; the links it gives out must be served.
if urlsplit(PORTAL_BASE_URL).hostname not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(urlsplit(PORTAL_BASE_URL).hostname)

# The demo serves static files straight from the source folders; nothing needs collecting.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The server and the worker write to one file: readers do not wait for a writer (WAL), and a
    # writer takes its lock when its transaction starts and waits for another one instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )

if not REDIS_URL:
    # A broker that needs no server: messages are files under var/celery, read by the worker that
    # scripts/run.sh starts (`celery -A greenjobs worker -B`). Results and the cache live on disk
    # too, so what the worker writes there (e-mail de-duplication) the server reads.
    CELERY_DIR = BASE_DIR / "var" / "celery"
    for folder in ("queue", "control", "results"):
        (CELERY_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DIR / "queue"),
        "data_folder_out": str(CELERY_DIR / "queue"),
        "control_folder": str(CELERY_DIR / "control"),
        "polling_interval": 0.2,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_DIR / 'results'}"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / "var" / "cache"),
        }
    }
CELERY_TASK_ALWAYS_EAGER = False
# The console e-mail backend prints from the worker: straight to the terminal, not as log lines.
CELERY_WORKER_REDIRECT_STDOUTS = False

# Per-task log lines would drown the server's and the e-mails' own output.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}  # noqa: F405
