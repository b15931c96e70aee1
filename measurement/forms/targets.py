"""What a programme manager types on the indicators page: a year's target, a hand-entered figure."""

from django import forms
from django.utils.translation import gettext_lazy as _

from greenjobs.forms import BootstrapFormMixin, LocalDecimalField, LocalIntegerField
from greenjobs.text import fold_digits


class FigureField(LocalDecimalField):
    """A figure typed in any digits, with or without grouping, with the Persian decimal separator."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


class JalaliYearField(LocalIntegerField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update(maxlength="4")


class TargetForm(BootstrapFormMixin, forms.Form):
    jalali_year = JalaliYearField(label=_("Jalali year"))
    value = FigureField(label=_("Target"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Two of these sit in every row of the indicators table.
        widget = self.fields["value"].widget
        widget.attrs["class"] = f"{widget.attrs['class']} form-control-sm"


class ManualValueForm(BootstrapFormMixin, forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A year, quarter or month: 1405, 1405-Q3 or 1405-07."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "placeholder": "1405-Q1"}),
    )
    value = FigureField(label=_("Value"))
    note = forms.CharField(
        label=_("Source of the figure"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_period(self):
        return fold_digits(self.cleaned_data["period"]).strip().upper()
