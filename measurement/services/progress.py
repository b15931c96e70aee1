"""The progress against the memorandum's goals that the dashboards show, computed here by Celery and kept
(`snapshots.progress_store`): the pages read the kept copy and never compute it in a request."""

import datetime

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Kind
from agencies.models import Goal
from incentives import selectors as loans
from programs.models import Business

from ..models import Indicator
from ..periods import Period
from . import snapshots
from .reports import TREND_LENGTH, indicator_rows


def progress(*, today: datetime.date | None = None) -> dict:
    """Every goal with its indicators: actual against target for the current Jalali year, and each
    indicator's trend over the last six quarters. Aggregates only, as plain JSON, in both languages.

    Closed quarters are read from the store; only the current year and quarter are computed, with queries
    over their own records.
    """
    today = today or timezone.localdate()
    year = Period.containing(today, "year")
    quarter = Period.containing(today, "quarter")
    yearly = indicator_rows(year, trend=False, today=today)
    trends = {
        row["code"]: [point["value"] for point in row["trend"]]
        for row in indicator_rows(quarter, today=today)
    }
    goals = Goal.objects.filter(pk__in=Indicator.objects.values("goal")).order_by("order")
    return {
        "programme": _programme_totals(),
        "year": {"key": year.key, "label_fa": year.label("fa"), "label_en": year.label("en")},
        "trend_periods": [
            {"key": past.key, "label_fa": past.label("fa"), "label_en": past.label("en")}
            for past in quarter.trend(TREND_LENGTH)
        ],
        "generated_at": timezone.now().isoformat(),
        "goals": [
            {
                "code": goal.code,
                "title_fa": goal.title_fa,
                "title_en": goal.title_en,
                "indicators": [
                    {**row, "trend": trends.get(row["code"], [])}
                    for row in yearly
                    if row["goal"] == goal.code
                ],
            }
            for goal in goals
        ],
    }


def _programme_totals() -> dict:
    """The steering committee's running totals (loan funnel, accounts, registrations by status): whole-table
    aggregates, so they are counted here in the background and read by the programme dashboard."""
    User = get_user_model()
    accounts = User.objects.aggregate(
        applicants=Count("pk", filter=Q(kind=Kind.APPLICANT)),
        verified_applicants=Count("pk", filter=Q(kind=Kind.APPLICANT, email_verified_at__isnull=False)),
        staff=Count("pk", filter=Q(kind=Kind.AGENCY_STAFF)),
    )
    registry = dict(
        Business.objects.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {
        "loan_funnel": {key: int(value or 0) for key, value in loans.funnel().items()},
        "accounts": accounts,
        "registry_counts": registry,
    }


def progress_refresh(*, today: datetime.date | None = None) -> dict:
    """Computes the progress and keeps it for the dashboards. The pending flag is cleared first, so an
    event committed while this runs asks for another refresh instead of being lost."""
    cache.delete(snapshots.REFRESH_PENDING_KEY)
    snapshots.running_advance()
    data = progress(today=today)
    snapshots.progress_store(data)
    return data
