from django.conf import settings


def portal(request):
    return {"PORTAL_DEBUG": settings.DEBUG}
