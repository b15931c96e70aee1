from django.db.models import Prefetch

from .models import Agency, Goal, Memorandum, Obligation


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
