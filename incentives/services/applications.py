"""Writes to loan applications: drafts, eligibility, the staged review and the budget commitment."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from greenjobs import uploads
from greenjobs import workflow as engine
from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.formats import format_number
from greenjobs.outbox.services import enqueue
from greenjobs.text import normalize_persian
from greenjobs.workflow import SYSTEM, Workflow
from programs.models import RegistrationStatus

from .. import notices, scoring
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
    return engine.lock(APPLICATION_FLOW, application_id)


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
    with uploads.document_stored(uploaded, "loan-documents") as stored, transaction.atomic():
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


def _event(application, move, *, actor, from_status, to_status, reason, at) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        from_stage=from_status,
        to_stage=to_status,
        action=move.name,
        actor=actor,
        reason=reason,
        at=at,
    )


def _notify(event: ApplicationEvent) -> None:
    # The applicant's mail is recorded with the event (outbox), and sent once it commits; the notification
    # centre's rows (the applicant's, and the next stage's staff's) are written in the same transaction.
    notices.event_recorded(event)
    enqueue("incentives.tasks.send_application_event_email", event.pk)


APPLICATION_FLOW = Workflow(
    transitions=MOVES,
    model=LoanApplication,
    may=actor_may,
    record=_event,
    notify=_notify,
    status_field="stage",
    changed_at_field="stage_changed_at",
    select_related=("scheme", "business", "applicant"),
    not_found_message=_lazy("No such application."),
    stale_message=_lazy(
        "Someone else acted on this application a moment ago; it is now “%(stage)s”. Reload and check."
    ),
    not_possible_message=_lazy("“%(action)s” is not possible while the application is “%(stage)s”."),
)


def _record(application, move_name, *, actor, to_stage, reason="", now=None) -> ApplicationEvent:
    """A move the portal or the money desk makes under its own checks (tranches, repayment)."""
    return engine.move(
        APPLICATION_FLOW, application, MOVES[move_name], actor=actor, reason=reason, target=to_stage, at=now
    )


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


def _effects(application, move, now, *, actor, contract_number, contracted_on, operation_starts_on):
    """What each move does besides the stage; returns the stage a resubmission goes back to."""
    if move.decides:
        _check_separation_of_duties(application, move, actor)
    name = move.name
    target = None
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
    return target


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
    if move is None or name in ("disburse",) or move.who == SYSTEM:
        raise DomainError(_("Unknown action."), code="unknown_action")
    return engine.apply(
        APPLICATION_FLOW,
        name,
        obj_id=application_id,
        actor=actor,
        reason=reason,
        expected_status=expected_stage,
        effects=lambda application, move, now: _effects(
            application,
            move,
            now,
            actor=actor,
            contract_number=contract_number,
            contracted_on=contracted_on,
            operation_starts_on=operation_starts_on,
        ),
    )


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
