"""Writes to business registrations: drafts, green jobs, documents and the guarded lifecycle."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from greenjobs import uploads
from greenjobs import workflow as engine
from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.outbox.services import enqueue
from greenjobs.text import normalize_persian
from greenjobs.validators import normalize_business_id, normalize_national_id
from greenjobs.workflow import Workflow

from .. import notices
from ..models import (
    Assessment,
    Business,
    BusinessDocument,
    DocumentKind,
    GreenJob,
    OccupationKind,
    RegistrationEvent,
    RegistrationStatus,
    registration_rules,
)
from ..workflow import TRANSITIONS, actor_can, assessed_by
from .denormalised import COUNTED_STATUSES

DRAFT_FIELDS = (
    "legal_name", "national_business_id", "legal_form", "sector", "county", "address", "postal_code",
    "employees_total", "is_knowledge_based", "knowledge_based_number", "knowledge_based_as_of",
    "knowledge_based_expires_on",
)  # fmt: skip


def _apply_fields(business: Business, data: dict) -> None:
    for field in DRAFT_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field in ("legal_name", "address") and value:
            value = normalize_persian(value)
        if field == "national_business_id" and value:
            try:
                value = normalize_business_id(value)
            except ValidationError as exc:
                raise ValidationError({"national_business_id": exc.messages}) from exc
        if value is None and not Business._meta.get_field(field).null:
            value = "" if isinstance(getattr(business, field), str) else getattr(business, field)
        setattr(business, field, value)
    business.refresh_search_text()


def _locked(business_id: int) -> Business:
    return Business.objects.select_for_update().get(pk=business_id)


@transaction.atomic
def business_create(*, owner, data: dict) -> Business:
    """A new draft; only the legal name is needed now, the rest is checked on submission."""
    if not owner.is_applicant:
        raise DomainError(_("Only applicants register businesses."), code="not_applicant", status_code=403)
    business = Business(owner=owner)
    _apply_fields(business, data)
    business.full_clean(exclude=["owner", "county"])
    business.save()
    RegistrationEvent.objects.create(
        business=business, from_status="", to_status=RegistrationStatus.DRAFT, actor=owner
    )
    return business


def _require_owner_edit(business: Business, actor) -> None:
    if business.owner_id != actor.pk:
        raise DomainError(_("This registration is not yours."), code="not_owner", status_code=404)
    if not business.is_editable_by_owner:
        raise DomainError(
            _("This registration cannot be changed in its current status (%(status)s).")
            % {"status": business.get_status_display()},
            code="not_editable",
            status_code=409,
        )


@transaction.atomic
def business_update(*, business_id: int, actor, data: dict) -> Business:
    business = _locked(business_id)
    _require_owner_edit(business, actor)
    _apply_fields(business, data)
    business.full_clean(exclude=["owner", "county"])
    business.save()
    return business


@transaction.atomic
def green_job_add(
    *, business_id: int, actor, occupation, holder_name: str, holder_national_id: str
) -> GreenJob:
    business = _locked(business_id)
    _require_owner_edit(business, actor)
    national_id = normalize_national_id(holder_national_id)
    if not occupation.is_active:
        raise ValidationError({"occupation": _("This occupation is no longer in the catalogue.")})
    if business.green_jobs.filter(holder_national_id=national_id).exists():
        raise ValidationError({"holder_national_id": _("This person is already listed in a green job here.")})
    job = GreenJob(
        business=business,
        occupation=occupation,
        holder_name=normalize_persian(holder_name),
        holder_national_id=national_id,
    )
    job.full_clean()
    job.save()
    return job


@transaction.atomic
def green_job_remove(*, business_id: int, actor, job_id: int) -> None:
    business = _locked(business_id)
    _require_owner_edit(business, actor)
    deleted, _per_model = business.green_jobs.filter(pk=job_id).delete()
    if not deleted:
        raise DomainError(_("No such green job in this registration."), code="not_found", status_code=404)


@transaction.atomic
def document_upload(*, business_id: int, actor, kind: str, uploaded) -> BusinessDocument:
    business = _locked(business_id)
    _require_owner_edit(business, actor)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    with uploads.document_stored(uploaded, "business-documents") as stored, transaction.atomic():
        return BusinessDocument.objects.create(
            business=business,
            kind=kind,
            stored_name=stored.stored_name,
            original_name=uploads.clean_file_name(uploaded.name),
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=actor,
        )


@transaction.atomic
def document_delete(*, business_id: int, actor, document_id: int) -> None:
    business = _locked(business_id)
    _require_owner_edit(business, actor)
    document = business.documents.filter(pk=document_id).first()
    if document is None:
        raise DomainError(_("No such document in this registration."), code="not_found", status_code=404)
    stored_name = document.stored_name
    document.delete()
    transaction.on_commit(lambda: uploads.delete_document(stored_name))


def submission_problems(business: Business) -> list[str]:
    """Everything that stops a registration from being submitted, in the applicant's words."""
    problems = []
    required = {
        "legal_name": _("the legal name"),
        "national_business_id": _("the national business ID"),
        "legal_form": _("the legal form"),
        "sector": _("the sector"),
        "county": _("the county"),
        "address": _("the address"),
    }
    for field, label in required.items():
        if not getattr(business, field if field != "county" else "county_id"):
            problems.append(_("Enter %(field)s.") % {"field": label})
    green_jobs = business.green_jobs.count()
    if green_jobs == 0:
        problems.append(_("List at least one employee in a green job, with their occupation."))
    try:
        registration_rules.validate_employees_total(business.employees_total)
    except ValidationError as exc:
        problems.extend(exc.messages)
    head_count = registration_rules.employees_total_problem(business.employees_total, green_jobs)
    if head_count:
        problems.append(head_count)
    # Drafts saved before these rules existed are held to them here.
    problems.extend(
        registration_rules.knowledge_based_date_problems(
            business.knowledge_based_as_of, business.knowledge_based_expires_on
        ).values()
    )
    if business.is_knowledge_based and not (
        business.knowledge_based_number and business.knowledge_based_as_of
    ):
        problems.append(
            _("A knowledge-based company needs its certificate number and the date of its status.")
        )
    if not business.documents.filter(kind=DocumentKind.LICENCE).exists():
        problems.append(_("Upload the business licence."))
    return problems


