from celery import shared_task

from .services import progress, reports, snapshots

# These tasks were first declared in programs.tasks: their names stay as they were, so a report already
# queued under the old name, and the beat schedule, still find them.


@shared_task(
    name=reports.GENERATE_REPORT,
    bind=True,
    time_limit=reports.REPORT_TIME_LIMIT,
    soft_time_limit=reports.REPORT_TIME_LIMIT - 60,
    acks_late=True,
    max_retries=2,
    queue_kind="reports",
)
def generate_report(self, job_id: int) -> str:
    return reports.report_run(job_id=job_id)


@shared_task(name="programs.tasks.recover_stalled_reports", time_limit=60)
def recover_stalled_reports() -> dict:
    return reports.reports_recover_stalled()


@shared_task(name="programs.tasks.schedule_reports", time_limit=120, queue_kind="reports")
def schedule_reports() -> int:
    return len(reports.reports_schedule())


@shared_task(name=snapshots.REFRESH_PROGRESS, time_limit=300, acks_late=True, queue_kind="reports")
def refresh_progress() -> str:
    progress.progress_refresh()
    return "refreshed"


@shared_task(name="measurement.tasks.close_periods", time_limit=3600, acks_late=True, queue_kind="reports")
def close_periods() -> int:
    stored = snapshots.snapshots_close()
    progress.progress_refresh()
    return stored
