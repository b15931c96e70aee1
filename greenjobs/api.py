"""What every app's API shares: the error handler, service calls, bounded integer filters, id lookups,
pagination, and the document actions of anything that holds uploaded documents.

Integers reach the database from a query string or a path. A value beyond the 64-bit range a
database column holds is a server error on SQLite (OverflowError) and a lost comparison on
PostgreSQL; bounding every integer here, once, turns it into a 400 or a 404 instead.
"""

import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import pagination, serializers, status
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from . import uploads
from .exceptions import DomainError
from .jalali import JalaliDateError, parse_date
from .paging import CheapPaginator
from .text import fold_digits

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
# A path id of at most 18 digits always fits a 64-bit column; a longer one matches no route (404).
ID_PATTERN = "[0-9]{1,18}"


# Sub-resources and actions are neither filtered nor paginated.
PLAIN = {"filter_backends": [], "pagination_class": None}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status_code)
    return drf_exception_handler(exc, context)


def run_service(service, /, *, error_field: str = api_settings.NON_FIELD_ERRORS_KEY, **kwargs):
    """Calls a service; its Django ValidationError becomes a 400 with the errors per field.

    An error without a field (a file refused by its content, say) is reported under `error_field`.
    """
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            detail = {
                (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {error_field: exc.messages}
        raise serializers.ValidationError(detail) from exc


class AnyAccept(BaseContentNegotiation):
    """Downloads answer whatever the client accepts; errors are still rendered as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return (renderers[0], renderers[0].media_type)


def document_actions(*, serializer, upload_serializer, upload, owner_argument: str, uploader: str):
    """A viewset mixin: `documents` (GET the list, POST an upload) and `documents/<id>/download`.

    The viewset gives `document_owner()`: the object whose `documents` the caller may see, or Http404
    (so "not yours" and "no such thing" answer alike). An upload goes through the service `upload`,
    called with the owner's id as `owner_argument`, the actor, the kind and the file; `uploader` names
    who may upload, for the schema.
    """

    class DocumentActions:
        def document_owner(self):
            # Each viewset says whose documents these are; without it the actions cannot be served.
            raise ImproperlyConfigured(f"{type(self).__name__} must define document_owner()")

        @extend_schema(methods=["GET"], responses=serializer(many=True), summary="Documents (metadata)")
        @extend_schema(
            methods=["POST"],
            request={"multipart/form-data": upload_serializer},
            responses={201: serializer},
            summary=f"Upload a PDF, JPEG or PNG document ({uploader})",
        )
        @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser], **PLAIN)
        def documents(self, request, pk=None):
            owner = self.document_owner()
            context = self.get_serializer_context()
            if request.method == "POST":
                form = upload_serializer(data=request.data)
                form.is_valid(raise_exception=True)
                document = run_service(
                    upload,
                    error_field="file",
                    **{owner_argument: owner.pk},
                    actor=request.user,
                    kind=form.validated_data["kind"],
                    uploaded=form.validated_data["file"],
                )
                return Response(serializer(document, context=context).data, status=status.HTTP_201_CREATED)
            documents = owner.documents.order_by("uploaded_at", "pk")
            return Response(serializer(documents, many=True, context=context).data)

        @extend_schema(
            responses={
                (200, "application/octet-stream"): OpenApiResponse(
                    OpenApiTypes.BINARY, description="The stored file"
                ),
                404: OpenApiResponse(description="No such document, or not for this caller"),
            },
            summary="Download a document",
        )
        @action(
            detail=True,
            methods=["get"],
            url_path=rf"documents/(?P<document_id>{ID_PATTERN})/download",
            url_name="document-download",
            content_negotiation_class=AnyAccept,
            **PLAIN,
        )
        def document_download(self, request, pk=None, document_id=None):
            document = self.document_owner().documents.filter(pk=document_id).first()
            if document is None:
                raise Http404
            return uploads.document_response(document)

    return DocumentActions


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
    a page past the end is a 404 and a page size is capped.

    The count follows the portal's one rule (greenjobs.paging): exact up to a limit, beyond it an
    estimate, and then `count_is_estimate` is true.
    """

    django_paginator_class = CheapPaginator
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.count_is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["required"] = [*schema["required"], "count_is_estimate"]
        schema["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "True when `count` is an estimate (a large list): the table's size from the "
            "database's statistics, or the limit of exact counting when more rows match.",
        }
        return schema


class JalaliOrIsoDateField(forms.DateField):
    """Accepts 2025-04-04 as well as 1404/01/15, in any digits: the portal's one date reader."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                return parse_date(value)
            except JalaliDateError as exc:
                raise forms.ValidationError(str(exc), code="invalid") from exc
        if value in self.empty_values or isinstance(value, datetime.date):
            return super().to_python(value)
        # A JSON number, true, a list: no date anyone writes, and no string for Django's reader to strip.
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class JalaliOrIsoDateFilter(filters.DateFilter):
    field_class = JalaliOrIsoDateField
