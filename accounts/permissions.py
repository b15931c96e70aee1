"""Roles that the user record alone decides. Agency roles live in agencies.permissions (above accounts)."""

from greenjobs.permissions import register_role, register_rule


def is_applicant(user) -> bool:
    return user is not None and user.is_authenticated and user.is_applicant


def is_programme_manager(user) -> bool:
    return user is not None and user.is_authenticated and user.is_programme_manager


def register_roles() -> None:
    register_role("applicant", is_applicant)
    register_role("programme_manager", is_programme_manager)
    # The applicant's own pages (their businesses, loans, training, certificates), for templates.
    register_rule("apply", is_applicant)
