"""Bulk import of registrations from spreadsheets (DOE officers and managers)."""

from django.utils.translation import gettext_lazy as _

from greenjobs.file_imports.views import ImportPages

from ..permissions import can_import
from ..services import imports

PAGES = ImportPages(
    namespace="programs",
    templates="programs/imports",
    may_import=can_import,
    dry_run=imports.import_dry_run,
    create_job=imports.import_create_job,
    jobs_for=imports.import_jobs_for,
    describe_errors=imports.describe_errors,
    columns=imports.COLUMNS,
    max_rows=imports.MAX_ROWS,
    max_upload_bytes=imports.max_upload_bytes,
    template_rows=imports.template_rows,
    template_filename="registrations-import-template.csv",
    upload_label=_("Spreadsheet"),
)

import_list, import_detail, import_progress, import_template = PAGES.views()
