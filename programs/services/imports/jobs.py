"""The registry import's job: a dry run, then a job row that a Celery task runs to its end.

The whole file is checked again when the job runs, and written in one transaction: one bad row, or
someone registering one of the businesses meanwhile, and nothing is imported.
"""

import datetime
import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Kind
from greenjobs import uploads
from greenjobs.exceptions import DomainError
from greenjobs.formats import format_number
from greenjobs.jobs import progress_beside, serialise_runs
from greenjobs.outbox.services import enqueue
from greenjobs.spreadsheets import check_size

from ... import notes
from ...models import Business, GreenJob, ImportJob, RegistrationEvent, RegistrationStatus
from ...permissions import can_import
from ..denormalised import COUNTED_STATUSES
from .checks import validate_rows
from .columns import max_upload_bytes, parse_file

logger = logging.getLogger(__name__)
User = get_user_model()

# Beyond this many problems the report stops listing them: the file needs fixing at its source anyway.
MAX_REPORTED_ERRORS = 500
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


def _require_importer(actor) -> None:
    if actor is None or not actor.is_authenticated or not can_import(actor):
        raise DomainError(
            _("Only officers and managers of the environment directorate import registrations."),
            code="forbidden",
            status_code=403,
        )


def import_dry_run(*, actor, uploaded) -> ImportReport:
    """Checks a file exactly as the import would, and writes nothing."""
    _require_importer(actor)
    check_size(uploaded, max_upload_bytes())
    rows = parse_file(uploaded, uploaded.name)
    clean_rows, errors = validate_rows(rows)
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
    _require_importer(actor)
    check_size(uploaded, max_upload_bytes())
    rows = parse_file(uploaded, uploaded.name)  # a file that is no spreadsheet is refused here and now
    extension = Path(uploaded.name).suffix.lower()
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    stored_name = uploads.private_storage().save(f"imports/{uuid.uuid4().hex}{extension}", uploaded)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                requested_by=actor, original_name=uploads.clean_file_name(uploaded.name),
                stored_name=stored_name,
                sha256=digest.hexdigest(), total_rows=len(rows),
            )  # fmt: skip
            enqueue("programs.tasks.run_import", job.pk)
    except Exception:
        uploads.private_storage().delete(stored_name)
        raise
    return job


def _fail(job_id: int, *, message: str, errors: list | None = None) -> str:
    with transaction.atomic():
        serialise_runs(ImportJob, job_id)
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ImportJob.Status.SUCCEEDED:
            return str(job.status)
        job.fail(message, errors=(errors or [])[:MAX_REPORTED_ERRORS], processed_rows=0, progress=0)
    return str(job.status)


def _claim(job_id: int) -> ImportJob | None:
    """Marks the job running, or returns None when it has already finished (a repeated delivery)."""
    with transaction.atomic():
        serialise_runs(ImportJob, job_id)
        job = ImportJob.objects.select_for_update().select_related("requested_by").filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        # Counted from nothing again: a delivery whose worker died may have left some progress behind.
        job.start(message=_("Checking the rows…"), processed_rows=0)
    return job


def import_run(*, job_id: int) -> str:
    """Runs one import job to its end; safe to call again for the same job. Returns the job's status."""
    job = _claim(job_id)
    if job is None:
        status = ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return status or "missing"
    with translation.override(job.requested_by.language or settings.LANGUAGE_CODE):
        try:
            if not can_import(job.requested_by):
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
            job.advance(0, total_rows=len(rows), message=_("Importing…"))
            reason = notes.imported_from(name=job.original_name)
            return _write_rows(job_id, clean_rows, reason=reason)
        except ValidationError as exc:
            return _fail(job_id, message=" ".join(exc.messages))
        except IntegrityError:
            return _fail(
                job_id,
                message=_(
                    "Someone registered one of these businesses or owners while the import ran; nothing was "
                    "imported. Run the import again: rows already in the registry will be skipped."
                ),
            )
        except Exception:
            logger.exception("import job %s failed", job_id)
            return _fail(
                job_id, message=_("The import stopped on an unexpected error; nothing was imported.")
            )


@transaction.atomic
def _write_rows(job_id: int, clean_rows: list[dict], *, reason: str) -> str:
    """Writes every row in one transaction, which also keeps two deliveries of the task from importing
    twice; the job's row stays unlocked meanwhile, so its progress is written there as the rows go in."""
    serialise_runs(ImportJob, job_id)
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status != ImportJob.Status.RUNNING:
        return str(job.status)  # another delivery of the task finished it while this one was checking
    now = timezone.now()
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
    return str(job.status)


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
