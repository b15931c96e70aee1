"""The registry import as a kind of the shared spreadsheet import (greenjobs.file_imports): a dry run,
then a job row that a Celery task runs to its end.

The whole file is checked again when the job runs, and written in one transaction: one bad row, or
someone registering one of the businesses meanwhile, and nothing is imported.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import Kind
from greenjobs.file_imports.jobs import MAX_REPORTED_ERRORS, ImportKind, check_file, create_job, run_job
from greenjobs.jobs import progress_beside

from ... import notes
from ...models import Business, GreenJob, ImportJob, RegistrationEvent, RegistrationStatus
from ...permissions import can_import
from ..denormalised import COUNTED_STATUSES
from .checks import validate_rows
from .columns import max_upload_bytes, parse_file

User = get_user_model()
# Rows written between two updates of the progress on the job's row.
PROGRESS_EVERY = 10


@dataclass
class ImportReport:
    total_rows: int
    create_count: int = 0
    skip_count: int = 0
    errors: list = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.error_count


def _write_rows(job: ImportJob, clean_rows: list[dict]) -> None:
    """Writes every row inside the import's transaction; the job's row stays unlocked meanwhile, so its
    progress is written there as the rows go in."""
    now = timezone.now()
    reason = notes.imported_from(name=job.original_name)
    owners: dict[str, int] = {}
    created = skipped = 0
    with progress_beside(job) as advance:
        for done, row in enumerate(clean_rows, start=1):
            if row["skip"]:
                skipped += 1
            else:
                owner = row["owner"]
                owner_id = owner["user_id"] or owners.get(owner["national_id"])
                if owner_id is None:
                    owner_id = owners[owner["national_id"]] = _create_applicant_account(**owner).pk
                _create_business(owner_id=owner_id, row=row, actor=job.requested_by, reason=reason, now=now)
                created += 1
            if done % PROGRESS_EVERY == 0:
                advance(job.rows_percent(done), processed_rows=done)
    job.finish(
        processed_rows=len(clean_rows), total_rows=len(clean_rows), created_count=created,
        skipped_count=skipped, errors=[],
    )  # fmt: skip


KIND = ImportKind(
    model=ImportJob,
    task="programs.tasks.run_import",
    folder="imports",
    may_import=can_import,
    forbidden=gettext_lazy("Only officers and managers of the environment directorate import registrations."),
    parse=parse_file,
    validate=validate_rows,
    write=_write_rows,
    max_upload_bytes=max_upload_bytes,
    conflict=gettext_lazy(
        "Someone registered one of these businesses or owners while the import ran; nothing was "
        "imported. Run the import again: rows already in the registry will be skipped."
    ),
)


def import_dry_run(*, actor, uploaded) -> ImportReport:
    """Checks a file exactly as the import would, and writes nothing."""
    rows, clean_rows, errors = check_file(KIND, actor=actor, uploaded=uploaded)
    skipped = sum(row["skip"] for row in clean_rows)
    return ImportReport(
        total_rows=len(rows),
        create_count=0 if errors else len(clean_rows) - skipped,
        skip_count=0 if errors else skipped,
        errors=errors[:MAX_REPORTED_ERRORS],
        error_count=len(errors),
    )


def import_create_job(*, actor, uploaded) -> ImportJob:
    """Stores the file privately and queues its import; rows are checked again when the job runs."""
    return create_job(KIND, actor=actor, uploaded=uploaded)


def import_run(*, job_id: int) -> str:
    """Runs one import job to its end; safe to call again for the same job. Returns the job's status."""
    return run_job(KIND, job_id=job_id)


def _create_applicant_account(*, national_id, first_name, last_name, mobile, email, username, user_id=None):
    """An applicant account for an owner known only from an agency's sheet.

    It has no usable password and an unverified e-mail address, so nobody can sign in with it until
    the owner is given access; its identifiers were normalised and checked free by validate_rows.
    """
    user = User(
        username=username, email=email, national_id=national_id, mobile=mobile, first_name=first_name,
        last_name=last_name, kind=Kind.APPLICANT, email_verified_at=None,
    )  # fmt: skip
    user.set_unusable_password()
    user.save()
    return user


def _create_business(*, owner_id: int, row: dict, actor, reason: str, now) -> Business:
    data = dict(row["business"])
    verified_on = data.pop("verified_on")
    business = Business(owner_id=owner_id, **data)
    if verified_on:
        business.verified_at = timezone.make_aware(datetime.datetime.combine(verified_on, datetime.time.min))
        business.status_changed_at = business.verified_at
    else:
        business.submitted_at = now
        business.status_changed_at = now
    if business.status == RegistrationStatus.VERIFIED:
        # The portal's figures date a first verification by its event, which is recorded now.
        business.first_verified_at = now
    business.refresh_search_text()
    business.save()
    counted = business.status in COUNTED_STATUSES
    GreenJob.objects.bulk_create(
        GreenJob(business=business, counted=counted, **job) for job in row["green_jobs"]
    )
    RegistrationEvent.objects.create(
        business=business, from_status="", to_status=business.status, actor=actor, reason=reason, at=now
    )
    return business
