from django import forms
from django.utils.translation import gettext_lazy as _

from greenjobs.forms import BootstrapFormMixin, JalaliDateField, LocalIntegerField, ModelForm
from programs.models import County, GreenOccupation

from ..models import Audience, Course, Session, TrainingCentre

SCOPE_CHOICES = [
    ("upcoming", _("Upcoming, open for enrolment")),
    ("all", _("All sessions")),
    *Session.Status.choices,
]


class SessionFilterForm(BootstrapFormMixin, forms.Form):
    """The catalogue's filters. A value that no longer matches a choice is dropped, not shown as an error."""

    course = forms.TypedChoiceField(label=_("Course"), required=False, coerce=int, empty_value=None)
    occupation = forms.ChoiceField(label=_("Green occupation"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    audience = forms.ChoiceField(label=_("Audience"), required=False)
    centre = forms.TypedChoiceField(label=_("Centre"), required=False, coerce=int, empty_value=None)
    starts_from = JalaliDateField(label=_("Starting from"), required=False)
    starts_to = JalaliDateField(label=_("Starting by"), required=False)
    scope = forms.ChoiceField(label=_("Sessions"), required=False, choices=SCOPE_CHOICES)

    FILTERS = ("course", "occupation", "county", "audience", "centre", "starts_from", "starts_to")

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        active_courses = Course.objects.filter(is_active=True).order_by("standard_code")
        self.fields["course"].choices = [("", _("All courses"))] + [
            (course.pk, str(course))
            for course in active_courses.only("standard_code", "title_fa", "title_en")
        ]
        occupations = GreenOccupation.objects.filter(courses__is_active=True).distinct().order_by("code")
        self.fields["occupation"].choices = [("", _("All occupations"))] + [
            (occupation.code, occupation.name) for occupation in occupations
        ]
        self.fields["county"].choices = [("", _("All counties"))] + [
            (county.code, county.name) for county in County.objects.order_by("order")
        ]
        self.fields["audience"].choices = [("", _("Everyone")), *Audience.choices]
        self.fields["centre"].choices = [("", _("All centres"))] + [
            (centre.pk, centre.name)
            for centre in TrainingCentre.objects.filter(is_active=True).order_by("county__order", "name_fa")
        ]
        if not staff:
            del self.fields["scope"]

    def filters(self) -> dict:
        """The valid filters only: a mistyped date shows its error without dropping the other filters."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned[name] for name in self.FILTERS if cleaned.get(name) not in (None, "")}

    def chosen_scope(self) -> str:
        if "scope" not in self.fields or not self.is_bound:
            return "upcoming"
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("scope") or "upcoming"


class CentreForm(BootstrapFormMixin, ModelForm):
    class Meta:
        model = TrainingCentre
        fields = [
            "name_fa",
            "name_en",
            "kind",
            "county",
            "address",
            "accreditation_number",
            "is_active",
            "signatory_name_fa",
            "signatory_name_en",
            "signatory_title_fa",
            "signatory_title_en",
        ]
        widgets = {
            "name_fa": forms.TextInput(attrs={"dir": "rtl", "lang": "fa"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "signatory_name_fa": forms.TextInput(attrs={"dir": "rtl", "lang": "fa"}),
            "signatory_name_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "signatory_title_fa": forms.TextInput(attrs={"dir": "rtl", "lang": "fa"}),
            "signatory_title_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "accreditation_number": forms.TextInput(attrs={"dir": "ltr"}),
        }
        help_texts = {
            "accreditation_number": _("For an accredited private institute: its TVTO accreditation number."),
            "is_active": _("Untick when the centre no longer runs courses. It is never deleted."),
            "signatory_title_fa": _("For example: رئیس مرکز آموزش فنی و حرفه‌ای."),
        }

    signature = forms.FileField(
        label=_("Signature image"),
        required=False,
        help_text=_("PNG or JPEG of the signatory's signature, on a white or transparent background."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.order_by("order")


class CourseForm(BootstrapFormMixin, ModelForm):
    class Meta:
        model = Course
        fields = [
            "standard_code", "title_fa", "title_en", "occupation", "hours", "audience", "description_fa",
            "description_en", "pass_mark", "min_attendance_percent", "is_active",
        ]  # fmt: skip
        widgets = {
            "standard_code": forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "characters"}),
            "title_fa": forms.TextInput(attrs={"dir": "rtl", "lang": "fa"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "description_fa": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "fa"}),
            "description_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "en"}),
        }
        help_texts = {
            "standard_code": _("The TVTO training standard the course follows, for example TS-7411-PV-01."),
            "pass_mark": _("Both the theory and the practical exam must reach this mark to pass."),
            "min_attendance_percent": _("Below this share of the meetings attended, a person does not pass."),
            "is_active": _("Untick to stop offering the course. It is never deleted."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        occupations = GreenOccupation.objects.filter(is_active=True)
        if self.instance.pk:
            occupations = occupations | GreenOccupation.objects.filter(pk=self.instance.occupation_id)
        self.fields["occupation"].queryset = occupations.distinct().order_by("code")

    def validate_unique(self):
        # The service checks the code after normalising it (ts-1 and TS-1 are one training standard).
        pass


class SessionForm(BootstrapFormMixin, forms.Form):
    """What TVTO types for a session; the service checks the dates and the seats against the enrolments."""

    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=TrainingCentre.objects.none())
    starts_on = JalaliDateField(label=_("Starts on"))
    ends_on = JalaliDateField(label=_("Ends on"))
    capacity = LocalIntegerField(
        label=_("Seats"), min_value=1, max_value=1000,
        help_text=_("When seats are added, the people on the wait list get them in the order they asked."),
    )  # fmt: skip
    instructor = forms.CharField(label=_("Instructor"), max_length=200)

    def __init__(self, *args, session: Session | None = None, **kwargs):
        if session is not None:
            kwargs.setdefault(
                "initial",
                {
                    "course": session.course_id, "centre": session.centre_id,
                    "starts_on": session.starts_on, "ends_on": session.ends_on,
                    "capacity": session.capacity, "instructor": session.instructor,
                },
            )  # fmt: skip
        super().__init__(*args, **kwargs)
        courses = Course.objects.filter(is_active=True)
        centres = TrainingCentre.objects.filter(is_active=True)
        if session is not None:
            courses = courses | Course.objects.filter(pk=session.course_id)
            centres = centres | TrainingCentre.objects.filter(pk=session.centre_id)
        self.fields["course"].queryset = courses.distinct().order_by("standard_code")
        self.fields["centre"].queryset = (
            centres.distinct().select_related("county").order_by("county__order", "name_fa")
        )
        self.fields["capacity"].widget.attrs.update(dir="ltr", inputmode="numeric")

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("A session cannot end before it starts."))
        return cleaned


class EmblemForm(BootstrapFormMixin, forms.Form):
    image = forms.FileField(
        label=_("Emblem"),
        help_text=_("PNG or JPEG; printed at the top of every certificate from now on."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
