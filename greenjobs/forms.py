from django import forms
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.utils.translation import gettext_lazy as _

from .jalali import JalaliDateError, is_persian, parse_jalali, to_jalali
from .numeric import BIGINT_MAX, NumberError, bounds_of, localize_validators, read_decimal, read_integer
from .text import to_persian_digits


class BootstrapFormMixin:
    """Gives widgets Bootstrap's classes and marks fields with errors as invalid."""

    def __init__(self, *args, **kwargs):
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


class JalaliDateField(forms.Field):
    """A date typed in the Jalali calendar (any digits), cleaned to a Gregorian date."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("placeholder", "1404/01/15")
        self.widget.attrs.setdefault("dir", "ltr")
        self.widget.attrs.setdefault("maxlength", "12")

    def prepare_value(self, value):
        # Always the Jalali date, whatever the interface language: it is read back as Jalali.
        if hasattr(value, "year"):
            jdate = to_jalali(value)
            text = f"{jdate.year:04d}/{jdate.month:02d}/{jdate.day:02d}"
            return to_persian_digits(text) if is_persian() else text
        return value

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if hasattr(value, "year"):
            return value
        if not value:
            return None
        try:
            return parse_jalali(value)
        except JalaliDateError as exc:
            raise forms.ValidationError(str(exc), code="invalid_date") from exc


def apply_errors(form, exc) -> None:
    """Puts a service's ValidationError (or DomainError) into the form, on its field where it names one."""
    from django.core.exceptions import ValidationError

    from .exceptions import DomainError

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


class LocalizedNumberField:
    """Reads Persian, Arabic-Indic or Latin digits with thousands separators (greenjobs.numeric).

    Every numeric field of the portal's forms is one of these; tests/greenjobs/test_numeric_fields.py
    checks that no form has any other kind.
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

    def read(self, text: str):
        raise NotImplementedError

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
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
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
