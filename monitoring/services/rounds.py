"""Writes to monitoring rounds: planning them when repayment starts, the applicant's report, missed deadlines.

Every status change goes through the workflow engine (greenjobs.workflow): the round's row is locked, the
move checked against the table in monitoring.workflow, and an event records who, when, from, to and why.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from greenjobs import uploads
from greenjobs import workflow as engine
from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.outbox.services import enqueue
from greenjobs.text import normalize_persian
from greenjobs.validators import normalize_national_id
from incentives.models import LoanApplication, Stage
from incentives.services.repayments import repayment_start_day
from incentives.services.schedule import add_jalali_months
from incentives.validators import validate_portal_date
from programs.models import GreenOccupation

from .. import months, notices
from ..models import (
    Employee,
    EvidenceKind,
    Flag,
    Round,
    RoundDocument,
    RoundEvent,
    RoundKind,
    RoundLine,
    RoundStatus,
    Workshop,
)
from ..validators import normalize_workshop_code
from ..workflow import DECIDE_SLA_DAYS, MOVES, VERIFY_SLA_DAYS, actor_may

# Loans whose jobs are monitored: repayment has started (a settled loan keeps the rounds it had).
MONITORED_STAGES = (Stage.REPAYING, Stage.IN_ARREARS, Stage.SETTLED)
# The moves the applicant hears about by e-mail; planning and their own report they see on the page.
NOTIFIED = ("miss", "verify", "verify_imported", "decide")


def _event(round_, move, *, actor, from_status, to_status, reason, at) -> RoundEvent:
    return RoundEvent.objects.create(
        round=round_, from_status=from_status, to_status=to_status, action=move.name, actor=actor,
        reason=reason, at=at,
    )  # fmt: skip


def _notify(event: RoundEvent) -> None:
    if event.action in NOTIFIED:
        notices.event_recorded(event)
        enqueue("monitoring.tasks.send_round_event_email", event.pk)


ROUND_FLOW = engine.Workflow(
    transitions=MOVES,
    model=Round,
    may=actor_may,
    record=_event,
    notify=_notify,
    changed_at_field="status_changed_at",
    select_related=("loan", "loan__scheme", "loan__business", "loan__applicant"),
    not_found_message=_lazy("No such monitoring round."),
    stale_message=_lazy(
        "Someone else acted on this round a moment ago; it is now “%(status)s”. Reload and check."
    ),
    not_possible_message=_lazy("“%(action)s” is not possible while the round is “%(status)s”."),
)


def locked(round_id: int) -> Round:
    return engine.lock(ROUND_FLOW, round_id)


# --- planning ---------------------------------------------------------------------------------------------


def _dates(loan, month: datetime.date) -> dict:
    end = months.month_end(month)
    due = end + datetime.timedelta(days=loan.scheme.report_days)
    return {"month_end": end, "due_on": due, "sla_due_on": due}


def _new_round(loan, *, month, number, kind, months_after=None) -> Round | None:
    """The round of `loan` for `month` with its promised jobs, or None when the loan already has one."""
    planned = list(loan.planned_jobs.all())
    try:
        with transaction.atomic():
            round_ = Round.objects.create(
                loan=loan, month=month, number=number, kind=kind, months_after=months_after,
                promised=sum(job.count for job in planned), **_dates(loan, month),
            )  # fmt: skip
    except IntegrityError:
        return None
    RoundLine.objects.bulk_create(
        RoundLine(round=round_, occupation_id=job.occupation_id, promised=job.count) for job in planned
    )
    engine.created(ROUND_FLOW, round_, MOVES["plan"], actor=None)
    return round_


def rounds_plan(*, loan, start: datetime.date) -> list[Round]:
    """The scheme's rounds of a loan whose repayment counts from `start`: one for the Jalali month that holds
    each of the scheme's monitoring months after it. Planning again adds only what is missing."""
    if start is None or not loan.planned_jobs.exists():
        return []
    created = []
    for number, after in enumerate(loan.scheme.monitoring_month_list, start=1):
        month = months.month_start(add_jalali_months(start, after))
        round_ = _new_round(loan, month=month, number=number, kind=RoundKind.SCHEDULED, months_after=after)
        if round_ is not None:
            created.append(round_)
    return created


