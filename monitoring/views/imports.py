"""The insurance lists' import (MCLS staff): check a file, import it in the background, follow the job."""

from django.utils.translation import gettext_lazy as _

from greenjobs.file_imports.views import ImportPages

from ..permissions import can_import_insurance
from ..services import imports

PAGES = ImportPages.of(
    imports,
    namespace="monitoring",
    templates="monitoring/imports",
    may_import=can_import_insurance,
    template_filename="insurance-list-template.csv",
    upload_label=_("Insurance list"),
)

import_list, import_detail, import_progress, import_template = PAGES.views()
