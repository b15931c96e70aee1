"""API filters. They only parse and validate the query string; the selectors apply them, so the API
and the staff pages filter with one and the same code."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from greenjobs.api import FilterSet, IntegerFilter, JalaliOrIsoDateFilter

from .. import selectors
from ..forms.search import SearchField
from ..models import Assessment, Business, GreenOccupation, OccupationKind, RegistrationStatus, Sector


class SearchFilter(filters.CharFilter):
    """The pages' search box: a text too long to be a search is a 400, not an ignored filter."""

    field_class = SearchField


class BusinessFilter(FilterSet):
    """The staff queue's filters."""

    q = SearchFilter(label=_("Search by name, address or national business ID"))
    status = filters.ChoiceFilter(choices=RegistrationStatus.choices)
    sector = filters.ChoiceFilter(choices=Sector.choices)
    county = filters.CharFilter(label=_("County code"))
    verified_kind = filters.ChoiceFilter(choices=OccupationKind.choices)
    knowledge_based = filters.BooleanFilter()
    submitted_from = JalaliOrIsoDateFilter(label=_("Submitted on or after (ISO or Jalali date)"))
    submitted_to = JalaliOrIsoDateFilter(label=_("Submitted on or before (ISO or Jalali date)"))
    ready = filters.BooleanFilter(label=_("Only what is ready for my decision"))

    class Meta:
        model = Business
        fields = []

    def filter_queryset(self, queryset):
        # The incoming queryset is business_list() without filters; asking the selector again with
        # the filters keeps a single definition of what each filter means.
        wanted = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        return selectors.business_list(user=self.request.user, filters=wanted)


class OccupationFilter(FilterSet):
    q = SearchFilter(label=_("Search the catalogue (Persian or English)"))
    sector = filters.ChoiceFilter(choices=Sector.choices)
    kind = filters.ChoiceFilter(choices=OccupationKind.choices)

    class Meta:
        model = GreenOccupation
        fields = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.occupations(
            query=data.get("q") or "", sector=data.get("sector") or "", kind=data.get("kind") or ""
        )


class AssessmentFilter(FilterSet):
    # A plain number, not a model choice: an unknown or hidden business filters to nothing, it is no 400.
    business = IntegerFilter(field_name="business_id")
    status = filters.ChoiceFilter(choices=Assessment.Status.choices)

    class Meta:
        model = Assessment
        fields = ["business", "status"]