def rounds_plan_due() -> int:
    """The daily run's first half: loans under repayment with no round yet (repayment started before the
    rounds existed, or the hook's transaction failed) get theirs. Returns how many rounds were planned."""
    loans = (
        LoanApplication.objects.filter(stage__in=MONITORED_STAGES, first_disbursed_on__isnull=False)
        .exclude(Exists(Round.objects.filter(loan=OuterRef("pk"))))
        .select_related("scheme")
        .order_by("pk")
    )
    planned = 0
    for loan in loans.iterator(chunk_size=200):
        with transaction.atomic():
            planned += len(rounds_plan(loan=loan, start=repayment_start_day(loan)))
    return planned


def follow_up_round(round_, *, deadline: datetime.date) -> Round:
    """The round that checks the month of a warning's new deadline (the one already planned for that month,
    if the loan has it)."""
    month = months.month_start(deadline)
    existing = Round.objects.filter(loan=round_.loan, month=month).first()
    if existing is not None:
        return existing
    number = (Round.objects.filter(loan=round_.loan).aggregate(n=Max("number"))["n"] or 0) + 1
    created = _new_round(round_.loan, month=month, number=number, kind=RoundKind.FOLLOW_UP)
    return created or Round.objects.get(loan=round_.loan, month=month)


# --- missed deadlines -------------------------------------------------------------------------------------


def _miss_effects(round_, move, now):
    round_.missed = True
    earlier = Round.objects.filter(loan=round_.loan_id, missed=True).exclude(pk=round_.pk).exists()
    # A second round without a report is flagged on its own, whatever the first one's decision was.
    round_.flag = Flag.REPEATED_MISSED if earlier else Flag.MISSED
    round_.sla_due_on = timezone.localdate(now) + datetime.timedelta(days=DECIDE_SLA_DAYS)


