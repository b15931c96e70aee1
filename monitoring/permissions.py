"""Who may see and act on monitoring rounds, visits and insurance lists (pages, services, tasks)."""

from accounts.permissions import is_programme_manager
from agencies.permissions import agency_of, is_doe, is_mcls
from greenjobs.permissions import register_rule

from .models import Round, SiteVisit


def visible_rounds(user, queryset=None):
    """Rounds this person may open; anything else answers 404. An applicant sees their own loans' rounds;
    MCLS (who verifies) and DOE (who visits) see all, the steering committee reads them."""
    queryset = Round.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated:
        return queryset.none()
    if user.is_applicant:
        return queryset.filter(loan__applicant=user)
    if agency_of(user) in ("MCLS", "DOE") or is_programme_manager(user):
        return queryset
    return queryset.none()


def visible_visits(user, queryset=None):
    queryset = SiteVisit.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated:
        return queryset.none()
    if agency_of(user) in ("MCLS", "DOE") or is_programme_manager(user):
        return queryset
    return queryset.none()


def can_verify(user) -> bool:
    return is_mcls(user, "officer", "reviewer", "manager")


def can_decide(user) -> bool:
    """The consequences of a shortfall change a loan's terms: MCLS managers decide them."""
    return is_mcls(user, "manager")


def can_import_insurance(user) -> bool:
    return is_mcls(user, "officer", "reviewer", "manager")


def can_visit(user) -> bool:
    """Site visits: DOE or MCLS staff plan and record them."""
    return is_doe(user) or is_mcls(user)


def can_work_monitoring_queue(user) -> bool:
    return is_mcls(user) or is_doe(user)


def can_view_evidence(user, round_) -> bool:
    return visible_rounds(user, Round.objects.filter(pk=round_.pk)).exists()


def register_rules() -> None:
    register_rule("work_monitoring_queue", can_work_monitoring_queue)
    register_rule("import_insurance", can_import_insurance)
