"""Attendance per meeting and exam results; the pass rule lives here and nowhere else."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs import workflow as engine
from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.formats import format_digits
from greenjobs.jalali import format_date
from greenjobs.outbox.services import enqueue

from ..models import Attendance, Enrolment, Meeting, MeetingEvent, Session
from ..permissions import can_manage_training
from ..workflow import SESSION_TRANSITIONS
from .transitions import SESSION_FLOW


def _require_tvto(actor):
    if not can_manage_training(actor):
        raise DomainError(
            _("Only TVTO staff record attendance and results."), code="forbidden", status_code=403
        )


def _session_for_records(session_id: int, actor) -> Session:
    """The session locked for a change to its meetings, after the same checks as taking attendance."""
    _require_tvto(actor)
    session = Session.objects.select_for_update().select_related("course").get(pk=session_id)
    if session.status == Session.Status.CANCELLED:
        raise ConflictError(_("This session was cancelled."), code="cancelled")
    return session


def _check_meeting_date(session: Session, held_on, *, meeting: Meeting | None = None) -> None:
    """Within the session's dates, and the only meeting of the session that day. Field errors on held_on."""
    if not session.starts_on <= held_on <= session.ends_on:
        raise ValidationError(
            {
                "held_on": ValidationError(
                    _("A meeting of this session is held from %(start)s to %(end)s; %(date)s is outside it.")
                    % {
                        "start": format_date(session.starts_on),
                        "end": format_date(session.ends_on),
                        "date": format_meeting_date(held_on),
                    },
                    code="outside_session",
                )
            }
        )
    taken = session.meetings.filter(held_on=held_on).exclude(pk=getattr(meeting, "pk", None)).first()
    if taken is not None:
        raise ValidationError(
            {
                "held_on": ValidationError(
                    _("Meeting %(number)s of this session is already recorded on %(date)s.")
                    % {"number": format_digits(taken.number), "date": format_date(held_on)},
                    code="date_taken",
                )
            }
        )


def format_meeting_date(value) -> str:
    """As every date, except one outside the Jalali calendar's range (year 9999, say, recorded before dates
    were checked), which is shown in ISO form rather than crashing the page."""
    try:
        return format_date(value)
    except (ValueError, OverflowError):
        return format_digits(value.isoformat())


def _renumber(session: Session) -> None:
    """Numbers the session's meetings 1, 2, … in date order, so M1 is always the first day held.

    Two passes: the numbers are unique per session and PostgreSQL checks that row by row, so every
    meeting first moves clear of the final range.
    """
    meetings = list(session.meetings.order_by("held_on", "pk").values_list("pk", "number"))
    if all(number == index for index, (_pk, number) in enumerate(meetings, start=1)):
        return
    offset = max(number for _pk, number in meetings) + len(meetings)
    session.meetings.update(number=F("number") + offset)
    for index, (pk, _number) in enumerate(meetings, start=1):
        Meeting.objects.filter(pk=pk).update(number=index)


@transaction.atomic
def meeting_add(*, session_id: int, actor, held_on) -> Meeting:
    session = _session_for_records(session_id, actor)
    _check_meeting_date(session, held_on)
    number = (session.meetings.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    meeting = Meeting.objects.create(session=session, number=number, held_on=held_on)
    _renumber(session)
    meeting.refresh_from_db(fields=["number"])
    return meeting


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Write why the meeting is changed; it is kept with the change."),
                                       code="reason_required")}
        )  # fmt: skip
    return reason


def _results_snapshot(session: Session) -> dict:
    """{enrolment_id: (attendance percent, passed)} for the enrolled people, as the meetings stand now."""
    counted = counted_meeting_ids(session)
    return {
        enrolment.pk: (attendance_percent(enrolment, counted), enrolment.passed)
        for enrolment in session.enrolments.filter(status=Enrolment.Status.ENROLLED).prefetch_related(
            "attendance"
        )
    }


def _recompute_results(session: Session) -> list[dict]:
    """Applies the pass rule again to every recorded result of the session; returns what moved.

    Only results already recorded are touched (their scores stay); a pass that appears gets its
    certificate as in results_record. A certificate already issued is not revoked here: revocation is a
    decision with a public reason, so the page points staff to it instead.
    """
    counted = counted_meeting_ids(session)
    changed = []
    enrolments = (
        session.enrolments.select_for_update()
        .filter(status=Enrolment.Status.ENROLLED, theory_score__isnull=False, practical_score__isnull=False)
        .prefetch_related("attendance")
    )
    for enrolment in enrolments:
        passed = passes(
            theory=enrolment.theory_score,
            practical=enrolment.practical_score,
            attendance=attendance_percent(enrolment, counted),
            course=session.course,
        )
        if passed != enrolment.passed:
            changed.append({"enrolment": enrolment.pk, "passed": [enrolment.passed, passed]})
            enrolment.passed = passed
            enrolment.save(update_fields=["passed"])
    if any(row["passed"][1] for row in changed):
        _issue_certificates_after_commit(session.pk)
    return changed


def _issue_certificates_after_commit(session_id: int) -> None:
    enqueue("training.tasks.issue_certificates", session_id)


