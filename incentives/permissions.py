"""Who may see and act on loan applications. Pages, API and services all ask here."""

from greenjobs.permissions import membership_of

from .models import LoanApplication, Stage

# What each agency's staff work on: DOE sees the environmental stage onwards; MCLS the whole pipeline.
DOE_VISIBLE = (
    Stage.ENVIRONMENTAL_REVIEW, Stage.CREDIT_REVIEW, Stage.DECISION, Stage.APPROVED, Stage.REJECTED,
    Stage.CONTRACTED, Stage.DISBURSED, Stage.REPAYING, Stage.IN_ARREARS, Stage.SETTLED, Stage.SUBMITTED,
    Stage.RETURNED, Stage.WITHDRAWN,
)  # fmt: skip


def agency_of(user) -> str | None:
    membership = membership_of(user)
    return membership.agency.code if membership else None


def is_mcls(user, *roles) -> bool:
    membership = membership_of(user)
    return (
        membership is not None
        and membership.agency.code == "MCLS"
        and (not roles or membership.role in roles)
    )


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
    return is_mcls(user, "officer", "manager")
