"""The insurance lists' import (MCLS staff): check a file, import it in the background, follow the job."""

import csv
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from greenjobs import spreadsheets
from greenjobs.exceptions import DomainError
from greenjobs.permissions import rule_required

from ..forms import InsuranceUploadForm
from ..permissions import can_import_insurance
from ..services import imports

RECENT_JOBS = 20

importer_required = rule_required(can_import_insurance)


@importer_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = InsuranceUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if request.POST.get("action") == "import":
                job = imports.import_create_job(actor=request.user, uploaded=uploaded)
                return redirect("monitoring:import_detail", pk=job.pk)
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
    return render(request, "monitoring/imports/list.html", context)


def _job_context(request, pk: int) -> dict:
    job = get_object_or_404(imports.import_jobs_for(request.user), pk=pk)
    return {"job": job, "finished": job.is_finished, "job_errors": imports.describe_errors(job.errors)}


@importer_required
@require_GET
def import_detail(request, pk: int):
    return render(request, "monitoring/imports/detail.html", _job_context(request, pk))


@importer_required
@require_GET
def import_progress(request, pk: int):
    return render(request, "monitoring/imports/_progress.html", _job_context(request, pk))


@importer_required
@require_GET
def import_template(request):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [spreadsheets.csv_safe(cell) for cell in row] for row in imports.template_rows()
    )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="insurance-list-template.csv"'
    return response