def _record_change(
    session, meeting, *, action, number, held_on_before, actor, reason, before
) -> MeetingEvent:
    moved = {row["enrolment"]: row["passed"] for row in _recompute_results(session)}
    after = _results_snapshot(session)
    results = [
        {
            "enrolment": enrolment_id,
            "percent": [before[enrolment_id][0], after[enrolment_id][0]],
            "passed": moved.get(enrolment_id, [before[enrolment_id][1]] * 2),
        }
        for enrolment_id in sorted(after)
        if enrolment_id in before
        and (before[enrolment_id][0], before[enrolment_id][1]) != after[enrolment_id]
    ]
    return MeetingEvent.objects.create(
        session=session,
        action=action,
        meeting_number=number,
        held_on_before=held_on_before,
        held_on_after=meeting.held_on if action == MeetingEvent.Action.CORRECTED else None,
        results=results,
        reason=reason,
        actor=actor,
    )


@transaction.atomic
def meeting_correct(*, meeting_id: int, actor, held_on, reason: str) -> MeetingEvent:
    """Moves a meeting to the day it was really held; the session's recorded results follow."""
    session_id = Meeting.objects.values_list("session_id", flat=True).get(pk=meeting_id)
    session = _session_for_records(session_id, actor)
    meeting = Meeting.objects.get(pk=meeting_id)
    reason = _reason_required(reason)
    _check_meeting_date(session, held_on, meeting=meeting)
    if held_on == meeting.held_on:
        raise ValidationError(
            {"held_on": ValidationError(_("The meeting is already on this date."), code="unchanged")}
        )
    before = _results_snapshot(session)
    number, held_on_before, meeting.held_on = meeting.number, meeting.held_on, held_on
    meeting.save(update_fields=["held_on"])
    _renumber(session)
    return _record_change(
        session, meeting, action=MeetingEvent.Action.CORRECTED, number=number, held_on_before=held_on_before,
        actor=actor, reason=reason, before=before,
    )  # fmt: skip


@transaction.atomic
def meeting_remove(*, meeting_id: int, actor, reason: str) -> MeetingEvent:
    """Removes a meeting that was not held, with its roll call; the session's recorded results follow."""
    session_id = Meeting.objects.values_list("session_id", flat=True).get(pk=meeting_id)
    session = _session_for_records(session_id, actor)
    meeting = Meeting.objects.get(pk=meeting_id)
    reason = _reason_required(reason)
    before = _results_snapshot(session)
    number = meeting.number
    meeting.delete()
    _renumber(session)
    return _record_change(
        session, meeting, action=MeetingEvent.Action.REMOVED, number=number, held_on_before=meeting.held_on,
        actor=actor, reason=reason, before=before,
    )  # fmt: skip


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


@transaction.atomic
def roll_call_record(*, session_id: int, actor, held_on, roll_call_ids, present_enrolment_ids) -> tuple:
    """One page of a meeting's roll call: the people in `roll_call_ids`, those listed present, the rest of
    them absent. Returns (meeting, how many were recorded).

    The first page recorded for a date creates the meeting; the session's other pages are recorded on it
    with the same date, each person once. A page whose people are already marked for that date is
    refused as a second meeting on the same day is; a page holding the whole roster is exactly
    meeting_add followed by attendance_record. The session's row lock orders two pages sent at once.
    """
    session = _session_for_records(session_id, actor)
    roll = {int(pk) for pk in roll_call_ids}
    present = {int(pk) for pk in present_enrolment_ids}
    enrolled = set(session.enrolments.filter(status=Enrolment.Status.ENROLLED).values_list("pk", flat=True))
    if present - roll or roll - enrolled:
        raise DomainError(
            _("Some people marked present are not enrolled in this session."), code="not_enrolled"
        )
    meeting = session.meetings.filter(held_on=held_on).first()
    if meeting is None:
        meeting = meeting_add(session_id=session.pk, actor=actor, held_on=held_on)
    elif meeting.attendance.filter(enrolment_id__in=roll).exists():
        raise ValidationError(
            {
                "held_on": ValidationError(
                    _("Meeting %(number)s of this session is already recorded on %(date)s.")
                    % {"number": format_digits(meeting.number), "date": format_date(held_on)},
                    code="date_taken",
                )
            }
        )
    Attendance.objects.bulk_create(
        Attendance(enrolment_id=pk, meeting=meeting, present=pk in present, recorded_by=actor)
        for pk in sorted(roll)
    )
    return meeting, len(roll)


def counted_meeting_ids(session: Session) -> set[int]:
    """The meetings the pass rule counts: those within the session's dates.

    A meeting dated outside them (recorded before dates were checked) was not a meeting of this session;
    counting it would fail people who attended every real one. The attendance page flags it for
    correction or removal.
    """
    return set(
        session.meetings.filter(held_on__gte=session.starts_on, held_on__lte=session.ends_on).values_list(
            "pk", flat=True
        )
    )


def attendance_percent(enrolment, counted: set[int]) -> int:
    """Whole percent of the counted meetings attended, rounded down (79.9 % does not make 80 %)."""
    if not counted:
        return 0
    attended = sum(
        1 for record in enrolment.attendance.all() if record.present and record.meeting_id in counted
    )
    return attended * 100 // len(counted)


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
    counted = counted_meeting_ids(session)
    if not counted:
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
            attendance=attendance_percent(enrolment, counted),
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
    if session.status in SESSION_TRANSITIONS["finish"].sources:
        engine.apply(SESSION_FLOW, "finish", obj=session, actor=actor)
    _issue_certificates_after_commit(session.pk)
    return updated
