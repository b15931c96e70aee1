"""The whole worker killed in the middle of a report: another worker finishes it, once.

Real processes over the real Redis and PostgreSQL: a Celery worker is started as a separate process,
SIGKILLed (with its whole process group) while the report runs, and a fresh worker takes over once the
recovery task has noticed the silent heartbeat.
"""

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from celery.result import allow_join_result
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from measurement import seed_indicators, tasks
from measurement.models import ReportJob
from measurement.services import reports
from tests.factories import ProgrammeManagerFactory
from tests.utils import celery_to_redis, wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def start_worker(queue: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "greenjobs.settings.test",
        # The worker process reads the test database pytest created, not the one it would create.
        "TEST_DATABASE_URL": database_url(),
        "TEST_REDIS_URL": settings.TEST_REDIS_URL,
    }
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "celery", "-A", "greenjobs", "worker", "--pool=solo", f"--queues={queue}",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=BASE_DIR, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def kill(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


@pytest.fixture
def demo(agencies):
    seed_indicators.load()
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker process needs the shared database")
def test_a_report_whose_worker_was_killed_is_finished_once_by_another(demo, settings):
    settings.REPORT_STALL_SECONDS = 1
    storage = Path(settings.PRIVATE_MEDIA_ROOT)
    workers = []
    try:
        with celery_to_redis() as queue:
            # given: a report being prepared by a worker
            workers.append(start_worker(queue))
            job = reports.report_request(actor=ProgrammeManagerFactory(), period="1405-Q3", language="fa")
            wait_until(
                lambda: ReportJob.objects.get(pk=job.pk).status == "running", timeout=60, interval=0.02
            )

            # when: the whole worker is killed, and the recovery task notices the silent heartbeat
            kill(workers[0])
            job.refresh_from_db()
            assert (job.status, job.attempts) == ("running", 1)
            wait_until(
                lambda: (timezone.now() - ReportJob.objects.get(pk=job.pk).heartbeat_at).total_seconds()
                > 1.5,
                timeout=10,
            )
            assert reports.reports_recover_stalled()["recovered"] == [job.pk]
            workers.append(start_worker(queue))

            # then: the new worker finishes it
            wait_until(
                lambda: ReportJob.objects.get(pk=job.pk).status == "succeeded", timeout=120, interval=0.2
            )
            # and a late duplicate of the lost message changes nothing
            # This thread is the test, not a task: a worker thread an earlier test ran in this process
            # may have left Celery believing otherwise, so the wait is allowed explicitly.
            with allow_join_result():
                again = tasks.generate_report.apply_async(args=[job.pk], queue=queue).get(timeout=60)
            assert again == "already done"
    finally:
        for worker in workers:
            kill(worker)

    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts) == ("succeeded", 100, 2)
    assert job.message == "پردازشگری که این گزارش را تهیه می‌کرد از کار افتاد؛ تهیه گزارش دوباره آغاز شد."
    produced = sorted(storage.rglob(f"*{job.request_key}*.pdf"))
    assert [path.relative_to(storage).as_posix() for path in produced] == [job.stored_name]
    assert produced[0].read_bytes().startswith(b"%PDF-")
    produced[0].unlink()
