"""The verification rule: which promised jobs a round's report proves, by national ID, from insurance lists.

A promised job (a PlannedJob's occupation, one of its count) counts as verified for the round's month when
the person the applicant named for it is on the insurance list of one of the business's workshops for that
month with at least the scheme's minimum of days. A person insured only at another workshop is not counted
(the lists say where they work); neither is one insured at the business for fewer days.

One person fills at most one promised job a month, across every loan and business (the registry counts
people the same way). Ties are broken so the result never depends on chance:
- a person already counted by a round verified earlier stays with that round ("counted elsewhere" here);
- when an import verifies several rounds at once, they are verified in the order their reports were sent
  (then by round number in the database), so the report sent first gets the person;
- within one report, people fill an occupation's jobs in the order they were named; those beyond the
  count promised are not counted ("beyond the promise").
Verifying a round again (a corrected list) releases its own people first and decides afresh.
The database keeps the rule too: a conditional unique constraint on (national ID, month) of verified people.
"""

import datetime
from collections import Counter
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenjobs import workflow as engine
from greenjobs.exceptions import ConflictError
from greenjobs.jobs import serialise_runs

from ..models import (
    Employee,
    Flag,
    InsuranceList,
    InsuranceRecord,
    Outcome,
    Round,
    RoundLine,
    RoundStatus,
    Workshop,
)
from ..workflow import DECIDE_SLA_DAYS
from .rounds import ROUND_FLOW


def _month_key(month: datetime.date) -> int:
    return month.year * 10000 + month.month * 100 + month.day


def _outcomes(round_, employees, *, min_days: int) -> tuple[dict[int, tuple[str, int | None]], Counter]:
    """Each employee's outcome and days at the business, and the verified count per occupation."""
    codes = set(Workshop.objects.filter(business_id=round_.loan.business_id).values_list("code", flat=True))
    ids = [employee.national_id for employee in employees]
    here: dict[str, int] = {}
    elsewhere: set[str] = set()
    for national_id, code, days in InsuranceRecord.objects.filter(
        national_id__in=ids, insurance_list__month=round_.month
    ).values_list("national_id", "insurance_list__workshop_code", "days"):
        if code in codes:
            here[national_id] = max(here.get(national_id, 0), days)
        elif days > 0:
            elsewhere.add(national_id)
    has_list = InsuranceList.objects.filter(workshop_code__in=codes, month=round_.month).exists()
    claimed = set(
        Employee.objects.filter(national_id__in=ids, month=round_.month, outcome=Outcome.VERIFIED)
        .exclude(round=round_)
        .values_list("national_id", flat=True)
    )
    promised = {line.occupation_id: line.promised for line in round_.lines.all()}
    filled: Counter = Counter()
    results = {}
    for employee in employees:
        days = here.get(employee.national_id)
        if employee.occupation_id not in promised:
            outcome = Outcome.NOT_PROMISED
        elif days is not None and days >= min_days:
            if employee.national_id in claimed:
                outcome = Outcome.COUNTED_ELSEWHERE
            elif filled[employee.occupation_id] >= promised[employee.occupation_id]:
                outcome = Outcome.BEYOND_PROMISE
            else:
                outcome = Outcome.VERIFIED
                filled[employee.occupation_id] += 1
        elif days:
            outcome = Outcome.TOO_FEW_DAYS
        elif employee.national_id in elsewhere:
            outcome = Outcome.INSURED_ELSEWHERE
        elif not has_list:
            outcome = Outcome.NO_LIST
        else:
            outcome = Outcome.NOT_INSURED
        results[employee.pk] = (outcome, days)
    return results, filled


def beyond_tolerance(*, promised: int, verified: int, tolerance: Decimal) -> bool:
    """Whether a round misses more than the scheme tolerates: (promised − verified) / promised > tolerance."""
    if promised <= 0:
        return False
    return Decimal(100) * (promised - verified) > Decimal(tolerance) * promised


def _verify_effects(round_, move, now):
    scheme = round_.loan.scheme
    # Two verifications of the same month at once would both see a person free: one waits for the other.
    serialise_runs(InsuranceList, _month_key(round_.month))
    employees = list(Employee.objects.select_for_update().filter(round=round_).order_by("pk"))
    Employee.objects.filter(round=round_).update(outcome="", insured_days=None)
    results, filled = _outcomes(round_, employees, min_days=scheme.min_insured_days)
    for employee in employees:
        employee.outcome, employee.insured_days = results[employee.pk]
    try:
        with transaction.atomic():
            Employee.objects.bulk_update(employees, ["outcome", "insured_days"])
    except IntegrityError as exc:
        raise ConflictError(
            _("Someone counted one of these people for another loan a moment ago. Check the round again."),
            code="counted_meanwhile",
        ) from exc
    lines = list(RoundLine.objects.filter(round=round_))
    for line in lines:
        line.verified = filled[line.occupation_id]
    RoundLine.objects.bulk_update(lines, ["verified"])
    round_.verified = sum(filled.values())
    round_.verified_at = now
    if beyond_tolerance(
        promised=round_.promised, verified=round_.verified, tolerance=scheme.shortfall_tolerance
    ):
        round_.flag = Flag.SHORTFALL
        round_.sla_due_on = timezone.localdate(now) + datetime.timedelta(days=DECIDE_SLA_DAYS)
        return RoundStatus.SHORTFALL
    if round_.flag == Flag.SHORTFALL:
        round_.flag = ""
    round_.sla_due_on = None
    return RoundStatus.VERIFIED


def round_verify(*, round_id: int, actor, expected_status: str | None = None) -> Round:
    """MCLS checks a report (again) against the insurance lists imported so far."""
    return engine.apply(
        ROUND_FLOW, "verify", obj_id=round_id, actor=actor, expected_status=expected_status,
        effects=_verify_effects,
    )  # fmt: skip


def rounds_verify_imported(*, workshop_months: set[tuple[str, datetime.date]]) -> int:
    """After an import: the reports waiting for the imported lists are verified by the portal, the report
    sent first first, each in its own transaction. Returns how many rounds were verified."""
    if not workshop_months:
        return 0
    codes = {code for code, _month in workshop_months}
    month_set = {month for _code, month in workshop_months}
    businesses = {
        business_id: set()
        for business_id in Workshop.objects.filter(code__in=codes).values_list("business_id", flat=True)
    }
    for business_id, code in Workshop.objects.filter(business_id__in=list(businesses)).values_list(
        "business_id", "code"
    ):
        businesses[business_id].add(code)
    waiting = (
        Round.objects.filter(
            status=RoundStatus.REPORTED, month__in=month_set, loan__business_id__in=list(businesses)
        )
        .order_by("reported_at", "pk")
        .values_list("pk", "month", "loan__business_id")
    )
    done = 0
    for round_id, month, business_id in list(waiting):
        if not any((code, month) in workshop_months for code in businesses[business_id]):
            continue
        try:
            engine.apply(
                ROUND_FLOW, "verify_imported", obj_id=round_id, actor=None,
                expected_status=RoundStatus.REPORTED, effects=_verify_effects,
            )  # fmt: skip
        except ConflictError:
            continue  # moved meanwhile (verified by a person): theirs stands
        done += 1
    return done


def occupation_table(round_) -> list[dict]:
    """Promised against verified by occupation, as the round's page shows it."""
    table = []
    for line in round_.lines.all():
        table.append(
            {
                "occupation": line.occupation,
                "promised": line.promised,
                "verified": line.verified,
                "shortfall": line.shortfall,
            }
        )
    return table
