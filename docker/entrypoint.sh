#!/bin/sh
# Entrypoint of the Green Jobs Qom image. Runs the given command (gunicorn by default).
# With RUN_MIGRATIONS=1 it first applies migrations and, with SEED_DEMO=1, loads the demo data
# (seed_demo is idempotent). Only the one-shot `release` service sets RUN_MIGRATIONS=1 in
# docker-compose.yml, so the scaled web processes, the workers and beat never race it.
set -eu

# Metrics of several processes (gunicorn's workers, Celery's children) are counted in files there;
# what a previous container left would be counted again.
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
  rm -rf "$PROMETHEUS_MULTIPROC_DIR"
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
  python manage.py migrate --noinput
  if [ "${SEED_DEMO:-0}" = "1" ]; then
    python manage.py seed_demo
  fi
fi

exec "$@"
