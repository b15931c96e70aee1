"""Each person's landing page and the public progress page: they read several apps, so they live here."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from greenjobs.permissions import role_required

from .. import selectors


@role_required("applicant")
def applicant_dashboard(request):
    return render(
        request, "measurement/applicant_dashboard.html", selectors.applicant_dashboard(user=request.user)
    )


@role_required("agency_staff")
def staff_dashboard(request):
    return render(request, "measurement/staff_dashboard.html", selectors.staff_dashboard(user=request.user))


@role_required("programme_manager")
def programme_dashboard(request):
    return render(
        request, "measurement/programme_dashboard.html", selectors.programme_dashboard(user=request.user)
    )


@require_GET
def public_dashboard(request):
    """Progress against the memorandum's goals for anyone: aggregate figures only, never a person; of the
    jobs loans promised, only those verified (a promise is not a job)."""
    return render(
        request,
        "measurement/public_dashboard.html",
        {"progress": selectors.public_progress(selectors.localized_progress(selectors.stored_progress()))},
    )
