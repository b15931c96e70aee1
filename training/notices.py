"""What training tells people in their notification centre (see notifications.kinds): a seat freed up."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenjobs.bilingual import pick
from greenjobs.formats import format_date
from notifications import kinds
from notifications.services import notify

from .models import TrainingEvent

PROMOTED = "training.promoted"


def _promoted_text(params: dict) -> str:
    return _("A seat freed up: you moved from the wait list into “%(course)s”, starting %(date)s.") % {
        "course": pick(params["course_fa"], params["course_en"]),
        "date": format_date(datetime.date.fromisoformat(params["starts_on"]), "long"),
    }


def _link(params: dict) -> str:
    return reverse("training:my_training")


PROMOTED_LABEL = gettext_lazy("A seat freed up for me on a course")
kinds.register(kinds.Kind(PROMOTED, PROMOTED_LABEL, _promoted_text, _link, urgent=True))


def promoted(event: TrainingEvent) -> None:
    """In the transaction that gave the seat: the trainee's notification."""
    enrolment = event.enrolment
    course = enrolment.session.course
    notify(
        recipients=[enrolment.person_id],
        kind=PROMOTED,
        params={
            "enrolment_id": enrolment.pk,
            "course_fa": course.title_fa,
            "course_en": course.title_en,
            "starts_on": enrolment.session.starts_on.isoformat(),
        },
        key=f"training.event:{event.pk}",
        at=event.at,
    )
