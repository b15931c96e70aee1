# Green Jobs Qom: one image for the web server (gunicorn), the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=greenjobs.settings.production \
    PRIVATE_MEDIA_ROOT=/app/var/private \
    WEB_CONCURRENCY=2

# WeasyPrint's native libraries (Pango, HarfBuzz incl. subsetting, fontconfig, a base font,
# MIME data), gettext for compilemessages, and the PostgreSQL client (15) for backup and restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
        shared-mime-info \
        gettext \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# Unprivileged runtime user. Its home holds fontconfig's cache; the code stays root-owned.
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. The project declares no packages
# ([tool.setuptools] packages = []), so pyproject.toml alone is enough to install its pinned deps;
# the code itself is used from /app.
COPY pyproject.toml ./
RUN pip install . \
    && rm -rf build ./*.egg-info

COPY . .

# Build-time only values: production settings refuse to load without them; nothing connects to
# the database here, and none of these values is kept in the image.
RUN SECRET_KEY=build-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build:build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    PORTAL_BASE_URL=http://localhost \
    python manage.py compilemessages \
    && SECRET_KEY=build-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build:build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    PORTAL_BASE_URL=http://localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/private /app/var/beat /backups \
    && chown -R app:app /app/var /backups \
    && chmod 755 /app/docker/entrypoint.sh

USER app

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
# Workers: WEB_CONCURRENCY (gunicorn reads it): one sync worker per core, 2 above for the two-core hosts
# the benchmark measures (bench/, 20 users on 2 workers); more workers than cores only queue on the CPU
# while PostgreSQL on the same host waits for it.
CMD ["gunicorn", "greenjobs.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--access-logfile", "-", \
     "--access-logformat", "%(h)s %(t)s \"%(r)s\" %(s)s %(b)s %(L)s rid=%({x-request-id}o)s", \
     "--error-logfile", "-"]
