"""The insurance list import's job: a dry run, then a job row a Celery task runs to its end.

The whole file is checked again when the job runs and written in one transaction: one bad row and nothing
is imported. A workshop's list for a month replaces the one imported before it whole (a corrected list).
Once the lists are in, the reports waiting for them are verified (services.verification).
"""

import hashlib
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from greenjobs import uploads
from greenjobs.exceptions import DomainError
from greenjobs.formats import format_number
from greenjobs.jobs import serialise_runs
from greenjobs.outbox.services import enqueue
from greenjobs.spreadsheets import check_size

from ...models import InsuranceImport, InsuranceList, InsuranceRecord
from ...permissions import can_import_insurance
from ..verification import rounds_verify_imported
from .checks import validate_rows
from .columns import COLUMNS_BY_KEY, max_upload_bytes, parse_file

logger = logging.getLogger(__name__)

MAX_REPORTED_ERRORS = 500


@dataclass
class ImportReport:
    total_rows: int
    lists_count: int = 0
    records_count: int = 0
    errors: list = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.error_count


def _require_importer(actor) -> None:
    if actor is None or not actor.is_authenticated or not can_import_insurance(actor):
        raise DomainError(_("Only MCLS staff import insurance lists."), code="forbidden", status_code=403)


def _lists(clean_rows) -> dict:
    grouped = defaultdict(list)
    for row in clean_rows:
        grouped[(row["workshop_code"], row["month"])].append(row)
    return grouped


def import_dry_run(*, actor, uploaded) -> ImportReport:
    """Checks a file exactly as the import would, and writes nothing."""
    _require_importer(actor)
    check_size(uploaded, max_upload_bytes())
    rows = parse_file(uploaded, uploaded.name)
    clean_rows, errors = validate_rows(rows)
    return ImportReport(
        total_rows=len(rows),
        lists_count=0 if errors else len(_lists(clean_rows)),
        records_count=0 if errors else len(clean_rows),
        errors=errors[:MAX_REPORTED_ERRORS],
        error_count=len(errors),
    )


def import_create_job(*, actor, uploaded) -> InsuranceImport:
    """Stores the file privately and queues its import; the rows are checked again when the job runs."""
    _require_importer(actor)
    check_size(uploaded, max_upload_bytes())
    rows = parse_file(uploaded, uploaded.name)  # a file that is no spreadsheet is refused here and now
    extension = Path(uploaded.name).suffix.lower()
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    stored_name = uploads.private_storage().save(f"insurance-lists/{uuid.uuid4().hex}{extension}", uploaded)
    try:
        with transaction.atomic():
            job = InsuranceImport.objects.create(
                requested_by=actor, original_name=uploads.clean_file_name(uploaded.name),
                stored_name=stored_name, sha256=digest.hexdigest(), total_rows=len(rows),
            )  # fmt: skip
            enqueue("monitoring.tasks.run_insurance_import", job.pk)
    except Exception:
        uploads.private_storage().delete(stored_name)
        raise
    return job


def _fail(job_id: int, *, message: str, errors: list | None = None) -> str:
    with transaction.atomic():
        serialise_runs(InsuranceImport, job_id)
        job = InsuranceImport.objects.select_for_update().get(pk=job_id)
        if job.status == InsuranceImport.Status.SUCCEEDED:
            return str(job.status)
        job.fail(message, errors=(errors or [])[:MAX_REPORTED_ERRORS], processed_rows=0, progress=0)
    return str(job.status)


def _claim(job_id: int) -> InsuranceImport | None:
    with transaction.atomic():
        serialise_runs(InsuranceImport, job_id)
        job = (
            InsuranceImport.objects.select_for_update()
            .select_related("requested_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.is_finished:
            return None
        job.start(message=_("Checking the rows…"), processed_rows=0)
    return job


def import_run(*, job_id: int) -> str:
    """Runs one import job to its end; safe to call again for the same job. Returns the job's status."""
    job = _claim(job_id)
    if job is None:
        status = InsuranceImport.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return status or "missing"
    with translation.override(job.requested_by.language or settings.LANGUAGE_CODE):
        try:
            if not can_import_insurance(job.requested_by):
                return _fail(job_id, message=_("The person who uploaded this file may no longer import."))
            with uploads.private_storage().open(job.stored_name, "rb") as fileobj:
                rows = parse_file(fileobj, job.original_name)
            clean_rows, errors = validate_rows(rows)
            if errors:
                message = ngettext(
                    "One problem was found; nothing was imported. Correct the file and try again.",
                    "%(count)s problems were found; nothing was imported. Correct the file and try again.",
                    len(errors),
                ) % {"count": format_number(len(errors))}
                return _fail(job_id, errors=errors, message=message)
            status, imported = _write(job_id, clean_rows)
        except ValidationError as exc:
            return _fail(job_id, message=" ".join(exc.messages))
        except Exception:
            logger.exception("insurance import %s failed", job_id)
            return _fail(
                job_id, message=_("The import stopped on an unexpected error; nothing was imported.")
            )
    if imported:
        # After the lists are committed, each waiting report in a transaction of its own.
        verified = rounds_verify_imported(workshop_months=imported)
        InsuranceImport.objects.filter(pk=job_id).update(rounds_verified=verified)
    return status


@transaction.atomic
def _write(job_id: int, clean_rows: list[dict]) -> tuple[str, set]:
    serialise_runs(InsuranceImport, job_id)
    job = InsuranceImport.objects.get(pk=job_id)
    if job.status != InsuranceImport.Status.RUNNING:
        return str(job.status), set()
    now = timezone.now()
    grouped = _lists(clean_rows)
    for (code, month), rows in sorted(grouped.items()):
        sheet, _created = InsuranceList.objects.select_for_update().get_or_create(
            workshop_code=code, month=month, defaults={"source": job, "people": len(rows), "imported_at": now}
        )
        if not _created:
            sheet.records.all().delete()
            sheet.source, sheet.people, sheet.imported_at = job, len(rows), now
            sheet.save(update_fields=["source", "people", "imported_at"])
        InsuranceRecord.objects.bulk_create(
            InsuranceRecord(insurance_list=sheet, national_id=row["national_id"], days=row["days"])
            for row in rows
        )
    job.finish(
        processed_rows=len(clean_rows), total_rows=len(clean_rows), lists_count=len(grouped),
        records_count=len(clean_rows), errors=[],
    )  # fmt: skip
    return str(job.status), set(grouped)


def import_jobs_for(user):
    if not can_import_insurance(user):
        return InsuranceImport.objects.none()
    return InsuranceImport.objects.select_related("requested_by")


def describe_errors(errors: list[dict]) -> list[dict]:
    described = []
    for error in errors:
        column = COLUMNS_BY_KEY.get(error.get("column"))
        described.append({**error, "header_fa": column.header_fa if column else ""})
    return described
