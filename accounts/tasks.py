from celery import shared_task
from django.contrib.auth import get_user_model

from greenjobs.outbox.services import send_once

from . import emails, services


@shared_task(bind=True, max_retries=5, time_limit=60, soft_time_limit=50, queue_kind="email")
def send_verification_email(self, user_id: int) -> str:
    user = get_user_model().objects.filter(pk=user_id, email_verified_at__isnull=True).first()
    if user is None:
        # Already verified or gone: nothing to send, and a re-delivered task must not send twice.
        return "skipped"
    # One mail per task, however often its message is delivered (the id stays the same).
    key = f"accounts:verification-mail:{self.request.id}"
    return send_once(self, key=key, send=lambda: emails.send_verification(user))


@shared_task(bind=True, max_retries=5, time_limit=60, soft_time_limit=50, queue_kind="email")
def send_account_exists_notice(self, user_id: int) -> str:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return "skipped"
    # One mail per task, however often its message is delivered (the id stays the same).
    key = f"accounts:account-exists-mail:{self.request.id}"
    return send_once(self, key=key, send=lambda: emails.send_account_exists(user))


@shared_task(bind=True, max_retries=5, time_limit=60, soft_time_limit=50, queue_kind="email")
def send_password_reset_email(self, user_id: int) -> str:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None or not user.has_usable_password():
        return "skipped"
    # One mail per task, however often its message is delivered (the id stays the same).
    key = f"accounts:password-reset-mail:{self.request.id}"
    return send_once(self, key=key, send=lambda: emails.send_password_reset(user))


@shared_task(time_limit=300, soft_time_limit=240)
def purge_unverified_signups() -> int:
    return services.unverified_signups_purge()
