"""What each indicator's *actual* is for a period, computed in the database (never by loading rows).

Each function takes the period's first and last day (inclusive) and returns a Decimal. The registry at
the bottom maps indicator codes to them; `seed.INDICATORS` gives their names, units and targets.
"""

import contextlib
import contextvars
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from incentives.models import ApplicationEvent, Disbursement, Instalment, LoanApplication, Payment
from monitoring import figures as jobs_monitoring
from programs.models import (
    Assessment,
    AssessmentItem,
    Business,
    GreenJob,
    GreenOccupation,
    Project,
    RegistrationEvent,
)
from training.models import AwarenessActivity, Certificate, Enrolment

D0 = Decimal(0)


def _day_range(start, end) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as aware datetimes [start 00:00, end+1 00:00) in the portal's time zone. A moment given
    instead of a day is taken as it is: the windowed indicators count from one moment to another."""
    tz = timezone.get_current_timezone()
    if isinstance(start, datetime.datetime):
        begin = start
    else:
        begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    if isinstance(end, datetime.datetime):
        stop = end
    else:
        stop = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return begin, stop


def _dec(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- G1 and G3/G4: the registry ------------------------------------------------------------------------


def _first_verified(start, end, *, cumulative: bool):
    """Businesses by their first verification, kept on the row by the workflow (an index range)."""
    begin, stop = _day_range(start, end)
    businesses = Business.objects.filter(first_verified_at__lt=stop)
    return businesses if cumulative else businesses.filter(first_verified_at__gte=begin)


def verified_businesses(start, end) -> Decimal:
    """Businesses ever verified green up to the period's end (renewals count once)."""
    return Decimal(_first_verified(start, end, cumulative=True).count())


def verified_by_county(start, end, *, since=None):
    """G1.1 by county (or its growth from `since`): one grouped pass over the index of first verifications."""
    businesses = _first_verified(since or start, end, cumulative=since is None)
    return businesses.order_by().values("county").annotate(n=Count("pk"))


def newly_verified_businesses(start, end) -> Decimal:
    """What G1.1 grew by within the period: the businesses first verified in it."""
    return Decimal(_first_verified(start, end, cumulative=False).count())


def green_jobs_unique(start, end) -> Decimal:
    """People in green jobs in businesses that were verified (or lapsed) at the period's end, each person
    counted once by national ID. The status is the one the registration had then, not today's: a
    business verified in 1404 and back under review today still counted in 1404."""
    _begin, stop = _day_range(start, end)
    if stop > timezone.now():
        # The period has not ended: the status then is today's, which the workflow keeps on each job.
        return Decimal(GreenJob.objects.filter(counted=True).values("holder_national_id").distinct().count())
    # A registration untouched since the period ended stands as it stood then; only those moved since
    # need their history read, and there are few of them for a recent period.
    unchanged = Q(counted=True, business__status_changed_at__lt=stop)
    moved = Q(business__status_changed_at__gte=stop, business__in=_moved_counted_then(stop))
    jobs = GreenJob.objects.filter(unchanged | moved)
    return Decimal(jobs.values("holder_national_id").distinct().count())


def _moved_counted_then(stop):
    return (
        Business.objects.filter(status_changed_at__gte=stop)
        .annotate(status_then=_status_at(stop))
        .filter(status_then__in=["verified", "expired"])
        .values("pk")
    )


def _status_at(stop):
    return Subquery(
        RegistrationEvent.objects.filter(business=OuterRef("pk"), at__lt=stop)
        .order_by("-at", "-pk")
        .values("to_status")[:1]
    )


def _verified_in_period(start, end, kind: str) -> Decimal:
    """Businesses whose first verification fell in the period: a renewal is not a new green business."""
    return Decimal(_first_verified(start, end, cumulative=False).filter(verified_kind=kind).count())


def new_green_businesses(start, end) -> Decimal:
    return _verified_in_period(start, end, "new_green")


def greened_businesses(start, end) -> Decimal:
    return _verified_in_period(start, end, "greened_existing")


def new_green_occupations(start, end) -> Decimal:
    return Decimal(
        GreenOccupation.objects.filter(
            kind="new_green", introduced_on__gte=start, introduced_on__lte=end
        ).count()
    )


