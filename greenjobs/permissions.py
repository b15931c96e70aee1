"""Sign in first, roles and rules by name, for every app. The core knows no app: when they load, the apps
register their roles (`register_role`), the rules templates may ask (`register_rule`) and, for agencies,
the staff-membership lookup (`provide_membership`)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.permissions import BasePermission

ROLE_CHECKS: dict[str, Callable] = {}
# Rules on the person alone (no object), by name, for templates: `{% if can.record_payments %}`.
RULES: dict[str, Callable] = {}
_membership_lookup: Callable | None = None


def register_role(name: str, check: Callable) -> None:
    ROLE_CHECKS[name] = check


def register_rule(name: str, check: Callable) -> None:
    RULES[name] = check


def provide_membership(lookup: Callable) -> None:
    global _membership_lookup
    _membership_lookup = lookup


def membership_of(user):
    """The active staff membership of a user, or None (the agencies app answers; see agencies.permissions)."""
    return _membership_lookup(user) if _membership_lookup is not None else None


def has_role(user, *roles: str) -> bool:
    return user is not None and user.is_authenticated and any(ROLE_CHECKS[role](user) for role in roles)


class UserRules:
    """What templates see as `can`: each registered rule, asked of the request's user when read."""

    def __init__(self, user):
        self._user = user
        self._answers: dict[str, bool] = {}

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_") or name not in RULES:
            raise AttributeError(name)
        if name not in self._answers:
            user = self._user
            self._answers[name] = bool(user is not None and user.is_authenticated and RULES[name](user))
        return self._answers[name]


def login_required(view=None, *, back_to: str | Callable[..., str] | None = None):
    """Sign in first: an anonymous visitor goes to the sign-in page with the page as `next`.

    For a form's POST-only address, which cannot be opened again after signing in, `back_to` names the page
    to come back to instead: a URL name, or a function of the URL's arguments giving the address.
    """

    def next_page(request, kwargs) -> str:
        if back_to is None:
            return request.get_full_path()
        return reverse(back_to) if isinstance(back_to, str) else back_to(**kwargs)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(next_page(request, kwargs))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


def rule_required(check: Callable):
    """Page decorator: sign in first, then a person `check(user)` refuses gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def role_required(*roles: str):
    """Page decorator: sign in first, then anyone without one of the roles gets 403."""
    return rule_required(lambda user: has_role(user, *roles))


class HasRole(BasePermission):
    """DRF permission: `permission_classes = [HasRole.for_roles("agency_staff")]`."""

    roles: tuple[str, ...] = ()

    @classmethod
    def for_roles(cls, *roles):
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})

    def has_permission(self, request, view):
        return has_role(request.user, *self.roles)
