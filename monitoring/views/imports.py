"""The insurance lists' import (MCLS staff): check a file, import it in the background, follow the job."""

from django.utils.translation import gettext_lazy as _

from greenjobs.file_imports.views import ImportPages

from ..permissions import can_import_insurance
from ..services import imports

PAGES = ImportPages(
    namespace="monitoring",
    templates="monitoring/imports",
    may_import=can_import_insurance,
    dry_run=imports.import_dry_run,
    create_job=imports.import_create_job,
    jobs_for=imports.import_jobs_for,
    describe_errors=imports.describe_errors,
    columns=imports.COLUMNS,
    max_rows=imports.MAX_ROWS,
    max_upload_bytes=imports.max_upload_bytes,
    template_rows=imports.template_rows,
    template_filename="insurance-list-template.csv",
    upload_label=_("Insurance list"),
)

import_list, import_detail, import_progress, import_template = PAGES.views()
