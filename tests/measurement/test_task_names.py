"""The report tasks moved from programs.tasks to measurement.tasks under their old names: a report queued
before the move, the beat schedule and the outbox's stored messages all name them that way."""

from celery import current_app

from greenjobs.celery import app
from greenjobs.outbox.services import _task
from measurement import tasks

OLD_NAMES = {
    "programs.tasks.generate_report",
    "programs.tasks.recover_stalled_reports",
    "programs.tasks.schedule_reports",
}


def test_the_report_tasks_keep_their_names():
    assert {tasks.generate_report.name, tasks.recover_stalled_reports.name, tasks.schedule_reports.name} == (
        OLD_NAMES
    )


def test_the_outbox_and_the_schedule_find_them_by_name():
    assert all(_task(name) is current_app.tasks[name] for name in OLD_NAMES)
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert scheduled >= OLD_NAMES - {"programs.tasks.generate_report"}
