"""Training API filters. They only parse and validate the query string; the selectors apply them, so the API
and the pages filter with one and the same code."""

import jdatetime
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from greenjobs.api import FilterSet, IntegerFilter, JalaliOrIsoDateFilter

from .. import selectors
from ..forms.catalogue import SCOPE_CHOICES
from ..models import Audience, AwarenessActivity, Certificate, Course, Enrolment, Session, TrainingCentre
from ..permissions import can_manage_training
from ..selectors import activities as selectors_activities
from ..selectors import certificates as selectors_certificates

CERTIFICATE_STATUS_CHOICES = [
    (selectors_certificates.STATUS_VALID, _("Valid")),
    (selectors_certificates.STATUS_REVOKED, _("Revoked")),
]


# A year the Jalali calendar can turn into Gregorian dates, up to the start of the next one.
JALALI_YEAR = {"min_value": jdatetime.MINYEAR, "max_value": jdatetime.MAXYEAR - 1}


def _wanted(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "", [])}


class TrainingCentreFilter(FilterSet):
    county = filters.CharFilter(field_name="county__code", label=_("County code"))
    kind = filters.ChoiceFilter(choices=TrainingCentre.Kind.choices)

    class Meta:
        model = TrainingCentre
        fields = ["county", "kind"]


class CourseFilter(FilterSet):
    occupation = filters.CharFilter(field_name="occupation__code", label=_("Occupation code"))
    audience = filters.ChoiceFilter(choices=Audience.choices)

    class Meta:
        model = Course
        fields = ["occupation", "audience"]


class SessionFilter(FilterSet):
    # Plain numbers and codes, not model choices: an unknown one filters to nothing, it is no 400.
    course = IntegerFilter(label=_("Course id"))
    centre = IntegerFilter(label=_("Centre id"))
    occupation = filters.CharFilter(label=_("Occupation code"))
    county = filters.CharFilter(label=_("County code"))
    audience = filters.ChoiceFilter(choices=Audience.choices)
    starts_from = JalaliOrIsoDateFilter(label=_("Starts on or after (ISO or Jalali date)"))
    starts_to = JalaliOrIsoDateFilter(label=_("Starts on or before (ISO or Jalali date)"))
    scope = filters.ChoiceFilter(
        choices=SCOPE_CHOICES,
        help_text="TVTO staff only: which sessions to list (default: upcoming). Ignored for anyone else.",
    )

    class Meta:
        model = Session
        fields = []

    def filter_queryset(self, queryset):
        wanted = _wanted(self.form)
        scope = wanted.pop("scope", "upcoming")
        if can_manage_training(self.request.user):
            return selectors.staff_sessions(filters=wanted, scope=scope)
        return selectors.upcoming_sessions(filters=wanted)


class EnrolmentFilter(FilterSet):
    session = IntegerFilter(field_name="session_id")
    status = filters.ChoiceFilter(choices=Enrolment.Status.choices)
    passed = filters.BooleanFilter()

    class Meta:
        model = Enrolment
        fields = []


class CertificateFilter(FilterSet):
    q = filters.CharFilter(label=_("Serial, national ID, standard code or the holder's name"))
    status = filters.ChoiceFilter(choices=CERTIFICATE_STATUS_CHOICES)
    course = IntegerFilter(label=_("Course id"))
    year = IntegerFilter(label=_("Jalali year of issue"), **JALALI_YEAR)

    class Meta:
        model = Certificate
        fields = []

    def filter_queryset(self, queryset):
        return selectors_certificates.certificates_for(self.request.user, _wanted(self.form))


class AwarenessActivityFilter(FilterSet):
    agency = filters.CharFilter(label=_("Agency code"))
    kind = filters.ChoiceFilter(choices=AwarenessActivity.Kind.choices)
    audience = filters.ChoiceFilter(choices=Audience.choices)
    county = filters.CharFilter(label=_("County code"))
    year = IntegerFilter(label=_("Jalali year held"), **JALALI_YEAR)

    class Meta:
        model = AwarenessActivity
        fields = []

    def filter_queryset(self, queryset):
        return selectors_activities.activity_list(filters=_wanted(self.form))
