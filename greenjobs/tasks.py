from celery import shared_task
from django.core.management import call_command


@shared_task(time_limit=300, soft_time_limit=240)
def clear_expired_sessions():
    call_command("clearsessions")


@shared_task(time_limit=10)
def ping():
    """Answers 'pong': lets operators and the health tests prove that a worker is consuming."""
    return "pong"
