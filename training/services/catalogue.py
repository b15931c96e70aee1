"""TVTO's upkeep of the training catalogue: centres, courses and their sessions.

Nothing here is ever deleted: enrolments and certificates refer to it. A centre or course that stops is
made inactive; a session that will not run is cancelled.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from greenjobs import uploads
from greenjobs import workflow as engine
from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.formats import format_digits, format_number
from greenjobs.jalali import format_date
from greenjobs.text import fold_digits, normalize_persian

from ..models import CertificateArtwork, Course, Enrolment, Session, TrainingCentre
from ..permissions import can_manage_training
from . import enrolment as enrolment_services
from .transitions import SESSION_FLOW

CENTRE_FIELDS = (
    "name_fa",
    "name_en",
    "kind",
    "county",
    "address",
    "accreditation_number",
    "is_active",
    "signatory_name_fa",
    "signatory_name_en",
    "signatory_title_fa",
    "signatory_title_en",
)
COURSE_FIELDS = (
    "standard_code", "title_fa", "title_en", "occupation", "hours", "audience", "description_fa",
    "description_en", "pass_mark", "min_attendance_percent", "is_active",
)  # fmt: skip
SESSION_FIELDS = ("course", "centre", "starts_on", "ends_on", "capacity", "instructor")

# Names are shown and searched; they are stored in one canonical Persian spelling.
NAME_FIELDS = ("name_fa", "name_en", "title_fa", "title_en", "instructor", "address")
TEXT_FIELDS = ("description_fa", "description_en")
EDITABLE_SESSION_STATUSES = (Session.Status.PLANNED, Session.Status.RUNNING)


def _require_tvto(actor) -> None:
    if not can_manage_training(actor):
        raise DomainError(
            _("Only TVTO staff manage training centres, courses and sessions."),
            code="forbidden",
            status_code=403,
        )


def _clean_text(value) -> str:
    """Descriptions keep their line breaks; only surrounding blanks and Windows line ends go."""
    return "\n".join(line.rstrip() for line in (value or "").replace("\r\n", "\n").split("\n")).strip()


def _apply(instance, data: dict, fields) -> None:
    for field in fields:
        if field not in data:
            continue
        value = data[field]
        if field in NAME_FIELDS:
            value = normalize_persian(value or "")
        elif field in TEXT_FIELDS:
            value = _clean_text(value)
        elif field == "accreditation_number":
            value = fold_digits(value or "").strip()
        elif field == "standard_code":
            value = fold_digits(value or "").strip().upper()
        elif field == "is_active":
            value = bool(value)
        setattr(instance, field, value)


# --- centres ------------------------------------------------------------------------------------------------


@transaction.atomic
def centre_create(*, actor, data: dict) -> TrainingCentre:
    _require_tvto(actor)
    centre = TrainingCentre()
    _apply(centre, data, CENTRE_FIELDS)
    centre.full_clean()
    centre.save()
    return centre


@transaction.atomic
def centre_update(*, centre_id: int, actor, data: dict, signature=None) -> TrainingCentre:
    """Saves the centre; with `signature`, its signatory's new signature image too (or neither)."""
    _require_tvto(actor)
    centre = TrainingCentre.objects.select_for_update().filter(pk=centre_id).first()
    if centre is None:
        raise DomainError(_("No such training centre."), code="not_found", status_code=404)
    _apply(centre, data, CENTRE_FIELDS)
    centre.full_clean()
    centre.save()
    if signature:
        try:
            artwork_upload(
                actor=actor, kind=CertificateArtwork.Kind.SIGNATURE, uploaded=signature, centre_id=centre.pk
            )
        except ValidationError as exc:
            raise ValidationError({"signature": exc.message_dict["image"]}) from exc
    return centre


# --- courses ------------------------------------------------------------------------------------------------


def _standard_code_taken(course: Course) -> ValidationError:
    return ValidationError(
        {
            "standard_code": _("The training standard %(code)s already has a course.")
            % {"code": course.standard_code}
        }
    )


def _save_course(course: Course) -> Course:
    if Course.objects.filter(standard_code__iexact=course.standard_code).exclude(pk=course.pk).exists():
        raise _standard_code_taken(course)
    course.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            course.save()
    except IntegrityError as exc:  # someone saved the same code between the check and the insert
        raise _standard_code_taken(course) from exc
    return course


@transaction.atomic
def course_create(*, actor, data: dict) -> Course:
    _require_tvto(actor)
    course = Course()
    _apply(course, data, COURSE_FIELDS)
    return _save_course(course)


@transaction.atomic
def course_update(*, course_id: int, actor, data: dict) -> Course:
    """Changes a course. The pass rule (pass mark, attendance) applies to results recorded from now on."""
    _require_tvto(actor)
    course = Course.objects.select_for_update().filter(pk=course_id).first()
    if course is None:
        raise DomainError(_("No such course."), code="not_found", status_code=404)
    _apply(course, data, COURSE_FIELDS)
    return _save_course(course)


# --- sessions -----------------------------------------------------------------------------------------------


