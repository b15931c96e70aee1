"""Money after approval: tranches paid out, the repayment schedule, payments in, and arrears."""

import datetime

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
from ..permissions import can_record_payments
from ..workflow import MOVES, actor_may
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
    if not actor_may(move, application, actor):
        raise DomainError(_("You may not do this."), code="forbidden", status_code=403)
    if application.stage not in move.source:
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
