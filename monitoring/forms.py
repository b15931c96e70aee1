"""What applicants and staff type for monitoring: the report, the decision, visits, the queue's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from greenjobs import uploads
from greenjobs.forms import BootstrapFormMixin, JalaliDateField, LocalDecimalField
from greenjobs.text import fold_digits
from incentives.models import LoanScheme
from programs.models import County, GreenOccupation

from .models import (
    CHECKLIST,
    CHECKLIST_ANSWERS,
    STAFF_STATUSES,
    DecisionKind,
    EvidenceKind,
    Flag,
    RoundStatus,
)


class QueueFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    flag = forms.ChoiceField(label=_("Flag"), required=False)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    late = forms.BooleanField(label=_("Only those past their deadline"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Everything waiting for MCLS"))] + [
            (status, RoundStatus(status).label) for status in STAFF_STATUSES
        ]
        self.fields["flag"].choices = [("", _("Any flag")), *Flag.choices]
        self.fields["scheme"].choices = [("", _("All schemes"))] + [
            (scheme.code, f"{scheme.code} · {scheme.title}") for scheme in LoanScheme.objects.order_by("code")
        ]
        self.fields["county"].choices = [("", _("All counties"))] + [
            (county.code, county.name) for county in County.objects.order_by("order")
        ]

    def filters(self) -> dict:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {key: value for key, value in cleaned.items() if value not in ("", None, False)}


class WorkshopForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Insurance workshop code"),
        max_length=20,
        help_text=_("The 10-digit code of the business's workshop at the social security organisation."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_workshop_%s")
        super().__init__(*args, **kwargs)


class EmployeeForm(BootstrapFormMixin, forms.Form):
    national_id = forms.CharField(
        label=_("National ID"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Full name"), max_length=200)
    occupation = forms.ModelChoiceField(label=_("Green occupation"), queryset=GreenOccupation.objects.none())
    started_on = JalaliDateField(label=_("Started on"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_employee_%s")
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = GreenOccupation.objects.filter(is_active=True).order_by("code")

    def clean_national_id(self):
        return fold_digits(self.cleaned_data["national_id"]).strip()


class EvidenceForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=EvidenceKind.choices)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_evidence_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = uploads.document_help_text()


class DecisionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices, widget=forms.RadioSelect)
    new_deadline = JalaliDateField(
        label=_("New deadline (warning)"),
        required=False,
        help_text=_("The promised jobs must be filled by then."),
    )
    new_rate = LocalDecimalField(
        label=_("New annual interest rate, % (changed rate)"),
        required=False,
        min_value=0,
        max_value=50,
        max_digits=5,
        decimal_places=2,
    )
    recall_due_on = JalaliDateField(label=_("Recalled amount due on (recall)"), required=False)
    reason = forms.CharField(
        label=_("Reason (the applicant reads it)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_status = forms.ChoiceField(choices=RoundStatus.choices, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_decision_%s")
        super().__init__(*args, **kwargs)


class VisitPlanForm(BootstrapFormMixin, forms.Form):
    due_on = JalaliDateField(label=_("Visit by"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_visit_plan_%s")
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class VisitRecordForm(BootstrapFormMixin, forms.Form):
    visited_on = JalaliDateField(label=_("Visited on"))
    findings = forms.CharField(label=_("Findings"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleFileField(label=_("Photos"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_visit_%s")
        super().__init__(*args, **kwargs)
        for key, label in CHECKLIST:
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=label, choices=CHECKLIST_ANSWERS, initial="unseen", widget=forms.RadioSelect
            )
        self.fields["photos"].help_text = uploads.document_help_text()

    def checklist(self) -> dict:
        return {key: self.cleaned_data.get(f"check_{key}") for key, _label in CHECKLIST}

    def checklist_fields(self):
        return [self[f"check_{key}"] for key, _label in CHECKLIST]
