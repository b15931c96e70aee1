from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenjobs.formats import format_number
from greenjobs.forms import BootstrapFormMixin, JalaliDateField, LocalDecimalField
from greenjobs.spreadsheets import check_size

from ..services.roster import MAX_ROWS, max_upload_bytes

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Roster"), widget=forms.FileInput(attrs={"accept": ACCEPT, "data-testid": "roster-file"})
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


class AttendanceForm(BootstrapFormMixin, forms.Form):
    """A new meeting's roll call: its date, and the enrolled people who were there (the rest were absent)."""

    held_on = JalaliDateField(label=_("Meeting held on"))
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, enrolment_ids=(), session=None, **kwargs):
        today = timezone.localdate()
        # Today is offered only when a meeting can be on it; a date sure to be refused helps nobody.
        if session is None or session.starts_on <= today <= session.ends_on:
            kwargs.setdefault("initial", {"held_on": today})
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(pk, pk) for pk in enrolment_ids]


class ScoreField(LocalDecimalField):
    """A score out of 100, typed with Persian or Latin digits and either decimal mark."""

    def __init__(self, **kwargs):
        super().__init__(
            min_value=Decimal(0),
            max_value=Decimal(100),
            max_digits=5,
            decimal_places=2,
            required=False,
            **kwargs,
        )
        # Added after the form's Bootstrap pass, so the classes are given here.
        self.widget.attrs.update(
            {"class": "form-control form-control-sm", "dir": "ltr", "inputmode": "decimal", "maxlength": "6"}
        )

    def widget_attrs(self, widget):
        return {}


class ResultsForm(BootstrapFormMixin, forms.Form):
    """One theory and one practical score per enrolled person; a row left empty is left as it was."""

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for enrolment in enrolments:
            theory, practical = f"theory_{enrolment.pk}", f"practical_{enrolment.pk}"
            self.fields[theory] = ScoreField(label=_("Theory"), initial=enrolment.theory_score)
            self.fields[practical] = ScoreField(label=_("Practical"), initial=enrolment.practical_score)
            self.rows.append((enrolment, theory, practical))

    def clean(self):
        cleaned = super().clean()
        for _enrolment, theory, practical in self.rows:
            if theory in self.errors or practical in self.errors:
                continue
            if (cleaned.get(theory) is None) != (cleaned.get(practical) is None):
                missing = theory if cleaned.get(theory) is None else practical
                self.add_error(missing, _("Give both scores, or neither."))
        if not self.errors and not self.scores():
            raise forms.ValidationError(_("Enter the scores of at least one person."), code="empty")
        return cleaned

    def scores(self) -> dict:
        """{enrolment_id: (theory, practical)} for the rows with both scores."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            enrolment.pk: (cleaned[theory], cleaned[practical])
            for enrolment, theory, practical in self.rows
            if cleaned.get(theory) is not None and cleaned.get(practical) is not None
        }

    def bound_rows(self):
        return [(enrolment, self[theory], self[practical]) for enrolment, theory, practical in self.rows]


class MeetingCorrectForm(BootstrapFormMixin, forms.Form):
    """The day a meeting was really held, and why its date is changed (kept with the change)."""

    held_on = JalaliDateField(label=_("Meeting held on (Jalali)"))
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeetingRemoveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for removing the meeting"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
