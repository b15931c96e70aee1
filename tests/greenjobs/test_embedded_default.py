"""`make run` with no configuration behaves like production: a worker beside the server takes the
background work through a broker that needs no server, and the links it gives out are on the address
the portal serves on."""

import os
import stat
import subprocess
import sys

from django.conf import settings

SCRIPT = settings.BASE_DIR / "scripts" / "run.sh"
# Stands for the virtualenv's python and celery: notes how it was called and with which address.
STUB = """#!/bin/sh
echo "$(basename "$0") $* | $PORTAL_BASE_URL" >> "{record}"
case "$*" in
  *runserver*) for _ in $(seq 100); do grep -q '^celery' "{record}" && exit 0; sleep 0.05; done ;;
esac
"""


def run_script(tmp_path, **environment) -> list[str]:
    record = tmp_path / "record"
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "celery"):
        (bin_dir / name).write_text(STUB.format(record=record))
        (bin_dir / name).chmod(stat.S_IRWXU)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "PORTAL_BASE_URL", "HOST", "PORT"}
        and not key.startswith(("DJANGO_", "PYTEST_"))
    }
    env.update(VENV=str(tmp_path / "venv"), **environment)
    subprocess.run(["bash", str(SCRIPT)], env=env, check=True, capture_output=True, timeout=60)  # noqa: S603, S607
    return record.read_text().splitlines()


def test_make_run_tells_the_server_and_the_worker_the_address_it_serves_on(tmp_path):
    calls = run_script(tmp_path, HOST="127.0.0.1", PORT="18801")

    assert {call.split(" | ")[1] for call in calls} == {"http://127.0.0.1:18801"}
    assert [call.split(" | ")[0] for call in calls if "runserver" in call] == [
        "python manage.py runserver 127.0.0.1:18801 --noreload"
    ]


def test_make_run_starts_a_worker_with_beat_beside_the_server(tmp_path):
    calls = run_script(tmp_path, HOST="127.0.0.1", PORT="18801")

    [worker] = [call.split(" | ")[0] for call in calls if call.startswith("celery")]
    assert worker.startswith("celery -A greenjobs --quiet worker -B ")


def test_listening_everywhere_gives_an_address_people_can_open(tmp_path):
    calls = run_script(tmp_path, HOST="0.0.0.0", PORT="18801")  # noqa: S104

    [address] = {call.split(" | ")[1] for call in calls}
    assert address.startswith("http://")
    assert address.endswith(":18801")
    assert "0.0.0.0" not in address  # noqa: S104


def test_an_address_given_by_the_operator_is_kept(tmp_path):
    calls = run_script(tmp_path, HOST="0.0.0.0", PORT="18801", PORTAL_BASE_URL="https://demo.example.ir")  # noqa: S104

    assert {call.split(" | ")[1] for call in calls} == {"https://demo.example.ir"}


LOCAL_SETTINGS = """
import django; django.setup()
from django.conf import settings
from django.core.cache import caches
from greenjobs.celery import app
print(app.conf.task_always_eager, app.conf.broker_url, type(caches["default"]).__name__)
print(settings.PORTAL_BASE_URL, "192.0.2.7" in settings.ALLOWED_HOSTS)
"""


def test_the_local_settings_hand_tasks_to_a_worker_through_a_broker():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"} and not key.startswith(("DJANGO_", "PYTEST_", "CELERY_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="greenjobs.settings.local", PORTAL_BASE_URL="http://192.0.2.7:18801")

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", LOCAL_SETTINGS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    # not eager: the request only enqueues; the worker, over files on disk, does the work, and
    # what it writes to the cache the server reads.
    assert result.stdout.splitlines() == ["False filesystem:// FileBasedCache", "http://192.0.2.7:18801 True"]
