from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from greenjobs import uploads
from greenjobs.forms import BootstrapFormMixin, JalaliDateField, LocalDecimalField, ModelForm
from greenjobs.text import fold_digits

from ..models import (
    Business,
    County,
    DocumentKind,
    GreenOccupation,
    OccupationKind,
    RegistrationStatus,
    RequirementCategory,
    Sector,
    registration_rules,
)
from .search import SearchField


class IdentityForm(BootstrapFormMixin, ModelForm):
    """Step 1: who the enterprise is."""

    knowledge_based_as_of = JalaliDateField(label=_("Knowledge-based status as of"), required=False)
    knowledge_based_expires_on = JalaliDateField(
        label=_("Knowledge-based certificate expires on"), required=False
    )

    class Meta:
        model = Business
        fields = [
            "legal_name", "national_business_id", "legal_form", "sector", "is_knowledge_based",
            "knowledge_based_number", "knowledge_based_as_of", "knowledge_based_expires_on",
        ]  # fmt: skip
        widgets = {"national_business_id": forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Drafts may be saved half-filled; completeness is checked when the applicant submits.
        for name, field in self.fields.items():
            field.required = name == "legal_name"
        self.fields["national_business_id"].validators = []
        self.fields["national_business_id"].max_length = 20


class LocationForm(BootstrapFormMixin, ModelForm):
    """Step 2: where it is and how many people work there."""

    class Meta:
        model = Business
        fields = ["county", "address", "postal_code", "employees_total"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "postal_code": forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.order_by("order")
        for field in self.fields.values():
            field.required = False
        employees = self.fields["employees_total"]
        # The registry's own bound, in its own words, instead of the column's (2,147,483,647).
        employees.validators = [
            *(v for v in employees.validators if not isinstance(v, MaxValueValidator)),
            registration_rules.validate_employees_total,
        ]

    def clean_postal_code(self):
        value = fold_digits(self.cleaned_data.get("postal_code") or "").replace("-", "").strip()
        if value and (not value.isdigit() or len(value) != 10):
            raise forms.ValidationError(_("A postal code has 10 digits."))
        return value


class GreenJobForm(BootstrapFormMixin, forms.Form):
    occupation = forms.ModelChoiceField(label=_("Green occupation"), queryset=GreenOccupation.objects.none())
    holder_name = forms.CharField(label=_("Employee's full name"), max_length=200)
    holder_national_id = forms.CharField(label=_("Employee's national ID"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = GreenOccupation.objects.filter(is_active=True).order_by("code")
        self.fields["holder_national_id"].widget.attrs.update(dir="ltr", inputmode="numeric")


class DocumentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = uploads.document_help_text()


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    expected_status = forms.ChoiceField(choices=RegistrationStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    verified_kind = forms.ChoiceField(
        label=_("Verified as"), choices=[("", "—"), *OccupationKind.choices], required=False
    )


class AssessmentItemForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Requirement"), choices=RequirementCategory.choices)
    description = forms.CharField(label=_("What was checked"), max_length=300)
    baseline = LocalDecimalField(
        label=_("Baseline per year"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    current = LocalDecimalField(
        label=_("Current per year"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    compliant = forms.TypedChoiceField(
        label=_("Meets the requirement"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        initial="yes",
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReadyForm(BootstrapFormMixin, forms.Form):
    summary = forms.CharField(label=_("Summary for the reviewer"), widget=forms.Textarea(attrs={"rows": 3}))


class QueueFilterForm(BootstrapFormMixin, forms.Form):
    q = SearchField()
    status = forms.ChoiceField(label=_("Status"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    verified_kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OccupationKind.choices]
    )
    knowledge_based = forms.ChoiceField(
        label=_("Knowledge-based"),
        required=False,
        choices=[("", _("All")), ("yes", _("Knowledge-based only")), ("no", _("Not knowledge-based"))],
    )
    submitted_from = JalaliDateField(label=_("Submitted from"), required=False)
    submitted_to = JalaliDateField(label=_("Submitted to"), required=False)
    ready = forms.BooleanField(label=_("Only what is ready for my decision"), required=False)

    def __init__(self, *args, statuses=None, with_ready=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_ready:
            # The registry other agencies read has nothing for them to act on.
            del self.fields["ready"]
        statuses = statuses or RegistrationStatus.choices
        self.fields["status"].choices = [("", _("All statuses")), *statuses]
        self.fields["county"].choices = [("", _("All counties"))] + [
            (county.code, county.name) for county in County.objects.order_by("order")
        ]
