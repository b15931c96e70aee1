"""Staff pages for loans: the stage queues and the actions posted from an application's page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from greenjobs.exceptions import DomainError
from greenjobs.forms import apply_errors
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import login_required, rule_required
from greenjobs.templatetags.portal import rial

from .. import permissions, selectors
from ..forms.staff import ContractForm, DisbursementForm, PaymentForm, QueueFilterForm, TransitionForm
from ..permissions import acts_on_applications
from ..services import applications as services
from ..services import repayments
from ..workflow import MOVES, STAGE_SLA_DAYS
from .applicant import application_page

QUEUE_PAGE_SIZE = 25


@rule_required(permissions.can_work_loan_queue)
def queue(request):
    membership = permissions.membership_of(request.user)
    stages = selectors.STAFF_QUEUES.get((membership.agency.code, membership.role))
    if not stages:
        raise PermissionDenied
    form = QueueFilterForm(request.GET, stages=stages)
    queryset = selectors.staff_queue(user=request.user, filters=form.filters())
    page = CheapPaginator(queryset, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "membership": membership,
        "acts": acts_on_applications(request.user),
        "slas": [(stage.label, STAGE_SLA_DAYS[stage]) for stage in stages if stage in STAGE_SLA_DAYS],
    }
    template = "incentives/staff/_table.html" if request.htmx else "incentives/staff/queue.html"
    return render(request, template, context)


def _visible_or_404(request, pk):
    """The application, if this person may open it; someone else's looks exactly like a missing one."""
    if not permissions.visible_applications(request.user).filter(pk=pk).exists():
        raise Http404


def _back(pk, anchor=""):
    return redirect(reverse("incentives:application_detail", args=[pk]) + anchor)


def _again(request, pk, **posted_forms):
    """The application page again, its staff panel holding the forms as they were posted, with their errors.

    A redirect would rebuild the forms empty and lose what the person typed; this page keeps every value.
    """
    return application_page(request, pk, posted_forms=posted_forms)


def _service_error(request, exc, form=None):
    """A refusal from a service: field errors go on the form that was posted, the rest into messages."""
    if isinstance(exc, ValidationError) and form is not None:
        apply_errors(form, exc)
    elif isinstance(exc, DomainError):
        messages.error(request, exc.message)
    else:
        for message in exc.messages:
            messages.error(request, message)


def _form_errors_to_messages(request, form):
    """Errors of fields the panel does not show (the hidden action and stage, a reason too long)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_http_methods(["GET", "POST"])
@login_required
def transition(request, pk):
    """Every stage change a person makes, staff or applicant; the service decides who may make which."""
    _visible_or_404(request, pk)
    if request.method == "GET":
        # Where the language switch or a reload lands after a refused post: the application itself.
        return _back(pk)
    action = request.POST.get("action", "")
    form = TransitionForm(request.POST, auto_id=f"id_{action}_%s" if action in MOVES else "id_%s")
    if not form.is_valid():
        if "action" in form.errors or "expected_stage" in form.errors:
            messages.error(request, _("The request was incomplete; nothing was changed."))
            return _back(pk)
        _form_errors_to_messages(request, form)
        return _again(request, pk, transition=form)
    data = form.cleaned_data
    contract = {}
    contract_form = None
    if data["action"] == "contract":
        contract_form = ContractForm(request.POST)
        if not contract_form.is_valid():
            return _again(request, pk, transition=form, contract=contract_form)
        contract = contract_form.cleaned_data
    try:
        services.application_transition(
            application_id=pk,
            actor=request.user,
            name=data["action"],
            reason=data["reason"],
            expected_stage=data["expected_stage"] or None,
            **contract,
        )
    except (DomainError, ValidationError) as exc:
        _service_error(request, exc, contract_form)
        return _again(request, pk, transition=form, contract=contract_form)
    messages.success(request, _("Done: %(action)s.") % {"action": MOVES[data["action"]].label})
    return _back(pk)


def _money_desk(request, pk, may):
    if not may(request.user):
        raise PermissionDenied
    _visible_or_404(request, pk)
    if request.method == "GET":
        return _back(pk, "#staff-panel")
    return None


@require_http_methods(["GET", "POST"])
@login_required
def disburse(request, pk):
    if (answer := _money_desk(request, pk, permissions.can_disburse)) is not None:
        return answer
    form = DisbursementForm(request.POST)
    if not form.is_valid():
        return _again(request, pk, disbursement=form)
    try:
        disbursement = repayments.disbursement_record(
            application_id=pk, actor=request.user, **form.cleaned_data
        )
    except (DomainError, ValidationError) as exc:
        _service_error(request, exc, form)
        return _again(request, pk, disbursement=form)
    # A repeated post of the same form lands here too, with the tranche recorded the first time.
    messages.success(
        request, _("The disbursement of %(amount)s is recorded.") % {"amount": rial(disbursement.amount)}
    )
    return _back(pk, "#staff-panel")


@require_http_methods(["GET", "POST"])
@login_required
def payment(request, pk):
    if (answer := _money_desk(request, pk, permissions.can_record_payments)) is not None:
        return answer
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _again(request, pk, payment=form)
    try:
        recorded = repayments.payment_record(application_id=pk, actor=request.user, **form.cleaned_data)
    except (DomainError, ValidationError) as exc:
        _service_error(request, exc, form)
        return _again(request, pk, payment=form)
    messages.success(request, _("The payment of %(amount)s is recorded.") % {"amount": rial(recorded.amount)})
    return _back(pk, "#staff-panel")
