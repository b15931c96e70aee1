"""Import of the insurance organisation's monthly workshop lists (CSV or Excel), like the registry's:
`columns` (the schema and the template), `checks` (every row), `jobs` (the dry run and the background job)."""

from .checks import validate_rows
from .columns import COLUMNS, COLUMNS_BY_KEY, MAX_ROWS, SCHEMA, max_upload_bytes, parse_file, template_rows
from .jobs import (
    MAX_REPORTED_ERRORS,
    ImportReport,
    describe_errors,
    import_create_job,
    import_dry_run,
    import_jobs_for,
    import_run,
)

__all__ = [
    "COLUMNS", "COLUMNS_BY_KEY", "MAX_REPORTED_ERRORS", "MAX_ROWS", "SCHEMA", "ImportReport",
    "describe_errors", "import_create_job", "import_dry_run", "import_jobs_for", "import_run",
    "max_upload_bytes", "parse_file", "template_rows", "validate_rows",
]  # fmt: skip
