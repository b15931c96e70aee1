"""An applicant's registrations: the multi-step form, documents, submission and the case history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from greenjobs import uploads
from greenjobs.exceptions import DomainError
from greenjobs.forms import apply_errors
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import login_required, role_required

from .. import permissions, selectors
from ..forms.registrations import (
    AssessmentItemForm,
    DocumentForm,
    GreenJobForm,
    IdentityForm,
    LocationForm,
    ReadyForm,
    TransitionForm,
)
from ..models import BusinessDocument
from ..services import registrations as services
from ..workflow import TRANSITIONS, available_actions

STEPS = ("identity", "location", "jobs", "documents")
STEP_LABELS = {
    "identity": gettext_lazy("The enterprise"),
    "location": gettext_lazy("Location and staff"),
    "jobs": gettext_lazy("Green jobs"),
    "documents": gettext_lazy("Documents"),
}


def _visible_or_404(request, pk):
    business = selectors.business_detail(user=request.user, business_id=pk)
    if business is None:
        # Someone else's registration looks exactly like one that does not exist.
        raise Http404
    return business


@role_required("applicant")
def my_businesses(request):
    businesses = selectors.business_list(user=request.user).order_by("-updated_at")
    page = CheapPaginator(businesses, 20).get_page(request.GET.get("page"))
    page.object_list = selectors.with_green_jobs_count(page.object_list)
    return render(request, "programs/businesses/my_list.html", {"page": page})


@role_required("applicant")
@require_http_methods(["GET", "POST"])
def business_create(request):
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            business = services.business_create(owner=request.user, data=form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft is saved. Continue with the location and staff."))
            return redirect("programs:business_edit", pk=business.pk, step="location")
    return render(
        request,
        "programs/businesses/edit.html",
        {"form": form, "step": "identity", "steps": _steps(None, "identity"), "business": None},
    )


def _steps(business, current):
    return [
        {
            "key": key,
            "label": STEP_LABELS[key],
            "current": key == current,
            "url": reverse("programs:business_edit", args=[business.pk, key]) if business else None,
        }
        for key in STEPS
    ]


@role_required("applicant")
@require_http_methods(["GET", "POST"])
def business_edit(request, pk, step):
    if step not in STEPS:
        raise Http404
    business = _visible_or_404(request, pk)
    if not permissions.can_edit_business(request.user, business):
        messages.warning(request, _("This registration cannot be changed in its current status."))
        return redirect("programs:business_detail", pk=pk)

    context = {
        "business": business,
        "step": step,
        "steps": _steps(business, step),
        "changes_request": selectors.latest_changes_request(business),
    }
    if step in ("identity", "location"):
        form_class = IdentityForm if step == "identity" else LocationForm
        form = form_class(request.POST or None, instance=business)
        if request.method == "POST" and form.is_valid():
            try:
                services.business_update(business_id=business.pk, actor=request.user, data=form.cleaned_data)
            except (ValidationError, DomainError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                next_step = STEPS[STEPS.index(step) + 1]
                return redirect("programs:business_edit", pk=pk, step=next_step)
        context["form"] = form
    elif step == "jobs":
        form = GreenJobForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.green_job_add(business_id=business.pk, actor=request.user, **form.cleaned_data)
            except (ValidationError, DomainError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The green job is added."))
                return redirect("programs:business_edit", pk=pk, step="jobs")
        context["form"] = form
    else:
        form = DocumentForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.document_upload(
                    business_id=business.pk,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    uploaded=form.cleaned_data["file"],
                )
            except (ValidationError, DomainError) as exc:
                form.add_error("file", exc.messages[0] if isinstance(exc, ValidationError) else exc.message)
            else:
                messages.success(request, _("The document is uploaded."))
                return redirect("programs:business_edit", pk=pk, step="documents")
        context["form"] = form
        context["problems"] = services.submission_problems(business)
        context["submit"] = _transition_form(business, "submit")
    return render(request, "programs/businesses/edit.html", context)


@role_required("applicant")
@require_POST
def green_job_delete(request, pk, job_id):
    business = _visible_or_404(request, pk)
    try:
        services.green_job_remove(business_id=business.pk, actor=request.user, job_id=job_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("programs:business_edit", pk=pk, step="jobs")


@role_required("applicant")
@require_POST
def document_delete(request, pk, document_id):
    business = _visible_or_404(request, pk)
    try:
        services.document_delete(business_id=business.pk, actor=request.user, document_id=document_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("programs:business_edit", pk=pk, step="documents")


def document_download(request, pk, document_id):
    """Documents are served only here, after the permission check; never by a public URL."""
    if not request.user.is_authenticated:
        raise Http404
    business = selectors.business_detail(user=request.user, business_id=pk)
    if business is None or not permissions.can_view_documents(request.user, business):
        raise Http404
    document = BusinessDocument.objects.filter(business=business, pk=document_id).first()
    if document is None:
        raise Http404
    return uploads.document_response(document)


def _transition_form(business, action):
    return TransitionForm(initial={"action": action, "expected_status": business.status})


@login_required
def business_detail(request, pk):
    return business_page(request, pk)


def business_page(request, pk, *, item_form=None):
    """The registration's page; `item_form` is a refused checklist line, shown again as it was typed."""
    business = _visible_or_404(request, pk)
    actions = available_actions(business, request.user)
    assessment = selectors.open_assessment(business)
    is_officer = assessment is not None and assessment.officer_id == request.user.pk
    context = {
        "business": business,
        "changes_request": selectors.latest_changes_request(business),
        "actions": [(t, _transition_form(business, t.name)) for t in actions],
        "assessment": assessment,
        "decided_assessments": [a for a in business.assessments.all() if a.status == "decided"],
        "can_view_documents": permissions.can_view_documents(request.user, business),
        "can_edit": permissions.can_edit_business(request.user, business),
        "is_assessing_officer": permissions.fills_checklist(assessment, request.user),
        "can_reopen": is_officer and assessment.status == "ready",
        "item_form": (item_form or AssessmentItemForm()) if is_officer else None,
        "ready_form": ReadyForm() if is_officer else None,
    }
    return render(request, "programs/businesses/detail.html", context)


@require_POST
def business_transition(request, pk):
    if not request.user.is_authenticated:
        raise Http404
    business = _visible_or_404(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in TRANSITIONS:
        messages.error(request, _("The request was incomplete; nothing was changed."))
        return redirect("programs:business_detail", pk=pk)
    data = form.cleaned_data
    try:
        services.business_transition(
            business_id=business.pk,
            actor=request.user,
            name=data["action"],
            reason=data["reason"],
            verified_kind=data["verified_kind"],
            expected_status=data["expected_status"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": TRANSITIONS[data["action"]].label})
    return redirect("programs:business_detail", pk=pk)
