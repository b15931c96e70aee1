"""What job monitoring tells the applicant in their notification centre (see notifications.kinds).

The same moves their e-mail tells them of: a round not reported in time, a report checked against the
insurance lists, and MCLS's decision on a shortfall (urgent: offered by SMS too).
"""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenjobs import notes
from greenjobs.formats import format_digits
from notifications import kinds
from notifications.services import notify

from .models import RoundEvent, RoundStatus
from .workflow import MOVES

ROUND = "monitoring.round"
DECISION = "monitoring.decision"


def _text(params: dict):
    move = MOVES.get(params["action"])
    if move and move.applicant_label:
        what = str(move.applicant_label)
    else:
        try:
            what = str(RoundStatus(params["to"]).label)
        except ValueError:
            what = params["to"]
    reference = format_html('<bdi class="identifier" dir="ltr">{}</bdi>', params["reference"])
    reason = Truncator(notes.render(params.get("reason", ""))).chars(300)
    number = format_digits(params["number"])
    if reason:
        sentence = _("Job monitoring round {number} of loan {reference}: {what}: {reason}")
        return format_html(sentence, number=number, reference=reference, what=what, reason=reason)
    sentence = _("Job monitoring round {number} of loan {reference}: {what}.")
    return format_html(sentence, number=number, reference=reference, what=what)


def _link(params: dict) -> str:
    return reverse("monitoring:round_detail", args=[params["round_id"]])


kinds.register(kinds.Kind(ROUND, gettext_lazy("News on the monitoring of my loan's jobs"), _text, _link))
kinds.register(
    kinds.Kind(
        DECISION, gettext_lazy("MCLS's decision on a shortfall of my loan's jobs"), _text, _link, urgent=True
    )
)


def kind_of(event: RoundEvent) -> str:
    return DECISION if event.action == "decide" else ROUND


def event_recorded(event: RoundEvent) -> None:
    """In the event's transaction: the applicant's notification."""
    round_ = event.round
    notify(
        recipients=[round_.loan.applicant_id],
        kind=kind_of(event),
        params={
            "round_id": round_.pk,
            "number": round_.number,
            "reference": round_.loan.reference,
            "action": event.action,
            "to": event.to_status,
            "reason": event.reason,
        },
        key=f"monitoring.event:{event.pk}",
        at=event.at,
    )
