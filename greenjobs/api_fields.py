"""API number and date fields that read what the portal's forms read, and refuse the rest with 400.

A JSON number is taken as it is; a string may use Persian or Arabic-Indic digits and thousands
separators, like a form field. Without a limit of its own, an integer is held to what a bigint column
stores, so an oversized one is a 400 here rather than a database error later.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .api import JalaliOrIsoDateField
from .numeric import BIGINT_MAX, NumberError, read_number


class LocalIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": _("Enter a whole number, in Persian or Latin digits.")}

    def __init__(self, **kwargs):
        if kwargs.get("max_value") is None:
            kwargs["max_value"] = BIGINT_MAX
        if kwargs.get("min_value") is None:
            kwargs["min_value"] = -BIGINT_MAX
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        if isinstance(data, float):
            if not data.is_integer():
                self.fail("invalid")
            return int(data)
        if isinstance(data, str):
            try:
                return int(read_number(data, decimals=False))
            except NumberError:
                self.fail("invalid")
        return data


class LocalDecimalField(serializers.DecimalField):
    default_error_messages = {
        "invalid": _("Enter a number, in Persian or Latin digits, with ٫ or . before any decimals.")
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        if isinstance(data, str):
            try:
                data = read_number(data, decimals=True)
            except NumberError:
                self.fail("invalid")
        return super().to_internal_value(data)


class PortalDateField(serializers.DateField):
    """A date written as ISO (2025-04-04) or Jalali (1404/01/15, any digits); answered as ISO."""

    def to_internal_value(self, value):
        try:
            return JalaliOrIsoDateField().clean(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
