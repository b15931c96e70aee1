"""Writes to loan applications: drafts, eligibility, the staged review and the budget commitment."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs import uploads
from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.formats import format_number
from greenjobs.outbox.services import enqueue
from greenjobs.text import normalize_persian
from programs.models import RegistrationStatus

from .. import scoring
from ..models import (
    CLOSED_STAGES,
    ApplicationDocument,
    ApplicationEvent,
    LoanApplication,
    LoanScheme,
    PlannedJob,
    Stage,
)
from ..workflow import MOVES, RESUME_STAGE, actor_may
from . import dates

EDITABLE_FIELDS = (
    "amount", "purpose", "jobs_to_create", "energy_saving_kwh", "water_saving_m3", "materials_saving_t",
    "waste_reduction_t", "commitments",
)  # fmt: skip


def eligibility_problems(
    *, applicant, business, scheme, amount, exclude_application_id=None
) -> list[tuple[str, str]]:
    """Every scheme rule this request breaks, as (code, message for the applicant). Empty when eligible."""
    problems = []
    if business.owner_id != applicant.pk:
        problems.append(("not_owner", _("This business is not registered to you.")))
    if not scheme.is_open():
        problems.append(
            ("window_closed", _("The scheme takes applications only between its opening and closing dates."))
        )
    if scheme.requires_verified_registration and business.status != RegistrationStatus.VERIFIED:
        problems.append(
            ("not_verified",
             _("The scheme needs a verified green registration; this business is “%(status)s”.")
             % {"status": business.get_status_display()})
        )  # fmt: skip
    if amount is None or amount <= 0:
        problems.append(("amount_missing", _("Enter the amount you are asking for.")))
    else:
        if amount > scheme.max_amount:
            problems.append(
                ("amount_above_maximum", _("The amount is above the scheme's maximum of %(max)s Rials.")
                 % {"max": format_number(scheme.max_amount)})
            )  # fmt: skip
        if amount < scheme.min_amount:
            problems.append(
                ("amount_below_minimum", _("The amount is below the scheme's minimum of %(min)s Rials.")
                 % {"min": format_number(scheme.min_amount)})
            )  # fmt: skip
    open_elsewhere = LoanApplication.objects.filter(business=business, scheme=scheme).exclude(
        stage__in=CLOSED_STAGES
    )
    if exclude_application_id:
        open_elsewhere = open_elsewhere.exclude(pk=exclude_application_id)
    if open_elsewhere.exists():
        problems.append(
            ("already_applied", _("This business already has an open application under this scheme."))
        )
    return problems


def _clean_fields(data: dict) -> dict:
    cleaned = {key: data[key] for key in EDITABLE_FIELDS if key in data and data[key] is not None}
    for key in ("purpose", "commitments"):
        if key in cleaned:
            cleaned[key] = normalize_persian(cleaned[key])
    return cleaned


@transaction.atomic
def application_create(*, applicant, business, scheme, data: dict) -> LoanApplication:
    if not applicant.is_applicant:
        raise DomainError(_("Only applicants apply for loans."), code="not_applicant", status_code=403)
    problems = eligibility_problems(
        applicant=applicant, business=business, scheme=scheme, amount=data.get("amount")
    )
    # A draft may be saved while the window or the amount still need attention, but never for someone
    # else's business or a second open application.
    blocking = [message for code, message in problems if code in ("not_owner", "already_applied")]
    if blocking:
        raise ValidationError(blocking)
    application = LoanApplication(
        applicant=applicant, business=business, scheme=scheme, **_clean_fields(data)
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError(_("This business already has an open application under this scheme.")) from exc
    ApplicationEvent.objects.create(
        application=application, to_stage=Stage.DRAFT, action="create", actor=applicant
    )
    return application


def _locked(application_id: int) -> LoanApplication:
    application = (
        LoanApplication.objects.select_for_update(of=("self",))
        .select_related("scheme", "business", "applicant")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise DomainError(_("No such application."), code="not_found", status_code=404)
    return application


def _require_owner_edit(application, actor):
    if application.applicant_id != actor.pk:
        raise DomainError(_("No such application."), code="not_found", status_code=404)
    if not application.can_be_edited:
        raise ConflictError(
            _("The application cannot be changed while it is “%(stage)s”.")
            % {"stage": application.get_stage_display()},
            code="not_editable",
        )


@transaction.atomic
def application_update(*, application_id: int, actor, data: dict) -> LoanApplication:
    application = _locked(application_id)
    _require_owner_edit(application, actor)
    for key, value in _clean_fields(data).items():
        setattr(application, key, value)
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def planned_job_set(*, application_id: int, actor, occupation, count: int) -> None:
    """Sets how many jobs of one occupation the loan creates (0 removes the line)."""
    application = _locked(application_id)
    _require_owner_edit(application, actor)
    if count <= 0:
        application.planned_jobs.filter(occupation=occupation).delete()
    else:
        PlannedJob.objects.update_or_create(
            application=application, occupation=occupation, defaults={"count": count}
        )
    application.jobs_to_create = sum(application.planned_jobs.values_list("count", flat=True))
    application.save(update_fields=["jobs_to_create", "updated_at"])


@transaction.atomic
def document_upload(*, application_id: int, actor, kind: str, uploaded) -> ApplicationDocument:
    application = _locked(application_id)
    _require_owner_edit(application, actor)
    if kind not in ApplicationDocument.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    stored = uploads.store_document(uploaded, "loan-documents")
    return ApplicationDocument.objects.create(
        application=application,
        kind=kind,
        stored_name=stored.stored_name,
        original_name=uploads.clean_file_name(uploaded.name),
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
    )


@transaction.atomic
def document_delete(*, application_id: int, actor, document_id: int) -> None:
    application = _locked(application_id)
    _require_owner_edit(application, actor)
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise DomainError(_("No such document."), code="not_found", status_code=404)
    stored_name = document.stored_name
    document.delete()
    transaction.on_commit(lambda: uploads.delete_document(stored_name))


def submission_problems(application) -> list[str]:
    problems = [
        message
        for _code, message in eligibility_problems(
            applicant=application.applicant,
            business=application.business,
            scheme=application.scheme,
            amount=application.amount,
            exclude_application_id=application.pk,
        )
    ]
    if not application.purpose.strip():
        problems.append(_("Describe what the loan is for."))
    if not application.planned_jobs.exists():
        problems.append(_("Say which green jobs the loan will create."))
    if not application.documents.exists():
        problems.append(_("Upload at least the business plan."))
    return problems


def _record(application, move_name, *, actor, to_stage, reason="", now=None) -> ApplicationEvent:
    event = ApplicationEvent.objects.create(
        application=application,
        from_stage=application.stage,
        to_stage=to_stage,
        action=move_name,
        actor=actor,
        reason=reason,
        at=now or timezone.now(),
    )
    application.stage = to_stage
    application.stage_changed_at = event.at
    # The applicant's mail is recorded with the event (outbox), and sent once it commits.
    enqueue("incentives.tasks.send_application_event_email", event.pk)
    return event


def _check_separation_of_duties(application, move, actor) -> None:
    decided_here = set(
        ApplicationEvent.objects.filter(application=application, actor=actor)
        .filter(action__in=[name for name, m in MOVES.items() if m.decides])
        .values_list("from_stage", flat=True)
    )
    if decided_here - {application.stage}:
        raise DomainError(
            _("You decided an earlier stage of this application; a colleague must decide this one."),
            code="separation_of_duties",
            status_code=403,
        )


@transaction.atomic
def application_transition(
    *,
    application_id: int,
    actor,
    name: str,
    reason: str = "",
    expected_stage: str | None = None,
    contract_number: str = "",
    contracted_on=None,
    operation_starts_on=None,
) -> LoanApplication:
    """The one door for every stage change a person makes (disbursements and repayments have their own)."""
    move = MOVES.get(name)
    if move is None or name in ("disburse",) or move.agency == "system":
        raise DomainError(_("Unknown action."), code="unknown_action")
    application = _locked(application_id)
    if expected_stage is not None and application.stage != expected_stage:
        raise ConflictError(
            _("Someone else acted on this application a moment ago; it is now “%(stage)s”. Reload and check.")
            % {"stage": application.get_stage_display()},
            code="stale",
        )
    if not actor_may(move, application, actor):
        raise DomainError(_("You may not do this."), code="forbidden", status_code=403)
    if application.stage not in move.source:
        raise ConflictError(
            _("“%(action)s” is not possible while the application is “%(stage)s”.")
            % {"action": move.label, "stage": application.get_stage_display()},
            code="invalid_transition",
        )
    reason = (reason or "").strip()
    if move.needs_reason and not reason:
        raise DomainError(_("Write the reason; the applicant will read it."), code="reason_required")
    if move.decides:
        _check_separation_of_duties(application, move, actor)

    target = move.target
    now = timezone.now()
    if name in ("submit", "resubmit"):
        problems = submission_problems(application)
        if problems:
            raise DomainError(" ".join(problems), code="not_eligible")
        application.priority_score, application.score_breakdown = scoring.score(application)
        application.submitted_at = application.submitted_at or now
        if name == "resubmit" and application.returned_from:
            target = application.returned_from
        application.returned_from = ""
    elif name in RESUME_STAGE:
        application.returned_from = RESUME_STAGE[name]
    elif name == "approve":
        _commit_budget(application)
    elif name == "contract":
        if not contract_number.strip() or contracted_on is None:
            raise DomainError(_("Enter the contract number and date."), code="contract_required")
        dates.check_contract_dates(
            application, contracted_on=contracted_on, operation_starts_on=operation_starts_on
        )
        application.contract_number = contract_number.strip()
        application.contracted_on = contracted_on
        application.operation_starts_on = operation_starts_on

    _record(application, name, actor=actor, to_stage=target, reason=reason, now=now)
    application.save()
    return application


def _commit_budget(application) -> None:
    """Commits the amount against the scheme, under the scheme's row lock (application first, then scheme)."""
    scheme = LoanScheme.objects.select_for_update().get(pk=application.scheme_id)
    if scheme.committed + application.amount > scheme.budget:
        raise ConflictError(
            _("The scheme's budget cannot cover this loan: %(left)s Rials are left uncommitted.")
            % {"left": format_number(scheme.budget - scheme.committed)},
            code="budget_exhausted",
        )
    LoanScheme.objects.filter(pk=scheme.pk).update(committed=F("committed") + application.amount)
    application.approved_amount = application.amount


def application_withdraw(*, application_id: int, actor, reason: str = "") -> LoanApplication:
    return application_transition(application_id=application_id, actor=actor, name="withdraw", reason=reason)
