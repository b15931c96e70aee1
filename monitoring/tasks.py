from celery import shared_task

from greenjobs.outbox.services import send_once
from notifications.selectors import EMAIL, wants

from . import emails, notices
from .models import RoundEvent
from .services import imports, rounds


@shared_task(bind=True, max_retries=5, time_limit=60, soft_time_limit=50, queue_kind="email")
def send_round_event_email(self, event_id: int) -> str:
    event = (
        RoundEvent.objects.select_related("round__loan__applicant", "round__loan__scheme")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return "gone"
    # The applicant may have chosen not to get this kind of news by e-mail (the inbox still has it).
    if not wants(user_id=event.round.loan.applicant_id, kind_code=notices.kind_of(event), channel=EMAIL):
        return "not wanted"
    # A re-delivered task (the worker died after sending) must not mail the applicant twice.
    key = f"monitoring:event-mail:{event_id}"
    return send_once(self, key=key, send=lambda: emails.send_round_event(event))


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60, acks_late=True, queue_kind="imports")
def run_insurance_import(job_id: int) -> str:
    return imports.import_run(job_id=job_id)


@shared_task(time_limit=900, soft_time_limit=870)
def monitoring_daily() -> dict:
    """Plans the rounds of loans that lack them, then flags the rounds whose report is past due."""
    return {"planned": rounds.rounds_plan_due(), "missed": rounds.rounds_mark_missed()}