def rounds_mark_missed(*, today: datetime.date | None = None) -> int:
    """The daily run's second half: rounds whose report is past due are flagged to MCLS, each in its own
    transaction. Returns how many."""
    today = today or timezone.localdate()
    ids = list(
        Round.objects.filter(status=RoundStatus.PENDING, due_on__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for round_id in ids:
        engine.apply(
            ROUND_FLOW, "miss", obj_id=round_id, actor=None, expected_status=RoundStatus.PENDING,
            effects=_miss_effects,
        )  # fmt: skip
    return len(ids)


# --- the applicant's report -------------------------------------------------------------------------------


def _editable(round_id: int, actor) -> Round:
    round_ = locked(round_id)
    if actor is None or round_.loan.applicant_id != actor.pk:
        raise DomainError(_("No such monitoring round."), code="not_found", status_code=404)
    if not round_.is_editable:
        raise ConflictError(
            _("The report cannot be changed while the round is “%(status)s”.")
            % {"status": round_.get_status_display()},
            code="not_editable",
        )
    return round_


@transaction.atomic
def workshop_add(*, round_id: int, actor, code: str) -> Workshop:
    """Names an insurance workshop of the round's business; a code is one business's only."""
    round_ = _editable(round_id, actor)
    try:
        code = normalize_workshop_code(code)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from exc
    existing = Workshop.objects.filter(code=code).first()
    if existing is not None:
        if existing.business_id != round_.loan.business_id:
            raise ValidationError({"code": _("This workshop code is registered to another business.")})
        return existing
    try:
        with transaction.atomic():
            return Workshop.objects.create(business_id=round_.loan.business_id, code=code, added_by=actor)
    except IntegrityError as exc:
        raise ValidationError({"code": _("This workshop code is registered to another business.")}) from exc


@transaction.atomic
def workshop_remove(*, round_id: int, actor, workshop_id: int) -> None:
    round_ = _editable(round_id, actor)
    deleted, _rows = Workshop.objects.filter(pk=workshop_id, business_id=round_.loan.business_id).delete()
    if not deleted:
        raise DomainError(_("No such workshop."), code="not_found", status_code=404)


@transaction.atomic
def employee_add(
    *, round_id: int, actor, national_id: str, name: str, occupation, started_on: datetime.date
) -> Employee:
    """A person in a promised job, as the applicant names them: checked, never stored half-right."""
    round_ = _editable(round_id, actor)
    errors = {}
    try:
        national_id = normalize_national_id(national_id)
    except ValidationError as exc:
        errors["national_id"] = exc.messages
    else:
        if round_.employees.filter(national_id=national_id).exists():
            errors["national_id"] = [_("This person is already in the report.")]
    name = normalize_persian(name or "").strip()
    if not name:
        errors["name"] = [_("Write the person's name.")]
    elif len(name) > 200:
        errors["name"] = [_("At most 200 characters.")]
    if not isinstance(occupation, GreenOccupation) or not occupation.is_active:
        errors["occupation"] = [_("Choose an occupation of the catalogue.")]
    if started_on is None:
        errors["started_on"] = [_("Enter the day the person started.")]
    else:
        try:
            validate_portal_date(started_on)
        except ValidationError as exc:
            errors["started_on"] = exc.messages
        else:
            if started_on > round_.month_end:
                errors["started_on"] = [
                    _("Only people who had started by the end of the month checked count.")
                ]
    if errors:
        raise ValidationError(errors)
    return Employee.objects.create(
        round=round_, national_id=national_id, name=name, occupation=occupation, started_on=started_on,
        month=round_.month,
    )  # fmt: skip


@transaction.atomic
def employee_remove(*, round_id: int, actor, employee_id: int) -> None:
    round_ = _editable(round_id, actor)
    deleted, _rows = round_.employees.filter(pk=employee_id).delete()
    if not deleted:
        raise DomainError(_("No such person in the report."), code="not_found", status_code=404)


@transaction.atomic
def document_upload(*, round_id: int, actor, kind: str, uploaded) -> RoundDocument:
    round_ = _editable(round_id, actor)
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("Choose the kind of evidence.")})
    with uploads.document_stored(uploaded, "monitoring-evidence") as stored, transaction.atomic():
        return RoundDocument.objects.create(
            round=round_, kind=kind, stored_name=stored.stored_name,
            original_name=uploads.clean_file_name(uploaded.name), content_type=stored.content_type,
            size=stored.size, sha256=stored.sha256, uploaded_by=actor,
        )  # fmt: skip


@transaction.atomic
def document_delete(*, round_id: int, actor, document_id: int) -> None:
    round_ = _editable(round_id, actor)
    document = round_.documents.filter(pk=document_id).first()
    if document is None:
        raise DomainError(_("No such document."), code="not_found", status_code=404)
    stored_name = document.stored_name
    document.delete()
    transaction.on_commit(lambda: uploads.delete_document(stored_name))


def report_problems(round_) -> list[str]:
    """What the report still lacks before it can be sent; empty when it is complete."""
    problems = []
    if not Workshop.objects.filter(business_id=round_.loan.business_id).exists():
        problems.append(_("Add the insurance workshop code of the business."))
    if not round_.employees.exists():
        problems.append(_("Name the people employed in the promised jobs."))
    if not round_.documents.exists():
        problems.append(_("Upload the evidence: contracts, the workshop's insurance list or photos."))
    return problems


def _report_effects(round_, move, now):
    problems = report_problems(round_)
    if problems:
        raise DomainError(" ".join(problems), code="incomplete")
    round_.reported_at = now
    round_.sla_due_on = timezone.localdate(now) + datetime.timedelta(days=VERIFY_SLA_DAYS)


def round_report(*, round_id: int, actor, expected_status: str | None = None) -> Round:
    """The applicant sends the report; MCLS verifies it against the insurance lists."""
    return engine.apply(
        ROUND_FLOW, "report", obj_id=round_id, actor=actor, expected_status=expected_status,
        effects=_report_effects,
    )  # fmt: skip
