"""The progress against the memorandum's goals that the dashboards show, computed here by Celery and kept
(`snapshots.progress_store`): the pages read the kept copy and never compute it in a request."""

import datetime

from django.core.cache import cache
from django.utils import timezone

from agencies.models import Goal

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


def progress_refresh(*, today: datetime.date | None = None) -> dict:
    """Computes the progress and keeps it for the dashboards. The pending flag is cleared first, so an
    event committed while this runs asks for another refresh instead of being lost."""
    cache.delete(snapshots.REFRESH_PENDING_KEY)
    snapshots.running_advance()
    data = progress(today=today)
    snapshots.progress_store(data)
    return data
