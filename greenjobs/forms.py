import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.forms.utils import ErrorList
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError
from .formats import format_digits, format_number
from .jalali import (
    JalaliDateError,
    date_example,
    format_date_input,
    is_persian,
    parse_date,
)
from .numeric import BIGINT_MAX, NumberError, bounds_of, localize_validators, read_decimal, read_integer


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


# --- numbers ------------------------------------------------------------------------------------------------


class NumberTextInput(forms.TextInput):
    """A plain text box for a number.

    Never type=number: browsers refuse Persian digits there and submit an empty value in their place,
    so ۱۲۰۰۰ would silently become nothing. No pattern either: the server reads what was typed.
    """

    def __init__(self, attrs=None, *, decimals: bool = False):
        base = {"dir": "ltr", "inputmode": "decimal" if decimals else "numeric", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})


class AmountInput(NumberTextInput):
    """A box for an amount of Rials: static/js/amount.js groups its digits as they are typed and writes
    the amount in words into the live region drawn under it."""

    def __init__(self, attrs=None):
        super().__init__({"data-amount": "rial", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        element_id = (attrs or {}).get("id") or self.attrs.get("id")
        if not element_id:
            return html
        words = format_html(
            '<div class="form-text amount-words" id="{}_words" aria-live="polite"></div>', element_id
        )
        return html + words


class LocalizedNumberField:
    """Reads Persian, Arabic-Indic or Latin digits with thousands separators (greenjobs.numeric).

    Every numeric field of the portal's forms is one of these; tests/greenjobs/test_numeric_fields.py
    checks that no form has any other kind. Each kind gives `read(text)`, its reader of typed text.
    """

    decimals = False

    def __init__(self, *args, **kwargs):
        widget = kwargs.pop("widget", None) or NumberTextInput(decimals=self.decimals)
        if isinstance(widget, type):
            widget = widget()
        if isinstance(widget, forms.NumberInput):
            kept = {key: value for key, value in widget.attrs.items() if key not in ("min", "max", "step")}
            widget = NumberTextInput(kept, decimals=self.decimals)
        super().__init__(*args, widget=widget, **kwargs)
        self.validators = localize_validators(self.validators)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                return self.read(value)
            except NumberError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


class LocalIntegerField(LocalizedNumberField, forms.IntegerField):
    default_error_messages = {"invalid": _("Enter a whole number, in Persian or Latin digits.")}

    def __init__(self, *args, **kwargs):
        if kwargs.get("max_value") is None:
            kwargs["max_value"] = BIGINT_MAX
        if kwargs.get("min_value") is None:
            kwargs["min_value"] = -BIGINT_MAX
        super().__init__(*args, **kwargs)

    def read(self, text):
        return read_integer(text)


class LocalDecimalField(LocalizedNumberField, forms.DecimalField):
    decimals = True
    default_error_messages = {
        "invalid": _("Enter a number, in Persian or Latin digits, with ٫ or . before any decimals.")
    }

    def read(self, text):
        return read_decimal(text)


class LocalFloatField(LocalizedNumberField, forms.FloatField):
    decimals = True
    default_error_messages = LocalDecimalField.default_error_messages

    def read(self, text):
        return float(read_decimal(text))


class RialField(LocalIntegerField):
    """Whole Rials, typed with any digits and any thousands separators (۱۲٬۵۰۰٬۰۰۰ or 12,500,000)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", AmountInput)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            # Shown as the page shows amounts; the field reads these digits and separators back.
            return format_number(value, 0)
        return value


def localized_formfield(model_field, **kwargs):
    """The form field of a model field, with numbers read by the portal's number fields.

    The column's limits (a positive small integer, say) become the field's, so an out-of-range number
    is a form error, not a database error.
    """
    if isinstance(model_field, models.DecimalField):
        kwargs.setdefault("form_class", LocalDecimalField)
    elif isinstance(model_field, models.FloatField):
        kwargs.setdefault("form_class", LocalFloatField)
    elif isinstance(model_field, models.IntegerField):
        kwargs.setdefault("form_class", LocalIntegerField)
    else:
        return model_field.formfield(**kwargs)
    low, high = bounds_of(model_field.validators)
    if low is not None:
        kwargs.setdefault("min_value", low)
    if high is not None:
        kwargs.setdefault("max_value", high)
    return model_field.formfield(**kwargs)


class _LocalizedModelFormMetaclass(ModelFormMetaclass):
    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(localized_formfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=_LocalizedModelFormMetaclass):
    """The portal's ModelForm: numeric model fields become localized number fields, never type=number."""
