"""Bulk import of registrations from spreadsheets (DOE officers and managers)."""

from django.utils.translation import gettext_lazy as _

from greenjobs.file_imports.views import ImportPages

from ..permissions import can_import
from ..services import imports

PAGES = ImportPages.of(
    imports,
    namespace="programs",
    templates="programs/imports",
    may_import=can_import,
    template_filename="registrations-import-template.csv",
    upload_label=_("Spreadsheet"),
)

import_list, import_detail, import_progress, import_template = PAGES.views()
