"""The pages of a spreadsheet import: check or import a file, follow a job, download the template."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.views.decorators.http import require_GET, require_http_methods

from greenjobs import spreadsheets
from greenjobs.exceptions import DomainError
from greenjobs.permissions import rule_required

from .forms import SpreadsheetUploadForm


@dataclass(frozen=True)
class ImportPages:
    """What an app's import pages need of its services; `views()` gives the four views for its URLs."""

    namespace: str  # URL names are "<namespace>:import_detail" and "<namespace>:import_progress"
    templates: str  # the folder of list.html, detail.html and _counts.html (what a finished job wrote)
    may_import: Callable  # (user) -> bool
    dry_run: Callable  # (actor=, uploaded=) -> the report the list page shows
    create_job: Callable  # (actor=, uploaded=) -> the job
    jobs_for: Callable  # (user) -> the jobs this person may follow
    describe_errors: Callable  # (errors) -> the errors with their columns' headers
    columns: tuple
    max_rows: int
    max_upload_bytes: Callable  # () -> int
    template_rows: Callable  # () -> the rows of the CSV template
    template_filename: str
    upload_label: str | Promise = ""
    recent_jobs: int = 20

    @classmethod
    def of(cls, service, **options) -> "ImportPages":
        """The pages of an app's import module, which names its functions and schema the same way as
        programs' and monitoring's: import_dry_run, import_create_job, import_jobs_for, describe_errors,
        COLUMNS, MAX_ROWS, max_upload_bytes, template_rows."""
        return cls(
            dry_run=service.import_dry_run, create_job=service.import_create_job,
            jobs_for=service.import_jobs_for, describe_errors=service.describe_errors,
            columns=service.COLUMNS, max_rows=service.MAX_ROWS, max_upload_bytes=service.max_upload_bytes,
            template_rows=service.template_rows, **options,
        )  # fmt: skip

    def list(self, request):
        form = SpreadsheetUploadForm(
            request.POST or None, request.FILES or None,
            max_bytes=self.max_upload_bytes(), max_rows=self.max_rows, label=self.upload_label,
        )  # fmt: skip
        report = None
        if request.method == "POST" and form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                if request.POST.get("action") == "import":
                    job = self.create_job(actor=request.user, uploaded=uploaded)
                    return redirect(f"{self.namespace}:import_detail", pk=job.pk)
                # Anything but an explicit "Import" only checks: a stray submit never writes.
                report = self.dry_run(actor=request.user, uploaded=uploaded)
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
            "report_errors": self.describe_errors(report.errors) if report else [],
            "jobs": self.jobs_for(request.user)[: self.recent_jobs],
            "columns": self.columns,
            "max_rows": self.max_rows,
        }
        return render(request, f"{self.templates}/list.html", context)

    def _job_context(self, request, pk: int) -> dict:
        job = get_object_or_404(self.jobs_for(request.user), pk=pk)
        return {
            "job": job,
            "finished": job.is_finished,
            "job_errors": self.describe_errors(job.errors),
            "progress_url": reverse(f"{self.namespace}:import_progress", args=[job.pk]),
            "counts_template": f"{self.templates}/_counts.html",
        }

    def detail(self, request, pk: int):
        return render(request, f"{self.templates}/detail.html", self._job_context(request, pk))

    def progress(self, request, pk: int):
        """The live part of the job page, polled by htmx until the job has finished."""
        return render(request, "partials/import_progress.html", self._job_context(request, pk))

    def template(self, request):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(
            [spreadsheets.csv_safe(cell) for cell in row] for row in self.template_rows()
        )
        # The byte-order mark makes Excel open the file as UTF-8, so the Persian example stays readable.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.template_filename}"'
        return response

    def views(self) -> tuple[Callable, Callable, Callable, Callable]:
        """The list, detail, progress and template views, each open only to who may import."""
        allowed = rule_required(self.may_import)
        return (
            allowed(require_http_methods(["GET", "POST"])(self.list)),
            allowed(require_GET(self.detail)),
            allowed(require_GET(self.progress)),
            allowed(require_GET(self.template)),
        )
