"""Money after approval: tranches paid out, the repayment schedule, payments in, and arrears."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.formats import format_number

from .. import notes
from ..models import (
    Disbursement,
    GraceInterest,
    GraceStart,
    Instalment,
    LoanApplication,
    LoanScheme,
    Payment,
    Stage,
)
from ..permissions import can_change_loan_terms, can_disburse, can_record_payments
from ..signals import repayment_started
from ..workflow import MOVES
from . import dates
from . import schedule as schedule_math
from .applications import _locked, _record


@transaction.atomic
def disbursement_record(
    *, application_id: int, actor, amount: int, paid_on: datetime.date, request_key: str
) -> Disbursement:
    """Records one tranche. The same request_key (a double click, a retried request) records it once."""
    application = _locked(application_id)
    existing = Disbursement.objects.filter(request_key=request_key).first()
    if existing is not None:
        if existing.application_id != application.pk:
            raise ConflictError(
                _("This request was already used for another application."), code="key_reused"
            )
        return existing
    move = MOVES["disburse"]
    if not can_disburse(actor):
        raise DomainError(_("You may not do this."), code="forbidden", status_code=403)
    if application.stage not in move.sources:
        raise ConflictError(
            _("Money can be paid out only on a signed contract; the application is “%(stage)s”.")
            % {"stage": application.get_stage_display()},
            code="invalid_transition",
        )
    remaining = application.approved_amount - application.disbursed_amount
    if amount <= 0 or amount > remaining:
        raise DomainError(
            _("A tranche must be between 1 and the %(left)s Rials still to pay out.")
            % {"left": format_number(remaining)},
            code="amount_out_of_range",
        )
    dates.check_tranche_date(application, paid_on)
    disbursement = Disbursement.objects.create(
        application=application, amount=amount, paid_on=paid_on, request_key=request_key, recorded_by=actor
    )
    LoanScheme.objects.select_for_update().filter(pk=application.scheme_id).update(
        disbursed=F("disbursed") + amount
    )
    application.disbursed_amount += amount
    # Tranches arrive in date order (checked above); min() keeps the first one right whatever the order.
    application.first_disbursed_on = min(filter(None, (application.first_disbursed_on, paid_on)))
    _record(
        application,
        "disburse",
        actor=actor,
        to_stage=Stage.DISBURSED,
        reason=notes.tranche_paid(amount=amount, paid_on=paid_on),
    )
    if application.disbursed_amount == application.approved_amount:
        _start_repayment(application)
    application.save()
    return disbursement


def _start_repayment(application) -> None:
    scheme = application.scheme
    # The schedule counts from the earliest tranche paid, read from the tranches themselves rather than
    # from the order in which they were recorded.
    start = dates.first_tranche_day(application)
    if scheme.grace_starts == GraceStart.OPERATION and application.operation_starts_on:
        start = application.operation_starts_on
    plan = schedule_math.build(
        principal=application.disbursed_amount,
        annual_rate=scheme.interest_rate,
        term_months=scheme.term_months,
        grace_months=scheme.grace_months,
        capitalise_grace=scheme.grace_interest == GraceInterest.CAPITALISED,
        start=start,
    )
    application.instalments.all().delete()
    Instalment.objects.bulk_create(
        Instalment(
            application=application,
            number=line.number,
            due_on=line.due_on,
            principal=line.principal,
            interest=line.interest,
            amount=line.amount,
            balance_after=line.balance_after,
        )
        for line in plan.lines
    )
    _record(application, "start_repayment", actor=None, to_stage=Stage.REPAYING)
    repayment_started.send(sender=LoanApplication, application=application, start=start)


def repayment_start_day(application) -> datetime.date | None:
    """The day a loan's repayment (and its monitoring) counts from: its schedule's start."""
    if application.scheme.grace_starts == GraceStart.OPERATION and application.operation_starts_on:
        return application.operation_starts_on
    return application.first_disbursed_on


@transaction.atomic
def payment_record(
    *, application_id: int, actor, amount: int, paid_on: datetime.date, reference: str, request_key: str
) -> Payment:
    """Records a repayment and allocates it to the oldest unpaid instalments first."""
    application = _locked(application_id)
    existing = Payment.objects.filter(request_key=request_key).first()
    if existing is not None:
        if existing.application_id != application.pk:
            raise ConflictError(
                _("This request was already used for another application."), code="key_reused"
            )
        return existing
    if not can_record_payments(actor):
        raise DomainError(_("You may not do this."), code="forbidden", status_code=403)
    if application.stage not in (Stage.REPAYING, Stage.IN_ARREARS):
        raise ConflictError(_("This loan is not being repaid."), code="invalid_transition")
    dates.check_payment_date(application, paid_on)
    outstanding = application.instalments.aggregate(left=Sum(F("amount") - F("paid")))["left"] or 0
    if amount <= 0 or amount > outstanding:
        raise DomainError(
            _("A payment must be between 1 and the %(left)s Rials outstanding.")
            % {"left": format_number(outstanding)},
            code="amount_out_of_range",
        )
    payment = Payment.objects.create(
        application=application,
        amount=amount,
        paid_on=paid_on,
        reference=reference.strip(),
        request_key=request_key,
        recorded_by=actor,
    )
    left = amount
    for instalment in (
        application.instalments.select_for_update().filter(paid__lt=F("amount")).order_by("number")
    ):
        share = min(left, instalment.amount - instalment.paid)
        instalment.paid += share
        instalment.save(update_fields=["paid"])
        left -= share
        if not left:
            break
    _refresh(application, today=timezone.localdate())
    application.save()
    return payment


def _refresh(application, *, today: datetime.date) -> None:
    """Recomputes what is overdue and moves the loan between repaying, in arrears and settled."""
    unpaid = application.instalments.filter(paid__lt=F("amount"))
    if not unpaid.exists():
        application.overdue_amount = 0
        application.days_late = 0
        _record(application, "settle", actor=None, to_stage=Stage.SETTLED)
        return
    overdue = unpaid.filter(due_on__lt=today).aggregate(
        amount=Sum(F("amount") - F("paid")), oldest=Min("due_on")
    )
    application.overdue_amount = overdue["amount"] or 0
    application.days_late = (today - overdue["oldest"]).days if overdue["oldest"] else 0
    application.arrears_checked_on = today
    if application.overdue_amount and application.stage == Stage.REPAYING:
        _record(application, "fall_into_arrears", actor=None, to_stage=Stage.IN_ARREARS)
    elif not application.overdue_amount and application.stage == Stage.IN_ARREARS:
        _record(application, "catch_up", actor=None, to_stage=Stage.REPAYING)


def arrears_refresh_all(*, today: datetime.date | None = None) -> int:
    """The daily run over every loan under repayment, each in its own short transaction.

    Returns how many loans changed."""
    today = today or timezone.localdate()
    changed = 0
    ids = LoanApplication.objects.filter(stage__in=(Stage.REPAYING, Stage.IN_ARREARS)).values_list(
        "pk", flat=True
    )
    for application_id in list(ids):
        with transaction.atomic():
            application = _locked(application_id)
            if application.stage not in (Stage.REPAYING, Stage.IN_ARREARS):
                continue
            before = (application.stage, application.overdue_amount, application.days_late)
            _refresh(application, today=today)
            application.save()
            changed += before != (application.stage, application.overdue_amount, application.days_late)
    return changed


# --- changed terms: the consequences MCLS may decide when a loan's promised jobs are not there ------------

REPAYING_NOW = (Stage.REPAYING, Stage.IN_ARREARS)
HIGHEST_RATE = Decimal("50")


def _terms_locked(application_id: int, actor) -> tuple[LoanApplication, list[Instalment], list[Instalment]]:
    """The loan under its row lock and its instalments under theirs (application first, then instalments),
    split into those that stand (due by today, or partly paid) and the future ones a new term replaces.

    Payments go to the oldest instalments first, so what stands is always the head of the schedule."""
    application = _locked(application_id)
    if not can_change_loan_terms(actor):
        raise DomainError(_("You may not do this."), code="forbidden", status_code=403)
    if application.stage not in REPAYING_NOW:
        raise ConflictError(
            _("Only a loan under repayment can have its terms changed; this one is “%(stage)s”.")
            % {"stage": application.get_stage_display()},
            code="invalid_transition",
        )
    today = timezone.localdate()
    instalments = list(application.instalments.select_for_update().order_by("number"))
    future = [i for i in instalments if i.paid == 0 and i.due_on > today]
    standing = [i for i in instalments if i not in future]
    if not future:
        raise ConflictError(
            _("Every instalment of this loan is already due or paid; there is nothing left to change."),
            code="nothing_outstanding",
        )
    return application, standing, future


def _replace_future(application, future: list[Instalment], lines) -> None:
    Instalment.objects.filter(pk__in=[i.pk for i in future]).delete()
    Instalment.objects.bulk_create(
        Instalment(
            application=application, number=number, due_on=line.due_on, principal=line.principal,
            interest=line.interest, amount=line.amount, balance_after=line.balance_after,
        )
        for number, line in lines
    )  # fmt: skip


def _record_same_stage(application, move_name: str, *, actor, reason: str) -> None:
    # The loan stays in its stage; its "in this stage since" is not moved by a change of terms.
    since = application.stage_changed_at
    _record(application, move_name, actor=actor, to_stage=application.stage, reason=reason)
    application.stage_changed_at = since
    application.save()


@transaction.atomic
def loan_rate_change(*, application_id: int, actor, annual_rate, reason: str = "") -> list[Instalment]:
    """A new annual rate for what is still to be repaid: the future instalments are rebuilt as an annuity
    of their remaining principal over as many months as they had left, through the schedule's own maths.
    Instalments already due or partly paid stand as they are. Returns the new instalments."""
    try:
        rate = Decimal(str(annual_rate))
    except (ArithmeticError, ValueError) as exc:
        raise DomainError(_("Enter the new annual interest rate."), code="bad_rate") from exc
    if not rate.is_finite() or rate < 0 or rate > HIGHEST_RATE:
        raise DomainError(
            _("The rate must be between 0 and %(highest)s per cent.")
            % {"highest": format_number(HIGHEST_RATE)},
            code="bad_rate",
        )
    application, standing, future = _terms_locked(application_id, actor)
    principal = sum(i.principal for i in future)
    # The first new instalment falls due where the first replaced one did: one month after `start`.
    start = standing[-1].due_on if standing else schedule_math.add_jalali_months(future[0].due_on, -1)
    plan = schedule_math.build(
        principal=principal, annual_rate=rate, term_months=len(future), grace_months=0,
        capitalise_grace=False, start=start,
    )  # fmt: skip
    first = len(standing) + 1
    _replace_future(application, future, enumerate(plan.lines, start=first))
    _record_same_stage(
        application, "change_rate", actor=actor,
        reason=notes.rate_changed(rate=rate.normalize(), from_number=first, why=(reason or "").strip()),
    )  # fmt: skip
    return list(application.instalments.filter(number__gte=first).order_by("number"))


@transaction.atomic
def loan_recall(*, application_id: int, actor, due_on: datetime.date, reason: str = "") -> Instalment:
    """The outstanding principal falls due at once: the future instalments become one, on `due_on`, with
    no further interest. Instalments already due or partly paid stand (and stay overdue if they are)."""
    today = timezone.localdate()
    if due_on is None or due_on < today or due_on > today + datetime.timedelta(days=366):
        raise DomainError(
            _("The recalled amount must fall due between today and a year from today."), code="bad_date"
        )
    application, standing, future = _terms_locked(application_id, actor)
    principal = sum(i.principal for i in future)
    number = len(standing) + 1
    line = schedule_math.Line(
        number=number, due_on=due_on, principal=principal, interest=0, amount=principal, balance_after=0
    )
    _replace_future(application, future, [(number, line)])
    _record_same_stage(
        application, "recall", actor=actor,
        reason=notes.recalled(amount=principal, due_on=due_on, why=(reason or "").strip()),
    )  # fmt: skip
    return application.instalments.get(number=number)
