from django import forms

from .jalali import JalaliDateError, is_persian, parse_jalali, to_jalali
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
