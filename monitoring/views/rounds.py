"""A monitoring round's page: the applicant's report, and MCLS's verification, decision and visits on it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from greenjobs import uploads
from greenjobs.exceptions import DomainError
from greenjobs.forms import apply_errors
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import login_required, role_required

from .. import permissions, selectors
from ..forms import DecisionForm, EmployeeForm, EvidenceForm, VisitPlanForm, VisitRecordForm, WorkshopForm
from ..models import RoundDocument, RoundStatus, VisitPhoto, VisitStatus
from ..services import decisions, rounds, visits
from ..services.verification import occupation_table, round_verify
from ..workflow import MOVES, available_moves

EVENT_LABELS = {"plan": gettext_lazy("The monitoring round was planned")}


def _visible_or_404(request, pk):
    round_ = selectors.round_detail(user=request.user, round_id=pk)
    if round_ is None:
        raise Http404
    return round_


def _history(round_, *, for_owner: bool) -> list[dict]:
    lines = []
    for event in round_.events.all():
        move = MOVES.get(event.action)
        label = (
            move.history_label(for_owner=for_owner) if move else EVENT_LABELS.get(event.action, event.action)
        )
        lines.append({"event": event, "label": label})
    return lines


def round_page(request, pk, **forms):
    """The round's page; after a refused post, with that post's form as typed and its errors."""
    round_ = _visible_or_404(request, pk)
    user = request.user
    is_owner = round_.loan.applicant_id == user.pk
    editable = is_owner and round_.is_editable
    moves = [move for move in available_moves(round_, user) if move.name != "decide"]
    staff = not is_owner and permissions.can_work_monitoring_queue(user)
    decide = not is_owner and round_.status in MOVES["decide"].sources and permissions.can_decide(user)
    posted_visit = forms.get("visit_record_for")
    # One form per planned visit, with ids of its own; the one posted comes back as typed, with its errors.
    planned_visits = [
        (
            visit,
            forms["visit_record_form"]
            if posted_visit == visit.pk
            else VisitRecordForm(auto_id=f"id_visit_{visit.pk}_%s"),
        )
        for visit in round_.visits.all()
        if visit.status == VisitStatus.PLANNED
    ]
    context = {
        "round": round_,
        "loan": round_.loan,
        "is_owner": is_owner,
        "editable": editable,
        "staff": staff,
        "owner_moves": [move for move in moves if move.who == "owner"] if editable else [],
        "staff_moves": [move for move in moves if move.who != "owner"],
        "problems": rounds.report_problems(round_) if editable else [],
        "table": occupation_table(round_),
        "workshops": list(selectors.workshops_of(round_.loan.business_id)),
        "history": _history(round_, for_owner=is_owner),
        "decisions": list(round_.decisions.all()),
        "workshop_form": forms.get("workshop_form") or (WorkshopForm() if editable else None),
        "employee_form": forms.get("employee_form") or (EmployeeForm() if editable else None),
        "evidence_form": forms.get("evidence_form") or (EvidenceForm() if editable else None),
        "decision_form": forms.get("decision_form")
        or (DecisionForm(initial={"expected_status": round_.status}) if decide else None),
        "can_visit": staff and permissions.can_visit(user),
        "visit_plan_form": forms.get("visit_plan_form") or VisitPlanForm(),
        "planned_visits": planned_visits,
        "done_visits": [visit for visit in round_.visits.all() if visit.status == VisitStatus.DONE],
    }
    return render(request, "monitoring/round_detail.html", context)


@login_required
@require_GET
def round_detail(request, pk):
    return round_page(request, pk)


def _back(pk, anchor=""):
    return redirect(reverse("monitoring:round_detail", args=[pk]) + anchor)


def _refusal(request, exc, form=None):
    if isinstance(exc, DomainError) and exc.status_code == 404:
        raise Http404 from exc
    if isinstance(exc, DomainError) and exc.status_code == 403:
        raise PermissionDenied from exc
    if form is not None:
        apply_errors(form, exc)
    elif isinstance(exc, DomainError):
        messages.error(request, exc.message)
    else:
        for message in exc.messages:
            messages.error(request, message)


def _write_form(request, pk, form, write, *, done, anchor, **page):
    """For a valid form, `write(cleaned_data)`, a message `done` and back to the round's `anchor`; else the
    round's page again with the form and its errors, nothing written."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            _refusal(request, exc, form)
        else:
            messages.success(request, done)
            return _back(pk, anchor)
    return round_page(request, pk, **page)


def _write(request, pk, write, *, anchor="", done=None):
    """`write()`, its refusal as a message, and back to the round's `anchor` in either case."""
    try:
        write()
    except (DomainError, ValidationError) as exc:
        _refusal(request, exc)
    else:
        if done:
            messages.success(request, done)
    return _back(pk, anchor)


def _expected_status(request):
    """The status the page showed, for the service's staleness check; anything unknown counts as none."""
    expected = request.POST.get("expected_status") or None
    return expected if expected in RoundStatus.values else None


# --- the applicant's report -------------------------------------------------------------------------------


def _own_round(request, pk):
    round_ = _visible_or_404(request, pk)
    if round_.loan.applicant_id != request.user.pk:
        raise Http404
    return round_


@role_required("applicant")
@require_POST
def workshop_add(request, pk):
    _own_round(request, pk)
    form = WorkshopForm(request.POST)
    return _write_form(
        request, pk, form,
        lambda data: rounds.workshop_add(round_id=pk, actor=request.user, code=data["code"]),
        done=_("The workshop is added."), anchor="#report", workshop_form=form,
    )  # fmt: skip


