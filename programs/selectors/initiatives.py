"""Reads for joint initiatives and G6 projects, each in a fixed number of queries however many rows."""

import datetime

from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Prefetch,
    Q,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from agencies.models import Agency, Goal

from ..models import Bid, Initiative, Milestone, Project
from ..permissions import can_read_initiatives


def late_q(today: datetime.date, prefix: str = "") -> Q:
    """Late, as Milestone.is_late says: open past its due date, or done after it."""
    return Q(**{f"{prefix}completed_on__isnull": True, f"{prefix}due_on__lt": today}) | Q(
        **{f"{prefix}completed_on__gt": F(f"{prefix}due_on")}
    )


def _days_late(today: datetime.date):
    """How many days late (or, for an open milestone, overdue so far), as a timedelta."""
    return ExpressionWrapper(
        Coalesce(F("completed_on"), Value(today, output_field=DateField())) - F("due_on"),
        output_field=DurationField(),
    )


def _initiatives():
    return Initiative.objects.select_related("lead_agency").prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("order")),
        Prefetch("partners", queryset=Agency.objects.order_by("order")),
    )


def initiative_list(*, user, filters: dict | None = None, today: datetime.date | None = None):
    """The initiatives with their milestone counts (all, done, late) annotated in the same query.

    filters: agency (code; leading or partnering), goal (code), late (only those with a late milestone).
    """
    if not can_read_initiatives(user):
        return Initiative.objects.none()
    filters = filters or {}
    today = today or timezone.localdate()
    queryset = _initiatives().annotate(
        milestone_count=Count("milestones"),
        done_count=Count("milestones", filter=Q(milestones__completed_on__isnull=False)),
        late_count=Count("milestones", filter=late_q(today, "milestones__")),
    )
    if filters.get("agency"):
        code = filters["agency"]
        partnering = Initiative.objects.filter(partners__code=code).values("pk")
        queryset = queryset.filter(Q(lead_agency__code=code) | Q(pk__in=partnering))
    if filters.get("goal"):
        queryset = queryset.filter(pk__in=Initiative.objects.filter(goals__code=filters["goal"]).values("pk"))
    if filters.get("late"):
        queryset = queryset.filter(late_count__gt=0)
    return queryset.order_by("-starts_on", "pk")


def initiative_detail(*, user, initiative_id: int, today: datetime.date | None = None) -> Initiative | None:
    """One initiative with its goals, partners and milestones (each with days_late); None if not visible."""
    if not can_read_initiatives(user):
        return None
    today = today or timezone.localdate()
    milestones = Milestone.objects.annotate(days_late=_days_late(today)).order_by("due_on", "pk")
    return (
        _initiatives()
        .select_related("created_by")
        .prefetch_related(Prefetch("milestones", queryset=milestones))
        .filter(pk=initiative_id)
        .first()
    )


def late_milestones(today: datetime.date | None = None, *, agency=None, open_only: bool = False):
    """Every late milestone, oldest due first, with its initiative and lead agency, in one query.

    `agency` (an Agency or its code) keeps those whose initiative it leads; `open_only` keeps the ones
    still not done. Each row has `days_late` (a timedelta): until done for the finished, until today
    for the open.
    """
    today = today or timezone.localdate()
    queryset = (
        Milestone.objects.filter(late_q(today))
        .select_related("initiative__lead_agency")
        .annotate(days_late=_days_late(today))
    )
    if open_only:
        queryset = queryset.filter(completed_on__isnull=True)
    if agency is not None:
        if isinstance(agency, str):
            queryset = queryset.filter(initiative__lead_agency__code=agency)
        else:
            queryset = queryset.filter(initiative__lead_agency=agency)
    return queryset.order_by("due_on", "pk")


def project_list(*, user, filters: dict | None = None):
    """The G6 projects with their bid count, lowest bid and awarded bid, in one query.

    filters: status, agency (lead agency code).
    """
    if not can_read_initiatives(user):
        return Project.objects.none()
    filters = filters or {}
    queryset = Project.objects.select_related("lead_agency", "awarded_bid").annotate(
        bid_count=Count("bids"), lowest_bid=Min("bids__amount")
    )
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("agency"):
        queryset = queryset.filter(lead_agency__code=filters["agency"])
    return queryset.order_by("-bids_close_on", "pk")


def project_detail(*, user, project_id: int) -> Project | None:
    """One project with its bids (oldest first) prefetched; None if not visible."""
    if not can_read_initiatives(user):
        return None
    return (
        Project.objects.select_related("lead_agency", "awarded_bid", "awarded_by")
        .prefetch_related(Prefetch("bids", queryset=Bid.objects.order_by("submitted_on", "pk")))
        .filter(pk=project_id)
        .first()
    )
