"""Who may do what in training. Pages, API and services ask here."""

from greenjobs.permissions import membership_of

from .models import Enrolment


def agency_of(user) -> str | None:
    membership = membership_of(user)
    return membership.agency.code if membership else None


def is_tvto(user, *roles) -> bool:
    membership = membership_of(user)
    return (
        membership is not None
        and membership.agency.code == "TVTO"
        and (not roles or membership.role in roles)
    )


def can_manage_training(user) -> bool:
    """Centres, courses, sessions, rosters, attendance, results and certificates belong to TVTO."""
    return is_tvto(user)


def can_record_activities(user) -> bool:
    """Each agency records its own awareness activities (G5)."""
    return agency_of(user) in ("DOE", "MCLS", "TVTO")


def visible_enrolments(user, queryset=None):
    queryset = Enrolment.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if is_tvto(user) or user.is_programme_manager:
        return queryset
    return queryset.filter(person=user)


def can_view_certificate(user, certificate) -> bool:
    if not user.is_authenticated:
        return False
    return certificate.enrolment.person_id == user.pk or is_tvto(user) or user.is_programme_manager
