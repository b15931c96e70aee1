"""Reads for loans; every list is filtered by who asks and runs a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from greenjobs.text import search_key

from . import permissions
from .models import ApplicationEvent, Instalment, LoanApplication, LoanScheme, Stage
from .permissions import actionable_filter

# Which stages each staff queue shows, by agency and role.
STAFF_QUEUES = {
    ("DOE", "reviewer"): (Stage.SUBMITTED, Stage.ENVIRONMENTAL_REVIEW),
    ("DOE", "officer"): (Stage.SUBMITTED, Stage.ENVIRONMENTAL_REVIEW),
    ("DOE", "manager"): (Stage.SUBMITTED, Stage.ENVIRONMENTAL_REVIEW),
    ("MCLS", "reviewer"): (Stage.CREDIT_REVIEW,),
    ("MCLS", "manager"): (Stage.DECISION, Stage.APPROVED),
    ("MCLS", "officer"): (
        Stage.APPROVED,
        Stage.CONTRACTED,
        Stage.DISBURSED,
        Stage.REPAYING,
        Stage.IN_ARREARS,
    ),
}


def open_schemes(*, today=None):
    today = today or timezone.localdate()
    return LoanScheme.objects.filter(
        is_published=True, opens_on__lte=today, closes_on__gte=today
    ).prefetch_related("priority_counties")


def published_schemes():
    return (
        LoanScheme.objects.filter(is_published=True)
        .prefetch_related("priority_counties")
        .order_by("-opens_on")
    )


def schemes_by_window(today):
    """The published schemes as the public page shows them: open and upcoming ones (a few at any time), and
    the closed ones, which grow with the years and are paged."""
    # The list shows no priority counties, so none are fetched.
    published = LoanScheme.objects.filter(is_published=True).order_by("-opens_on", "-pk")
    return {
        "open": published.filter(opens_on__lte=today, closes_on__gte=today),
        "upcoming": published.filter(opens_on__gt=today),
        "closed": published.filter(closes_on__lt=today).order_by("-opens_on", "-pk"),
    }


def application_list(*, user, filters: dict | None = None):
    filters = filters or {}
    queryset = permissions.visible_applications(user).select_related(
        "scheme", "business", "business__county", "applicant"
    )
    if filters.get("stage"):
        stages = filters["stage"] if isinstance(filters["stage"], list | tuple) else [filters["stage"]]
        queryset = queryset.filter(stage__in=stages)
    if filters.get("scheme"):
        queryset = queryset.filter(scheme__code=filters["scheme"])
    if filters.get("county"):
        queryset = queryset.filter(business__county__code=filters["county"])
    if filters.get("q"):
        queryset = queryset.filter(business__search_text__contains=search_key(filters["q"]))
    if filters.get("ready") is True:
        # What this person can act on: the list their dashboard's count leads to.
        queryset = queryset.filter(actionable_filter(user))
    return queryset


def actionable_applications(*, user):
    """The applications on which this person has an action on their page: what their dashboard counts."""
    return permissions.visible_applications(user).filter(actionable_filter(user))


def staff_queue(*, user, filters: dict | None = None):
    """The applications waiting for this person's role, highest priority first, then the longest waiting.

    With `ready`, exactly the applications this person can act on, whatever their queue's stages.
    """
    membership = permissions.membership_of(user)
    stages = STAFF_QUEUES.get((membership.agency.code, membership.role), ()) if membership else ()
    filters = {**(filters or {})}
    if filters.get("ready") is not True:
        filters.setdefault("stage", list(stages))
        if not filters["stage"]:
            return LoanApplication.objects.none()
    return application_list(user=user, filters=filters).order_by("-priority_score", "stage_changed_at", "pk")


def application_detail(*, user, application_id: int) -> LoanApplication | None:
    return (
        permissions.visible_applications(user)
        .select_related("scheme", "business", "business__county", "applicant")
        .prefetch_related(
            "planned_jobs__occupation",
            "documents",
            Prefetch(
                "events", queryset=ApplicationEvent.objects.select_related("actor").order_by("at", "pk")
            ),
            Prefetch("instalments", queryset=Instalment.objects.order_by("number")),
            "disbursements",
            "payments",
        )
        .filter(pk=application_id)
        .first()
    )


def funnel(*, queryset=None) -> dict:
    """Counts and Rials at each step of the loan funnel, in one query."""
    queryset = LoanApplication.objects.all() if queryset is None else queryset
    reached_decision = (
        Stage.APPROVED,
        Stage.CONTRACTED,
        Stage.DISBURSED,
        Stage.REPAYING,
        Stage.IN_ARREARS,
        Stage.SETTLED,
    )
    return queryset.aggregate(
        applied=Count("pk", filter=~Q(stage=Stage.DRAFT)),
        applied_amount=Sum("amount", filter=~Q(stage=Stage.DRAFT), default=0),
        approved=Count("pk", filter=Q(stage__in=reached_decision)),
        approved_amount=Sum("approved_amount", filter=Q(stage__in=reached_decision), default=0),
        disbursed=Count("pk", filter=Q(disbursed_amount__gt=0)),
        disbursed_amount=Sum("disbursed_amount", default=0),
        in_arrears=Count("pk", filter=Q(stage=Stage.IN_ARREARS)),
        in_arrears_amount=Sum("overdue_amount", filter=Q(stage=Stage.IN_ARREARS), default=0),
        # Exists, not a join to events: a join would multiply the sums above by each application's events.
        refused_environment=Count(
            "pk",
            filter=Q(stage=Stage.REJECTED)
            & Q(
                Exists(
                    ApplicationEvent.objects.filter(application=OuterRef("pk"), action="environment_reject")
                )
            ),
        ),
    )
