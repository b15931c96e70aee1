from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from greenjobs.formats import format_digits
from greenjobs.forms import BootstrapFormMixin, JalaliDateField, ModelForm
from greenjobs.jalali import to_jalali
from programs.models import County

from ..models import Audience, AwarenessActivity

FIRST_YEAR = 1400  # The programme's records start after the memorandum; older years have nothing to show.


def jalali_year_choices(empty_label):
    current = to_jalali(timezone.localdate()).year
    years = range(current, FIRST_YEAR - 1, -1)
    return [("", empty_label)] + [(str(year), format_digits(year)) for year in years]


class ActivityForm(BootstrapFormMixin, ModelForm):
    held_on = JalaliDateField(label=_("Held on"))

    class Meta:
        model = AwarenessActivity
        fields = [
            "title", "kind", "held_on", "county", "audience",
            "workers_count", "employers_count", "others_count", "description",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.order_by("order")
        self.fields["county"].empty_label = _("Province-wide")
        for name in ("workers_count", "employers_count", "others_count"):
            field = self.fields[name]
            field.min_value = 0
            field.required = False
            field.widget.attrs.update(inputmode="numeric", dir="ltr")

    def clean(self):
        cleaned = super().clean()
        for name in ("workers_count", "employers_count", "others_count"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        return cleaned


class ActivityFilterForm(BootstrapFormMixin, forms.Form):
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *AwarenessActivity.Kind.choices]
    )
    audience = forms.ChoiceField(
        label=_("Audience"), required=False, choices=[("", _("All audiences")), *Audience.choices]
    )
    year = forms.ChoiceField(label=_("Year"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("All agencies"))] + [
            (agency.code, agency.short_name) for agency in Agency.objects.order_by("order", "code")
        ]
        self.fields["year"].choices = jalali_year_choices(_("All years"))

    def filters(self) -> dict:
        """The valid filters only: a mistyped one is dropped, the rest still apply."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {key: value for key, value in cleaned.items() if value not in ("", None)}
