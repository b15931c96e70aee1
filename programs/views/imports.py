"""Bulk import of registrations from spreadsheets (DOE officers and managers)."""

import csv
import io
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from greenjobs import spreadsheets
from greenjobs.exceptions import DomainError

from ..forms.imports import ImportUploadForm
from ..permissions import can_import
from ..services import imports

RECENT_JOBS = 20


def importer_required(view):
    """Anonymous people go to the login page; anyone who may not import gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@importer_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if request.POST.get("action") == "import":
                job = imports.import_create_job(actor=request.user, uploaded=uploaded)
                return redirect("programs:import_detail", pk=job.pk)
            # Anything but an explicit "Import" only checks: a stray submit never writes.
            report = imports.import_dry_run(actor=request.user, uploaded=uploaded)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied from exc
            form.add_error(None, exc.message)
    context = {
        "form": form,
        "report": report,
        "report_errors": imports.describe_errors(report.errors) if report else [],
        "jobs": imports.import_jobs_for(request.user)[:RECENT_JOBS],
        "columns": imports.COLUMNS,
        "max_rows": imports.MAX_ROWS,
    }
    return render(request, "programs/imports/list.html", context)


def _job_context(request, pk: int) -> dict:
    job = get_object_or_404(imports.import_jobs_for(request.user), pk=pk)
    return {
        "job": job,
        "finished": job.is_finished,
        "job_errors": imports.describe_errors(job.errors),
    }


@importer_required
@require_GET
def import_detail(request, pk: int):
    return render(request, "programs/imports/detail.html", _job_context(request, pk))


@importer_required
@require_GET
def import_progress(request, pk: int):
    """The live part of the job page, polled by htmx until the job has finished."""
    return render(request, "programs/imports/_progress.html", _job_context(request, pk))


@importer_required
@require_GET
def import_template(request):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [spreadsheets.csv_safe(cell) for cell in row] for row in imports.template_rows()
    )
    # The byte-order mark makes Excel open the file as UTF-8, so the Persian example stays readable.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registrations-import-template.csv"'
    return response
