#!/usr/bin/env bash
# Brings up the portal with demo data: the web server and, beside it, a Celery worker with beat, so
# background work (reports, certificates, imports, e-mails) runs outside the request as in production.
# No configuration: SQLite, and a broker made of files under var/celery that needs no server.
# With DATABASE_URL and REDIS_URL: that database and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-greenjobs.settings.local}

# The address people open: it goes into e-mails and onto certificates' QR codes, so the server and
# the worker must both know it. Listening on every interface (0.0.0.0) is no address anyone can
# open; this machine's first address is.
if [ -z "${PORTAL_BASE_URL:-}" ]; then
  case "$HOST" in
    0.0.0.0 | :: | "[::]") PUBLIC_HOST=$(hostname -I 2>/dev/null | awk '{print $1}' || true) ;;
    *) PUBLIC_HOST=$HOST ;;
  esac
  PUBLIC_HOST=${PUBLIC_HOST:-127.0.0.1}
  case "$PUBLIC_HOST" in
    \[*) ;;
    *:*) PUBLIC_HOST="[$PUBLIC_HOST]" ;;
  esac
  PORTAL_BASE_URL="http://$PUBLIC_HOST:$PORT"
fi
export PORTAL_BASE_URL

"$PY" manage.py compilemessages -l fa --ignore="$VENV/*" >/dev/null 2>&1 || true
"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo

pids=()
# One TERM each, then wait: a worker signalled twice abandons its tasks (a cold shutdown).
cleanup() {
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

mkdir -p var
# Background processes in their own process groups (job control), so Ctrl-C reaches only the
# server; cleanup then stops the worker once, gracefully.
set -m
if [ -n "${REDIS_URL:-}" ]; then
  "$VENV/bin/celery" -A greenjobs worker --loglevel=INFO --concurrency=2 >var/worker.log 2>&1 &
  pids+=($!)
  "$VENV/bin/celery" -A greenjobs beat --loglevel=INFO --schedule=var/celerybeat-schedule >var/beat.log 2>&1 &
  pids+=($!)
  echo "Celery worker and beat are running over Redis (logs in var/worker.log, var/beat.log)."
else
  # One process for worker and beat (-B) is enough for one machine. Its output stays on this
  # console: the e-mails the portal sends are printed there.
  "$VENV/bin/celery" -A greenjobs --quiet worker -B --schedule=var/celerybeat-schedule --concurrency=2 \
    --loglevel=WARNING &
  pids+=($!)
  echo "Celery worker and beat are running over var/celery (no broker server needed); e-mails print here."
fi

set +m

echo "Serving the portal on http://$HOST:$PORT/ — links in e-mails and QR codes use $PORTAL_BASE_URL  (Ctrl-C stops it)"
"$PY" manage.py runserver "$HOST:$PORT" --noreload