def _record(business, transition, *, actor, from_status, to_status, reason, at) -> RegistrationEvent:
    return RegistrationEvent.objects.create(
        business=business, from_status=from_status, to_status=to_status, actor=actor, reason=reason, at=at
    )


def _notify(event: RegistrationEvent) -> None:
    # The owner's mail is recorded with the event (outbox), and sent once it commits; the notification
    # centre's rows (the owner's, and DOE staff's for a new case) are written in the same transaction.
    notices.event_recorded(event)
    enqueue("programs.tasks.send_registration_event_email", event.pk)


def _veto(transition, business: Business, actor) -> None:
    if assessed_by(transition, business, actor):
        raise DomainError(
            _("You assessed this registration; a colleague must decide it."),
            code="separation_of_duties",
            status_code=403,
        )


def _save(business: Business) -> None:
    try:
        with transaction.atomic():
            business.save()
    except IntegrityError as exc:
        raise ConflictError(
            _("Another live registration already uses this national business ID."), code="duplicate_business"
        ) from exc


REGISTRATION_FLOW = Workflow(
    transitions=TRANSITIONS,
    model=Business,
    may=actor_can,
    veto=_veto,
    record=_record,
    notify=_notify,
    save=_save,
    changed_at_field="status_changed_at",
    not_found_message=_lazy("No such registration."),
    stale_message=_lazy(
        "Someone else changed this registration a moment ago; it is now “%(status)s”. Reload and check."
    ),
    not_possible_message=_lazy("“%(action)s” is not possible while the registration is “%(status)s”."),
)


def _effects(business: Business, transition, now, *, actor, verified_kind: str) -> None:
    """What each move does besides the status: the submission check, the assessment, the verification."""
    name = transition.name
    if name in ("submit", "request_renewal"):
        problems = submission_problems(business)
        if problems:
            raise DomainError(" ".join(problems), code="incomplete")
        business.submitted_at = business.submitted_at or now
    elif name == "start_assessment":
        Assessment.objects.create(business=business, officer=actor, started_at=now)
        business.assigned_officer = actor
    elif name in ("verify", "request_changes", "reject"):
        assessment = (
            business.assessments.select_for_update().filter(status__in=["in_progress", "ready"]).first()
        )
        if name == "verify":
            if assessment is None or assessment.status != Assessment.Status.READY:
                raise DomainError(
                    _("The assessing officer has not finished the checklist yet."),
                    code="assessment_not_ready",
                )
            if assessment.items.filter(compliant=False).exists():
                raise DomainError(
                    _("A requirement is not met; return the registration for changes or reject it."),
                    code="non_compliant",
                )
            if verified_kind not in OccupationKind.values:
                raise DomainError(
                    _("Choose whether the business is a new green business or a greened existing one."),
                    code="kind_required",
                )
            business.verified_kind = verified_kind
            business.verified_at = now
            business.first_verified_at = business.first_verified_at or now
            business.expires_on = timezone.localdate() + datetime.timedelta(
                days=settings.REGISTRATION_VALIDITY_DAYS
            )
        if assessment is not None:
            assessment.status = Assessment.Status.DECIDED
            assessment.decided_by = actor
            assessment.decided_at = now
            assessment.decision = transition.target
            assessment.save(update_fields=["status", "decided_by", "decided_at", "decision"])
    counted = transition.target in COUNTED_STATUSES
    if counted != (business.status in COUNTED_STATUSES):
        business.green_jobs.update(counted=counted)


def business_transition(
    *,
    business_id: int,
    actor,
    name: str,
    reason: str = "",
    verified_kind: str = "",
    expected_status: str | None = None,
) -> Business:
    """Every status change of a registration, through the workflow engine (see `greenjobs.workflow.apply`)."""
    return engine.apply(
        REGISTRATION_FLOW,
        name,
        obj_id=business_id,
        actor=actor,
        reason=reason,
        expected_status=expected_status,
        effects=lambda business, transition, now: _effects(
            business, transition, now, actor=actor, verified_kind=verified_kind
        ),
    )


def registrations_expire_due(*, today: datetime.date | None = None) -> int:
    """Marks verified registrations whose verification has lapsed; each in its own transaction."""
    today = today or timezone.localdate()
    due = Business.objects.filter(status=RegistrationStatus.VERIFIED, expires_on__lt=today).values_list(
        "pk", flat=True
    )
    expired = 0
    for business_id in list(due):
        try:
            business_transition(business_id=business_id, actor=None, name="expire")
        except ConflictError:
            continue  # renewed or expired by a parallel run meanwhile
        expired += 1
    return expired
