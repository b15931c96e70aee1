"""The lifecycle of an import job, for every kind of spreadsheet import."""

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from greenjobs import uploads
from greenjobs.exceptions import DomainError
from greenjobs.formats import format_number
from greenjobs.jobs import serialise_runs
from greenjobs.outbox.services import enqueue
from greenjobs.spreadsheets import check_size

from .models import FileImportJob

logger = logging.getLogger(__name__)

# Beyond this many problems a report stops listing them: the file needs fixing at its source anyway.
MAX_REPORTED_ERRORS = 500


@dataclass(frozen=True)
class ImportKind:
    """One kind of import: the functions of its app that the shared lifecycle calls."""

    model: type[FileImportJob]
    task: str  # the Celery task that runs a job of this kind, by its registered name
    folder: str  # where the uploaded files are kept in the private store
    may_import: Callable  # (user) -> bool
    forbidden: str | Promise  # what someone who may not import is told
    parse: Callable  # (file, name) -> rows; ValidationError for a file that is no such spreadsheet
    validate: Callable  # (rows) -> (clean rows, errors)
    write: Callable  # (job, clean rows) -> None, inside the transaction; calls job.finish with its counts
    max_upload_bytes: Callable  # () -> int
    # What a unique constraint broken while the rows went in means to the person (someone else wrote
    # the same record meanwhile); without it, the import reports an unexpected error.
    conflict: str | Promise = ""
    # Runs after the rows are committed, with the job's id: follow-up work in transactions of its own.
    after_write: Callable | None = None


def _require_importer(kind: ImportKind, actor) -> None:
    if actor is None or not actor.is_authenticated or not kind.may_import(actor):
        raise DomainError(str(kind.forbidden), code="forbidden", status_code=403)


def check_file(kind: ImportKind, *, actor, uploaded) -> tuple[list, list, list]:
    """The rows, the clean rows and the problems of an uploaded file, exactly as the import would see
    them; writes nothing. Raises DomainError (403) for someone who may not import."""
    _require_importer(kind, actor)
    check_size(uploaded, kind.max_upload_bytes())
    rows = kind.parse(uploaded, uploaded.name)
    clean_rows, errors = kind.validate(rows)
    return rows, clean_rows, errors


def create_job(kind: ImportKind, *, actor, uploaded) -> FileImportJob:
    """Stores the file privately and queues its import; the rows are checked again when the job runs.

    The file is written before the job's row; a transaction that fails removes it again, so no file is
    left behind that no row names."""
    _require_importer(kind, actor)
    check_size(uploaded, kind.max_upload_bytes())
    rows = kind.parse(uploaded, uploaded.name)  # a file that is no spreadsheet is refused here and now
    extension = Path(uploaded.name).suffix.lower()
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    stored_name = uploads.private_storage().save(f"{kind.folder}/{uuid.uuid4().hex}{extension}", uploaded)
    try:
        with transaction.atomic():
            job = kind.model.objects.create(
                requested_by=actor, original_name=uploads.clean_file_name(uploaded.name),
                stored_name=stored_name, sha256=digest.hexdigest(), total_rows=len(rows),
            )  # fmt: skip
            enqueue(kind.task, job.pk)
    except Exception:
        uploads.private_storage().delete(stored_name)
        raise
    return job


def _fail(kind: ImportKind, job_id: int, *, message: str, errors: list | None = None) -> str:
    with transaction.atomic():
        serialise_runs(kind.model, job_id)
        job = kind.model.objects.select_for_update().get(pk=job_id)
        if job.status == job.Status.SUCCEEDED:
            return str(job.status)
        job.fail(message, errors=(errors or [])[:MAX_REPORTED_ERRORS], processed_rows=0, progress=0)
    return str(job.status)


def _claim(kind: ImportKind, job_id: int):
    """Marks the job running, or returns None when it has already finished (a repeated delivery)."""
    with transaction.atomic():
        serialise_runs(kind.model, job_id)
        job = kind.model.objects.select_for_update().select_related("requested_by").filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        # Counted from nothing again: a delivery whose worker died may have left some progress behind.
        job.start(message=_("Checking the rows…"), processed_rows=0)
    return job


def problems_message(count: int) -> str:
    return ngettext(
        "One problem was found; nothing was imported. Correct the file and try again.",
        "%(count)s problems were found; nothing was imported. Correct the file and try again.",
        count,
    ) % {"count": format_number(count)}


def run_job(kind: ImportKind, *, job_id: int) -> str:
    """Runs one import job to its end; safe to call again for the same job. Returns the job's status."""
    job = _claim(kind, job_id)
    if job is None:
        status = kind.model.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return status or "missing"
    with translation.override(job.requested_by.language or settings.LANGUAGE_CODE):
        try:
            if not kind.may_import(job.requested_by):
                message = _("The person who uploaded this file may no longer import.")
                return _fail(kind, job_id, message=message)
            with uploads.private_storage().open(job.stored_name, "rb") as fileobj:
                rows = kind.parse(fileobj, job.original_name)
            clean_rows, errors = kind.validate(rows)
            if errors:
                return _fail(kind, job_id, errors=errors, message=problems_message(len(errors)))
            job.advance(0, total_rows=len(rows), message=_("Importing…"))
            status, wrote = _write(kind, job_id, clean_rows)
        except ValidationError as exc:
            return _fail(kind, job_id, message=" ".join(exc.messages))
        except IntegrityError:
            if kind.conflict:
                return _fail(kind, job_id, message=str(kind.conflict))
            return _unexpected(kind, job_id)
        except Exception:
            return _unexpected(kind, job_id)
    if wrote and kind.after_write is not None:
        kind.after_write(job_id)
    return status


def _unexpected(kind: ImportKind, job_id: int) -> str:
    logger.exception("import job %s (%s) failed", job_id, kind.model._meta.label)
    return _fail(kind, job_id, message=_("The import stopped on an unexpected error; nothing was imported."))


@transaction.atomic
def _write(kind: ImportKind, job_id: int, clean_rows: list) -> tuple[str, bool]:
    """Writes every row in one transaction, which also keeps two deliveries of the task from importing
    twice; the job's row stays unlocked meanwhile, so its progress can be written there as rows go in."""
    serialise_runs(kind.model, job_id)
    job = kind.model.objects.select_related("requested_by").get(pk=job_id)
    if job.status != job.Status.RUNNING:
        return str(job.status), False  # another delivery finished it while this one was checking
    kind.write(job, clean_rows)
    return str(job.status), True


def describe_errors(errors: list[dict], columns_by_key: dict) -> list[dict]:
    """The problems with each column's Persian header beside its key, for the error tables."""
    described = []
    for error in errors:
        column = columns_by_key.get(error.get("column"))
        described.append({**error, "header_fa": column.header_fa if column else ""})
    return described
