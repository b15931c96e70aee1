"""Amount fields: the box static/js/amount.js groups as it is typed, and the grouped text the server reads."""

import re

import pytest
from django import forms
from django.utils import translation

from greenjobs.forms import AmountInput, BootstrapFormMixin, RialField
from incentives.forms.applicant import ApplicationDetailsForm
from incentives.forms.staff import SchemeForm
from programs.forms.initiatives import BidForm, InitiativeForm, ProjectForm


class AmountForm(BootstrapFormMixin, forms.Form):
    amount = RialField(label="Amount", min_value=1)


@pytest.mark.parametrize(
    "typed",
    [
        "5000000000",
        "5,000,000,000",  # grouped by the page in English
        "۵٬۰۰۰٬۰۰۰٬۰۰۰",  # grouped by the page in Persian
        "٥٬٠٠٠٬٠٠٠٬٠٠٠",  # Arabic-Indic digits
        "۵,۰۰۰,۰۰۰,۰۰۰",  # Persian digits with Latin commas
        "\u200e۵٬۰۰۰٬۰۰۰٬۰۰۰\u200e",  # copied from a right-to-left page, marks included
    ],
)
def test_an_amount_is_read_as_the_page_groups_it(typed):
    form = AmountForm({"amount": typed})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 5_000_000_000


@pytest.mark.parametrize("typed", ["5,00,000", "5٬0000", "5.000.000", "۵٬۰۰۰x"])
def test_an_irregularly_grouped_amount_is_refused_not_guessed(typed):
    form = AmountForm({"amount": typed})

    assert not form.is_valid()
    assert list(form.errors) == ["amount"]


def test_the_amount_box_carries_the_live_region_for_its_words():
    html = str(AmountForm()["amount"])

    assert 'data-amount="rial"' in html
    assert 'inputmode="numeric"' in html
    assert 'dir="ltr"' in html
    assert '<div class="form-text amount-words" id="id_amount_words" aria-live="polite"></div>' in html
    assert 'type="number"' not in html


def test_a_saved_amount_is_shown_grouped_in_the_readers_digits():
    form = AmountForm(initial={"amount": 5_000_000_000})

    with translation.override("fa"):
        assert re.search(r'value="۵٬۰۰۰٬۰۰۰٬۰۰۰"', str(form["amount"]))
    with translation.override("en"):
        assert re.search(r'value="5,000,000,000"', str(form["amount"]))


@pytest.mark.parametrize(
    ("form_class", "names"),
    [
        (ApplicationDetailsForm, ["amount"]),
        (SchemeForm, ["budget", "max_amount", "min_amount"]),
        (InitiativeForm, ["budget"]),
        (BidForm, ["amount"]),
        (ProjectForm, ["estimated_value"]),
    ],
)
def test_the_portals_rial_fields_are_amount_boxes(form_class, names):
    fields = form_class.base_fields

    assert [name for name in names if not isinstance(fields[name].widget, AmountInput)] == []
