"""The applicant's forms: the loan application, the green jobs it creates, and its documents."""

from django import forms
from django.utils.translation import gettext_lazy as _

from greenjobs import uploads
from greenjobs.forms import BootstrapFormMixin, LocalDecimalField, LocalIntegerField, RialField
from programs.models import Business, GreenOccupation

from ..models import ApplicationDocument, LoanScheme


class BusinessChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.legal_name} ({obj.get_status_display()})"


class ApplicationDetailsForm(BootstrapFormMixin, forms.Form):
    """What the applicant may change while the application is a draft or returned for correction."""

    amount = RialField(
        label=_("Amount requested (Rial)"),
        min_value=1,
        help_text=_("In Rials; Persian or Latin digits, with or without separators."),
    )
    purpose = forms.CharField(
        label=_("What the loan is for"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    energy_saving_kwh = LocalDecimalField(
        label=_("Expected energy saving (kWh/year)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    water_saving_m3 = LocalDecimalField(
        label=_("Expected water saving (m³/year)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    materials_saving_t = LocalDecimalField(
        label=_("Expected raw-material saving (tonnes/year)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    waste_reduction_t = LocalDecimalField(
        label=_("Expected waste reduction (tonnes/year)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    commitments = forms.CharField(
        label=_("Environmental commitments"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you undertake to do for the environment; DOE reviews it."),
    )

    SAVINGS = ("energy_saving_kwh", "water_saving_m3", "materials_saving_t", "waste_reduction_t")

    def clean(self):
        cleaned = super().clean()
        # An empty saving is no saving: the service stores 0, not NULL.
        for name in self.SAVINGS:
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = 0
        return cleaned

    @classmethod
    def initial_from(cls, application) -> dict:
        return {name: getattr(application, name) for name in cls.base_fields}


class ApplicationForm(ApplicationDetailsForm):
    """A new application: the applicant's own business, the scheme, and the details."""

    business = BusinessChoiceField(label=_("Business"), queryset=Business.objects.none())
    scheme = forms.ModelChoiceField(
        label=_("Loan scheme"), queryset=LoanScheme.objects.none(), to_field_name="code"
    )

    field_order = ["business", "scheme", "amount"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # All of the applicant's businesses, verified or not: the eligibility check explains a refusal.
        self.fields["business"].queryset = Business.objects.filter(owner=user).order_by("legal_name", "pk")
        # Closed schemes stay choosable so the check can say why they cannot be used now.
        self.fields["scheme"].queryset = LoanScheme.objects.filter(is_published=True).order_by(
            "-opens_on", "code"
        )


class PlannedJobForm(BootstrapFormMixin, forms.Form):
    occupation = forms.ModelChoiceField(label=_("Green occupation"), queryset=GreenOccupation.objects.none())
    count = LocalIntegerField(
        label=_("Number of jobs"),
        min_value=0,
        max_value=32767,
        help_text=_("0 removes the occupation from the list."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = GreenOccupation.objects.filter(is_active=True).order_by("code")


class DocumentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=ApplicationDocument.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = uploads.document_help_text()
