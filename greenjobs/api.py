"""What every app's API shares: the error handler, bounded integer filters, id lookups and pagination.

Integers reach the database from a query string or a path. A value beyond the 64-bit range a
database column holds is a server error on SQLite (OverflowError) and a lost comparison on
PostgreSQL; bounding every integer here, once, turns it into a 400 or a 404 instead.
"""

from django import forms
from django.db import models
from django_filters import rest_framework as filters
from rest_framework import pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import DomainError
from .text import fold_digits

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
# A path id of at most 18 digits always fits a 64-bit column; a longer one matches no route (404).
ID_PATTERN = "[0-9]{1,18}"


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status_code)
    return drf_exception_handler(exc, context)


class BoundedIntegerField(forms.IntegerField):
    """An integer in any digits (۱۲, ١٢, 12), within what a 64-bit database column can hold."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        min_value = INT64_MIN if min_value is None else max(min_value, INT64_MIN)
        max_value = INT64_MAX if max_value is None else min(max_value, INT64_MAX)
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = fold_digits(value)
        return super().to_python(value)


class IntegerFilter(filters.NumberFilter):
    """A whole number (an id, a year, a count); pass min_value/max_value for a narrower range."""

    field_class = BoundedIntegerField


_INTEGER_FILTER = {"filter_class": IntegerFilter}


class FilterSet(filters.FilterSet):
    """The base of every API filter set: the integer filters it builds from model fields are bounded.

    Related objects need nothing more: their lookup by primary key already finds nothing for an
    out-of-range id, and the filter answers 400.
    """

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.AutoField: _INTEGER_FILTER,
        models.BigAutoField: _INTEGER_FILTER,
        models.SmallAutoField: _INTEGER_FILTER,
        models.IntegerField: _INTEGER_FILTER,
        models.BigIntegerField: _INTEGER_FILTER,
        models.SmallIntegerField: _INTEGER_FILTER,
        models.PositiveIntegerField: _INTEGER_FILTER,
        models.PositiveBigIntegerField: _INTEGER_FILTER,
        models.PositiveSmallIntegerField: _INTEGER_FILTER,
    }


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of the API's lists. ?page and ?page_size are read by int(), which takes Persian digits too;
    a page past the end is a 404 and a page size is capped."""

    page_size_query_param = "page_size"
    max_page_size = 100
