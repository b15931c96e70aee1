"""The programme's figures on the jobs loans promised, for the measurement app (computed in the database).

A round belongs to the period that holds the month it checks. Only assessed rounds count (verified, short,
not reported, decided): a round still waiting for its report or its verification says nothing yet, and a
round never reported verifies nothing. So the rate is always verified out of promised for the same rounds.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, DurationField, ExpressionWrapper, F, Sum

from .models import ASSESSED_STATUSES, Employee, Outcome, Round, RoundLine

# The average Gregorian month, to say in months how long a verified job has lasted.
MONTH_DAYS = Decimal("30.436875")


def _rounds(start: datetime.date, end: datetime.date):
    return Round.objects.filter(month__gte=start, month__lte=end, status__in=ASSESSED_STATUSES)


def _two(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def totals(start: datetime.date, end: datetime.date) -> dict:
    row = _rounds(start, end).aggregate(
        promised=Sum("promised", default=0), verified=Sum("verified", default=0)
    )
    return {"promised": row["promised"], "verified": row["verified"]}


def jobs_promised(start, end) -> Decimal:
    return Decimal(totals(start, end)["promised"])


def jobs_verified(start, end) -> Decimal:
    return Decimal(totals(start, end)["verified"])


def verification_rate(start, end) -> Decimal:
    """Per cent of the promised jobs of the period's assessed rounds that were verified."""
    row = totals(start, end)
    return _two(Decimal(100) * row["verified"] / row["promised"]) if row["promised"] else _two(0)


def months_lasted(start, end) -> Decimal:
    """How long, on average, a job verified in the period had lasted by the end of its month: from the day
    its holder started, as the applicant reported it, in months."""
    lasted = ExpressionWrapper(F("round__month_end") - F("started_on"), output_field=DurationField())
    average = Employee.objects.filter(
        outcome=Outcome.VERIFIED, round__month__gte=start, round__month__lte=end
    ).aggregate(days=Avg(lasted))["days"]
    if average is None:
        return _two(0)
    days = Decimal(average.total_seconds()) / Decimal(86400)
    return _two(days / MONTH_DAYS)


def breakdown(start, end) -> dict:
    """Promised and verified jobs of the period by county, scheme and occupation (plain JSON)."""
    lines = RoundLine.objects.filter(
        round__month__gte=start, round__month__lte=end, round__status__in=ASSESSED_STATUSES
    )

    def grouped(prefix: str, name: str = "name") -> list[dict]:
        code, name_fa, name_en = f"{prefix}__code", f"{prefix}__{name}_fa", f"{prefix}__{name}_en"
        rows = (
            lines.order_by(code)
            .values(code, name_fa, name_en)
            .annotate(promised=Sum("promised"), verified=Sum("verified"))
        )
        return [
            {"code": row[code], "name_fa": row[name_fa], "name_en": row[name_en],
             "promised": row["promised"], "verified": row["verified"]}
            for row in rows
        ]  # fmt: skip

    return {
        "by_county": grouped("round__loan__business__county"),
        "by_scheme": grouped("round__loan__scheme", "title"),
        "by_occupation": grouped("occupation"),
        **totals(start, end),
    }
