"""The applicant's side of the loans: applying, the eligibility check, the application page, documents and the
repayment schedule. Staff open the same application page; their actions live in the staff panel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from greenjobs import uploads
from greenjobs.exceptions import DomainError
from greenjobs.forms import apply_errors
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import login_required, role_required

from .. import permissions, selectors
from ..forms.applicant import ApplicationDetailsForm, ApplicationForm, DocumentForm, PlannedJobForm
from ..models import ApplicationDocument, Stage
from ..services import applications as services
from ..workflow import MOVES, available_moves

# History lines for events that are not moves of the workflow.
EVENT_LABELS = {"create": gettext_lazy("The application was started as a draft")}


def _visible_or_404(request, pk):
    application = selectors.application_detail(user=request.user, application_id=pk)
    if application is None:
        # Someone else's application looks exactly like one that does not exist.
        raise Http404
    return application


def _own_or_404(request, pk):
    application = _visible_or_404(request, pk)
    if application.applicant_id != request.user.pk:
        raise Http404
    return application


@role_required("applicant")
def my_applications(request):
    applications = selectors.application_list(user=request.user).order_by("-created_at", "-pk")
    page = CheapPaginator(applications, 20).get_page(request.GET.get("page"))
    return render(request, "incentives/applications/my_list.html", {"page": page})


def _eligibility(form, user) -> dict:
    """The scheme's rules checked against what the form holds so far (a partly filled form is fine)."""
    data = getattr(form, "cleaned_data", {})
    business, scheme = data.get("business"), data.get("scheme")
    if business is None or scheme is None:
        return {"ready": False, "problems": []}
    problems = services.eligibility_problems(
        applicant=user, business=business, scheme=scheme, amount=data.get("amount")
    )
    return {"ready": True, "problems": problems, "scheme": scheme, "business": business}


@role_required("applicant")
@require_http_methods(["GET", "POST"])
def application_create(request):
    initial = {}
    if request.GET.get("scheme"):
        initial["scheme"] = request.GET["scheme"].strip()
    form = ApplicationForm(request.POST or None, user=request.user, initial=initial)
    if not request.POST:
        businesses = list(form.fields["business"].queryset[:2])
        if len(businesses) == 1:
            form.initial["business"] = businesses[0].pk
    eligibility = {"ready": False, "problems": []}
    if request.method == "POST":
        valid = form.is_valid()
        eligibility = _eligibility(form, request.user)
        if valid and eligibility["problems"]:
            form.add_error(
                None, _("The application cannot be saved: it does not meet the scheme's rules below.")
            )
        elif valid:
            data = form.cleaned_data
            try:
                application = services.application_create(
                    applicant=request.user, business=data["business"], scheme=data["scheme"], data=data
                )
            except (ValidationError, DomainError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your draft %(reference)s is saved. Add the green jobs and documents, then submit it.")
                    % {"reference": application.reference},
                )
                return redirect("incentives:application_detail", pk=application.pk)
    context = {
        "form": form,
        "eligibility": eligibility,
        "has_businesses": form.fields["business"].queryset.exists(),
        "application": None,
    }
    return render(request, "incentives/applications/form.html", context)


@role_required("applicant")
@require_POST
def eligibility_check(request):
    """The htmx panel of the application form: which rule the current choice breaks, or "eligible"."""
    form = ApplicationForm(request.POST, user=request.user)
    form.is_valid()
    return render(
        request,
        "incentives/applications/_eligibility.html",
        {"eligibility": _eligibility(form, request.user)},
    )


def _history(application, *, for_owner: bool):
    """The history in the reader's words: "you" to the applicant, "the applicant" to staff."""
    lines = []
    for event in application.events.all():
        move = MOVES.get(event.action)
        if move is not None:
            label = move.history_label(for_owner=for_owner)
        else:
            label = EVENT_LABELS.get(event.action, event.action)
        lines.append({"event": event, "label": label})
    return lines


def _transition_forms(application, moves):
    return [{"move": move, "expected_stage": application.stage} for move in moves]


