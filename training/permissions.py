"""Who may do what in training. Pages, API and services ask here."""

from accounts.permissions import is_applicant, is_programme_manager
from agencies.permissions import agency_of, is_tvto
from greenjobs.permissions import register_rule

from .models import Enrolment


def can_manage_training(user) -> bool:
    """Centres, courses, sessions, rosters, attendance, results and certificates belong to TVTO."""
    return is_tvto(user)


def can_enrol(user) -> bool:
    """People enrol themselves; staff and the steering committee do not take seats."""
    return is_applicant(user)


def can_record_activities(user) -> bool:
    """Each agency records its own awareness activities (G5)."""
    return agency_of(user) in ("DOE", "MCLS", "TVTO")


def can_edit_activity(user, activity) -> bool:
    """An activity is corrected by the agency that recorded it, and by nobody else."""
    return can_record_activities(user) and agency_of(user) == activity.agency.code


def can_view_all_certificates(user) -> bool:
    """Every certificate, with filters: TVTO and the steering committee. Others see their own."""
    return can_manage_training(user) or is_programme_manager(user)


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


def register_rules() -> None:
    """The rules templates ask through `can` (greenjobs.context_processors)."""
    register_rule("manage_training", can_manage_training)
    register_rule("view_all_certificates", can_view_all_certificates)
