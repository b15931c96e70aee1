"""The embedded default: runs with no configuration (SQLite, in-process tasks, console e-mail)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-only-insecure-key-never-used-in-production")
DEMO_PASSWORD = env("DEMO_PASSWORD", default=COMMITTED_DEMO_PASSWORD)  # noqa: F405
COMMITTED_DEMO_PASSWORD_ALLOWED = True
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "0.0.0.0"])  # noqa: S104

# The demo serves static files straight from the source folders; nothing needs collecting.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Tasks run in process here; their per-task log lines would drown the server's own output.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}  # noqa: F405
