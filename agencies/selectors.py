from django.db.models import Prefetch

from .models import Agency, Goal, Memorandum, Obligation, StaffMembership


def current_memorandum() -> Memorandum | None:
    """The memorandum with its goals, parties and obligations, in a fixed number of queries."""
    return (
        Memorandum.objects.prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("order")),
            Prefetch("parties", queryset=Agency.objects.order_by("order")),
            Prefetch(
                "obligations",
                queryset=Obligation.objects.select_related("agency").prefetch_related("goals"),
            ),
        )
        .order_by("-signed_on")
        .first()
    )


def agencies_with_obligations():
    return Agency.objects.prefetch_related(
        Prefetch("obligations", queryset=Obligation.objects.prefetch_related("goals").order_by("order"))
    ).order_by("order")


def staff_ids(*, agency_code: str, roles, limit: int, exclude=()) -> list[int]:
    """The active staff of an agency in the given roles, by user id, at most `limit` of them.

    For telling the people who work a stage that a case reached it; the bound keeps one event from
    writing thousands of rows inside the transaction that records it.
    """
    return list(
        StaffMembership.objects.filter(
            agency__code=agency_code, role__in=list(roles), is_active=True, user__is_active=True
        )
        .exclude(user_id__in=[pk for pk in exclude if pk is not None])
        .order_by("user_id")
        .values_list("user_id", flat=True)[:limit]
    )
