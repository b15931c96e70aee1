"""What managers type for joint initiatives and G6 projects; the services check and save it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Goal
from greenjobs.formats import format_money
from greenjobs.forms import (
    BootstrapFormMixin,
    JalaliDateField,
    LocalDecimalField,
    LocalIntegerField,
    ModelForm,
    RialField,
)
from greenjobs.templatetags.portal import digits, quantity

from ..models import Bid, Initiative, Project


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.title}"


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _lead_field(form, can_choose_lead: bool, own_agency) -> None:
    """Only a programme manager picks the lead agency; a manager's own agency is shown, fixed."""
    field = form.fields["lead_agency"]
    if not can_choose_lead:
        field.disabled = True
        field.required = False
        if own_agency is not None and not form.initial.get("lead_agency"):
            form.initial["lead_agency"] = own_agency.pk
        field.help_text = _("An agency manager records what their own agency leads.")


# --- initiatives --------------------------------------------------------------------------------------------


class InitiativeForm(BootstrapFormMixin, ModelForm):
    lead_agency = AgencyChoiceField(label=_("Lead agency"), queryset=Agency.objects.order_by("order"))
    partners = AgencyMultipleChoiceField(
        label=_("Partner agencies"),
        queryset=Agency.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals = GoalChoiceField(
        label=_("Goals of the memorandum served"),
        queryset=Goal.objects.order_by("order"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one goal of the memorandum that this initiative serves.")
        },
    )
    budget = RialField(label=_("Budget (Rial)"))
    starts_on = JalaliDateField(label=_("Starts on"))
    ends_on = JalaliDateField(label=_("Ends on"))

    class Meta:
        model = Initiative
        fields = [
            "title_fa", "title_en", "description", "lead_agency", "partners", "goals", "budget",
            "starts_on", "ends_on",
        ]  # fmt: skip
        widgets = {
            "title_fa": forms.TextInput(attrs={"dir": "rtl", "lang": "fa"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, can_choose_lead: bool = True, own_agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        _lead_field(self, can_choose_lead, own_agency)

    def _post_clean(self):
        # The service validates the model (and says it better); the form only turns text into values.
        pass

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if self.fields["lead_agency"].disabled:
            data.pop("lead_agency", None)
        return data


class MilestoneForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=250)
    due_on = JalaliDateField(label=_("Due on"))


class MilestoneCompleteForm(BootstrapFormMixin, forms.Form):
    completed_on = JalaliDateField(label=_("Done on"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"completed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class InitiativeFilterForm(BootstrapFormMixin, forms.Form):
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    goal = forms.ChoiceField(label=_("Goal"), required=False)
    late = forms.BooleanField(label=_("Only with late milestones"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [
            ("", _("All agencies")),
            *((a.code, a.short_name) for a in Agency.objects.order_by("order")),
        ]
        self.fields["goal"].choices = [
            ("", _("All goals")),
            *((g.code, f"{g.code} · {g.title}") for g in Goal.objects.order_by("order")),
        ]

    def filters(self) -> dict:
        """The valid filters; an unknown value in the address is ignored rather than an error."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in ("agency", "goal", "late") if cleaned.get(name)}


# --- projects -----------------------------------------------------------------------------------------------


class ProjectForm(BootstrapFormMixin, ModelForm):
    lead_agency = AgencyChoiceField(label=_("Lead agency"), queryset=Agency.objects.order_by("order"))
    estimated_value = RialField(label=_("Estimated value (Rial)"))
    bids_close_on = JalaliDateField(label=_("Bids close on"))
    weight_price = LocalIntegerField(label=_("Weight: price"), min_value=0, max_value=100)
    weight_technical = LocalIntegerField(label=_("Weight: technical score"), min_value=0, max_value=100)
    weight_knowledge_based = LocalIntegerField(label=_("Weight: knowledge-based"), min_value=0, max_value=100)

    class Meta:
        model = Project
        fields = [
            "title_fa", "title_en", "description", "lead_agency", "estimated_value", "bids_close_on",
            "weight_price", "weight_technical", "weight_knowledge_based",
        ]  # fmt: skip
        widgets = {
            "title_fa": forms.TextInput(attrs={"dir": "rtl", "lang": "fa"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "weight_price": _("The ranking scales the three weights so they add up to 100."),
        }

    def __init__(self, *args, can_choose_lead: bool = True, own_agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        _lead_field(self, can_choose_lead, own_agency)

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if self.fields["lead_agency"].disabled:
            data.pop("lead_agency", None)
        return data


class BidForm(BootstrapFormMixin, ModelForm):
    amount = RialField(label=_("Bid amount (Rial)"), min_value=1)
    technical_score = LocalDecimalField(
        label=_("Technical score (0–100)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    knowledge_based_as_of = JalaliDateField(
        label=_("Knowledge-based status as of"),
        required=False,
        help_text=_(
            "The date the firm's knowledge-based status was confirmed. It counts in the ranking only "
            "if it is on or before the day bids close."
        ),
    )
    submitted_on = JalaliDateField(label=_("Submitted on"))

    class Meta:
        model = Bid
        fields = [
            "bidder", "national_business_id", "amount", "technical_score", "is_knowledge_based",
            "knowledge_based_as_of", "submitted_on",
        ]  # fmt: skip
        widgets = {"national_business_id": forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"submitted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def _post_clean(self):
        pass


class AwardForm(BootstrapFormMixin, forms.Form):
    bid = forms.TypedChoiceField(label=_("Winning bid"), coerce=int, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason for the award"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required. If the chosen bid is not the top-ranked one, say why."),
    )
    awarded_on = JalaliDateField(label=_("Awarded on"))

    def __init__(self, *args, rows=(), **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("awarded_on", timezone.localdate())
        if rows:
            initial.setdefault("bid", rows[0]["bid"].pk)
        super().__init__(*args, **kwargs)
        self.fields["bid"].choices = [(row["bid"].pk, _bid_label(row)) for row in rows]


class ProjectCancelForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required. The project page shows it."),
    )
    expected_status = forms.ChoiceField(choices=Project.Status.choices, widget=forms.HiddenInput)


def _bid_label(row) -> str:
    return _("%(rank)s. %(bidder)s · %(amount)s · score %(score)s") % {
        "rank": digits(row["rank"]),
        "bidder": row["bid"].bidder,
        "amount": format_money(row["bid"].amount),
        "score": quantity(row["score"]),
    }
