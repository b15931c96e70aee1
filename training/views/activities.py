"""Awareness activities (G5): every agency reads the whole list, records and corrects only its own."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.permissions import membership_of
from greenjobs.exceptions import DomainError
from greenjobs.forms import apply_errors
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import role_required

from ..forms.activities import ActivityFilterForm, ActivityForm
from ..models import AwarenessActivity
from ..permissions import agency_of, can_edit_activity, can_record_activities
from ..selectors import activities as selectors
from ..services import activities as services

PAGE_SIZE = 25


@role_required("agency_staff", "programme_manager")
def activity_list(request):
    form = ActivityFilterForm(request.GET)
    queryset = selectors.activity_list(filters=form.filters())
    page = CheapPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    can_record = can_record_activities(request.user)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "totals": selectors.activity_totals(queryset),
        "by_agency": selectors.totals_by_agency(queryset),
        "by_audience": selectors.totals_by_audience(queryset),
        "can_record": can_record,
        "own_agency": agency_of(request.user) if can_record else None,
    }
    template = "training/activities/_results.html" if request.htmx else "training/activities/list.html"
    return render(request, template, context)


def _save(form, save):
    try:
        activity = save(form.cleaned_data)
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code == 403:
            raise PermissionDenied from exc
        apply_errors(form, exc)
        return None
    return activity


@role_required("agency_staff")
@require_http_methods(["GET", "POST"])
def activity_create(request):
    if not can_record_activities(request.user):
        raise PermissionDenied
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activity = _save(form, lambda data: services.activity_create(actor=request.user, data=data))
        if activity is not None:
            messages.success(request, _("The activity is recorded."))
            return redirect("training:activity_list")
    context = {"form": form, "activity": None, "agency": membership_of(request.user).agency}
    return render(request, "training/activities/form.html", context)


@role_required("agency_staff")
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = get_object_or_404(AwarenessActivity.objects.select_related("agency"), pk=pk)
    if not can_edit_activity(request.user, activity):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda data: services.activity_update(activity_id=activity.pk, actor=request.user, data=data),
        )
        if saved is not None:
            messages.success(request, _("The activity is updated."))
            return redirect("training:activity_list")
    context = {"form": form, "activity": activity, "agency": activity.agency}
    return render(request, "training/activities/form.html", context)
