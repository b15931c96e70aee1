"""What MCLS and DOE staff type: queue filters, stage moves, contracts, money in and out, and schemes."""

import copy
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenjobs.formats import format_number
from greenjobs.forms import BootstrapFormMixin, JalaliDateField, ModelForm, RialField
from greenjobs.text import fold_digits
from programs.models import County

from ..models import LoanScheme, Stage
from ..services import schemes as scheme_services
from ..validators import normalize_scheme_code, validate_portal_date
from ..workflow import MOVES


def new_request_key() -> str:
    """A fresh key each time a money form is rendered: submitting that rendered form twice records once."""
    return uuid.uuid4().hex


class RequestKeyField(forms.RegexField):
    def __init__(self, **kwargs):
        super().__init__(
            regex=r"^[0-9A-Za-z_-]{16,64}$", widget=forms.HiddenInput, initial=new_request_key, **kwargs
        )


# --- the queue --------------------------------------------------------------------------------------------


class QueueFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    ready = forms.BooleanField(label=_("Only what is ready for my decision"), required=False)

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"placeholder": _("Business name or ID"), "autocomplete": "off"})
        self.fields["stage"].choices = [("", _("All my stages")), *((s, Stage(s).label) for s in stages)]
        self.fields["scheme"].choices = [("", _("All schemes"))] + [
            (scheme.code, f"{scheme.code} · {scheme.title}") for scheme in LoanScheme.objects.order_by("code")
        ]
        self.fields["county"].choices = [("", _("All counties"))] + [
            (county.code, county.name) for county in County.objects.order_by("order")
        ]

    def filters(self) -> dict:
        """The valid filters only: a mistyped field is shown as an error without dropping the others."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {key: value for key, value in cleaned.items() if value not in ("", None)}


# --- moves on an application ------------------------------------------------------------------------------


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in MOVES], widget=forms.HiddenInput)
    # The stage the page showed; when someone else moved the application meanwhile, the service refuses.
    expected_stage = forms.ChoiceField(choices=Stage.choices, required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (the applicant reads it)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class ContractForm(BootstrapFormMixin, forms.Form):
    contract_number = forms.CharField(label=_("Contract number"), max_length=40)
    contracted_on = JalaliDateField(label=_("Contract date"), validators=[validate_portal_date])
    operation_starts_on = JalaliDateField(
        label=_("Operation starts on"),
        required=False,
        validators=[validate_portal_date],
        help_text=_("Needed when the scheme's grace period runs from the start of operation."),
    )

    def __init__(self, *args, **kwargs):
        # The ids the staff panel gives it, so a form shown again after an error is the same form.
        kwargs.setdefault("auto_id", "id_contract_%s")
        super().__init__(*args, **kwargs)
        self.fields["contract_number"].widget.attrs["dir"] = "ltr"

    def clean_contract_number(self):
        return fold_digits(self.cleaned_data["contract_number"]).strip()


class DisbursementForm(BootstrapFormMixin, forms.Form):
    amount = RialField(label=_("Amount (Rial)"), min_value=1)
    paid_on = JalaliDateField(
        label=_("Paid on"), initial=timezone.localdate, validators=[validate_portal_date]
    )
    request_key = RequestKeyField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_disburse_%s")
        super().__init__(*args, **kwargs)


class PaymentForm(BootstrapFormMixin, forms.Form):
    amount = RialField(label=_("Amount (Rial)"), min_value=1)
    paid_on = JalaliDateField(
        label=_("Paid on"), initial=timezone.localdate, validators=[validate_portal_date]
    )
    reference = forms.CharField(label=_("Bank reference"), max_length=60)
    request_key = RequestKeyField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_payment_%s")
        super().__init__(*args, **kwargs)
        self.fields["reference"].widget.attrs["dir"] = "ltr"

    def clean_reference(self):
        return fold_digits(self.cleaned_data["reference"]).strip()


# --- schemes ----------------------------------------------------------------------------------------------


MONITORING_FIELDS = ("monitoring_months", "min_insured_days", "shortfall_tolerance", "report_days")


class SchemeForm(BootstrapFormMixin, ModelForm):
    """Everything about a scheme except the running totals, which only approvals and payments change."""

    budget = RialField(label=_("Budget (Rial)"))
    max_amount = RialField(label=_("Maximum per application (Rial)"), min_value=1)
    min_amount = RialField(label=_("Minimum per application (Rial)"), initial=0)
    opens_on = JalaliDateField(label=_("Applications open on"), validators=[validate_portal_date])
    closes_on = JalaliDateField(label=_("Applications close on"), validators=[validate_portal_date])
    priority_counties = forms.ModelMultipleChoiceField(
        label=_("Priority counties"),
        queryset=County.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Applications from these counties get the county part of the priority score."),
    )

    class Meta:
        model = LoanScheme
        fields = [
            "code", "title_fa", "title_en", "description_fa", "description_en", "budget", "max_amount",
            "min_amount", "interest_rate", "term_months", "grace_months", "grace_starts", "grace_interest",
            "opens_on", "closes_on", "requires_verified_registration", "weight_knowledge_based",
            "weight_jobs_per_rial", "weight_environment", "weight_county", "priority_counties",
            "monitoring_months", "min_insured_days", "shortfall_tolerance", "report_days", "is_published",
        ]  # fmt: skip
        widgets = {
            "code": forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "characters"}),
            "title_fa": forms.TextInput(attrs={"dir": "rtl", "lang": "fa"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "description_fa": forms.Textarea(attrs={"rows": 4, "dir": "rtl", "lang": "fa"}),
            "description_en": forms.Textarea(attrs={"rows": 4, "dir": "ltr", "lang": "en"}),
        }
        help_texts = {
            "weight_knowledge_based": _(
                "The four weights must add up to 100: they are the shares of the 100-point priority score."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority_counties"].queryset = County.objects.order_by("order")
        for name in ("interest_rate", "term_months", "grace_months", "monitoring_months"):
            self.fields[name].widget.attrs["dir"] = "ltr"
        for name in MONITORING_FIELDS:
            # Left empty, the scheme keeps what it has (a new one, the defaults of the model).
            self.fields[name].required = False

    def _clean_fields(self):
        super()._clean_fields()
        for name in MONITORING_FIELDS:
            if name in self.cleaned_data and self.cleaned_data[name] in (None, ""):
                self.cleaned_data[name] = getattr(self.instance, name)

    def clean_code(self):
        # Stored as the service stores it, so the model's format check reads what will be saved.
        return normalize_scheme_code(self.cleaned_data["code"])

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        # The service checks this again under the scheme's lock; here it only gives the clear message early.
        if self.instance.pk and budget < self.instance.committed:
            raise forms.ValidationError(
                _("The budget cannot go below what is already committed (%(committed)s Rials).")
                % {"committed": format_number(self.instance.committed)}
            )
        return budget

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            # The rules between fields are read once every field holds a value.
            return cleaned
        # The service's own rules, on a copy: the stored scheme changes only through the service.
        draft = copy.copy(self.instance)
        scheme_services.apply_fields(draft, cleaned)
        for field, messages in scheme_services.scheme_rule_errors(draft).items():
            # The weights' total is shown where the form explains the weights; that field also stands for
            # the database's check of the total, which the model form then leaves to this message.
            target = field if field in self.fields else "weight_knowledge_based"
            for message in messages:
                self.add_error(target, message)
        return cleaned

    def validate_unique(self):
        # The service checks the code after normalising it (gl1404 and GL1404 are one code).
        pass

    def service_data(self) -> tuple[dict, list]:
        data = dict(self.cleaned_data)
        return data, list(data.pop("priority_counties", []) or [])
