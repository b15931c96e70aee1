#!/usr/bin/env bash
# Runs the whole suite, or the tests named in the arguments. PostgreSQL and Redis are used when they
# answer (127.0.0.1:5432 / :6379 by default); browser tests run when Chromium is present.
# REQUIRE_SERVICES=1 turns any of those missing into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export DJANGO_SETTINGS_MODULE=greenjobs.settings.test
"$VENV/bin/python" manage.py compilemessages -l fa --ignore="$VENV/*" >/dev/null
# In parallel, one process per core (pytest-xdist); tests that must not overlap share an xdist_group.
# TEST_WORKERS=0 runs everything in this one process (e.g. to use a debugger).
workers=${TEST_WORKERS:-auto}
parallel=()
if [ "$workers" != 0 ]; then
  parallel=(-n "$workers" --dist loadgroup)
fi
exec "$VENV/bin/python" -m pytest "${parallel[@]}" "$@"