@role_required("applicant")
@require_POST
def workshop_remove(request, pk, workshop_id):
    _own_round(request, pk)
    return _write(
        request, pk, lambda: rounds.workshop_remove(round_id=pk, actor=request.user, workshop_id=workshop_id),
        anchor="#report",
    )  # fmt: skip


@role_required("applicant")
@require_POST
def employee_add(request, pk):
    _own_round(request, pk)
    form = EmployeeForm(request.POST)
    return _write_form(
        request, pk, form, lambda data: rounds.employee_add(round_id=pk, actor=request.user, **data),
        done=_("The person is added to the report."), anchor="#report", employee_form=form,
    )  # fmt: skip


@role_required("applicant")
@require_POST
def employee_remove(request, pk, employee_id):
    _own_round(request, pk)
    return _write(
        request, pk, lambda: rounds.employee_remove(round_id=pk, actor=request.user, employee_id=employee_id),
        anchor="#report",
    )  # fmt: skip


@role_required("applicant")
@require_POST
def document_upload(request, pk):
    _own_round(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            rounds.document_upload(
                round_id=pk,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_error("file" if not hasattr(exc, "error_dict") else None, exc)
        except DomainError as exc:
            _refusal(request, exc, form)
        else:
            messages.success(request, _("The evidence is uploaded."))
            return _back(pk, "#evidence")
    return round_page(request, pk, evidence_form=form)


@role_required("applicant")
@require_POST
def document_delete(request, pk, document_id):
    _own_round(request, pk)
    return _write(
        request, pk, lambda: rounds.document_delete(round_id=pk, actor=request.user, document_id=document_id),
        anchor="#evidence",
    )  # fmt: skip


def document_download(request, pk, document_id):
    """Evidence is served only here, after the permission check; never by a public URL."""
    if not request.user.is_authenticated:
        raise Http404
    round_ = selectors.round_detail(user=request.user, round_id=pk)
    if round_ is None or not permissions.can_view_evidence(request.user, round_):
        raise Http404
    document = RoundDocument.objects.filter(round=round_, pk=document_id).first()
    if document is None:
        raise Http404
    return uploads.document_response(document)


@role_required("applicant")
@require_POST
def report(request, pk):
    _own_round(request, pk)
    expected = _expected_status(request)
    return _write(
        request, pk, lambda: rounds.round_report(round_id=pk, actor=request.user, expected_status=expected),
        done=_("Your report is sent. MCLS checks it against the insurance lists."),
    )  # fmt: skip


# --- MCLS: verification and decisions ----------------------------------------------------------------------


@login_required
@require_POST
def verify(request, pk):
    _visible_or_404(request, pk)
    if not permissions.can_verify(request.user):
        raise PermissionDenied
    expected = _expected_status(request)
    return _write(
        request, pk, lambda: round_verify(round_id=pk, actor=request.user, expected_status=expected),
        done=_("The report was checked against the insurance lists."), anchor="#verification",
    )  # fmt: skip


@login_required
@require_POST
def decide(request, pk):
    _visible_or_404(request, pk)
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST)

    def decide(data):
        data = {**data, "expected_status": data.get("expected_status") or None}
        decisions.round_decide(round_id=pk, actor=request.user, **data)

    done = _("The decision is recorded and the applicant is told.")
    return _write_form(request, pk, form, decide, done=done, anchor="#decisions", decision_form=form)


# --- site visits ------------------------------------------------------------------------------------------


@login_required
@require_POST
def visit_plan(request, pk):
    _visible_or_404(request, pk)
    if not permissions.can_visit(request.user):
        raise PermissionDenied
    form = VisitPlanForm(request.POST)
    return _write_form(
        request, pk, form,
        lambda data: visits.visit_plan(round_id=pk, actor=request.user, due_on=data["due_on"]),
        done=_("The visit is planned."), anchor="#visits", visit_plan_form=form,
    )  # fmt: skip


@login_required
@require_POST
def visit_record(request, pk, visit_id):
    round_ = _visible_or_404(request, pk)
    if not permissions.can_visit(request.user):
        raise PermissionDenied
    if not any(visit.pk == visit_id for visit in round_.visits.all()):
        raise Http404
    form = VisitRecordForm(request.POST, request.FILES, auto_id=f"id_visit_{visit_id}_%s")

    def record(data):
        visits.visit_record(
            visit_id=visit_id, actor=request.user, visited_on=data["visited_on"], checklist=form.checklist(),
            findings=data["findings"], photos=data["photos"],
        )  # fmt: skip

    return _write_form(
        request, pk, form, record, done=_("The visit is recorded."), anchor="#visits",
        visit_record_form=form, visit_record_for=visit_id,
    )  # fmt: skip


def photo_download(request, pk, photo_id):
    if not request.user.is_authenticated:
        raise Http404
    round_ = selectors.round_detail(user=request.user, round_id=pk)
    if round_ is None or not permissions.can_work_monitoring_queue(request.user):
        raise Http404
    photo = VisitPhoto.objects.filter(visit__round=round_, pk=photo_id).first()
    if photo is None:
        raise Http404
    return uploads.document_response(photo)


# --- the applicant's list of rounds -----------------------------------------------------------------------


@role_required("applicant")
def my_rounds(request):
    page = CheapPaginator(selectors.my_rounds(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "monitoring/my_rounds.html", {"page": page})
