import logging
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init

from .observability import celery_signals
from .pdf import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenjobs.settings.local")

app = Celery("greenjobs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task metrics, and the request id that follows a request into the tasks it publishes.
celery_signals.connect()


def route_by_kind(name, args, kwargs, options, task=None, **kw):
    """The queue of a task's kind (`queue_kind` on the task) when that kind has a queue of its own."""
    from django.conf import settings

    task = task or app.tasks.get(name)
    kind = getattr(task, "queue_kind", None)
    if kind and kind in settings.TASK_KIND_QUEUES:
        return {"queue": kind}
    return None  # the default queue, whatever it is named at the time


app.conf.task_routes = (route_by_kind,)

# Periodic work is declared here, in code, so every deployment runs the same schedule.
app.conf.beat_schedule = {
    # Tasks recorded while the broker did not answer are published as soon as it does again.
    "relay-outbox": {
        "task": "greenjobs.outbox.tasks.relay_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "clear-expired-sessions": {
        "task": "greenjobs.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    "expire-green-registrations": {
        "task": "programs.tasks.expire_registrations",
        "schedule": crontab(hour=1, minute=0),
    },
    "refresh-loan-arrears": {
        "task": "incentives.tasks.refresh_arrears",
        "schedule": crontab(hour=1, minute=30),
    },
    # Monitoring of the jobs loans promised: rounds planned for loans that lack them (idempotent, one per
    # loan and month), and reports past their deadline flagged to MCLS.
    "monitoring-daily": {
        "task": "monitoring.tasks.monitoring_daily",
        "schedule": crontab(hour=1, minute=45),
    },
    # Jalali months start on different Gregorian days; running daily and letting the service decide
    # (one report per ended month and quarter, never twice) keeps the schedule simple and correct.
    # The report tasks live in measurement.tasks under the names they had in programs.tasks.
    "progress-reports": {
        "task": "programs.tasks.schedule_reports",
        "schedule": crontab(hour=2, minute=0),
    },
    # The figures of the periods that ended are computed once and kept (before the reports are made);
    # the dashboards read a kept copy of the progress, refreshed after the events that move it and here.
    "close-ended-periods": {
        "task": "measurement.tasks.close_periods",
        "schedule": crontab(hour=0, minute=40),
    },
    "refresh-progress": {
        "task": "measurement.tasks.refresh_progress",
        "schedule": 600.0,
        "options": {"expires": 590},
    },
    # A report whose worker died is noticed by its stopped heartbeat and started again within minutes.
    "recover-stalled-reports": {
        "task": "programs.tasks.recover_stalled_reports",
        "schedule": 60.0,
    },
    # Files no row points at (their transaction failed after they were written) are reported and removed.
    "sweep-orphan-files": {
        "task": "greenjobs.tasks.sweep_orphan_files",
        "schedule": crontab(hour=4, minute=10),
    },
    # Staff are told of the cases whose stage deadline is near, once per case and stage.
    "sla-reminders": {
        "task": "notifications.tasks.send_sla_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    "purge-unverified-signups": {
        "task": "accounts.tasks.purge_unverified_signups",
        "schedule": crontab(hour=3, minute=30),
    },
}


@worker_process_init.connect
def warm_up_pdf(**kwargs):
    """Each worker process renders a small PDF as it starts, so the first certificate or report a
    person asks for does not pay WeasyPrint's cold start."""
    try:
        seconds = warm_up()
    except Exception:  # a failed warm-up only means the first PDF is slow; the worker still serves
        logging.getLogger(__name__).exception("Warming WeasyPrint up failed")
    else:
        logging.getLogger(__name__).info("WeasyPrint warmed up in %.1f s", seconds)
