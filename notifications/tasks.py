import html

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags

from greenjobs.links import absolute_reverse
from greenjobs.mail import render_subject, retry_countdown
from greenjobs.outbox.services import send_once, sent_mail_claim, sent_mail_release

from . import reminders, selectors, sms
from .models import Notification


def _plain(notification: Notification) -> str:
    """The notification's sentence as plain text, for a message that is not HTML."""
    return html.unescape(strip_tags(notification.text))


def _load(notification_id: int) -> Notification | None:
    return Notification.objects.select_related("recipient").filter(pk=notification_id).first()


@shared_task(bind=True, max_retries=5, time_limit=60, soft_time_limit=50, queue_kind="email")
def send_sms(self, notification_id: int) -> str:
    notification = _load(notification_id)
    if notification is None:
        return "gone"
    person = notification.recipient
    if not person.is_active or not person.mobile:
        return "no mobile"
    # Asked again here: the person may have turned SMS off after the event.
    if not selectors.wants(user_id=person.pk, kind_code=notification.kind, channel=selectors.SMS):
        return "not wanted"
    # A re-delivered task (the worker died after sending) must not text the person twice.
    key = f"notifications:sms:{notification_id}"
    if not sent_mail_claim(key=key):
        return "duplicate"
    with translation.override(person.language or "fa"):
        text = render_to_string(
            "notifications/sms.txt",
            {
                "text": _plain(notification),
                "link": absolute_reverse("notifications:open", args=[notification.pk]),
            },
        ).strip()
    try:
        sms.backend().send(to=person.mobile, text=text, reference=str(notification.pk))
    except sms.SmsTemporaryError as exc:
        sent_mail_release(key=key)
        sms.logger.warning("SMS for notification %s not sent, will retry: %s", notification_id, exc)
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from None
    except sms.SmsRejected as exc:
        # Kept claimed: the same message would be refused again.
        sms.logger.error("SMS for notification %s refused: %s", notification_id, exc)
        return "refused"
    return "sent"


@shared_task(bind=True, max_retries=5, time_limit=60, soft_time_limit=50, queue_kind="email")
def send_notification_email(self, notification_id: int) -> str:
    """The e-mail of a kind whose app sends none of its own (staff events), for those who want it."""
    notification = _load(notification_id)
    if notification is None:
        return "gone"
    person = notification.recipient
    if not person.is_active or not person.email:
        return "no address"
    if not selectors.wants(user_id=person.pk, kind_code=notification.kind, channel=selectors.EMAIL):
        return "not wanted"
    key = f"notifications:email:{notification_id}"
    with translation.override(person.language or "fa"):
        context = {
            "person": person,
            "text": _plain(notification),
            "link": absolute_reverse("notifications:open", args=[notification.pk]),
            "preferences": absolute_reverse("notifications:preferences"),
        }
        subject = render_subject("notifications/email/notice_subject.txt", context)
        body = render_to_string("notifications/email/notice_body.txt", context)
    return send_once(
        self, key=key, send=lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    )


@shared_task(time_limit=600, soft_time_limit=570)
def send_sla_reminders() -> dict:
    return reminders.run()
