from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from greenjobs.links import absolute_reverse
from greenjobs.mail import render_subject


def send_registration_event(event) -> None:
    owner = event.business.owner
    if not owner.email:
        return
    with translation.override(owner.language or "fa"):
        context = {
            "event": event,
            "business": event.business,
            "owner": owner,
            "link": absolute_reverse("programs:business_detail", args=[event.business_id]),
        }
        subject = render_subject("programs/email/event_subject.txt", context)
        body = render_to_string("programs/email/event_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
