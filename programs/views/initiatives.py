"""Joint initiatives with their milestones, and G6 projects with their bids, ranking and award.

Every agency's staff and the steering committee read; a manager of the lead agency or a programme manager
writes. Anonymous people go to the login page, applicants get 403, and a record that does not exist is 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from greenjobs.exceptions import DomainError
from greenjobs.forms import apply_errors
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import rule_required

from .. import ranking as ranking_
from ..forms.initiatives import (
    AwardForm,
    BidForm,
    InitiativeFilterForm,
    InitiativeForm,
    MilestoneCompleteForm,
    MilestoneForm,
    ProjectCancelForm,
    ProjectForm,
)
from ..models import Project
from ..permissions import (
    can_choose_lead,
    can_create_initiatives,
    can_manage_initiative,
    can_read_initiatives,
    membership_of,
)
from ..selectors import initiatives as selectors
from ..services import initiatives as services

PAGE_SIZE = 20
readers = rule_required(can_read_initiatives)


def _errors(form, exc: ValidationError | DomainError) -> None:
    apply_errors(form, exc)
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
            widget.attrs["aria-invalid"] = "true"


def _lead_options(user) -> dict:
    membership = membership_of(user)
    return {
        "can_choose_lead": can_choose_lead(user),
        "own_agency": membership.agency if membership else None,
    }


def _page(request, queryset, form_filters):
    page = CheapPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({key: ("1" if value is True else value) for key, value in form_filters.items()})
    return page, query


# --- initiatives --------------------------------------------------------------------------------------------


@readers
@require_GET
def initiative_list(request):
    form = InitiativeFilterForm(request.GET)
    filters = form.filters()
    queryset = selectors.initiative_list(user=request.user, filters=filters)
    page, query = _page(request, queryset, filters)
    context = {"form": form, "page": page, "query": query, "can_create": can_create_initiatives(request.user)}
    return render(request, "programs/initiatives/list.html", context)


def _initiative_or_404(request, pk):
    initiative = selectors.initiative_detail(user=request.user, initiative_id=pk)
    if initiative is None:
        raise Http404
    return initiative


def _render_initiative(request, initiative, *, milestone_form=None):
    can_edit = can_manage_initiative(request.user, initiative.lead_agency_id)
    milestones = list(initiative.milestones.all())
    today = timezone.localdate()
    context = {
        "initiative": initiative,
        "milestones": [{"milestone": m, "late": m.is_late(today)} for m in milestones],
        "late_count": sum(1 for m in milestones if m.is_late(today)),
        "done_count": sum(1 for m in milestones if m.completed_on),
        "can_edit": can_edit,
        "milestone_form": milestone_form or (MilestoneForm() if can_edit else None),
        "complete_form": MilestoneCompleteForm() if can_edit else None,
    }
    return render(request, "programs/initiatives/detail.html", context)


@readers
@require_GET
def initiative_detail(request, pk):
    return _render_initiative(request, _initiative_or_404(request, pk))


@readers
@require_http_methods(["GET", "POST"])
def initiative_create(request):
    if not can_create_initiatives(request.user):
        raise PermissionDenied
    form = InitiativeForm(request.POST or None, **_lead_options(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(actor=request.user, data=form.service_data())
        except (ValidationError, DomainError) as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The initiative is saved. Add its milestones."))
            return redirect("programs:initiative_detail", pk=initiative.pk)
    return render(request, "programs/initiatives/form.html", {"form": form, "initiative": None})


@readers
@require_http_methods(["GET", "POST"])
def initiative_edit(request, pk):
    initiative = _initiative_or_404(request, pk)
    if not can_manage_initiative(request.user, initiative.lead_agency_id):
        raise PermissionDenied
    form = InitiativeForm(request.POST or None, instance=initiative, **_lead_options(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_update(
                initiative_id=initiative.pk, actor=request.user, data=form.service_data()
            )
        except (ValidationError, DomainError) as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Your changes to the initiative were saved."))
            return redirect("programs:initiative_detail", pk=initiative.pk)
    # The form leaves the instance alone (the service writes), so the page is titled with what is stored.
    return render(request, "programs/initiatives/form.html", {"form": form, "initiative": initiative})


@readers
@require_POST
def milestone_add(request, pk):
    initiative = _initiative_or_404(request, pk)
    if not can_manage_initiative(request.user, initiative.lead_agency_id):
        raise PermissionDenied
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(initiative_id=initiative.pk, actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The milestone is added."))
            return redirect(reverse("programs:initiative_detail", args=[initiative.pk]) + "#milestones")
    return _render_initiative(request, initiative, milestone_form=form)


@readers
@require_POST
def milestone_complete(request, pk, milestone_id):
    initiative = _initiative_or_404(request, pk)
    if not can_manage_initiative(request.user, initiative.lead_agency_id):
        raise PermissionDenied
    if not any(m.pk == milestone_id for m in initiative.milestones.all()):
        raise Http404
    form = MilestoneCompleteForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_complete(
                milestone_id=milestone_id, actor=request.user, completed_on=form.cleaned_data["completed_on"]
            )
        except (ValidationError, DomainError) as exc:
            for message in exc.messages if isinstance(exc, ValidationError) else [exc.message]:
                messages.error(request, message)
        else:
            messages.success(request, _("The milestone is recorded as done."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("programs:initiative_detail", args=[initiative.pk]) + "#milestones")


# --- projects -----------------------------------------------------------------------------------------------


@readers
@require_GET
def project_list(request):
    status = request.GET.get("status", "")
    filters = {"status": status} if status in Project.Status.values else {}
    queryset = selectors.project_list(user=request.user, filters=filters)
    page, query = _page(request, queryset, filters)
    context = {
        "page": page,
        "query": query,
        "status": filters.get("status", ""),
        "statuses": Project.Status.choices,
        "can_create": can_create_initiatives(request.user),
    }
    return render(request, "programs/projects/list.html", context)


def _project_or_404(request, pk):
    project = selectors.project_detail(user=request.user, project_id=pk)
    if project is None:
        raise Http404
    return project


def _award_open(project, today) -> bool:
    return project.status == Project.Status.OPEN and today > project.bids_close_on


def _project_context(request, project) -> dict:
    today = timezone.localdate()
    rows = ranking_.ranking(project, project.bids.all())
    can_edit = can_manage_initiative(request.user, project.lead_agency_id)
    is_open = project.status == Project.Status.OPEN
    return {
        "project": project,
        "rows": rows,
        "weights": ranking_.normalised_weights(project),
        "formula": ranking_.formula_text(project),
        "can_edit": can_edit,
        "can_add_bid": can_edit and is_open and today <= project.bids_close_on,
        "can_award": can_edit and rows and _award_open(project, today),
        "provisional": is_open and today <= project.bids_close_on,
        "top_bid_id": rows[0]["bid"].pk if rows else None,
        "can_cancel": any(t.name == "cancel" for t in services.project_actions(project, request.user)),
        "cancellation": project.events.filter(action="cancel").select_related("actor").last()
        if project.status == Project.Status.CANCELLED
        else None,
    }


@readers
@require_GET
def project_detail(request, pk):
    project = _project_or_404(request, pk)
    return render(request, "programs/projects/detail.html", _project_context(request, project))


@readers
@require_http_methods(["GET", "POST"])
def project_create(request):
    if not can_create_initiatives(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, **_lead_options(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, data=form.service_data())
        except (ValidationError, DomainError) as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The project is saved. Record its bids as they arrive."))
            return redirect("programs:project_detail", pk=project.pk)
    return render(request, "programs/projects/form.html", {"form": form})


@readers
@require_http_methods(["GET", "POST"])
def bid_add(request, pk):
    project = _project_or_404(request, pk)
    if not can_manage_initiative(request.user, project.lead_agency_id):
        raise PermissionDenied
    form = BidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_add(project_id=project.pk, actor=request.user, data=form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The bid is recorded."))
            return redirect(reverse("programs:project_detail", args=[project.pk]) + "#ranking")
    closed = project.status != Project.Status.OPEN
    context = {"form": form, "project": project, "closed": closed}
    return render(request, "programs/projects/bid_form.html", context)


@readers
@require_http_methods(["GET", "POST"])
def project_award(request, pk):
    project = _project_or_404(request, pk)
    if not can_manage_initiative(request.user, project.lead_agency_id):
        raise PermissionDenied
    context = _project_context(request, project)
    form = AwardForm(request.POST or None, rows=context["rows"])
    if request.method == "POST" and form.is_valid():
        try:
            services.project_award(
                project_id=project.pk,
                actor=request.user,
                bid_id=form.cleaned_data["bid"],
                reason=form.cleaned_data["reason"],
                awarded_on=form.cleaned_data["awarded_on"],
            )
        except (ValidationError, DomainError) as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The award is recorded."))
            return redirect("programs:project_detail", pk=project.pk)
    return render(request, "programs/projects/award.html", {**context, "form": form})


@readers
@require_http_methods(["GET", "POST"])
def project_cancel(request, pk):
    project = _project_or_404(request, pk)
    if not can_manage_initiative(request.user, project.lead_agency_id):
        raise PermissionDenied
    form = ProjectCancelForm(request.POST or None, initial={"expected_status": project.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.project_cancel(
                project_id=project.pk,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                expected_status=form.cleaned_data["expected_status"],
            )
        except (ValidationError, DomainError) as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The project is cancelled."))
            return redirect("programs:project_detail", pk=project.pk)
    return render(request, "programs/projects/cancel.html", {"project": project, "form": form})
