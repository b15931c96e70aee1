"""Who may use the staff search. What each person then finds is limited by the apps' own rules."""

from agencies.permissions import membership_of
from greenjobs.permissions import register_rule


def can_search(user) -> bool:
    """Agency staff and the programme's managers; applicants have their own lists."""
    return user.is_authenticated and (user.is_programme_manager or membership_of(user) is not None)


def register_rules() -> None:
    register_rule("staff_search", can_search)
