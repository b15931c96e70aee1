from celery import shared_task

from .services import reports

# These tasks were first declared in programs.tasks: their names stay as they were, so a report already
# queued under the old name, and the beat schedule, still find them.


@shared_task(
    name=reports.GENERATE_REPORT,
    bind=True,
    time_limit=reports.REPORT_TIME_LIMIT,
    soft_time_limit=reports.REPORT_TIME_LIMIT - 60,
    acks_late=True,
    max_retries=2,
)
def generate_report(self, job_id: int) -> str:
    return reports.report_run(job_id=job_id)


@shared_task(name="programs.tasks.recover_stalled_reports", time_limit=60)
def recover_stalled_reports() -> dict:
    return reports.reports_recover_stalled()


@shared_task(name="programs.tasks.schedule_reports", time_limit=120)
def schedule_reports() -> int:
    return len(reports.reports_schedule())
