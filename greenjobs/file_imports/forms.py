from django import forms
from django.utils.translation import gettext_lazy as _

from greenjobs.formats import format_number
from greenjobs.forms import BootstrapFormMixin
from greenjobs.spreadsheets import check_size

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetUploadForm(BootstrapFormMixin, forms.Form):
    """One spreadsheet, refused at once when it is over the import's size."""

    file = forms.FileField(
        label=_("Spreadsheet"),
        widget=forms.FileInput(attrs={"accept": ACCEPT, "data-testid": "import-file"}),
    )

    def __init__(self, *args, max_bytes: int, max_rows: int, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        if label:
            self.fields["file"].label = label
        self.fields["file"].help_text = _(
            "CSV (UTF-8) or Excel (.xlsx), at most %(megabytes)s MB and %(rows)s rows."
        ) % {"megabytes": format_number(max_bytes // (1024 * 1024)), "rows": format_number(max_rows)}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_size(uploaded, self.max_bytes)
        return uploaded
