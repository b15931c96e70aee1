"""Reads of awareness activities (G5): the filtered list and its totals, summed by the database."""

import jdatetime
from django.db.models import Count, Sum, Value
from django.db.models.functions import Coalesce

from ..models import AwarenessActivity

COUNTS = ("workers_count", "employers_count", "others_count")


def jalali_year_bounds(year: int):
    """The Gregorian days a Jalali year runs over: from its 1 Farvardin up to (not including) the next one."""
    return jdatetime.date(year, 1, 1).togregorian(), jdatetime.date(year + 1, 1, 1).togregorian()


def activity_list(*, filters: dict | None = None):
    """Activities matching the filters: agency (code), kind, year (Jalali), county (code), audience."""
    filters = filters or {}
    queryset = AwarenessActivity.objects.select_related("agency", "county", "recorded_by")
    if filters.get("agency"):
        queryset = queryset.filter(agency__code=filters["agency"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("audience"):
        queryset = queryset.filter(audience=filters["audience"])
    if filters.get("county"):
        queryset = queryset.filter(county__code=filters["county"])
    if filters.get("year"):
        first, next_first = jalali_year_bounds(int(filters["year"]))
        queryset = queryset.filter(held_on__gte=first, held_on__lt=next_first)
    return queryset.order_by("-held_on", "-pk")


def _sums():
    sums = {field: Coalesce(Sum(field), Value(0)) for field in COUNTS}
    sums["activities"] = Count("pk")
    return sums


def _with_participants(row: dict) -> dict:
    row["participants"] = sum(row[field] for field in COUNTS)
    return row


def activity_totals(queryset) -> dict:
    """{activities, workers_count, employers_count, others_count, participants} of a list, in one query."""
    return _with_participants(queryset.order_by().aggregate(**_sums()))


def totals_by_agency(queryset) -> list[dict]:
    """One row per agency that recorded something: code, names and the sums, in one query."""
    rows = (
        queryset.order_by()
        .values("agency__code", "agency__short_name_fa", "agency__short_name_en", "agency__order")
        .annotate(**_sums())
        .order_by("agency__order", "agency__code")
    )
    return [_with_participants(dict(row)) for row in rows]


def totals_by_audience(queryset) -> list[dict]:
    """One row per audience reached, with its label and the sums, in one query."""
    labels = dict(AwarenessActivity._meta.get_field("audience").choices)
    rows = queryset.order_by().values("audience").annotate(**_sums()).order_by("audience")
    return [
        _with_participants({**row, "label": labels.get(row["audience"], row["audience"])}) for row in rows
    ]
