"""Training's workflows bound to the engine: every status change is checked there and leaves an event."""

from django.utils.translation import gettext_lazy as _

from greenjobs.exceptions import ConflictError
from greenjobs.outbox.services import enqueue
from greenjobs.workflow import Workflow

from .. import notices
from ..models import Certificate, Enrolment, Session, TrainingEvent
from ..workflow import CERTIFICATE_TRANSITIONS, ENROLMENT_TRANSITIONS, SESSION_TRANSITIONS, actor_may


def _enrolment_event(enrolment, transition, *, actor, from_status, to_status, reason, at) -> TrainingEvent:
    return TrainingEvent.objects.create(
        session_id=enrolment.session_id, enrolment=enrolment, action=transition.name,
        from_status=from_status, to_status=to_status, actor=actor, reason=reason, at=at,
    )  # fmt: skip


def _session_event(session, transition, *, actor, from_status, to_status, reason, at) -> TrainingEvent:
    return TrainingEvent.objects.create(
        session=session, action=transition.name,
        from_status=from_status, to_status=to_status, actor=actor, reason=reason, at=at,
    )  # fmt: skip


def _certificate_event(
    certificate, transition, *, actor, from_status, to_status, reason, at
) -> TrainingEvent:
    return TrainingEvent.objects.create(
        session_id=certificate.enrolment.session_id, enrolment_id=certificate.enrolment_id,
        certificate=certificate, action=transition.name,
        from_status=from_status, to_status=to_status, actor=actor, reason=reason, at=at,
    )  # fmt: skip


def _notify_enrolment(event: TrainingEvent) -> None:
    if event.action == "promote":
        notices.promoted(event)
        enqueue("training.tasks.send_promotion_email", event.enrolment_id)


def _session_out_of_place(transition, session) -> ConflictError:
    if transition.name == "cancel" and session.status == Session.Status.FINISHED:
        return ConflictError(str(_("A finished session cannot be cancelled.")), code="finished")
    return ConflictError(str(_("This session is no longer open.")), code="closed")


ENROLMENT_FLOW = Workflow(
    transitions=ENROLMENT_TRANSITIONS,
    model=Enrolment,
    may=actor_may,
    record=_enrolment_event,
    notify=_notify_enrolment,
    not_found_message=_("No such enrolment."),
    stale_message=_(
        "Someone else changed this enrolment a moment ago; it is now “%(status)s”. Reload and check."
    ),
    not_possible_message=_("“%(action)s” is not possible while the enrolment is “%(status)s”."),
)

SESSION_FLOW = Workflow(
    transitions=SESSION_TRANSITIONS,
    model=Session,
    may=actor_may,
    record=_session_event,
    out_of_place=_session_out_of_place,
    not_found_message=_("No such session."),
    stale_message=_(
        "Someone else changed this session a moment ago; it is now “%(status)s”. Reload and check."
    ),
    not_possible_message=_("“%(action)s” is not possible while the session is “%(status)s”."),
)

CERTIFICATE_FLOW = Workflow(
    transitions=CERTIFICATE_TRANSITIONS,
    model=Certificate,
    may=actor_may,
    record=_certificate_event,
    select_related=("enrolment",),
    out_of_place=lambda transition, certificate: ConflictError(
        str(_("This certificate is already revoked.")), code="already_revoked"
    ),
    not_found_message=_("No such certificate."),
    forbidden_message=_("Only TVTO staff revoke certificates."),
    reason_message=_("Write why the certificate is revoked; the verification page shows it."),
    stale_message=_(
        "Someone else changed this certificate a moment ago; it is now “%(status)s”. Reload and check."
    ),
    not_possible_message=_("“%(action)s” is not possible while the certificate is “%(status)s”."),
)
