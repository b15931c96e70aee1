"""Reads for the registry: every list is filtered by who asks and runs a fixed number of queries."""

from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import translation

from greenjobs.paging import count_rows, describe_count
from greenjobs.text import search_key

from .. import permissions
from ..models import (
    Assessment,
    AssessmentItem,
    Business,
    GreenJob,
    GreenOccupation,
    RegistrationEvent,
    RegistrationStatus,
    Sector,
)

# What is waiting for DOE: submitted, or being assessed.
OPEN_STATUSES = (RegistrationStatus.SUBMITTED, RegistrationStatus.UNDER_ASSESSMENT)


def sectors_matching(key: str) -> list[str]:
    """The sectors whose name, in Persian or English, contains this search key.

    The sector is stored as a code; people search by the name they read ("کشاورزی" for the
    sustainable agriculture sector), so the names are matched here, folded like the search text.
    """
    found = []
    for value, label in Sector.choices:
        names = []
        for language in ("fa", "en"):
            with translation.override(language):
                names.append(str(label))
        if any(key in search_key(name) for name in (value, *names)):
            found.append(value)
    return found


def occupations(*, query: str = "", sector: str = "", kind: str = "", include_inactive: bool = False):
    """The catalogue, searched by name (fa or en), code, training standard or sector name."""
    queryset = GreenOccupation.objects.all()
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    key = search_key(query)
    if key:
        queryset = queryset.filter(Q(search_text__contains=key) | Q(sector__in=sectors_matching(key)))
    if sector:
        queryset = queryset.filter(sector=sector)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("code")


def business_list(*, user, filters: dict | None = None):
    """The registrations a user may see, filtered. Counts shown beside each row are added to the page
    only (`with_green_jobs_count`): grouping the whole visible table would make every page, and the
    pager's count, cost as much as the table."""
    filters = filters or {}
    queryset = permissions.visible_businesses(user).select_related("county", "owner", "assigned_officer")
    if filters.get("q"):
        queryset = queryset.filter(search_text__contains=search_key(filters["q"]))
    if filters.get("status") == "open":
        filters = {**filters, "status": None}
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    for field in ("status", "sector", "verified_kind"):
        if filters.get(field):
            queryset = queryset.filter(**{field: filters[field]})
    if filters.get("county"):
        queryset = queryset.filter(county__code=filters["county"])
    if filters.get("knowledge_based") in (True, "true", "1", "yes"):
        queryset = queryset.filter(is_knowledge_based=True)
    elif filters.get("knowledge_based") in (False, "false", "0", "no"):
        queryset = queryset.filter(is_knowledge_based=False)
    if filters.get("submitted_from"):
        queryset = queryset.filter(submitted_at__date__gte=filters["submitted_from"])
    if filters.get("submitted_to"):
        queryset = queryset.filter(submitted_at__date__lte=filters["submitted_to"])
    if filters.get("ready") is True:
        # What this member of staff can act on now: the list their dashboard's count leads to.
        queryset = queryset.filter(permissions.staff_work_filter(user))
    return queryset


def with_green_jobs_count(businesses) -> list[Business]:
    """The page's registrations, each with `green_jobs_count`, in one query over the page's ids."""
    businesses = list(businesses)
    counts = dict(
        GreenJob.objects.filter(business_id__in=[business.pk for business in businesses])
        .values_list("business_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for business in businesses:
        business.green_jobs_count = counts.get(business.pk, 0)
    return businesses


def actionable_businesses(*, user):
    """The registrations on which this member of staff has something to do: what their dashboard counts."""
    return permissions.visible_businesses(user).filter(permissions.staff_work_filter(user))


def assessment_queue(*, user, filters: dict | None = None):
    """DOE's queue: cases waiting longest first, so ageing is visible at the top."""
    return (
        business_list(user=user, filters=filters)
        .filter(permissions.assessment_scope(user))
        .order_by("status_changed_at", "pk")
    )


def business_detail(*, user, business_id: int) -> Business | None:
    """One registration with everything its page shows, or None when it does not exist for this user."""
    return (
        permissions.visible_businesses(user)
        .select_related("county", "owner", "assigned_officer")
        .prefetch_related(
            Prefetch("green_jobs", queryset=_green_jobs()),
            "documents",
            Prefetch(
                "events", queryset=RegistrationEvent.objects.select_related("actor").order_by("at", "pk")
            ),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("officer", "decided_by").prefetch_related(
                    Prefetch("items", queryset=AssessmentItem.objects.order_by("pk"))
                ),
            ),
        )
        .filter(pk=business_id)
        .first()
    )


def latest_changes_request(business: Business) -> RegistrationEvent | None:
    """The reviewer's request behind the current "changes requested" status; None in any other status.

    Reads the history prefetched by business_detail, so a page asks no extra query.
    """
    if business.status != RegistrationStatus.CHANGES_REQUESTED:
        return None
    requests = [e for e in business.events.all() if e.to_status == RegistrationStatus.CHANGES_REQUESTED]
    return max(requests, key=lambda event: (event.at, event.pk), default=None)


def _green_jobs():
    return GreenJob.objects.select_related("occupation").order_by("pk")


def open_assessment(business: Business) -> Assessment | None:
    """The assessment in progress or waiting for decision, from the prefetched list."""
    for assessment in business.assessments.all():
        if assessment.status != Assessment.Status.DECIDED:
            return assessment
    return None


def reductions(queryset=None) -> dict:
    """Yearly reductions per requirement category, summed in the database.

    Each verified business counts once, with its latest verified assessment: a renewal re-measures
    the same yearly consumption, it does not add a second saving.
    """
    latest_verified = (
        Assessment.objects.filter(
            business=OuterRef("assessment__business"), status=Assessment.Status.DECIDED, decision="verified"
        )
        .order_by("-decided_at", "-pk")
        .values("pk")[:1]
    )
    items = AssessmentItem.objects.filter(assessment=Subquery(latest_verified))
    if queryset is not None:
        items = items.filter(assessment__business__in=queryset)
    saving = ExpressionWrapper(
        F("baseline") - F("current"), output_field=DecimalField(max_digits=16, decimal_places=2)
    )
    rows = (
        items.exclude(baseline__isnull=True)
        .values("category", "unit")
        .annotate(total_baseline=Sum("baseline"), total_current=Sum("current"), saving=Sum(saving))
        .order_by("category")
    )
    return {
        row["category"]: {
            "category": row["category"],
            "unit": row["unit"],
            "baseline": row["total_baseline"],
            "current": row["total_current"],
            "saving": row["saving"],
        }
        for row in rows
    }


QUEUE_COUNTED = ("submitted", "under_assessment", "changes_requested", "verified")


def status_counts(*, user, statuses=QUEUE_COUNTED) -> dict[str, str]:
    """How many registrations this user sees in each status, as shown beside the queue: each count reads
    at most the pager's limit of rows (an index range per status) and says "more than …" past it, so
    the badges cost the same with a thousand registrations or a million."""
    visible = permissions.visible_businesses(user)
    return {status: describe_count(*count_rows(visible.filter(status=status))) for status in statuses}
