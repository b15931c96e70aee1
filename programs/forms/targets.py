"""What a programme manager types on the indicators page: a year's target, a hand-entered figure."""

from django import forms
from django.utils.translation import gettext_lazy as _

from greenjobs.forms import BootstrapFormMixin
from greenjobs.text import fold_digits

# Thousands separators people type or paste: Latin comma, Persian momayyez, Arabic comma, and spaces.
_SEPARATORS = (",", "٬", "،", " ", "\u00a0", "\u202f", "\u200c")


def _fold_number(value):
    if not isinstance(value, str):
        return value
    value = fold_digits(value)
    for separator in _SEPARATORS:
        value = value.replace(separator, "")
    return value.replace("٫", ".").strip()


class FigureField(forms.DecimalField):
    """A figure typed in any digits, with or without grouping, with the Persian decimal separator."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        # A text box, not type=number: the browser must not refuse Persian digits; the server folds them.
        self.widget.attrs.update(dir="ltr", inputmode="decimal", autocomplete="off")

    def to_python(self, value):
        return super().to_python(_fold_number(value))


class JalaliYearField(forms.IntegerField):
    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update(dir="ltr", inputmode="numeric", maxlength="4")

    def to_python(self, value):
        return super().to_python(_fold_number(value))


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