# --- G2: assessments -----------------------------------------------------------------------------------


def assessments_decided(start, end) -> Decimal:
    begin, stop = _day_range(start, end)
    return Decimal(
        Assessment.objects.filter(status="decided", decided_at__gte=begin, decided_at__lt=stop).count()
    )


def non_compliances(start, end) -> Decimal:
    begin, stop = _day_range(start, end)
    return Decimal(
        AssessmentItem.objects.filter(
            compliant=False, assessment__status="decided", assessment__decided_at__gte=begin,
            assessment__decided_at__lt=stop,
        ).count()
    )  # fmt: skip


def loans_refused_environment(start, end) -> Decimal:
    begin, stop = _day_range(start, end)
    return Decimal(
        ApplicationEvent.objects.filter(action="environment_reject", at__gte=begin, at__lt=stop).count()
    )


# --- G4: measured reductions ---------------------------------------------------------------------------


def _latest_verified_items(start, end):
    """Checklist lines of the verifications decided in the period, the latest one per business.

    A verification counts unless the same business had a later one before the period's end: a lookup
    per verification of the period (an index on business and decision time), never a walk through
    every checklist line of the past.
    """
    begin, stop = _day_range(start, end)
    verified = Assessment.objects.filter(status="decided", decision="verified")
    # A later verification is later than one of the period, so it is itself in the period: both sides
    # of the comparison are the period's own decisions.
    later = verified.filter(business=OuterRef("business"), decided_at__gte=begin, decided_at__lt=stop).filter(
        Q(decided_at__gt=OuterRef("decided_at")) | Q(decided_at=OuterRef("decided_at"), pk__gt=OuterRef("pk"))
    )
    latest = verified.filter(decided_at__gte=begin, decided_at__lt=stop).exclude(Exists(later))
    return AssessmentItem.objects.filter(
        assessment__in=latest.values("pk"), baseline__isnull=False, current__isnull=False
    )


# One snapshot asks for the four categories' savings of the same period, and the report's savings table
# once more: within `shared_savings()` the grouped query runs once per period.
_savings_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("savings_memo", default=None)


@contextlib.contextmanager
def shared_savings():
    token = _savings_memo.set({})
    try:
        yield
    finally:
        _savings_memo.reset(token)


def savings_table(start, end) -> dict[str, dict]:
    """Per requirement category: its unit, the baseline and the yearly saving measured in the
    verifications decided in the period (the latest one per business). One grouped query per period."""
    memo = _savings_memo.get()
    if memo is not None and (start, end) in memo:
        return memo[(start, end)]
    saving = Sum(F("baseline") - F("current"), output_field=DecimalField(max_digits=20, decimal_places=2))
    table = {}
    rows = (
        _latest_verified_items(start, end)
        .order_by()
        .values("category", "unit")
        .annotate(total_baseline=Sum("baseline"), saving=saving)
        .order_by("category", "unit")
    )
    for row in rows:
        # A category measured in two units adds up in the first; the checklist keeps one unit per category.
        entry = table.setdefault(
            row["category"], {"unit": row["unit"], "baseline": _dec(0), "saving": _dec(0)}
        )
        entry["baseline"] += _dec(row["total_baseline"])
        entry["saving"] += _dec(row["saving"])
    if memo is not None:
        memo[(start, end)] = table
    return table


def _reduction(category: str):
    def compute(start, end) -> Decimal:
        """Yearly saving measured in verifications decided in the period (the latest one per business)."""
        return savings_table(start, end).get(category, {}).get("saving", _dec(0))

    return compute


# --- G1: loans -----------------------------------------------------------------------------------------


def _submitted(start, end):
    begin, stop = _day_range(start, end)
    return LoanApplication.objects.filter(submitted_at__gte=begin, submitted_at__lt=stop)


def loans_applied_count(start, end) -> Decimal:
    return Decimal(_submitted(start, end).count())


def loans_applied_rial(start, end) -> Decimal:
    return _dec(_submitted(start, end).aggregate(total=Sum("amount"))["total"])


