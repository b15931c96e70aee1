from django import forms
from django.utils.translation import gettext_lazy as _

from greenjobs.forms import BootstrapFormMixin, JalaliDateField, ModelForm

from ..models import GreenOccupation, OccupationKind, Sector
from .search import SearchField


class OccupationForm(BootstrapFormMixin, ModelForm):
    """What DOE and TVTO staff type; the service normalises and checks it before saving."""

    introduced_on = JalaliDateField(label=_("Introduced on"))

    class Meta:
        model = GreenOccupation
        fields = [
            "code", "name_fa", "name_en", "sector", "kind", "requirements_fa", "requirements_en",
            "training_standard_code", "introduced_on", "is_active",
        ]  # fmt: skip
        widgets = {
            "code": forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "characters"}),
            "name_fa": forms.TextInput(attrs={"dir": "rtl", "lang": "fa"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "requirements_fa": forms.Textarea(attrs={"rows": 4, "dir": "rtl", "lang": "fa"}),
            "requirements_en": forms.Textarea(attrs={"rows": 4, "dir": "ltr", "lang": "en"}),
            "training_standard_code": forms.TextInput(attrs={"dir": "ltr"}),
        }
        help_texts = {
            "code": _(
                "Latin letters, digits and hyphens, for example GJ-EN-06. It is part of the page's address."
            ),
            "requirements_fa": _(
                "What makes this occupation green: the environmental requirements it must meet."
            ),
            "training_standard_code": _(
                "The TVTO training standard that teaches this occupation, if there is one."
            ),
            "is_active": _("Untick to take the occupation out of the public catalogue. It is never deleted."),
        }

    def validate_unique(self):
        # The service checks the code after normalising it (gj-en-01 and GJ-EN-01 are one code).
        pass


class OccupationFilterForm(BootstrapFormMixin, forms.Form):
    q = SearchField()
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Name, code, sector or training standard"), "autocomplete": "off"}
        )
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]
        self.fields["kind"].choices = [("", _("All kinds")), *OccupationKind.choices]

    def filters(self) -> dict:
        """The valid filters; an unknown sector or kind in the address is ignored rather than an error."""
        if not self.is_valid() and not self.is_bound:
            return {"q": "", "sector": "", "kind": ""}
        return {name: self.cleaned_data.get(name) or "" for name in ("q", "sector", "kind")}