def _detail_context(request, application, *, job_form=None, document_form=None, posted_forms=None):
    user = request.user
    is_owner = application.applicant_id == user.pk
    editable = is_owner and application.can_be_edited
    moves = available_moves(application, user)
    owner_moves = [move for move in moves if move.who == "owner"]
    problems = services.submission_problems(application) if editable else []
    if problems:
        # Submitting would be refused; the page says why instead of offering the button.
        owner_moves = [move for move in owner_moves if move.name not in ("submit", "resubmit")]
    return_event = None
    if application.stage == Stage.RETURNED:
        returns = [e for e in application.events.all() if e.to_stage == Stage.RETURNED]
        return_event = returns[-1] if returns else None
    return {
        "application": application,
        "is_owner": is_owner,
        "editable": editable,
        "owner_actions": _transition_forms(application, owner_moves),
        "moves": moves,
        "staff_moves": [move for move in moves if move.who != "owner"],
        "problems": problems,
        "history": _history(application, for_owner=is_owner),
        "return_event": return_event,
        "can_view_documents": permissions.can_view_documents(user, application),
        "has_schedule": bool(application.instalments.all()),
        "job_form": job_form or (PlannedJobForm() if editable else None),
        "document_form": document_form or (DocumentForm() if editable else None),
        # Forms of the staff panel as they were posted, when a refusal shows the page again.
        "posted_forms": posted_forms or {},
    }


def application_page(request, pk, **forms):
    """The application's page; after a refused post, with that post's form as typed and its errors."""
    application = _visible_or_404(request, pk)
    return render(
        request, "incentives/applications/detail.html", _detail_context(request, application, **forms)
    )


@login_required
def application_detail(request, pk):
    return application_page(request, pk)


@role_required("applicant")
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = _own_or_404(request, pk)
    if not application.can_be_edited:
        messages.warning(request, _("The application cannot be changed at this stage."))
        return redirect("incentives:application_detail", pk=pk)
    form = ApplicationDetailsForm(
        request.POST or None, initial=ApplicationDetailsForm.initial_from(application)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(
                application_id=application.pk, actor=request.user, data=form.cleaned_data
            )
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("incentives:application_detail", pk=pk)
    context = {"form": form, "application": application, "eligibility": None}
    return render(request, "incentives/applications/form.html", context)


@role_required("applicant")
@require_POST
def planned_job_set(request, pk):
    application = _own_or_404(request, pk)
    form = PlannedJobForm(request.POST)
    if form.is_valid():
        try:
            services.planned_job_set(application_id=application.pk, actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The green jobs are updated."))
            return redirect("incentives:application_detail", pk=pk)
    return application_page(request, pk, job_form=form)


@role_required("applicant")
@require_POST
def document_upload(request, pk):
    application = _own_or_404(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(
                application_id=application.pk,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_error("file" if not hasattr(exc, "error_dict") else None, exc)
        except DomainError as exc:
            # The kind chosen stays chosen; a browser never refills a file input, whatever the server does.
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect("incentives:application_detail", pk=pk)
    return application_page(request, pk, document_form=form)


@role_required("applicant")
@require_POST
def document_delete(request, pk, document_id):
    application = _own_or_404(request, pk)
    try:
        services.document_delete(application_id=application.pk, actor=request.user, document_id=document_id)
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The document is removed."))
    return redirect("incentives:application_detail", pk=pk)


def document_download(request, pk, document_id):
    """Documents are served only here, after the permission check; never by a public URL."""
    if not request.user.is_authenticated:
        raise Http404
    application = selectors.application_detail(user=request.user, application_id=pk)
    if application is None or not permissions.can_view_documents(request.user, application):
        raise Http404
    document = ApplicationDocument.objects.filter(application=application, pk=document_id).first()
    if document is None:
        raise Http404
    return uploads.document_response(document)


@login_required
def schedule(request, pk):
    application = _visible_or_404(request, pk)
    if not permissions.can_view_schedule(request.user, application):
        raise Http404
    instalments = list(application.instalments.all())
    totals = {
        "principal": sum(i.principal for i in instalments),
        "interest": sum(i.interest for i in instalments),
        "amount": sum(i.amount for i in instalments),
        "paid": sum(i.paid for i in instalments),
        "outstanding": sum(i.outstanding for i in instalments),
    }
    context = {
        "application": application,
        "instalments": instalments,
        "totals": totals,
        # Grace-period interest added to the principal: what the instalments repay beyond the money paid out.
        "capitalised": max(totals["principal"] - application.disbursed_amount, 0) if instalments else 0,
    }
    return render(request, "incentives/applications/schedule.html", context)
