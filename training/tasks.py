from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from greenjobs.links import absolute_reverse
from greenjobs.mail import render_subject
from greenjobs.outbox.services import send_once
from notifications.selectors import EMAIL, wants

from . import notices
from .models import Enrolment
from .services import certificates


@shared_task(time_limit=300, soft_time_limit=280, acks_late=True)
def issue_certificates(session_id: int) -> int:
    return certificates.certificates_issue_for_session(session_id=session_id)


@shared_task(bind=True, max_retries=5, time_limit=60, queue_kind="email")
def send_promotion_email(self, enrolment_id: int) -> str:
    enrolment = (
        Enrolment.objects.select_related("person", "session__course", "session__centre")
        .filter(pk=enrolment_id, status=Enrolment.Status.ENROLLED)
        .first()
    )
    if enrolment is None or not enrolment.person.email:
        return "skipped"
    # The trainee may have chosen not to get this by e-mail (the inbox still has it).
    if not wants(user_id=enrolment.person_id, kind_code=notices.PROMOTED, channel=EMAIL):
        return "not wanted"
    # The task's id is the same on every delivery of one promotion: a worker that died after sending
    # must not mail the trainee again when the message comes back.
    key = f"training:promotion-mail:{self.request.id}"
    with translation.override(enrolment.person.language or "fa"):
        context = {
            "enrolment": enrolment,
            "session": enrolment.session,
            "link": absolute_reverse("training:my_training"),
        }
        subject = render_subject("training/email/promoted_subject.txt", context)
        body = render_to_string("training/email/promoted_body.txt", context)
    return send_once(
        self,
        key=key,
        send=lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [enrolment.person.email]),
    )
