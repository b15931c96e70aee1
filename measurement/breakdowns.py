"""The report's breakdowns of a period: by county and agency, the loan funnel, training, environmental
savings and late milestones. Computed here; stored for closed periods by services.snapshots."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from agencies.models import Agency
from incentives import selectors as loans
from incentives.models import LoanApplication
from monitoring import figures as jobs_monitoring
from programs.models import County, Initiative, Milestone
from training.models import AwarenessActivity, Certificate, Enrolment

from . import indicators as measures
from .periods import Period


def _json(value: Decimal | None):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def breakdowns(period: Period, *, verified_base: dict | None = None) -> dict:
    """The report's tables for one period, computed in the database.

    `verified_base` is the verified businesses per county at the end of the period before, when it is
    stored: the period's own first verifications are then added to it instead of counting from the
    beginning of the records."""
    start, end = period.start, period.end
    begin, stop = measures._day_range(start, end)
    # The same rules as the indicators: verified businesses up to the period's end (G1.1), loans
    # approved within the period (G1.5/G1.6), so the breakdowns add up to the figures above them.
    counties = list(County.objects.order_by("order"))
    if verified_base is None:
        verified = dict(measures.verified_by_county(start, end).values_list("county", "n"))
    else:
        grown = dict(measures.verified_by_county(start, end, since=start).values_list("county", "n"))
        verified = {c.pk: verified_base.get(c.code, 0) + grown.get(c.pk, 0) for c in counties}
    loans_by_county = {
        row["business__county__code"]: row
        for row in measures._approved(start, end)
        .values("business__county__code")
        .annotate(count=Count("pk"), amount=Sum("approved_amount"))
    }
    by_county = [
        {
            "code": county.code, "name_fa": county.name_fa, "name_en": county.name_en,
            "verified": verified.get(county.pk, 0),
            "loans": loans_by_county.get(county.code, {}).get("count", 0),
            "loans_rial": int(loans_by_county.get(county.code, {}).get("amount", 0) or 0),
        }
        for county in counties
    ]  # fmt: skip
    activities = {
        row["agency"]: row
        for row in AwarenessActivity.objects.filter(held_on__gte=start, held_on__lte=end)
        .values("agency")
        .annotate(count=Count("pk"), workers=Sum("workers_count"), employers=Sum("employers_count"))
    }
    # Initiatives running at any time within the period.
    initiatives = dict(
        Initiative.objects.filter(starts_on__lte=end, ends_on__gte=start)
        .values("lead_agency")
        .annotate(n=Count("pk"))
        .values_list("lead_agency", "n")
    )
    by_agency = [
        {
            "code": agency.code, "name_fa": agency.short_name_fa, "name_en": agency.short_name_en,
            "activities": activities.get(agency.pk, {}).get("count", 0),
            "workers": activities.get(agency.pk, {}).get("workers", 0) or 0,
            "employers": activities.get(agency.pk, {}).get("employers", 0) or 0,
            "initiatives": initiatives.get(agency.pk, 0),
        }
        for agency in Agency.objects.order_by("order")
    ]  # fmt: skip
    # The funnel of the applications submitted within the period, each at the stage it has reached now.
    submitted = LoanApplication.objects.filter(submitted_at__gte=begin, submitted_at__lt=stop)
    funnel = {key: int(value or 0) for key, value in loans.funnel(queryset=submitted).items()}
    training = Enrolment.objects.filter(result_recorded_at__gte=begin, result_recorded_at__lt=stop).aggregate(
        assessed=Count("pk"),
        passed_count=Count("pk", filter=Q(passed=True)),
        failed_count=Count("pk", filter=Q(passed=False)),
    )
    training["certificates"] = Certificate.objects.filter(issued_on__gte=start, issued_on__lte=end).count()
    training["revoked"] = Certificate.objects.filter(revoked_at__gte=begin, revoked_at__lt=stop).count()
    savings = {
        category: {"unit": row["unit"], "baseline": _json(row["baseline"]), "saving": _json(row["saving"])}
        for category, row in measures.savings_table(start, end).items()
    }
    today = timezone.localdate()
    late = [
        {
            "initiative_fa": milestone.initiative.title_fa, "initiative_en": milestone.initiative.title_en,
            "title": milestone.title, "due_on": milestone.due_on.isoformat(),
            "days_late": ((milestone.completed_on or today) - milestone.due_on).days,
            "agency": milestone.initiative.lead_agency.code,
        }
        for milestone in Milestone.objects.select_related("initiative__lead_agency")
        .filter(due_on__lt=min(end + datetime.timedelta(days=1), today))
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=F("due_on")))
        .order_by("due_on")
    ]  # fmt: skip
    return {
        "by_county": by_county, "by_agency": by_agency, "funnel": funnel, "training": training,
        "savings": savings, "late_milestones": late,
        # The jobs the loans promised and those the insurance lists verified, by county, scheme, occupation.
        "jobs": jobs_monitoring.breakdown(start, end),
    }  # fmt: skip
