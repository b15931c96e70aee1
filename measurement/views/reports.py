"""Progress reports: programme managers and agency managers request them, watch them being prepared, and
download the PDF or the data. Anyone else gets 403 on the list and 404 on a report, as if it did not exist.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from greenjobs import uploads
from greenjobs.exceptions import DomainError
from greenjobs.formats import format_number
from greenjobs.jalali import is_persian
from greenjobs.paging import CheapPaginator
from greenjobs.permissions import login_required
from greenjobs.storage import private_file_response

from .. import exports
from ..forms.reports import RecomputeForm, ReportRequestForm
from ..models import Recomputation, ReportJob
from ..periods import Period, PeriodError
from ..permissions import can_request_reports, can_set_targets
from ..services import reports, snapshots

PAGE_SIZE = 25
EXPORTS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
}


def report_jobs_for(user):
    """The reports a user may see: all of them for those who may prepare reports, none for anyone else."""
    if not can_request_reports(user):
        return ReportJob.objects.none()
    return ReportJob.objects.select_related("requested_by")


def _with_label(job: ReportJob) -> ReportJob:
    """The period as a reader says it (“فصل سوم ۱۴۰۵”, “Quarter 3 of 1405”) rather than its key."""
    try:
        job.period_label = Period.parse(job.period).label("fa" if is_persian() else "en")
    except PeriodError:
        job.period_label = job.period
    return job


def _report_or_404(request, pk: int, *, finished: bool = False) -> ReportJob:
    jobs = report_jobs_for(request.user)
    if finished:
        jobs = jobs.filter(status=ReportJob.Status.SUCCEEDED)
    return _with_label(get_object_or_404(jobs, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    if not can_request_reports(request.user):
        raise PermissionDenied
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = reports.report_request(
                actor=request.user,
                period=form.cleaned_data["period_key"],
                language=form.cleaned_data["language"],
            )
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied from exc
            form.add_error(None, exc.message)
        else:
            return redirect("measurement:report_detail", pk=job.pk)
    # The snapshot can be large; the list shows none of it.
    page = CheapPaginator(report_jobs_for(request.user).defer("snapshot"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    jobs = [_with_label(job) for job in page.object_list]
    context = {"form": form, "page": page, "jobs": jobs, "recompute_form": RecomputeForm()}
    return render(request, "measurement/reports/list.html", {**context, **_late_context(request)})


def _job_context(job: ReportJob) -> dict:
    return {
        "job": job,
        "finished": job.status in (ReportJob.Status.SUCCEEDED, ReportJob.Status.FAILED),
        "succeeded": job.status == ReportJob.Status.SUCCEEDED,
    }


@login_required
@require_GET
def report_detail(request, pk: int):
    job = _report_or_404(request, pk)
    context = _job_context(job)
    context["goals"] = job.snapshot.get("goals", []) if context["succeeded"] else []
    return render(request, "measurement/reports/detail.html", context)


@login_required
@require_GET
def report_progress(request, pk: int):
    """The live part of the report page, polled by htmx until the report is ready or has failed."""
    job = _with_label(get_object_or_404(report_jobs_for(request.user).defer("snapshot"), pk=pk))
    return render(request, "measurement/reports/_progress.html", _job_context(job))


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def report_download(request, pk: int):
    """The PDF, only here and only after the permission check; its SHA-256 travels in a header."""
    job = _report_or_404(request, pk, finished=True)
    if not job.stored_name or not uploads.private_storage().exists(job.stored_name):
        raise Http404
    return private_file_response(
        job.stored_name,
        content_type="application/pdf",
        filename=f"green-jobs-report-{job.period}-{job.language}.pdf",
        headers={"X-Content-SHA256": job.sha256},
    )


@require_GET
def report_export(request, pk: int, fmt: str):
    if fmt not in EXPORTS:
        raise Http404
    job = _report_or_404(request, pk, finished=True)
    content_type, export = EXPORTS[fmt]
    response = HttpResponse(export(job.snapshot, job.language), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="green-jobs-report-{job.period}-{job.language}.{fmt}"'
    )
    return _private(response)


SHOWN_PERIODS = 6


def _described(item: Recomputation, language: str) -> Recomputation:
    """The periods as a reader says them, the first few of a long list and how many more."""
    labels = []
    for key in item.periods[:SHOWN_PERIODS]:
        try:
            labels.append(Period.parse(key).label(language))
        except PeriodError:
            labels.append(key)
    separator = "، " if language == "fa" else ", "
    item.periods_text = separator.join(labels)
    if len(item.periods) > SHOWN_PERIODS:
        item.periods_text += " " + _("and %(count)s more") % {
            "count": format_number(len(item.periods) - SHOWN_PERIODS, 0)
        }
    return item


def _late_context(request) -> dict:
    """The closed periods a late change is waiting for, shown to the people who read reports."""
    waiting = snapshots.pending_periods()
    language = "fa" if is_persian() else "en"
    return {
        "late_periods": ("، " if language == "fa" else ", ").join(
            period.label(language) for period in waiting
        ),
        "late_count": snapshots.pending_late_changes().count() if waiting else 0,
        "recomputations": [
            _described(item, language) for item in Recomputation.objects.select_related("requested_by")[:5]
        ],
    }


@login_required
@require_POST
def recompute(request):
    """A programme manager recomputes the closed periods late changes are waiting for, with a reason."""
    if not can_set_targets(request.user):
        raise PermissionDenied
    form = RecomputeForm(request.POST)
    if form.is_valid():
        try:
            done = snapshots.snapshots_recompute(actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The closed periods were recomputed; %(count)s figure changed.",
                    "The closed periods were recomputed; %(count)s figures changed.",
                    len(done.changes),
                )
                % {"count": format_number(len(done.changes))},
            )
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect("measurement:report_list")
