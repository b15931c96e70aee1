from django.conf import settings

from .permissions import UserRules


def portal(request):
    """`can`: the permission rules, for the navigation and buttons; every page still checks on the server."""
    return {
        "PORTAL_DEBUG": settings.DEBUG,
        "can": UserRules(getattr(request, "user", None)),
    }
