from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from greenjobs.links import absolute_reverse
from greenjobs.mail import render_subject

from .workflow import MOVES


def send_application_event(event) -> None:
    application = event.application
    applicant = application.applicant
    if not applicant.email:
        return
    # The applicant's own language, whatever language the staff member who acted was using.
    with translation.override(applicant.language or "fa"):
        move = MOVES.get(event.action)
        context = {
            "event": event,
            "application": application,
            "applicant": applicant,
            "what": move.applicant_label if move else event.get_to_stage_display(),
            "link": absolute_reverse("incentives:application_detail", args=[application.pk]),
        }
        subject = render_subject("incentives/email/event_subject.txt", context)
        body = render_to_string("incentives/email/event_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [applicant.email])
