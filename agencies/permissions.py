"""Who belongs to which agency, in which role: the one place every app asks (pages, API, services, templates).

Registered with the core when the app loads (`register`), so the core's `role_required`, `HasRole` and
`membership_of` know about agency staff without importing this app.
"""

from greenjobs.permissions import provide_membership, register_role

from .models import StaffMembership, StaffRole


def membership_of(user) -> StaffMembership | None:
    """The active staff membership of a user, or None; cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_agency_staff:
        return None
    if not hasattr(user, "_membership_cache"):
        user._membership_cache = (
            StaffMembership.objects.select_related("agency").filter(user=user, is_active=True).first()
        )
    return user._membership_cache


def agency_of(user) -> str | None:
    """The code of the agency this person works for (DOE, MCLS, TVTO), or None."""
    membership = membership_of(user)
    return membership.agency.code if membership else None


def in_agency(user, code: str, *roles: str) -> bool:
    """A member of staff of agency `code`, in one of `roles` when any are named."""
    membership = membership_of(user)
    return (
        membership is not None and membership.agency.code == code and (not roles or membership.role in roles)
    )


def is_doe(user, *roles: str) -> bool:
    return in_agency(user, "DOE", *roles)


def is_mcls(user, *roles: str) -> bool:
    return in_agency(user, "MCLS", *roles)


def is_tvto(user, *roles: str) -> bool:
    return in_agency(user, "TVTO", *roles)


def is_agency_staff(user) -> bool:
    """Staff with an active membership; an agency account without one has no staff pages."""
    return (
        user is not None
        and user.is_authenticated
        and user.is_agency_staff
        and membership_of(user) is not None
    )


def is_agency_manager(user) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == StaffRole.MANAGER


def register() -> None:
    provide_membership(membership_of)
    register_role("agency_staff", is_agency_staff)
