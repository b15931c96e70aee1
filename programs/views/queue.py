"""Staff lists (DOE's assessment queue, the registry other agencies read) and the officer's checklist."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenjobs.exceptions import DomainError
from greenjobs.forms import apply_errors
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import role_required

from .. import permissions, selectors
from ..forms.registrations import AssessmentItemForm, QueueFilterForm, ReadyForm
from ..forms.search import search_error
from ..models import RegistrationStatus
from ..services import assessments as services
from .registrations import business_page

QUEUE_STATUSES = [
    (status.value, status.label) for status in RegistrationStatus if status != RegistrationStatus.DRAFT
]


def _filtered_page(request, data, queryset_for, statuses, *, with_ready=False):
    form = QueueFilterForm(data, statuses=statuses, with_ready=with_ready)
    # A mistyped field shows its error but must not throw away the filters that were valid.
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    filters = {key: value for key, value in filters.items() if value not in ("", None)}
    queryset = queryset_for(filters)
    if search_error(form):
        # A search that cannot be run lists nothing: without it the list would look like its answer.
        queryset = queryset.none()
    page = CheapPaginator(queryset, 25).get_page(request.GET.get("page"))
    page.object_list = selectors.with_green_jobs_count(page.object_list)
    query = data.copy()
    query.pop("page", None)
    return form, page, query.urlencode()


@role_required("agency_staff")
def assessment_queue(request):
    if not permissions.can_work_queue(request.user):
        raise PermissionDenied
    statuses = [("open", _("Waiting for DOE")), *QUEUE_STATUSES]
    data = request.GET.copy()
    data.setdefault("status", "open")

    def queryset_for(filters):
        return selectors.assessment_queue(user=request.user, filters=filters)

    form, page, query = _filtered_page(request, data, queryset_for, statuses, with_ready=True)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "search_error": search_error(form),
        "sla_days": settings.ASSESSMENT_SLA_DAYS,
        "counts": selectors.status_counts(user=request.user),
    }
    template = "programs/queue/_table.html" if request.htmx else "programs/queue/queue.html"
    return render(request, template, context)


@role_required("agency_staff", "programme_manager")
def registry(request):
    """The registry as another agency or the steering committee sees it: verified outcomes, read-only."""
    statuses = [(s.value, s.label) for s in (RegistrationStatus.VERIFIED, RegistrationStatus.EXPIRED)]

    def queryset_for(filters):
        queryset = selectors.business_list(user=request.user, filters=filters)
        return queryset.filter(status__in=[value for value, _label in statuses]).order_by(
            "-verified_at", "pk"
        )

    form, page, query = _filtered_page(request, request.GET.copy(), queryset_for, statuses)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "search_error": search_error(form),
        "sla_days": None,
        "registry": True,
    }
    template = "programs/queue/_table.html" if request.htmx else "programs/queue/registry.html"
    return render(request, template, context)


def _officer_business(request, pk):
    if not permissions.can_assess(request.user):
        raise PermissionDenied
    business = selectors.business_detail(user=request.user, business_id=pk)
    if business is None:
        raise Http404
    assessment = selectors.open_assessment(business)
    if assessment is None:
        raise Http404
    return business, assessment


@role_required("agency_staff")
@require_POST
def assessment_item_save(request, pk):
    business, assessment = _officer_business(request, pk)
    form = AssessmentItemForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_item_save(
                assessment_id=assessment.pk, actor=request.user, **form.cleaned_data
            )
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The checklist item is saved."))
            return redirect(reverse("programs:business_detail", args=[business.pk]) + "#assessment")
    # Refused: the page again, with the line as it was typed and its errors beside its fields.
    messages.error(request, _("The checklist item was not saved; correct what is marked below."))
    return business_page(request, business.pk, item_form=form)


@role_required("agency_staff")
@require_POST
def assessment_item_delete(request, pk, item_id):
    business, assessment = _officer_business(request, pk)
    try:
        services.assessment_item_delete(assessment_id=assessment.pk, actor=request.user, item_id=item_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("programs:business_detail", pk=business.pk)


@role_required("agency_staff")
@require_POST
def assessment_ready(request, pk):
    business, assessment = _officer_business(request, pk)
    form = ReadyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a short summary for the reviewer."))
        return redirect("programs:business_detail", pk=business.pk)
    try:
        services.assessment_mark_ready(
            assessment_id=assessment.pk, actor=request.user, summary=form.cleaned_data["summary"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The checklist is with the DOE reviewers for a decision."))
    return redirect("programs:business_detail", pk=business.pk)


@role_required("agency_staff")
@require_POST
def assessment_reopen(request, pk):
    business, assessment = _officer_business(request, pk)
    try:
        services.assessment_reopen(assessment_id=assessment.pk, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("programs:business_detail", pk=business.pk)
