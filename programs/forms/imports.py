from django import forms
from django.utils.translation import gettext_lazy as _

from greenjobs.formats import format_number
from greenjobs.forms import BootstrapFormMixin
from greenjobs.spreadsheets import check_size

from ..services.imports import MAX_ROWS, max_upload_bytes

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        widget=forms.FileInput(attrs={"accept": ACCEPT, "data-testid": "import-file"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8) or Excel (.xlsx), at most %(megabytes)s MB and %(rows)s rows."
        ) % {"megabytes": format_number(max_upload_bytes() // (1024 * 1024)), "rows": format_number(MAX_ROWS)}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_size(uploaded, max_upload_bytes())
        return uploaded
