"""Training's lifecycles as data: enrolments, sessions and certificates, and who may move each.

`who` is "person" (the trainee), "tvto" (TVTO staff), "person_or_tvto", or "system" (the portal itself).
A transition from "" is a row's birth: the service records it as the row's first event.
"""

from django.utils.translation import gettext_lazy as _

from greenjobs import workflow as engine
from greenjobs.workflow import SYSTEM, Transition

from .models import Certificate, Enrolment, Session
from .permissions import can_manage_training

E = Enrolment.Status
S = Session.Status
C = Certificate.Status

PERSON = "person"
TVTO = "tvto"
PERSON_OR_TVTO = "person_or_tvto"

ENROLMENT_TRANSITIONS = engine.table(
    Transition("enrol", ("",), E.ENROLLED, PERSON_OR_TVTO, _("Enrol")),
    Transition("waitlist", ("",), E.WAITLISTED, PERSON_OR_TVTO, _("Join the wait list")),
    # A freed seat goes to the first on the wait list, in the order they asked.
    Transition("promote", (E.WAITLISTED,), E.ENROLLED, SYSTEM, _("Give the freed seat")),
    Transition(
        "cancel", (E.ENROLLED, E.WAITLISTED), E.CANCELLED, PERSON_OR_TVTO, _("Cancel"), style="outline-danger"
    ),
)

SESSION_TRANSITIONS = engine.table(
    # Recording the exam results finishes the session.
    Transition("finish", (S.PLANNED, S.RUNNING), S.FINISHED, TVTO, _("Record the results")),
    Transition("cancel", (S.PLANNED, S.RUNNING), S.CANCELLED, TVTO, _("Cancel the session"), style="danger"),
)

CERTIFICATE_TRANSITIONS = engine.table(
    Transition("issue", ("",), C.ISSUED, SYSTEM, _("Issue")),
    Transition(
        "revoke", (C.ISSUED,), C.REVOKED, TVTO, _("Revoke"), needs_reason=True, style="outline-danger"
    ),
)


def person_of(obj) -> int | None:
    if isinstance(obj, Enrolment):
        return obj.person_id
    if isinstance(obj, Certificate):
        return obj.enrolment.person_id
    return None


def actor_may(transition: Transition, obj, user) -> bool:
    """Whether this user may make the move on this enrolment, session or certificate."""
    if user is None or not user.is_authenticated:
        return False
    is_person = person_of(obj) == user.pk
    if transition.who == PERSON:
        return is_person
    if transition.who == TVTO:
        return can_manage_training(user)
    if transition.who == PERSON_OR_TVTO:
        return is_person or can_manage_training(user)
    return False
