"""The insurance lists' import as a kind of the shared spreadsheet import (greenjobs.file_imports): a dry
run, then a job row a Celery task runs to its end.

The whole file is checked again when the job runs and written in one transaction: one bad row and nothing
is imported. A workshop's list for a month replaces the one imported before it whole (a corrected list).
Once the lists are in, the reports waiting for them are verified (services.verification).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy

from greenjobs.file_imports.jobs import MAX_REPORTED_ERRORS, ImportKind, check_file, create_job, run_job
from greenjobs.file_imports.jobs import describe_errors as describe_with

from ...models import InsuranceImport, InsuranceList, InsuranceRecord
from ...permissions import can_import_insurance
from ..verification import rounds_verify_imported
from .checks import validate_rows
from .columns import COLUMNS_BY_KEY, max_upload_bytes, parse_file


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


def _lists(clean_rows) -> dict:
    grouped = defaultdict(list)
    for row in clean_rows:
        grouped[(row["workshop_code"], row["month"])].append(row)
    return grouped


def _write_lists(job: InsuranceImport, clean_rows: list[dict]) -> None:
    """Writes the lists inside the import's transaction, each replacing the one before it whole."""
    now = timezone.now()
    grouped = _lists(clean_rows)
    for (code, month), rows in sorted(grouped.items()):
        sheet, created = InsuranceList.objects.select_for_update().get_or_create(
            workshop_code=code, month=month, defaults={"source": job, "people": len(rows), "imported_at": now}
        )
        if not created:
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


def _verify_waiting_reports(job_id: int) -> None:
    """Once the lists are committed, each report waiting for one of them, in a transaction of its own."""
    imported = set(InsuranceList.objects.filter(source_id=job_id).values_list("workshop_code", "month"))
    verified = rounds_verify_imported(workshop_months=imported)
    InsuranceImport.objects.filter(pk=job_id).update(rounds_verified=verified)


KIND = ImportKind(
    model=InsuranceImport,
    task="monitoring.tasks.run_insurance_import",
    folder="insurance-lists",
    may_import=can_import_insurance,
    forbidden=gettext_lazy("Only MCLS staff import insurance lists."),
    parse=parse_file,
    validate=validate_rows,
    write=_write_lists,
    max_upload_bytes=max_upload_bytes,
    after_write=_verify_waiting_reports,
)


def import_dry_run(*, actor, uploaded) -> ImportReport:
    """Checks a file exactly as the import would, and writes nothing."""
    rows, clean_rows, errors = check_file(KIND, actor=actor, uploaded=uploaded)
    return ImportReport(
        total_rows=len(rows),
        lists_count=0 if errors else len(_lists(clean_rows)),
        records_count=0 if errors else len(clean_rows),
        errors=errors[:MAX_REPORTED_ERRORS],
        error_count=len(errors),
    )


def import_create_job(*, actor, uploaded) -> InsuranceImport:
    """Stores the file privately and queues its import; the rows are checked again when the job runs."""
    return create_job(KIND, actor=actor, uploaded=uploaded)


def import_run(*, job_id: int) -> str:
    """Runs one import job to its end; safe to call again for the same job. Returns the job's status."""
    return run_job(KIND, job_id=job_id)


def import_jobs_for(user):
    if not can_import_insurance(user):
        return InsuranceImport.objects.none()
    return InsuranceImport.objects.select_related("requested_by")


def describe_errors(errors: list[dict]) -> list[dict]:
    return describe_with(errors, COLUMNS_BY_KEY)
