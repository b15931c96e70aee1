"""The shared form markup: every error is tied to its field and announced, help text is associated."""

import re

from django import forms
from django.template.loader import render_to_string

from greenjobs.forms import BootstrapFormMixin


class ContactForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(label="E-mail address", help_text="We write to it once.")
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="Pick one."
    )


def ids_in(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


def test_a_form_sent_back_with_errors_ties_each_error_to_its_field_and_summarises_them():
    form = ContactForm({"email": "not-an-email", "name": "Sara"})
    form.is_valid()

    html = render_to_string("includes/form.html", {"form": form})

    # the e-mail box is described by its help text and its error, both present under those ids
    email = re.search(r"<input[^>]*name=\"email\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in email
    assert 'aria-describedby="id_email_helptext id_email_error"' in email
    assert '<div class="form-text" id="id_email_helptext">We write to it once.</div>' in html
    assert re.search(
        r'<div id="id_email_error"><div class="invalid-feedback d-block" data-testid="error-email">', html
    )
    # a field without errors is not described by one
    name = re.search(r"<input[^>]*name=\"name\"[^>]*>", html).group(0)
    assert "aria-describedby" not in name and "aria-invalid" not in name
    # the radio group is a fieldset with a legend, described by its help text and error
    assert re.search(
        r'<fieldset class="mb-3" aria-describedby="id_kind_helptext id_kind_error">\s*<legend', html
    )
    # the summary is announced and leads to each field with an error, in the form's order
    summary = re.search(
        r'<div class="alert alert-danger error-summary" role="alert"[^>]*>.*?</div>', html, re.S
    )
    assert summary, html
    assert re.findall(r'href="#([^"]+)"', summary.group(0)) == ["id_email", "id_kind_0"]
    # and no id is used twice
    assert len(ids_in(html)) == len(set(ids_in(html)))


def test_a_fresh_form_has_no_summary_and_no_error_references():
    html = render_to_string("includes/form.html", {"form": ContactForm()})

    assert "error-summary" not in html
    assert "_error" not in html
