"""Seats: enrolment within capacity under a row lock, an ordered wait list, and promotion when a seat
frees."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.formats import format_number
from greenjobs.outbox.services import enqueue

from ..models import Enrolment, Session
from ..permissions import can_manage_training


def _locked_session(session_id: int) -> Session:
    session = Session.objects.select_for_update().filter(pk=session_id).first()
    if session is None:
        raise DomainError(_("No such session."), code="not_found", status_code=404)
    return session


def _enrol_locked(session: Session, person, *, by) -> Enrolment:
    """With the session row locked: a seat if one is free, else the end of the wait list."""
    if session.status != Session.Status.PLANNED:
        raise ConflictError(_("This session no longer takes enrolments."), code="closed")
    if (
        Enrolment.objects.filter(session=session, person=person)
        .exclude(status=Enrolment.Status.CANCELLED)
        .exists()
    ):
        raise ConflictError(
            _("You are already enrolled in this session or on its wait list."), code="duplicate"
        )
    seat = session.enrolled_count < session.capacity
    enrolment = Enrolment.objects.create(
        session=session, person=person, enrolled_by=by,
        status=Enrolment.Status.ENROLLED if seat else Enrolment.Status.WAITLISTED,
        requested_at=timezone.now(),
    )  # fmt: skip
    if seat:
        session.enrolled_count += 1
        session.save(update_fields=["enrolled_count"])
    return enrolment


@transaction.atomic
def enrol(*, session_id: int, person, actor) -> Enrolment:
    """A person enrols themselves, or TVTO enrols them; never more than the seats, whatever the
    concurrency."""
    if actor.pk != person.pk and not can_manage_training(actor):
        raise DomainError(_("You may not enrol other people."), code="forbidden", status_code=403)
    if actor.pk == person.pk and not person.is_applicant:
        raise DomainError(_("Staff accounts do not enrol in courses."), code="forbidden", status_code=403)
    session = _locked_session(session_id)
    if actor.pk == person.pk and not session.is_open_for_enrolment:
        raise ConflictError(_("Enrolment for this session has closed."), code="closed")
    try:
        with transaction.atomic():
            return _enrol_locked(session, person, by=actor)
    except IntegrityError as exc:
        raise ConflictError(
            _("You are already enrolled in this session or on its wait list."), code="duplicate"
        ) from exc


def _promote_locked(session: Session) -> Enrolment | None:
    """Gives a freed seat to the first person on the wait list, in the order they asked."""
    if session.enrolled_count >= session.capacity:
        return None
    first = (
        Enrolment.objects.select_for_update()
        .filter(session=session, status=Enrolment.Status.WAITLISTED)
        .order_by("requested_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = Enrolment.Status.ENROLLED
    first.save(update_fields=["status"])
    session.enrolled_count += 1
    session.save(update_fields=["enrolled_count"])
    # The promoted person's mail is recorded with the promotion (outbox), and sent once it commits.
    enqueue("training.tasks.send_promotion_email", first.pk)
    return first


@transaction.atomic
def cancel(*, enrolment_id: int, actor) -> Enrolment:
    enrolment = Enrolment.objects.select_related("session").filter(pk=enrolment_id).first()
    if enrolment is None or (enrolment.person_id != actor.pk and not can_manage_training(actor)):
        raise DomainError(_("No such enrolment."), code="not_found", status_code=404)
    session = _locked_session(enrolment.session_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    if enrolment.status == Enrolment.Status.CANCELLED:
        return enrolment
    if enrolment.passed is not None:
        raise ConflictError(
            _("A result is recorded; this enrolment can no longer be cancelled."), code="has_result"
        )
    was_seated = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save(update_fields=["status"])
    if was_seated:
        session.enrolled_count -= 1
        session.save(update_fields=["enrolled_count"])
        _promote_locked(session)
    return enrolment


@transaction.atomic
def capacity_change(*, session_id: int, actor, capacity: int) -> Session:
    if not can_manage_training(actor):
        raise DomainError(_("You may not do this."), code="forbidden", status_code=403)
    session = _locked_session(session_id)
    if capacity < session.enrolled_count:
        raise ValidationError(
            {"capacity": _("%(count)s people already hold seats; cancel enrolments first.")
             % {"count": format_number(session.enrolled_count)}}
        )  # fmt: skip
    session.capacity = capacity
    session.save(update_fields=["capacity"])
    while _promote_locked(session):
        pass
    return session


@transaction.atomic
def enrol_roster(*, session_id: int, actor, people: list) -> list[Enrolment]:
    """Bulk enrolment by TVTO from a checked roster: all in one transaction, in the roster's order."""
    if not can_manage_training(actor):
        raise DomainError(_("You may not do this."), code="forbidden", status_code=403)
    session = _locked_session(session_id)
    return [_enrol_locked(session, person, by=actor) for person in people]
