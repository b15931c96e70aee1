from celery import shared_task
from django.contrib.auth import get_user_model

from . import emails, services


@shared_task(bind=True, max_retries=5, default_retry_delay=60, time_limit=60, soft_time_limit=50)
def send_verification_email(self, user_id: int) -> str:
    user = get_user_model().objects.filter(pk=user_id, email_verified_at__isnull=True).first()
    if user is None:
        # Already verified or gone: nothing to send, and a re-delivered task must not send twice.
        return "skipped"
    try:
        emails.send_verification(user)
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return "sent"


@shared_task(bind=True, max_retries=5, default_retry_delay=60, time_limit=60, soft_time_limit=50)
def send_account_exists_notice(self, user_id: int) -> str:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return "skipped"
    try:
        emails.send_account_exists(user)
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return "sent"


@shared_task(time_limit=300, soft_time_limit=240)
def purge_unverified_signups() -> int:
    return services.unverified_signups_purge()
