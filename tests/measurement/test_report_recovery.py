"""A report whose worker died is started again within minutes and produced once; one that cannot finish
is marked failed with its reason."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from measurement import tasks
from measurement.models import ReportJob
from measurement.services import reports
from tests.factories import ProgrammeManagerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
NOW = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=TEHRAN)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def private(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def job_as_left_by_a_dead_worker(*, minutes_silent: int, attempts: int = 1, started_minutes_ago: int = 3,
                                 language: str = "en") -> ReportJob:  # fmt: skip
    job = reports.report_request(actor=ProgrammeManagerFactory(), period="1405-Q2", language=language)
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING,
        progress=18,
        attempts=attempts,
        started_at=NOW - datetime.timedelta(minutes=started_minutes_ago),
        heartbeat_at=NOW - datetime.timedelta(minutes=minutes_silent),
    )
    return job


def test_a_report_whose_worker_went_silent_is_started_again_and_finished_once(
    private, django_capture_on_commit_callbacks
):
    # given: a report left at 18 % by a worker that stopped three minutes ago
    job = job_as_left_by_a_dead_worker(minutes_silent=3)

    # when: the recovery task runs
    with django_capture_on_commit_callbacks(execute=True):
        outcome = reports.reports_recover_stalled()

    # then: it ran again, to the end, once
    job.refresh_from_db()
    assert outcome == {"recovered": [job.pk], "failed": [], "resent": []}
    assert (job.status, job.progress, job.attempts) == ("succeeded", 100, 2)
    assert job.message == "The worker preparing this report stopped; it was started again."
    assert [path.name for path in private.rglob("*.pdf")] == [job.stored_name.split("/")[-1]]


def test_a_report_whose_worker_is_alive_is_left_to_it(django_capture_on_commit_callbacks):
    job = job_as_left_by_a_dead_worker(minutes_silent=1)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcome = reports.reports_recover_stalled()
    duplicate = tasks.generate_report.delay(job.pk).get()

    job.refresh_from_db()
    assert outcome == {"recovered": [], "failed": [], "resent": []}
    assert callbacks == []
    assert duplicate == "running elsewhere"
    assert (job.status, job.progress, job.attempts) == ("running", 18, 1)


def test_a_report_whose_worker_died_every_time_fails_with_the_reason_in_its_language(client):
    job = job_as_left_by_a_dead_worker(minutes_silent=5, attempts=3, language="fa")

    outcome = reports.reports_recover_stalled()

    job.refresh_from_db()
    assert outcome["failed"] == [job.pk]
    assert job.status == "failed"
    assert job.message == "گزارش تهیه نشد: پردازشگر در هر بار تلاش از کار افتاد."
    assert job.finished_at == NOW
    client.force_login(job.requested_by)
    page = client.get(reverse("measurement:report_progress", args=[job.pk])).content.decode()
    assert job.message in page


def test_a_report_running_past_the_time_limit_is_failed_not_restarted():
    job = job_as_left_by_a_dead_worker(minutes_silent=4, started_minutes_ago=16)

    outcome = reports.reports_recover_stalled()

    job.refresh_from_db()
    assert outcome["failed"] == [job.pk]
    assert (job.status, job.message) == ("failed", "The report could not be finished within its time limit.")


def test_a_late_duplicate_message_does_not_revive_a_failed_report(private):
    job = job_as_left_by_a_dead_worker(minutes_silent=4, started_minutes_ago=16)
    reports.reports_recover_stalled()

    assert tasks.generate_report.delay(job.pk).get() == "already failed"
    job.refresh_from_db()
    assert job.status == "failed"
    assert list(private.rglob("*.pdf")) == []


def test_a_request_whose_message_was_lost_is_sent_again(private, django_capture_on_commit_callbacks):
    # given: asked for 15 minutes ago, never started (the broker lost the message)
    with time_machine.travel(NOW - datetime.timedelta(minutes=15), tick=False):
        job = reports.report_request(actor=ProgrammeManagerFactory(), period="1405-Q2", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        outcome = reports.reports_recover_stalled()

    job.refresh_from_db()
    assert outcome["resent"] == [job.pk]
    assert (job.status, job.attempts) == ("succeeded", 1)


def test_the_recovery_runs_every_minute_on_the_schedule():
    from greenjobs.celery import app

    entry = app.conf.beat_schedule["recover-stalled-reports"]
    assert entry["task"] == "programs.tasks.recover_stalled_reports"
    assert entry["schedule"] == 60.0
