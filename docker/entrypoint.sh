#!/bin/sh
# Entrypoint of the Green Jobs Qom image. Runs the given command (gunicorn by default).
# With RUN_MIGRATIONS=1 it first applies migrations and, with SEED_DEMO=1, loads the demo data
# (seed_demo is idempotent). Only one service should set RUN_MIGRATIONS=1 (web, in docker-compose.yml),
# so the worker and beat never race it.
set -eu

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
  python manage.py migrate --noinput
  if [ "${SEED_DEMO:-0}" = "1" ]; then
    python manage.py seed_demo
  fi
fi

exec "$@"
