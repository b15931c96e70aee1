#!/usr/bin/env bash
# Runs the whole suite. PostgreSQL and Redis are used when they answer (127.0.0.1:5432 / :6379 by
# default); browser tests run when Chromium is present. REQUIRE_SERVICES=1 turns any of those missing
# into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export DJANGO_SETTINGS_MODULE=greenjobs.settings.test
"$VENV/bin/python" manage.py compilemessages -l fa --ignore="$VENV/*" >/dev/null
exec "$VENV/bin/python" -m pytest "$@"
