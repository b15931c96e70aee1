import jdatetime
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenjobs.formats import format_digits
from greenjobs.forms import BootstrapFormMixin
from greenjobs.jalali import is_persian
from greenjobs.text import fold_digits

from ..models import ReportJob
from ..periods import Period, PeriodError

# The memorandum was signed in 1394: nothing was measured before it.
FIRST_YEAR = 1394


class ReportRequestForm(BootstrapFormMixin, forms.Form):
    """A period picked as kind + Jalali year + number, or typed whole (1405, 1405-Q3, 1405-07)."""

    kind = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[("quarter", _("Quarter")), ("month", _("Month")), ("year", _("Fiscal year"))],
    )
    year = forms.CharField(
        label=_("Jalali year"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "placeholder": "1405"}),
    )
    number = forms.CharField(
        label=_("Quarter or month number"),
        required=False,
        max_length=2,
        help_text=_("1 to 4 for a quarter, 1 to 12 for a month; leave empty for a whole year."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "placeholder": "3"}),
    )
    period = forms.CharField(
        label=_("Or type the period"),
        required=False,
        max_length=10,
        help_text=_(
            "For example 1405 (a year), 1405-Q3 (a quarter) or 1405-07 (a month). Overrides the choice above."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "1405-Q3"}),
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=ReportJob.Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            current = Period.containing(timezone.localdate(), "quarter")
            self.initial.setdefault("kind", "quarter")
            self.initial.setdefault("year", current.year)
            self.initial.setdefault("number", current.number)
            self.initial.setdefault("language", "fa" if is_persian() else "en")

    def _typed_period(self) -> str:
        kind = self.cleaned_data.get("kind")
        year = fold_digits(self.cleaned_data.get("year") or "").strip()
        number = fold_digits(self.cleaned_data.get("number") or "").strip()
        if not kind or not year:
            raise forms.ValidationError(
                _("Choose the kind of period and its Jalali year, or type the period."), code="no_period"
            )
        if kind == "year":
            return year
        if not number.isdigit():
            self.add_error("number", _("Give the quarter (1 to 4) or the month (1 to 12)."))
            raise forms.ValidationError(_("The period is incomplete."), code="no_number")
        return f"{year}-Q{int(number)}" if kind == "quarter" else f"{year}-{int(number):02d}"

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("period") or "").strip() or self._typed_period()
        try:
            period = Period.parse(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc), code="bad_period") from exc
        this_year = jdatetime.date.fromgregorian(date=timezone.localdate()).year
        if not FIRST_YEAR <= period.year <= this_year:
            message = _("Choose a year from %(first)s to %(last)s.") % {
                "first": format_digits(FIRST_YEAR),
                "last": format_digits(this_year),
            }
            raise forms.ValidationError(message, code="bad_year")
        if period.start > timezone.localdate():
            raise forms.ValidationError(_("This period has not begun yet."), code="future_period")
        cleaned["period_key"] = period.key
        return cleaned


class RecomputeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why recompute"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Recorded with the figures it changes, e.g. “Tranches of 1404 entered late by the bank”."
        ),
    )
