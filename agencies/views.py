from django.shortcuts import render
from django.views.decorators.http import require_GET

from greenjobs.permissions import role_required

from . import selectors


def home(request):
    return render(request, "agencies/home.html", {"memorandum": selectors.current_memorandum()})


def memorandum_detail(request):
    return render(
        request,
        "agencies/memorandum.html",
        {"memorandum": selectors.current_memorandum(), "agencies": selectors.agencies_with_obligations()},
    )


@role_required("agency_staff")
def staff_dashboard(request):
    return render(request, "agencies/staff_dashboard.html", selectors.staff_dashboard(user=request.user))


@role_required("programme_manager")
def programme_dashboard(request):
    return render(
        request, "agencies/programme_dashboard.html", selectors.programme_dashboard(user=request.user)
    )


@require_GET
def public_dashboard(request):
    """Progress against the memorandum's goals for anyone: aggregate figures only, never a person."""
    return render(
        request,
        "agencies/public_dashboard.html",
        {"progress": selectors.localized_progress(selectors.public_progress())},
    )
