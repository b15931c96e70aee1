"""Who may open what, decided on the server. Apps build their object rules on these roles."""

from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

ROLE_CHECKS = {
    "applicant": lambda user: user.is_applicant,
    "agency_staff": lambda user: user.is_agency_staff and membership_of(user) is not None,
    "programme_manager": lambda user: user.is_programme_manager,
}


def membership_of(user):
    """The staff membership of a user, or None; cached on the user object for the request."""
    if not user.is_authenticated or not user.is_agency_staff:
        return None
    if not hasattr(user, "_membership_cache"):
        user._membership_cache = (
            membership_model().objects.select_related("agency").filter(user=user, is_active=True).first()
        )
    return user._membership_cache


def membership_model():
    """The staff membership model, named by the settings as Django names the user model: the core
    reads memberships without importing the app that owns them."""
    return apps.get_model(settings.STAFF_MEMBERSHIP_MODEL)


def has_role(user, *roles: str) -> bool:
    return user.is_authenticated and any(ROLE_CHECKS[role](user) for role in roles)


def role_required(*roles: str):
    """Page decorator: anonymous people go to the login page, the wrong role gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class HasRole(BasePermission):
    """DRF permission: `permission_classes = [HasRole.for_roles("agency_staff")]`."""

    roles: tuple[str, ...] = ()

    @classmethod
    def for_roles(cls, *roles):
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})

    def has_permission(self, request, view):
        return has_role(request.user, *self.roles)
