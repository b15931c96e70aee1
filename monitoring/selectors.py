"""Reads for monitoring; every list is filtered by who asks and runs a fixed number of queries."""

import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone

from .models import (
    EDITABLE_STATUSES,
    STAFF_STATUSES,
    Decision,
    Employee,
    Round,
    RoundEvent,
    RoundStatus,
    SiteVisit,
    VisitStatus,
    Workshop,
)
from .permissions import visible_rounds, visible_visits

# How long a decision stays on the applicant's dashboard.
DECISIONS_SHOWN_DAYS = 120


def round_detail(*, user, round_id: int) -> Round | None:
    return (
        visible_rounds(user)
        .select_related("loan", "loan__scheme", "loan__business", "loan__business__county", "loan__applicant")
        .prefetch_related(
            "lines__occupation",
            Prefetch("employees", queryset=Employee.objects.select_related("occupation").order_by("pk")),
            "documents",
            Prefetch("events", queryset=RoundEvent.objects.select_related("actor").order_by("at", "pk")),
            Prefetch("decisions", queryset=Decision.objects.select_related("decided_by", "follow_up")),
            Prefetch(
                "visits",
                queryset=SiteVisit.objects.select_related("agency", "recorded_by").prefetch_related("photos"),
            ),
        )
        .filter(pk=round_id)
        .first()
    )


def workshops_of(business_id: int):
    return Workshop.objects.filter(business_id=business_id).order_by("code")


def rounds_due(*, user, today: datetime.date | None = None):
    """The applicant's rounds whose month has begun and whose report is still owed, nearest deadline first."""
    today = today or timezone.localdate()
    return (
        visible_rounds(user)
        .filter(status__in=EDITABLE_STATUSES, month__lte=today, loan__applicant=user)
        .select_related("loan", "loan__scheme", "loan__business")
        .order_by("due_on", "pk")
    )


def recent_decisions(*, user, today: datetime.date | None = None):
    today = today or timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=DECISIONS_SHOWN_DAYS)
    return (
        Decision.objects.filter(
            round__in=visible_rounds(user).filter(loan__applicant=user), decided_at__gte=since
        )
        .select_related("round", "round__loan", "round__loan__scheme", "follow_up")
        .order_by("-decided_at", "-pk")
    )


def my_rounds(*, user):
    return (
        visible_rounds(user)
        .filter(loan__applicant=user)
        .select_related("loan", "loan__scheme", "loan__business")
        .order_by("-month", "-pk")
    )


def staff_queue(*, user, filters: dict | None = None, today: datetime.date | None = None):
    """The rounds waiting for MCLS (a report to verify, a shortfall or a missing report to decide on),
    the nearest deadline first."""
    filters = filters or {}
    today = today or timezone.localdate()
    statuses = [filters["status"]] if filters.get("status") else list(STAFF_STATUSES)
    queryset = visible_rounds(user).filter(status__in=statuses)
    if filters.get("flag"):
        queryset = queryset.filter(flag=filters["flag"])
    if filters.get("scheme"):
        queryset = queryset.filter(loan__scheme__code=filters["scheme"])
    if filters.get("county"):
        queryset = queryset.filter(loan__business__county__code=filters["county"])
    if filters.get("late"):
        queryset = queryset.filter(sla_due_on__lt=today)
    return queryset.select_related(
        "loan", "loan__scheme", "loan__business", "loan__business__county"
    ).order_by("sla_due_on", "pk")


def visit_queue(*, user, filters: dict | None = None, today: datetime.date | None = None):
    filters = filters or {}
    today = today or timezone.localdate()
    queryset = visible_visits(user).filter(status=VisitStatus.PLANNED)
    if filters.get("county"):
        queryset = queryset.filter(loan__business__county__code=filters["county"])
    if filters.get("late"):
        queryset = queryset.filter(due_on__lt=today)
    return queryset.select_related(
        "loan", "loan__business", "loan__business__county", "agency", "round"
    ).order_by("due_on", "pk")


def queue_counts(*, user) -> dict:
    rounds = visible_rounds(user)
    return {
        "to_verify": rounds.filter(status=RoundStatus.REPORTED).count(),
        "to_decide": rounds.filter(Q(status=RoundStatus.SHORTFALL) | Q(status=RoundStatus.OVERDUE)).count(),
        "visits": visible_visits(user).filter(status=VisitStatus.PLANNED).count(),
    }
