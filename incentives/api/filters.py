"""Loans API filters. They only parse and validate the query string; the selectors apply them, so the API
and the staff pages filter with one and the same code."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from greenjobs.api import FilterSet

from .. import selectors
from ..models import LoanApplication, Stage


class LoanApplicationFilter(FilterSet):
    stage = filters.MultipleChoiceFilter(choices=Stage.choices)
    scheme = filters.CharFilter(help_text="Scheme code")
    county = filters.CharFilter(label=_("County code"))
    q = filters.CharFilter(label=_("Search by name, address or national business ID"))
    ready = filters.BooleanFilter(label=_("Only what is ready for my decision"))

    class Meta:
        model = LoanApplication
        fields = []

    def filter_queryset(self, queryset):
        # The incoming queryset is application_list() without filters; asking the selector again with
        # the filters keeps a single definition of what each filter means.
        wanted = {
            name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", [])
        }
        return selectors.application_list(user=self.request.user, filters=wanted)
