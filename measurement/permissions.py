"""Who may read and steer the programme's measurement. Pages, services and templates all ask here."""

from accounts.permissions import is_programme_manager
from agencies.permissions import is_agency_manager
from greenjobs.permissions import register_rule


def can_request_reports(user) -> bool:
    """The steering committee and the agencies' managers: reports are management information."""
    if not user.is_authenticated:
        return False
    return is_programme_manager(user) or is_agency_manager(user)


def can_set_targets(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_programme_manager)


def register_rules() -> None:
    """The rules templates ask through `can` (greenjobs.context_processors)."""
    register_rule("request_reports", can_request_reports)
    register_rule("set_targets", can_set_targets)
