from celery import shared_task
from django.core.management import call_command

from . import storage


@shared_task(time_limit=300, soft_time_limit=240)
def clear_expired_sessions():
    call_command("clearsessions")


@shared_task(time_limit=10)
def ping():
    """Answers 'pong': lets operators and the health tests prove that a worker is consuming."""
    return "pong"


@shared_task(time_limit=3600, soft_time_limit=3500)
def sweep_orphan_files() -> dict:
    result = storage.orphans_sweep()
    return {key: value for key, value in result.items() if key != "names"}
