"""Production: secrets and hosts come only from the environment; a missing one stops the start."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from greenjobs.observability.logs import logging_config

from .base import *  # noqa: F403
from .base import LOG_LEVEL, REDIS_URL, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# No default: a link to localhost in an applicant's e-mail or on a printed certificate is dead.
PORTAL_BASE_URL = env("PORTAL_BASE_URL")
if urlsplit(PORTAL_BASE_URL).scheme not in ("http", "https") or not urlsplit(PORTAL_BASE_URL).hostname:
    raise ImproperlyConfigured(f"PORTAL_BASE_URL must be an http(s) address, not {PORTAL_BASE_URL!r}")

# Several processes (gunicorn's workers, more machines) must share the cache that holds rate limits and
# the e-mail marks, and need a broker: a per-process memory would let each count on its own.
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set in production: the cache and the broker are shared")

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks and metrics scrapes come from inside the compose network over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
# A provider chosen without its key would only fail in the worker, message after message.
if SMS_BACKEND == "notifications.sms.KavenegarBackend" and not SMS_API_KEY:  # noqa: F405
    raise ImproperlyConfigured("SMS_BACKEND is Kavenegar but SMS_API_KEY is not set")

# A log collector reads JSON lines; LOG_FORMAT=text for a person reading the console.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
