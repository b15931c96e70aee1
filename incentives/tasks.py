from celery import shared_task

from greenjobs.outbox.services import send_once
from notifications.selectors import EMAIL, wants

from . import emails, notices
from .models import ApplicationEvent
from .services import repayments


@shared_task(bind=True, max_retries=5, time_limit=60, soft_time_limit=50, queue_kind="email")
def send_application_event_email(self, event_id: int) -> str:
    # A re-delivered task (the worker died after sending) must not mail the applicant twice.
    event = (
        ApplicationEvent.objects.select_related("application__applicant", "application__scheme")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return "gone"
    # The applicant may have chosen not to get this kind of news by e-mail (the inbox still has it).
    kind = notices.applicant_kind(event)
    if not wants(user_id=event.application.applicant_id, kind_code=kind, channel=EMAIL):
        return "not wanted"
    key = f"incentives:event-mail:{event_id}"
    return send_once(self, key=key, send=lambda: emails.send_application_event(event))


@shared_task(time_limit=900, soft_time_limit=870)
def refresh_arrears() -> int:
    return repayments.arrears_refresh_all()
