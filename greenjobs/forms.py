from django import forms

from .jalali import JalaliDateError, format_date, parse_jalali


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


class JalaliDateField(forms.CharField):
    """A date typed in the Jalali calendar (any digits), cleaned to a Gregorian date."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("placeholder", "1404/01/15")
        self.widget.attrs.setdefault("dir", "ltr")

    def prepare_value(self, value):
        if hasattr(value, "year"):
            return format_date(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_jalali(value)
        except JalaliDateError as exc:
            raise forms.ValidationError(str(exc), code="invalid_date") from exc
