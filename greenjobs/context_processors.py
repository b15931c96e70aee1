from django.conf import settings

from .permissions import membership_of


def portal(request):
    """Role flags for the navigation; every page still checks permission on the server."""
    user = getattr(request, "user", None)
    membership = membership_of(user) if user is not None and user.is_authenticated else None
    return {
        "PORTAL_DEBUG": settings.DEBUG,
        "nav_membership": membership,
        "nav_is_applicant": bool(user and user.is_authenticated and user.is_applicant),
        "nav_is_programme_manager": bool(user and user.is_authenticated and user.is_programme_manager),
    }
