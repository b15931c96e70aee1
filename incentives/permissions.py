"""Who may see and act on loan applications. Pages, API and services all ask here."""

from django.db.models import F, Q

from accounts.permissions import is_applicant, is_programme_manager
from agencies.permissions import agency_of, is_mcls, membership_of
from greenjobs.permissions import register_rule

from .models import LoanApplication, Stage
from .workflow import MOVES, PAYMENT, REPAYING_STAGES, Move, role_may

# What each agency's staff work on: DOE sees the environmental stage onwards; MCLS the whole pipeline.
DOE_VISIBLE = (
    Stage.ENVIRONMENTAL_REVIEW, Stage.CREDIT_REVIEW, Stage.DECISION, Stage.APPROVED, Stage.REJECTED,
    Stage.CONTRACTED, Stage.DISBURSED, Stage.REPAYING, Stage.IN_ARREARS, Stage.SETTLED, Stage.SUBMITTED,
    Stage.RETURNED, Stage.WITHDRAWN,
)  # fmt: skip


def visible_applications(user, queryset=None):
    """Applications this user may open; anything else answers 404."""
    queryset = LoanApplication.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if user.is_applicant:
        return queryset.filter(applicant=user)
    agency = agency_of(user)
    if agency == "MCLS" or user.is_programme_manager:
        return queryset.exclude(stage=Stage.DRAFT)
    if agency == "DOE":
        return queryset.filter(stage__in=DOE_VISIBLE)
    return queryset.none()


def can_view_documents(user, application) -> bool:
    if not user.is_authenticated:
        return False
    if application.applicant_id == user.pk:
        return True
    if application.stage == Stage.DRAFT:
        return False
    return agency_of(user) in ("DOE", "MCLS") or user.is_programme_manager


def can_view_schedule(user, application) -> bool:
    return visible_applications(user, LoanApplication.objects.filter(pk=application.pk)).exists()


def can_manage_schemes(user) -> bool:
    return is_mcls(user, "manager")


def can_record_payments(user) -> bool:
    """The money desk: repayments received on a loan under repayment."""
    return is_mcls(user, "officer", "manager")


def can_change_loan_terms(user) -> bool:
    """A changed rate or a recalled loan (the consequences of a shortfall of promised jobs): MCLS managers."""
    return is_mcls(user, "manager")


def can_disburse(user) -> bool:
    """Recording a tranche paid out: the workflow's `disburse` move names who, so the page, the API and the
    service (which checks the move) answer alike."""
    return role_may(MOVES["disburse"], user)


def can_work_loan_queue(user) -> bool:
    """DOE and MCLS staff have a loan queue in every role (selectors.STAFF_QUEUES)."""
    return agency_of(user) in ("DOE", "MCLS")


def can_see_scores(user) -> bool:
    """How applications are ranked is for the agencies that rank them and the steering committee."""
    return agency_of(user) is not None or is_programme_manager(user)


def can_apply(user) -> bool:
    return is_applicant(user)


def has_staff_panel(user, application) -> bool:
    """The staff panel on an application's page: agency staff, never on their own application."""
    return user is not None and application.applicant_id != user.pk and membership_of(user) is not None


# --- what a member of staff can do on an application: the staff panel's buttons and forms ------------------


def _staff_moves(user) -> list[Move]:
    return [m for m in MOVES.values() if role_may(m, user)]


def acts_on_applications(user) -> bool:
    """Whether this person's role has any action on any application (DOE officers only follow them)."""
    return bool(_staff_moves(user)) or can_record_payments(user)


def staff_actions(application, user) -> list[str]:
    """The names of the staff panel's actions this person has on this application: the moves of their role
    (a tranche only while some of the loan is left to pay out) and, at the money desk, a payment.

    `actionable_filter` is the same rule as a query filter; a test holds the two together.
    """
    if user is None or not user.is_authenticated or application.applicant_id == user.pk:
        return []
    names = []
    for move in _staff_moves(user):
        if application.stage not in move.sources:
            continue
        if move.name == "disburse" and application.approved_amount <= application.disbursed_amount:
            continue
        names.append(move.name)
    if application.stage in REPAYING_STAGES and can_record_payments(user):
        names.append(PAYMENT)
    return names


def actionable_filter(user) -> Q:
    """The applications on which `staff_actions` offers this person something, as a filter."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    for move in _staff_moves(user):
        stages = Q(stage__in=move.sources)
        if move.name == "disburse":
            stages &= Q(approved_amount__gt=F("disbursed_amount"))
        condition |= stages
    if can_record_payments(user):
        condition |= Q(stage__in=REPAYING_STAGES)
    return condition & ~Q(applicant=user)


def register_rules() -> None:
    """The rules templates ask through `can` (greenjobs.context_processors)."""
    register_rule("work_loan_queue", can_work_loan_queue)
    register_rule("manage_schemes", can_manage_schemes)
    register_rule("record_payments", can_record_payments)
