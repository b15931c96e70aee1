from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from greenjobs.links import absolute_reverse
from greenjobs.mail import render_subject

from .models import Decision
from .workflow import MOVES


def send_round_event(event) -> None:
    round_ = event.round
    applicant = round_.loan.applicant
    if not applicant.email:
        return
    with translation.override(applicant.language or "fa"):
        move = MOVES.get(event.action)
        decision = None
        if event.action == "decide":
            decision = (
                Decision.objects.filter(round=round_)
                .select_related("follow_up")
                .order_by("-decided_at", "-pk")
                .first()
            )
        context = {
            "event": event,
            "round": round_,
            "loan": round_.loan,
            "applicant": applicant,
            "decision": decision,
            "what": move.applicant_label if move else event.get_to_status_display(),
            "link": absolute_reverse("monitoring:round_detail", args=[round_.pk]),
        }
        subject = render_subject("monitoring/email/event_subject.txt", context)
        body = render_to_string("monitoring/email/event_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [applicant.email])
