"""Attendance per meeting and exam results; the pass rule lives here and nowhere else."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.outbox.services import enqueue

from ..models import Attendance, Enrolment, Meeting, Session
from ..permissions import can_manage_training


def _require_tvto(actor):
    if not can_manage_training(actor):
        raise DomainError(
            _("Only TVTO staff record attendance and results."), code="forbidden", status_code=403
        )


@transaction.atomic
def meeting_add(*, session_id: int, actor, held_on) -> Meeting:
    _require_tvto(actor)
    session = Session.objects.select_for_update().get(pk=session_id)
    if session.status == Session.Status.CANCELLED:
        raise ConflictError(_("This session was cancelled."), code="cancelled")
    number = (session.meetings.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return Meeting.objects.create(session=session, number=number, held_on=held_on)


@transaction.atomic
def attendance_record(*, meeting_id: int, actor, present_enrolment_ids) -> int:
    """Records one meeting's roll call for every enrolled person: listed ids present, the rest absent."""
    _require_tvto(actor)
    meeting = Meeting.objects.select_related("session").get(pk=meeting_id)
    present = {int(pk) for pk in present_enrolment_ids}
    enrolled = list(
        meeting.session.enrolments.filter(status=Enrolment.Status.ENROLLED).values_list("pk", flat=True)
    )
    unknown = present - set(enrolled)
    if unknown:
        raise DomainError(
            _("Some people marked present are not enrolled in this session."), code="not_enrolled"
        )
    for enrolment_id in enrolled:
        Attendance.objects.update_or_create(
            enrolment_id=enrolment_id, meeting=meeting,
            defaults={"present": enrolment_id in present, "recorded_by": actor},
        )  # fmt: skip
    return len(enrolled)


def attendance_percent(enrolment, meetings_held: int) -> int:
    if not meetings_held:
        return 0
    attended = sum(1 for record in enrolment.attendance.all() if record.present)
    return attended * 100 // meetings_held


def passes(*, theory: Decimal, practical: Decimal, attendance: int, course) -> bool:
    """Both exams at or above the course's pass mark, and enough of the meetings attended."""
    return (
        theory >= course.pass_mark
        and practical >= course.pass_mark
        and attendance >= course.min_attendance_percent
    )


@transaction.atomic
def results_record(*, session_id: int, actor, scores: dict) -> list[Enrolment]:
    """Records the exam scores of a session in bulk: {enrolment_id: (theory, practical)}."""
    _require_tvto(actor)
    session = Session.objects.select_for_update().select_related("course").get(pk=session_id)
    meetings_held = session.meetings.count()
    if not meetings_held:
        raise ConflictError(_("Record the attendance of at least one meeting first."), code="no_attendance")
    enrolments = {
        e.pk: e
        for e in session.enrolments.select_for_update()
        .filter(status=Enrolment.Status.ENROLLED, pk__in=list(scores))
        .prefetch_related("attendance")
    }
    if set(map(int, scores)) - set(enrolments):
        raise DomainError(_("Some results are for people not enrolled in this session."), code="not_enrolled")
    now = timezone.now()
    updated = []
    for enrolment_id, (theory, practical) in scores.items():
        enrolment = enrolments[int(enrolment_id)]
        theory, practical = Decimal(theory), Decimal(practical)
        for value in (theory, practical):
            if not Decimal(0) <= value <= Decimal(100):
                raise DomainError(_("Scores are between 0 and 100."), code="score_range")
        enrolment.theory_score = theory
        enrolment.practical_score = practical
        enrolment.passed = passes(
            theory=theory,
            practical=practical,
            attendance=attendance_percent(enrolment, meetings_held),
            course=session.course,
        )
        enrolment.result_recorded_by = actor
        enrolment.result_recorded_at = now
        enrolment.save(
            update_fields=[
                "theory_score",
                "practical_score",
                "passed",
                "result_recorded_by",
                "result_recorded_at",
            ]
        )
        updated.append(enrolment)
    if session.status in (Session.Status.PLANNED, Session.Status.RUNNING):
        session.status = Session.Status.FINISHED
        session.save(update_fields=["status"])
    from .. import tasks

    enqueue(tasks.issue_certificates, session.pk)
    return updated
