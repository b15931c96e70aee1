from celery import shared_task

from greenjobs.outbox.services import send_once
from notifications.selectors import EMAIL, wants

from . import emails, notices
from .models import RegistrationEvent
from .services import imports, registrations


@shared_task(bind=True, max_retries=5, time_limit=60, soft_time_limit=50, queue_kind="email")
def send_registration_event_email(self, event_id: int) -> str:
    # A re-delivered task (worker died after sending) must not mail the applicant twice.
    event = RegistrationEvent.objects.select_related("business__owner").filter(pk=event_id).first()
    if event is None:
        return "gone"
    # The owner may have chosen not to get this kind of news by e-mail (the inbox still has it).
    kind = notices.owner_kind(event.to_status)
    if not wants(user_id=event.business.owner_id, kind_code=kind, channel=EMAIL):
        return "not wanted"
    key = f"programs:event-mail:{event_id}"
    return send_once(self, key=key, send=lambda: emails.send_registration_event(event))


@shared_task(time_limit=600, soft_time_limit=570)
def expire_registrations() -> int:
    return registrations.registrations_expire_due()


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60, acks_late=True, queue_kind="imports")
def run_import(job_id: int) -> str:
    return imports.import_run(job_id=job_id)
