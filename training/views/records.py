"""TVTO's records of a session: enrolment from a roster file, attendance per meeting, exam results."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from greenjobs.exceptions import DomainError
from greenjobs.forms import apply_errors
from greenjobs.paging import CheapPaginator
from greenjobs.templatetags.portal import digits

from .. import selectors
from ..forms.records import (
    AttendanceForm,
    MeetingCorrectForm,
    MeetingRemoveForm,
    ResultsForm,
    RosterUploadForm,
)
from ..services import results as results_services
from ..services import roster as roster_services
from .catalogue import tvto_required

# The attendance and results forms list the roster a page at a time: a form one can fill and send.
ROSTER_PAGE_SIZE = 50


def _roster_page(request, session):
    return CheapPaginator(selectors.session_roster(session), ROSTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )


def _paged(url: str, page) -> str:
    """Back to the page that was sent, so the next page is one link away."""
    return f"{url}?page={page.number}" if page.number > 1 else url


def _session_or_404(pk):
    session = selectors.session_detail(session_id=pk)
    if session is None:
        raise Http404
    return session


def _form_error(form, exc):
    if isinstance(exc, DomainError) and exc.status_code == 403:
        raise PermissionDenied from exc
    apply_errors(form, exc)


@tvto_required
@require_http_methods(["GET", "POST"])
def roster_import(request, pk):
    session = _session_or_404(pk)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        # Anything but an explicit "Enrol" only checks: a stray submit never writes.
        dry_run = request.POST.get("action") != "enrol"
        try:
            report = roster_services.roster_import(
                session_id=session.pk,
                actor=request.user,
                fileobj=uploaded,
                name=uploaded.name,
                dry_run=dry_run,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            if report.ok and not dry_run:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s person was enrolled from the roster: "
                        "%(seated)s with a seat, %(waiting)s on the wait list.",
                        "%(count)s people were enrolled from the roster: "
                        "%(seated)s with a seat, %(waiting)s on the wait list.",
                        len(report.enrolments),
                    )
                    % {
                        "count": digits(len(report.enrolments)),
                        "seated": digits(report.seated),
                        "waiting": digits(report.waitlisted),
                    },
                )
                return redirect("training:session_detail", pk=session.pk)
    context = {
        "session": session,
        "form": form,
        "report": report,
        "report_errors": roster_services.describe_errors(report.errors) if report else [],
        "columns": roster_services.COLUMNS,
        "max_rows": roster_services.MAX_ROWS,
    }
    return render(request, "training/records/roster.html", context, status=200)


@tvto_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """A page of the roster at a time, with the new meeting's roll call for that page's people."""
    session = _session_or_404(pk)
    page = _roster_page(request, session)
    meetings, rows = selectors.attendance_sheet(session, roster=page.object_list)
    roll_call = [row["enrolment"].pk for row in rows]
    form = AttendanceForm(request.POST or None, enrolment_ids=roll_call, session=session)
    if request.method == "POST" and form.is_valid():
        present = form.cleaned_data["present"]
        try:
            # The meeting and this page's roll call are one record: both are written, or neither.
            meeting, recorded = results_services.roll_call_record(
                session_id=session.pk,
                actor=request.user,
                held_on=form.cleaned_data["held_on"],
                roll_call_ids=roll_call,
                present_enrolment_ids=present,
            )
        except (ValidationError, DomainError) as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("Meeting %(number)s is recorded: %(present)s present, %(absent)s absent.")
                % {
                    "number": digits(meeting.number),
                    "present": digits(len(present)),
                    "absent": digits(recorded - len(present)),
                },
            )
            return redirect(_paged(reverse("training:attendance", args=[session.pk]), page))
    checked = {int(pk) for pk in form["present"].value() or []} if form.is_bound else set()
    context = {
        "session": session,
        "meetings": meetings,
        "rows": rows,
        "page": page,
        "form": form,
        "checked": checked,
        "events": selectors.meeting_events(session),
    }
    return render(request, "training/records/attendance.html", context)


def _changed_message(event) -> str:
    moved = sum(1 for row in event.results if row["passed"][0] != row["passed"][1])
    if not moved:
        return _("No recorded result changed.")
    return ngettext(
        "%(count)s recorded result changed; see the list of corrections.",
        "%(count)s recorded results changed; see the list of corrections.",
        moved,
    ) % {"count": digits(moved)}


@tvto_required
@require_http_methods(["GET", "POST"])
def meeting_correct(request, pk, meeting_pk):
    session = _session_or_404(pk)
    meeting = get_object_or_404(session.meetings, pk=meeting_pk)
    form = MeetingCorrectForm(request.POST or None, initial={"held_on": meeting.held_on})
    if request.method == "POST" and form.is_valid():
        try:
            event = results_services.meeting_correct(
                meeting_id=meeting.pk,
                actor=request.user,
                held_on=form.cleaned_data["held_on"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, DomainError) as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("Meeting %(number)s is moved to %(date)s.")
                % {
                    "number": digits(event.meeting_number),
                    "date": results_services.format_meeting_date(event.held_on_after),
                }
                + " "
                + _changed_message(event),
            )
            return redirect("training:attendance", pk=session.pk)
    context = {"session": session, "meeting": meeting, "form": form}
    return render(request, "training/records/meeting_correct.html", context)


@tvto_required
@require_http_methods(["GET", "POST"])
def meeting_remove(request, pk, meeting_pk):
    """GET asks for confirmation and a reason; only the POST removes."""
    session = _session_or_404(pk)
    meeting = get_object_or_404(session.meetings, pk=meeting_pk)
    form = MeetingRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = results_services.meeting_remove(
                meeting_id=meeting.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, DomainError) as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("Meeting %(number)s of %(date)s is removed with its roll call.")
                % {
                    "number": digits(event.meeting_number),
                    "date": results_services.format_meeting_date(event.held_on_before),
                }
                + " "
                + _changed_message(event),
            )
            return redirect("training:attendance", pk=session.pk)
    context = {
        "session": session,
        "meeting": meeting,
        "form": form,
        "roll_call": meeting.attendance.count(),
        "present": meeting.attendance.filter(present=True).count(),
    }
    return render(request, "training/records/meeting_remove.html", context)


@tvto_required
@require_http_methods(["GET", "POST"])
def results(request, pk):
    """A page of the roster at a time; its form scores that page's people (a row left empty stays)."""
    session = _session_or_404(pk)
    page = _roster_page(request, session)
    meetings, rows = selectors.attendance_sheet(session, roster=page.object_list)
    form = ResultsForm(request.POST or None, enrolments=[row["enrolment"] for row in rows])
    if request.method == "POST" and form.is_valid():
        try:
            updated = results_services.results_record(
                session_id=session.pk, actor=request.user, scores=form.scores()
            )
        except (ValidationError, DomainError) as exc:
            _form_error(form, exc)
        else:
            passed = sum(1 for enrolment in updated if enrolment.passed)
            messages.success(
                request,
                _(
                    "Results are saved: %(passed)s passed, %(failed)s did not. "
                    "Certificates are being issued to those who passed."
                )
                % {"passed": digits(passed), "failed": digits(len(updated) - passed)},
            )
            return redirect(_paged(reverse("training:results", args=[session.pk]), page))
    percents = {row["enrolment"].pk: row["percent"] for row in rows}
    table = [
        {"enrolment": enrolment, "theory": theory, "practical": practical, "percent": percents[enrolment.pk]}
        for enrolment, theory, practical in form.bound_rows()
    ]
    # Meetings dated outside the session (recorded before dates were checked) are not counted.
    counted = [meeting for meeting in meetings if meeting.counted]
    context = {
        "session": session,
        "meetings": counted,
        "form": form,
        "table": table,
        "page": page,
        "query": "",
    }
    return render(request, "training/records/results.html", context)
