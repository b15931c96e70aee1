"""Who may see and do what in the registry. Pages, API and services all ask here."""

from django.db.models import Exists, OuterRef, Q

from accounts.permissions import is_programme_manager
from agencies.permissions import agency_of, is_agency_manager, is_agency_staff, is_doe, membership_of
from greenjobs.permissions import register_rule

from .models import Assessment, Business, RegistrationStatus
from .workflow import staff_transitions_filter

# What other agencies (not DOE) and the steering committee may read: the registry's outcome.
PUBLICLY_SETTLED = (RegistrationStatus.VERIFIED, RegistrationStatus.EXPIRED)


def visible_businesses(user, queryset=None):
    """The registrations this user may open; everything else answers 404."""
    queryset = Business.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if user.is_applicant:
        return queryset.filter(owner=user)
    if is_doe(user):
        # DOE works every case that has left the applicant's hands.
        return queryset.exclude(status=RegistrationStatus.DRAFT)
    if user.is_programme_manager:
        return queryset.exclude(status=RegistrationStatus.DRAFT)
    if membership_of(user) is not None:
        return queryset.filter(status__in=PUBLICLY_SETTLED)
    return queryset.none()


def can_edit_business(user, business) -> bool:
    return user.is_authenticated and business.owner_id == user.pk and business.is_editable_by_owner


def can_view_documents(user, business) -> bool:
    """Documents hold personal data: the owner, DOE and the steering committee, not other agencies."""
    if not user.is_authenticated:
        return False
    if business.owner_id == user.pk:
        return True
    if business.status == RegistrationStatus.DRAFT:
        return False
    return is_doe(user) or user.is_programme_manager


def can_work_queue(user) -> bool:
    return is_doe(user)


def can_manage_occupations(user) -> bool:
    return agency_of(user) in ("DOE", "TVTO")


def can_import(user) -> bool:
    return is_doe(user, "officer", "manager")


def can_assess(user) -> bool:
    """Who fills an assessment's checklist (its items, ready, reopen): a DOE officer."""
    return is_doe(user, "officer")


# --- joint initiatives and G6 projects ---------------------------------------------------------------------


def can_read_initiatives(user) -> bool:
    """Initiatives and projects are read by every agency's staff and by the steering committee."""
    return is_agency_staff(user) or is_programme_manager(user)


def can_create_initiatives(user) -> bool:
    return is_programme_manager(user) or is_agency_manager(user)


def can_manage_initiative(user, lead_agency_id: int) -> bool:
    """Edit an initiative or a project: a manager of its lead agency, or a programme manager."""
    if is_programme_manager(user):
        return True
    return is_agency_manager(user) and membership_of(user).agency_id == lead_agency_id


def can_choose_lead(user) -> bool:
    """Only the steering committee hands the lead to an agency; a manager's own agency leads."""
    return is_programme_manager(user)


def assessment_scope(user):
    """Q filter on Business for the assessment queue of this user."""
    if is_doe(user):
        return ~Q(status=RegistrationStatus.DRAFT)
    return Q(pk__in=[])


# --- what a member of DOE has to do on a registration: its page's buttons and the officer's checklist -----


def fills_checklist(assessment, user) -> bool:
    """The assessing officer, while the checklist is open: the page offers them its forms."""
    return (
        assessment is not None
        and assessment.status == Assessment.Status.IN_PROGRESS
        and user.is_authenticated
        and assessment.officer_id == user.pk
    )


def staff_work_filter(user) -> Q:
    """The registrations whose page offers this member of staff something to do, as a filter: a transition
    (`workflow.available_actions`) or the checklist they are filling (`fills_checklist`). A test holds the
    filter and the pages together."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    checklist = Assessment.objects.filter(
        business=OuterRef("pk"), status=Assessment.Status.IN_PROGRESS, officer=user
    )
    # A checklist is open only while its registration is under assessment; saying so lets the database
    # read that status's rows from its index instead of asking every registration for a checklist.
    filling = Q(status=RegistrationStatus.UNDER_ASSESSMENT) & Q(Exists(checklist))
    return staff_transitions_filter(user) | filling


def register_rules() -> None:
    """The rules templates ask through `can` (greenjobs.context_processors)."""
    register_rule("work_registry_queue", can_work_queue)
    register_rule("import_registrations", can_import)
    register_rule("manage_occupations", can_manage_occupations)
    register_rule("read_records", can_read_initiatives)
