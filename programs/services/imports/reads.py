"""Reads for the registry import's pages."""

from greenjobs.file_imports.jobs import describe_errors as describe_with

from ...models import ImportJob
from ...permissions import is_doe
from .columns import COLUMNS_BY_KEY


def import_jobs_for(user):
    """Import jobs are DOE's working records: DOE staff see them all, nobody else any."""
    if not is_doe(user):
        return ImportJob.objects.none()
    return ImportJob.objects.select_related("requested_by")


def describe_errors(errors: list[dict]) -> list[dict]:
    """The problems with each column's Persian header beside its key, for the error tables."""
    return describe_with(errors, COLUMNS_BY_KEY)
