from django_filters import rest_framework as filters
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from greenjobs.api import ID_PATTERN, FilterSet

from .. import selectors
from ..models import Agency, Goal
from .serializers import AgencySerializer, GoalSerializer


class AgencyFilter(FilterSet):
    code = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Agency
        fields = ["code"]


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The memorandum's signatories and what each undertook. Public."""

    serializer_class = AgencySerializer
    permission_classes = [AllowAny]
    filterset_class = AgencyFilter
    ordering_fields = ["order", "code"]
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]+"

    def get_queryset(self):
        return selectors.agencies_with_obligations()


class GoalFilter(FilterSet):
    code = filters.CharFilter(lookup_expr="iexact")
    agency = filters.CharFilter(field_name="obligations__agency__code", lookup_expr="iexact", distinct=True)

    class Meta:
        model = Goal
        fields = ["code", "agency"]


class GoalViewSet(viewsets.ReadOnlyModelViewSet):
    """The memorandum's goals G1–G6 in Persian and English. Public."""

    serializer_class = GoalSerializer
    permission_classes = [AllowAny]
    filterset_class = GoalFilter
    ordering_fields = ["order", "code"]
    lookup_value_regex = ID_PATTERN
    queryset = Goal.objects.select_related("memorandum").order_by("memorandum", "order")
