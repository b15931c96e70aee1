import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList

from .exceptions import DomainError
from .formats import format_digits, format_number
from .jalali import JalaliDateError, date_example, format_date_input, is_persian, parse_date


def localised_message(error: ValidationError) -> str:
    """An error's text with its numeric parameters in the reader's digits.

    Django's own validators (max_length, min_value, max_digits…) put numbers into their translated
    messages as parameters; formatted as they are, a Persian sentence gets Latin digits.
    """
    params = getattr(error, "params", None)
    if not hasattr(error, "message"):
        return next(iter(error))
    message = error.message
    if not params:
        return str(message)
    if not is_persian():
        return str(message % params)
    if hasattr(message, "_get_number_value"):
        # A plural message (ngettext_lazy with a named number) picks its form from the parameters;
        # take that form's text first, so its numbers can be written in Persian digits below.
        message = message._translate(message._get_number_value(params))
    message = str(message)
    localised = {}
    for key, value in params.items():
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            # A small whole number (a length, a year) reads better ungrouped; amounts are grouped.
            small = isinstance(value, int) and abs(value) < 10000
            localised[key] = format_digits(value) if small else format_number(value)
            message = re.sub(rf"%\({re.escape(key)}\)[di]", f"%({key})s", message)
        else:
            localised[key] = value
    return message % localised


class LocalisedErrorList(ErrorList):
    def __getitem__(self, i):
        error = self.data[i]
        if isinstance(error, ValidationError):
            return localised_message(error)
        return error


class BootstrapFormMixin:
    """Gives widgets Bootstrap's classes, marks fields with errors as invalid, and shows the numbers
    inside error messages in the reader's digits."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_class", LocalisedErrorList)
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class DateInput(forms.TextInput):
    """A text input whose placeholder is a date in the page's own format, chosen when it is drawn
    (the field is built once at import, before any language is active)."""

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        if "placeholder" not in self.attrs:
            attrs["placeholder"] = date_example()
        return super().get_context(name, value, attrs)


class JalaliDateField(forms.Field):
    """The portal's date input: shows and reads the date as the page shows dates in its language
    (Jalali under fa, Gregorian under en), also reads the other calendar, and refuses with an error
    what it cannot read, rather than reading it as a date nobody meant (see jalali.parse_date)."""

    widget = DateInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("dir", "ltr")
        self.widget.attrs.setdefault("maxlength", "12")

    def prepare_value(self, value):
        return format_date_input(value)

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if hasattr(value, "year"):
            return value
        if not value:
            return None
        try:
            return parse_date(value)
        except JalaliDateError as exc:
            raise forms.ValidationError(str(exc), code="invalid_date") from exc


PortalDateField = JalaliDateField


def apply_errors(form, exc) -> None:
    """Puts a service's ValidationError (or DomainError) into the form, on its field where it names one."""
    if isinstance(exc, DomainError):
        form.add_error(None, str(exc.message))
        return
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return
    for message in getattr(exc, "messages", [str(exc)]):
        form.add_error(None, message)
