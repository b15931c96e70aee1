from django import forms
from django.utils.translation import gettext_lazy as _

from greenjobs.forms import BootstrapFormMixin

from ..models import Course
from .activities import jalali_year_choices


class CertificateFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Serial, national ID, standard code or the holder's name"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("valid", _("Valid")), ("revoked", _("Revoked"))],
    )
    course = forms.TypedChoiceField(label=_("Course"), required=False, coerce=int, empty_value=None)
    year = forms.ChoiceField(label=_("Year of issue"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", _("All courses"))] + [
            (course.pk, f"{course.standard_code} · {course.title}")
            for course in Course.objects.order_by("standard_code")
        ]
        self.fields["year"].choices = jalali_year_choices(_("All years"))

    def filters(self) -> dict:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {key: value for key, value in cleaned.items() if value not in ("", None)}


class RevokeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The public verification page shows this reason."),
    )


class VerifyForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            dir="ltr", autocomplete="off", autocapitalize="off", spellcheck="false"
        )