def _meetings_left_outside(session: Session, original: Session) -> dict:
    """New dates must keep every meeting held within the old ones, or the pass rule would stop counting it."""
    held = original.meetings.filter(held_on__gte=original.starts_on, held_on__lte=original.ends_on)
    before = held.filter(held_on__lt=session.starts_on).order_by("held_on").first()
    after = held.filter(held_on__gt=session.ends_on).order_by("-held_on").first()
    errors = {}
    for field, meeting in (("starts_on", before), ("ends_on", after)):
        if meeting is not None:
            errors[field] = _(
                "Meeting %(number)s was held on %(date)s; the session's dates must include it. "
                "Correct or remove the meeting on the attendance page first."
            ) % {
                "number": format_digits(meeting.number),
                "date": format_date(meeting.held_on),
            }
    return errors


def _validate_session(session: Session, *, original: Session | None) -> None:
    errors = {}
    if session.starts_on and session.ends_on and session.ends_on < session.starts_on:
        errors["ends_on"] = _("A session cannot end before it starts.")
    course_changed = original is None or original.course_id != session.course_id
    centre_changed = original is None or original.centre_id != session.centre_id
    if session.course_id and course_changed and not session.course.is_active:
        errors["course"] = _("This course is no longer offered.")
    if session.centre_id and centre_changed and not session.centre.is_active:
        errors["centre"] = _("This centre is no longer active.")
    if (
        original is not None
        and course_changed
        and original.enrolments.exclude(status=Enrolment.Status.CANCELLED).exists()
    ):
        errors["course"] = _("People are enrolled for this course; cancel the session and plan a new one.")
    if original is not None and session.capacity is not None and session.capacity < original.enrolled_count:
        errors["capacity"] = _("%(count)s people already hold seats; cancel enrolments first.") % {
            "count": format_number(original.enrolled_count)
        }
    if original is not None and session.starts_on and session.ends_on:
        errors.update(_meetings_left_outside(session, original))
    if errors:
        raise ValidationError(errors)
    # Sessions made before accounts were recorded have no creator; that is no error in an edit.
    session.full_clean(exclude=["created_by"])


@transaction.atomic
def session_create(*, actor, data: dict) -> Session:
    _require_tvto(actor)
    session = Session(created_by=actor)
    _apply(session, data, SESSION_FIELDS)
    _validate_session(session, original=None)
    session.save()
    return session


@transaction.atomic
def session_update(*, session_id: int, actor, data: dict) -> Session:
    """Changes a session. More seats go first to the wait list, in the order people asked."""
    _require_tvto(actor)
    original = Session.objects.select_for_update().filter(pk=session_id).first()
    if original is None:
        raise DomainError(_("No such session."), code="not_found", status_code=404)
    if original.status not in EDITABLE_SESSION_STATUSES:
        raise ConflictError(_("A finished or cancelled session can no longer be changed."), code="closed")
    session = Session.objects.get(pk=session_id)
    _apply(session, data, SESSION_FIELDS)
    _validate_session(session, original=original)
    new_capacity = session.capacity
    session.capacity = original.capacity
    session.save(update_fields=[field for field in SESSION_FIELDS if field != "capacity"])
    if new_capacity != original.capacity:
        # The seats change under the enrolment service's rules, so a freed seat promotes the wait list.
        enrolment_services.session_capacity_change(session_id=session.pk, actor=actor, capacity=new_capacity)
    session.refresh_from_db()
    return session


@transaction.atomic
def session_cancel(*, session_id: int, actor) -> Session:
    """Calls a session off. Its enrolments are kept as they were, for the record of who had a seat."""
    _require_tvto(actor)
    session = Session.objects.select_for_update().filter(pk=session_id).first()
    if session is None:
        raise DomainError(_("No such session."), code="not_found", status_code=404)
    if session.status == Session.Status.CANCELLED:
        return session

    def effects(session, transition, now):
        if session.enrolments.filter(passed__isnull=False).exists():
            raise ConflictError(
                _("Results are recorded for this session; it cannot be cancelled."), code="has_results"
            )

    return engine.apply(SESSION_FLOW, "cancel", obj=session, actor=actor, effects=effects)


# --- what certificates carry ------------------------------------------------------------------------------


IMAGE_TYPES = ("image/png", "image/jpeg")


@transaction.atomic
def artwork_upload(*, actor, kind: str, uploaded, centre_id: int | None = None) -> CertificateArtwork:
    """Stores TVTO's emblem, or a centre signatory's signature, for the certificates printed from now on."""
    _require_tvto(actor)
    if kind not in CertificateArtwork.Kind.values:
        raise DomainError(_("No such kind of certificate image."), code="bad_kind")
    centre = None
    if kind == CertificateArtwork.Kind.SIGNATURE:
        centre = TrainingCentre.objects.filter(pk=centre_id).first()
        if centre is None:
            raise DomainError(_("No such training centre."), code="not_found", status_code=404)
    try:
        content_type = uploads.check_document(uploaded)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    if content_type not in IMAGE_TYPES:
        raise ValidationError({"image": _("Use a PNG or JPEG image.")})
    with uploads.document_stored(uploaded, "certificate-artwork") as stored, transaction.atomic():
        return CertificateArtwork.objects.create(
            kind=kind,
            centre=centre,
            stored_name=stored.stored_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=actor,
        )
