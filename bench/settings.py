"""The benchmark's settings: production's, with what a plain-HTTP run on one machine needs.

Production refuses to start without its secrets and serves only HTTPS; the benchmark talks plain HTTP to
127.0.0.1 and collects no static files. Everything that shapes the cost of a request (DEBUG off,
persistent connections, the middleware, the templates' loaders) stays as production has it.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("PORTAL_BASE_URL", "http://127.0.0.1:8000")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

from greenjobs.settings.production import *  # noqa: F403
from greenjobs.settings.production import COMMITTED_DEMO_PASSWORD, DATABASES, LOGGING, env

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    # Fails here, before any data is made: the targets are about PostgreSQL's plans.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The benchmark runs on PostgreSQL only (DATABASE_URL=postgres://...).")

# Cookies travel over plain HTTP to 127.0.0.1.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
# The static files are served from the source folders, as the local demo does: nothing is collected,
# and the benchmark requests no asset.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# The bench databases are throwaway: the demo accounts keep the README's password.
DEMO_PASSWORD = env("DEMO_PASSWORD", default=COMMITTED_DEMO_PASSWORD)
COMMITTED_DEMO_PASSWORD_ALLOWED = True
# Twenty sessions sign in from one address at once; the lockout counts failures only, but a typo in a
# run must not lock the demo accounts for half an hour.
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
# A log line per request would be measured with the request.
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")}}
