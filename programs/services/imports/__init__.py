"""Bulk import of existing business registrations from the agencies' spreadsheets (CSV or Excel).

One module a job: `columns` (the schema and the template), `checks` (every row against the registry),
`jobs` (the dry run and the background job's lifecycle), `reads` (for the pages). What the pages, the
task and the forms use is named here.
"""

from .checks import validate_rows
from .columns import (
    COLUMN_KEYS,
    COLUMNS,
    COLUMNS_BY_KEY,
    MAX_ROWS,
    SCHEMA,
    max_upload_bytes,
    parse_file,
    template_rows,
)
from .jobs import MAX_REPORTED_ERRORS, ImportReport, import_create_job, import_dry_run, import_run
from .reads import describe_errors, import_jobs_for

__all__ = [
    "COLUMNS", "COLUMNS_BY_KEY", "COLUMN_KEYS", "MAX_REPORTED_ERRORS", "MAX_ROWS", "SCHEMA", "ImportReport",
    "describe_errors", "import_create_job", "import_dry_run", "import_jobs_for", "import_run",
    "max_upload_bytes", "parse_file", "template_rows", "validate_rows",
]  # fmt: skip
