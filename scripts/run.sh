#!/usr/bin/env bash
# Brings up the portal with demo data. No configuration: SQLite and in-process tasks.
# With DATABASE_URL and REDIS_URL: that database, plus a Celery worker and beat beside the server.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-greenjobs.settings.local}

"$PY" manage.py compilemessages -l fa --ignore="$VENV/*" >/dev/null 2>&1 || true
"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo

pids=()
cleanup() { for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if [ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ]; then
  mkdir -p var
  "$VENV/bin/celery" -A greenjobs worker --loglevel=INFO --concurrency=2 >var/worker.log 2>&1 &
  pids+=($!)
  "$VENV/bin/celery" -A greenjobs beat --loglevel=INFO --schedule=var/celerybeat-schedule >var/beat.log 2>&1 &
  pids+=($!)
  echo "Celery worker and beat are running (logs in var/worker.log, var/beat.log)."
else
  echo "No DATABASE_URL/REDIS_URL: SQLite database db.sqlite3, background tasks run in process."
fi

echo "Serving the portal on http://$HOST:$PORT/  (Ctrl-C stops it)"
"$PY" manage.py runserver "$HOST:$PORT" --noreload
