"""Settings shared by every environment. Environment-specific modules import from here."""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from greenjobs.observability.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "greenjobs.admin_config.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "csp",
    "greenjobs",
    "greenjobs.outbox",
    "notifications",
    "accounts",
    "agencies",
    "programs",
    "incentives",
    "training",
    "monitoring",
    "measurement",
    "search",
    "guide",
]

MIDDLEWARE = [
    # First, so a request's time and queries include every other middleware's.
    "greenjobs.observability.middleware.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Early, so what the rest of the request logs or publishes carries its id.
    "greenjobs.observability.middleware.RequestIdMiddleware",
    # Before any host check: scrapers and probes reach containers by address (see the class).
    "greenjobs.observability.middleware.OperatorEndpointsMiddleware",
    "greenjobs.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PortalLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so a locked-out request never reaches the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "greenjobs.urls"
WSGI_APPLICATION = "greenjobs.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "greenjobs.context_processors.portal",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "greenjobs.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "greenjobs.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "greenjobs.password_validation.CommonPasswordValidator"},
    {"NAME": "greenjobs.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "agencies:home"

# Locale: Persian first, English switchable; the choice lives in the language cookie and on the user.
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded documents are personal data: they live outside any served folder and are only
# handed out by permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
# "filesystem" keeps them under PRIVATE_MEDIA_ROOT (one machine); "s3" in a private bucket of an
# S3-compatible store (MinIO, Ceph, AWS), which every web and worker machine reaches alike.
PRIVATE_STORAGE = env("PRIVATE_STORAGE", default="filesystem")
if PRIVATE_STORAGE == "s3":
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "region_name": env("S3_REGION", default="us-east-1"),
            "location": env("S3_PREFIX", default=""),
            "addressing_style": env("S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            # Objects are private; an address to one exists only when signed, and lapses.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }
elif PRIVATE_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"PRIVATE_STORAGE must be 'filesystem' or 's3', not {PRIVATE_STORAGE!r}")
# "stream": downloads pass through the portal. "redirect": to an address of the object store signed for
# PRIVATE_DOWNLOAD_URL_SECONDS (the store must then be reachable by browsers at S3_ENDPOINT_URL).
PRIVATE_DOWNLOADS = env("PRIVATE_DOWNLOADS", default="stream")
PRIVATE_DOWNLOAD_URL_SECONDS = env.int("PRIVATE_DOWNLOAD_URL_SECONDS", default=60)
# Files no row points at are removed once older than this (younger ones may await their commit).
ORPHAN_GRACE_SECONDS = env.int("ORPHAN_GRACE_SECONDS", default=6 * 3600)
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Green Jobs Qom <no-reply@greenjobs-qom.ir>")
# SMS for urgent events (notifications.sms), chosen like EMAIL_BACKEND: the console backend logs each
# message; "notifications.sms.KavenegarBackend" sends through Kavenegar's REST API with SMS_API_KEY (the
# key is part of the request's address) from the line SMS_SENDER (the account's default line when empty).
SMS_BACKEND = env("SMS_BACKEND", default="notifications.sms.ConsoleBackend")
SMS_API_KEY = env("SMS_API_KEY", default="")
SMS_SENDER = env("SMS_SENDER", default="")
SMS_API_BASE_URL = env("SMS_API_BASE_URL", default="https://api.kavenegar.com")
SMS_CONNECT_TIMEOUT = env.float("SMS_CONNECT_TIMEOUT", default=3.0)
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=10.0)
# Where people reach the portal (scheme, host, port): every absolute link in e-mails, certificates'
# QR codes and the API is built on it (greenjobs.links), since a worker has no request to ask.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Celery. With no REDIS_URL the tasks run in process (the embedded demo).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# Work of different kinds waits in different queues, so a slow report never holds up an e-mail: a task
# names its kind (`queue_kind`), greenjobs.celery routes it, and each queue can have workers of its own.
# A kind left out of TASK_KIND_QUEUES runs on the default queue.
CELERY_TASK_DEFAULT_QUEUE = "default"
TASK_KIND_QUEUES = env.list("TASK_KIND_QUEUES", default=["email", "reports", "imports"])
# Listed, so a worker started without --queues consumes them all (the embedded demo's single worker).
CELERY_TASK_QUEUES = [Queue(name) for name in dict.fromkeys([CELERY_TASK_DEFAULT_QUEUE, *TASK_KIND_QUEUES])]
# With acks_late a task whose worker died is delivered again; tasks are written to be idempotent.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that does not answer fails a publish within a second or two instead of holding the request:
# the outbox (greenjobs.outbox) keeps the task and its relay publishes it once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A message taken by a worker that then died goes back to the queue after visibility_timeout seconds.
# It must outlast the longest task (imports: 30 minutes), or a task still running would be delivered
# twice; reports do not wait for it, their recovery task restarts them within minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
    "visibility_timeout": 35 * 60,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 10
# A running report whose heartbeat is older than this lost its worker; it is run again, at most
# REPORT_MAX_ATTEMPTS times in all.
REPORT_STALL_SECONDS = env.int("REPORT_STALL_SECONDS", default=120)
REPORT_MAX_ATTEMPTS = env.int("REPORT_MAX_ATTEMPTS", default=3)

CACHES = {
    "default": (
        {
            # Answers as an empty cache when Redis is down, so pages that only read keep working.
            "BACKEND": "greenjobs.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Lists count their rows exactly up to this many; beyond it the pager shows an estimate (greenjobs.paging).
PAGING_EXACT_COUNT_LIMIT = env.int("PAGING_EXACT_COUNT_LIMIT", default=10_000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "greenjobs.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "greenjobs.api.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "greenjobs.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Green Jobs Qom API",
    "DESCRIPTION": "The API of the Qom green-jobs memorandum portal (DOE, MCLS, TVTO).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models share the words "status" and "kind"; name each enum after its own choices.
    "ENUM_NAME_OVERRIDES": {
        "RegistrationStatusEnum": "programs.models.RegistrationStatus",
        "AssessmentStatusEnum": "programs.models.Assessment.Status",
        "OccupationKindEnum": "programs.models.OccupationKind",
        "DocumentKindEnum": "programs.models.DocumentKind",
        "RegistrationActionEnum": "programs.api.serializers.ACTION_CHOICES",
        "LoanStageEnum": "incentives.models.Stage",
        "LoanDocumentKindEnum": "incentives.models.ApplicationDocument.Kind",
        "LoanActionEnum": "incentives.api.serializers.ACTION_CHOICES",
        "TrainingCentreKindEnum": "training.models.TrainingCentre.Kind",
        "AwarenessActivityKindEnum": "training.models.AwarenessActivity.Kind",
        "SessionStatusEnum": "training.models.Session.Status",
        "EnrolmentStatusEnum": "training.models.Enrolment.Status",
        "AudienceEnum": "training.models.Audience",
    },
}

# Repeated failed logins lock the username out for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
# Failures lock an account for the address they came from only: anyone can type a known person's
# username five times, and that must not shut the person out of the portal from their own address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Failures are counted against the same address the rate limits use (greenjobs.ratelimit).
AXES_CLIENT_IP_CALLABLE = "greenjobs.ratelimit.known_address"
# The reverse proxies (addresses or networks) whose X-Forwarded-For names the client; none by default,
# so a client cannot choose the address its logins and requests are counted against.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or a network") from exc

# Content security policy: everything is served from this origin (assets are vendored).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_FAILURE_VIEW = "greenjobs.views.csrf_failure"

# How long a green verification holds before the business must be re-assessed.
REGISTRATION_VALIDITY_DAYS = env.int("REGISTRATION_VALIDITY_DAYS", default=730)
# Days a registration may wait in one stage before the DOE queue flags it as late.
ASSESSMENT_SLA_DAYS = env.int("ASSESSMENT_SLA_DAYS", default=14)
# Staff are reminded of a case this many days before its stage's SLA lapses (a daily task), at most
# SLA_REMINDER_BATCH cases per kind of case and run.
SLA_REMINDER_DAYS = env.int("SLA_REMINDER_DAYS", default=2)
SLA_REMINDER_BATCH = env.int("SLA_REMINDER_BATCH", default=200)
# "A case reached my stage" goes to at most this many staff of the agency and role that work it.
NOTIFICATION_STAFF_FANOUT = env.int("NOTIFICATION_STAFF_FANOUT", default=50)

# The demo accounts' password. Its committed default is public (it is in the README), so it is only
# accepted where the portal runs as a local demo: the local and test settings allow it, nothing else.
COMMITTED_DEMO_PASSWORD = "GreenQom-1405"  # noqa: S105
DEMO_PASSWORD = env("DEMO_PASSWORD", default="")
# Sign-ups per client address and window (seconds): the form must not become a way to test identifiers.
SIGN_UP_LIMIT = env.int("SIGN_UP_LIMIT", default=10)
SIGN_UP_WINDOW = env.int("SIGN_UP_WINDOW", default=3600)
# Reset links: requests per client address and window, and at most one mail per account per interval,
# so the form cannot be used to flood someone's mailbox.
PASSWORD_RESET_LIMIT = env.int("PASSWORD_RESET_LIMIT", default=10)
PASSWORD_RESET_WINDOW = env.int("PASSWORD_RESET_WINDOW", default=3600)
PASSWORD_RESET_INTERVAL = env.int("PASSWORD_RESET_INTERVAL", default=300)
COMMITTED_DEMO_PASSWORD_ALLOWED = False
# Certificate verifications per client address and window (seconds), counted across every web process.
CERTIFICATE_VERIFY_LIMIT = env.int("CERTIFICATE_VERIFY_LIMIT", default=20)
CERTIFICATE_VERIFY_WINDOW = env.int("CERTIFICATE_VERIFY_WINDOW", default=600)

# Logs: plain text on the console by default; LOG_FORMAT=json (production's default) writes one JSON
# object per line with the request id (and task id and name inside a task) for a log collector.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
# Celery's worker replaces the root logger's handlers with its own text format unless told not to; JSON
# logs must come from Django's LOGGING in the worker too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# Metrics (/metrics, Prometheus' text format) are answered only to a scraper that sends
# "Authorization: Bearer <METRICS_TOKEN>" or comes from one of METRICS_ALLOWED_NETWORKS (CIDR); with
# neither set the endpoint answers 404. With PROMETHEUS_MULTIPROC_DIR in the environment the metrics of
# every process on the host are added up (see greenjobs.observability.metrics).
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
# A Celery worker serves its own task metrics on this port (same access rules); 0: not served.
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)
