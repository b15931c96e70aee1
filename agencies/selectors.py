from django.db.models import Count, Prefetch, Q

from greenjobs.permissions import membership_of

from .models import Agency, Goal, Memorandum, Obligation, StaffRole


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


def staff_dashboard(*, user) -> dict:
    membership = membership_of(user)
    agency = membership.agency
    obligations = Obligation.objects.filter(agency=agency).prefetch_related("goals").order_by("order")
    goal_ids = {goal.pk for obligation in obligations for goal in obligation.goals.all()}
    colleagues = agency.memberships.filter(is_active=True).aggregate(
        **{role: Count("pk", filter=Q(role=role)) for role in StaffRole.values}
    )
    from incentives import selectors as incentives_selectors
    from programs import selectors as programs_selectors

    return {
        "registry_counts": programs_selectors.status_counts(user=user),
        "loan_queue_count": incentives_selectors.staff_queue(user=user).count(),
        "membership": membership,
        "agency": agency,
        "obligations": obligations,
        "goals": Goal.objects.filter(pk__in=goal_ids).order_by("order"),
        "colleagues": [(StaffRole(role).label, count) for role, count in colleagues.items()],
        "partners": Agency.objects.exclude(pk=agency.pk).order_by("order"),
    }


def programme_dashboard(*, user) -> dict:
    from django.contrib.auth import get_user_model

    from accounts.models import Kind

    User = get_user_model()
    agencies = agencies_with_obligations().annotate(
        staff_count=Count("memberships", filter=Q(memberships__is_active=True))
    )
    accounts = User.objects.aggregate(
        applicants=Count("pk", filter=Q(kind=Kind.APPLICANT)),
        verified_applicants=Count("pk", filter=Q(kind=Kind.APPLICANT, email_verified_at__isnull=False)),
        staff=Count("pk", filter=Q(kind=Kind.AGENCY_STAFF)),
    )
    from incentives import selectors as incentives_selectors
    from programs import selectors as programs_selectors

    return {
        "loan_funnel": incentives_selectors.funnel(),
        "memorandum": current_memorandum(),
        "agencies": agencies,
        "accounts": accounts,
        "registry_counts": programs_selectors.status_counts(user=user),
    }
