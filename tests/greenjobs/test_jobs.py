import datetime
import zlib

import pytest
import time_machine
from django.db import connection, connections, transaction

from greenjobs.jobs import Job, progress_beside, serialise_runs
from programs.models import ImportJob
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own locks")


def new_job(**fields) -> ImportJob:
    return ImportJob.objects.create(
        requested_by=ApplicantFactory(), original_name="a.csv", stored_name="x", total_rows=10, **fields
    )


def test_a_new_job_waits_with_nothing_done():
    job = new_job()

    assert (job.status, job.progress, job.message, job.started_at, job.finished_at) == (
        Job.Status.PENDING, 0, "", None, None
    )  # fmt: skip
    assert not job.is_finished


def test_start_runs_the_job_from_now_and_resets_what_the_caller_names():
    job = new_job(processed_rows=4, progress=40, message="old")

    with time_machine.travel(NOON, tick=False):
        job.start(message="Checking", processed_rows=0)

    job.refresh_from_db()
    assert (job.status, job.progress, job.message, job.processed_rows) == ("running", 0, "Checking", 0)
    assert (job.started_at, job.heartbeat_at, job.finished_at) == (NOON, NOON, None)


def test_advance_moves_the_progress_and_the_heartbeat_and_leaves_other_columns_alone():
    job = new_job()
    job.start()
    ImportJob.objects.filter(pk=job.pk).update(message="written by someone else")

    with time_machine.travel(NOON, tick=False):
        job.advance(30, processed_rows=3)

    assert (job.progress, job.processed_rows, job.heartbeat_at) == (30, 3, NOON)
    job.refresh_from_db()
    assert (job.progress, job.processed_rows, job.heartbeat_at) == (30, 3, NOON)
    assert job.message == "written by someone else"


@pytest.mark.parametrize(("given", "stored"), [(-5, 0), (0, 0), (55, 55), (100, 100), (250, 100)])
def test_progress_is_a_percent(given, stored):
    job = new_job()

    job.advance(given)

    job.refresh_from_db()
    assert job.progress == stored


def test_finish_marks_it_succeeded_at_full_progress():
    job = new_job()
    job.start(message="Importing")

    with time_machine.travel(NOON, tick=False):
        job.finish(created_count=10)

    job.refresh_from_db()
    assert (job.status, job.progress, job.message, job.created_count, job.finished_at) == (
        "succeeded", 100, "", 10, NOON
    )  # fmt: skip
    assert job.is_finished


def test_fail_keeps_the_message_and_the_progress_reached():
    job = new_job()
    job.start()
    job.advance(40)

    with time_machine.travel(NOON, tick=False):
        job.fail("The file is damaged.", errors=[{"row": 2}])

    job.refresh_from_db()
    assert (job.status, job.progress, job.message, job.errors, job.finished_at) == (
        "failed", 40, "The file is damaged.", [{"row": 2}], NOON
    )  # fmt: skip
    assert job.is_finished


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_serialise_runs_holds_one_job_until_the_transaction_ends_and_not_the_others():
    job, other = new_job(), new_job()
    side = connections.create_connection("default")
    try:
        with transaction.atomic():
            serialise_runs(ImportJob, job.pk)
            with side.cursor() as cursor:
                kind = _kind_of(ImportJob)
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [kind, job.pk])
                assert cursor.fetchone() == (False,)
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [kind, other.pk])
                assert cursor.fetchone() == (True,)
                # the job's row itself stays free for the progress
                cursor.execute("SELECT id FROM programs_importjob WHERE id = %s FOR UPDATE NOWAIT", [job.pk])
    finally:
        side.close()


def _kind_of(model) -> int:
    return zlib.crc32(model._meta.label_lower.encode()) - 2**31


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_progress_beside_shows_while_the_writing_transaction_is_still_open():
    job = new_job()
    job.start()
    side = connections.create_connection("default")
    try:
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk).values("pk").get()  # the writer reads the row, never locks it
            with progress_beside(job) as advance:
                advance(70, processed_rows=7)
            with side.cursor() as cursor:
                cursor.execute(
                    "SELECT progress, processed_rows FROM programs_importjob WHERE id = %s", [job.pk]
                )
                assert cursor.fetchone() == (70, 7)
    finally:
        side.close()