def _approved(start, end):
    begin, stop = _day_range(start, end)
    approved = ApplicationEvent.objects.filter(action="approve", at__gte=begin, at__lt=stop).values(
        "application"
    )
    return LoanApplication.objects.filter(pk__in=approved)


def loans_approved_count(start, end) -> Decimal:
    return Decimal(_approved(start, end).count())


def loans_approved_rial(start, end) -> Decimal:
    return _dec(_approved(start, end).aggregate(total=Sum("approved_amount"))["total"])


def _disbursements(start, end):
    return Disbursement.objects.filter(paid_on__gte=start, paid_on__lte=end)


def loans_disbursed_count(start, end) -> Decimal:
    return Decimal(_disbursements(start, end).values("application").distinct().count())


def loans_disbursed_rial(start, end) -> Decimal:
    return _dec(_disbursements(start, end).aggregate(total=Sum("amount"))["total"])


def portfolio_in_arrears(start, end) -> Decimal:
    """What was overdue at the close of the period: per loan, the instalments due by then less the payments
    made by then, never below zero (a payment ahead of time is not negative arrears).

    A period not over yet is read as of today, with the daily run's rule: an instalment is overdue the day
    after it falls due. Payments are allocated to the oldest instalments first, so the difference of the
    two sums is exactly the unpaid part of the instalments due.
    """
    today = timezone.localdate()
    if end >= today:
        # Not over yet: today's arrears, as the daily run has just set them on each loan in arrears (a
        # partial index holds only those), instead of adding up every instalment ever due.
        total = LoanApplication.objects.filter(overdue_amount__gt=0).aggregate(total=Sum("overdue_amount"))
        return _dec(total["total"])
    due = Q(due_on__lte=end) if end < today else Q(due_on__lt=today)
    paid_by = min(end, today)
    due_total = (
        Instalment.objects.filter(due, application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    paid_total = (
        Payment.objects.filter(application=OuterRef("pk"), paid_on__lte=paid_by)
        .order_by()
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    rials = BigIntegerField()
    owed = Coalesce(Subquery(due_total, output_field=rials), Value(0), output_field=rials) - Coalesce(
        Subquery(paid_total, output_field=rials), Value(0), output_field=rials
    )
    total = (
        LoanApplication.objects.filter(pk__in=Instalment.objects.filter(due).values("application"))
        .annotate(arrears=Greatest(owed, Value(0), output_field=rials))
        .aggregate(total=Sum("arrears"))["total"]
    )
    return _dec(total)


# --- G5: training and awareness ------------------------------------------------------------------------


def _trained(start, end, audience: str) -> Decimal:
    begin, stop = _day_range(start, end)
    return Decimal(
        Enrolment.objects.filter(
            result_recorded_at__gte=begin, result_recorded_at__lt=stop, session__course__audience=audience,
            status="enrolled",
        )
        .values("person")
        .distinct()
        .count()
    )  # fmt: skip


def trained_workers(start, end) -> Decimal:
    return _trained(start, end, "workers")


def trained_employers(start, end) -> Decimal:
    return _trained(start, end, "employers")


def people_certified(start, end) -> Decimal:
    # A certificate revoked after the period was valid at its end, and counts for that period.
    _begin, stop = _day_range(start, end)
    return Decimal(
        Certificate.objects.filter(issued_on__gte=start, issued_on__lte=end)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gte=stop))
        .values("enrolment__person")
        .distinct()
        .count()
    )


def _awareness(start, end, field: str) -> Decimal:
    total = AwarenessActivity.objects.filter(held_on__gte=start, held_on__lte=end).aggregate(
        total=Coalesce(Sum(field), 0)
    )["total"]
    return Decimal(total)


def awareness_workers(start, end) -> Decimal:
    return _awareness(start, end, "workers_count")


def awareness_employers(start, end) -> Decimal:
    return _awareness(start, end, "employers_count")


def awareness_activities(start, end) -> Decimal:
    return Decimal(AwarenessActivity.objects.filter(held_on__gte=start, held_on__lte=end).count())


# --- G6: large projects ---------------------------------------------------------------------------------


def _awarded(start, end):
    return Project.objects.filter(status="awarded", awarded_on__gte=start, awarded_on__lte=end)


def projects_awarded(start, end) -> Decimal:
    return Decimal(_awarded(start, end).count())


def kb_share_count(start, end) -> Decimal:
    """Per cent of awarded projects won by knowledge-based firms."""
    totals = _awarded(start, end).aggregate(
        all=Count("pk"), kb=Count("pk", filter=Q(awarded_bid__is_knowledge_based=True))
    )
    return _dec(Decimal(100) * totals["kb"] / totals["all"]) if totals["all"] else D0


def kb_share_value(start, end) -> Decimal:
    """Per cent of the value of awarded contracts won by knowledge-based firms."""
    totals = _awarded(start, end).aggregate(
        all=Sum("awarded_bid__amount"),
        kb=Sum("awarded_bid__amount", filter=Q(awarded_bid__is_knowledge_based=True)),
    )
    return _dec(Decimal(100) * (totals["kb"] or 0) / totals["all"]) if totals["all"] else D0


COMPUTED = {
    "G1.1": verified_businesses,
    "G1.2": green_jobs_unique,
    "G1.3": loans_applied_count,
    "G1.4": loans_applied_rial,
    "G1.5": loans_approved_count,
    "G1.6": loans_approved_rial,
    "G1.7": loans_disbursed_count,
    "G1.8": loans_disbursed_rial,
    "G1.9": portfolio_in_arrears,
    # Jobs the loans promised, checked after the money was paid (monitoring rounds of the period's months).
    "G1.10": jobs_monitoring.jobs_promised,
    "G1.11": jobs_monitoring.jobs_verified,
    "G1.12": jobs_monitoring.verification_rate,
    "G1.13": jobs_monitoring.months_lasted,
    "G2.1": assessments_decided,
    "G2.2": non_compliances,
    "G2.3": loans_refused_environment,
    "G3.1": new_green_occupations,
    "G3.2": new_green_businesses,
    "G4.1": greened_businesses,
    "G4.2": _reduction("energy"),
    "G4.3": _reduction("water"),
    "G4.4": _reduction("materials"),
    "G4.5": _reduction("waste"),
    "G5.1": trained_workers,
    "G5.2": trained_employers,
    "G5.3": people_certified,
    "G5.4": awareness_workers,
    "G5.5": awareness_employers,
    "G5.6": awareness_activities,
    "G6.1": projects_awarded,
    "G6.2": kb_share_count,
    "G6.3": kb_share_value,
}


# How a cumulative indicator grows within a period: its value at a period's end is the stored value at
# the end of the period before plus this, so the current period never counts from the beginning.
INCREMENTS = {"G1.1": newly_verified_businesses}

# The flows that are a plain count or sum of records stamped once, when they happen: what one window of
# time adds to them is added to what the windows before it added. The current period keeps a running
# value (measurement.RunningValue) and counts only the records stamped since it was last brought up to
# date. G1.1 grows by its increment. The others (distinct people, the latest verification per business,
# days a person types) are counted over the period.
WINDOWED = {
    "G1.1": newly_verified_businesses,
    **{
        code: COMPUTED[code]
        for code in ("G1.3", "G1.4", "G1.5", "G1.6", "G2.1", "G2.2", "G2.3", "G3.2", "G4.1")
    },
}


def actual(indicator, start: datetime.date, end: datetime.date) -> Decimal | None:
    """The actual of one indicator for a period; a manual indicator without an entry has none."""
    if indicator.source == indicator.Source.MANUAL:
        entry = indicator.manual_values.filter(period_start=start, period_end=end).first()
        return entry.value if entry else None
    return COMPUTED[indicator.code](start, end)


def percent_of_target(indicator, value: Decimal | None, target: Decimal | None) -> Decimal | None:
    """How far the actual has come towards the target, from the baseline, in per cent."""
    if value is None or target is None:
        return None
    baseline = indicator.baseline or D0
    distance = (target - baseline) if indicator.direction == "up" else (baseline - target)
    if not distance:
        return None
    done = (value - baseline) if indicator.direction == "up" else (baseline - value)
    return (Decimal(100) * done / distance).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
