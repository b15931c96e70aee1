"""One formatting path per kind, in the reader's language (issue 9, defect 14)."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from greenjobs.formats import format_date, format_money, format_number, format_percent
from greenjobs.forms import BootstrapFormMixin


def render(source, language, **context):
    with translation.override(language):
        return Template("{% load portal %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fa", ("۸٬۰۰۰٬۰۰۰٬۰۰۰", "۸٬۰۰۰٬۰۰۰٬۰۰۰ ریال", "۸۰۰٬۰۰۰٬۰۰۰ تومان", "۴۵٪", "۱۲٫۵٪", "۱۴۰۴/۰۱/۱۵")),
        ("en", ("8,000,000,000", "8,000,000,000 Rial", "800,000,000 Toman", "45%", "12.5%", "2025-04-04")),
    ],
)
def test_each_kind_has_one_function_that_follows_the_language(language, expected):
    with translation.override(language):
        shown = (
            format_number(8_000_000_000),
            format_money(8_000_000_000),
            format_money(8_000_000_000, "toman"),
            format_percent(45),
            format_percent(Decimal("12.50")),
            format_date(datetime.date(2025, 4, 4)),
        )

    assert shown == expected


def test_numbers_round_to_two_decimals_at_most_or_to_the_places_asked():
    with translation.override("fa"):
        assert format_number(Decimal("1234.567")) == "۱٬۲۳۴٫۵۷"
        assert format_number(Decimal("3.50"), 0) == "۴"
        assert format_number(0) == "۰"
        assert format_number(None) == ""


def test_the_template_filters_go_through_the_same_functions():
    source = "{{ n|number }}|{{ n|rial }}|{{ p|percent }}|{{ q|quantity }}"
    context = {"n": 8_000_000_000, "p": 45, "q": Decimal("9.40")}

    assert render(source, "fa", **context) == "۸٬۰۰۰٬۰۰۰٬۰۰۰|۸٬۰۰۰٬۰۰۰٬۰۰۰ ریال|۴۵٪|۹٫۴"
    assert render(source, "en", **context) == "8,000,000,000|8,000,000,000 Rial|45%|9.4"


def test_an_identifier_is_shown_as_stored_in_every_language():
    for language in ("fa", "en"):
        assert (
            render("{{ ref|identifier }}", language, ref="GL-1405-00007")
            == '<bdi class="identifier" dir="ltr">GL-1405-00007</bdi>'
        )


class AmountForm(BootstrapFormMixin, forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=0)
    title = forms.CharField(max_length=20)


def test_djangos_own_messages_show_their_numbers_in_persian_digits_under_fa():
    with translation.override("fa"):
        form = AmountForm({"amount": "123456789012345", "title": "ا" * 25})
        form.is_valid()
        errors = {name: list(messages) for name, messages in form.errors.items()}

    assert errors["amount"] == ["نباید در مجموع بیش از ۱۴ رقم داشته باشد."]
    assert "۲۰" in errors["title"][0] and "۲۵" in errors["title"][0]
    assert not any(digit in errors["title"][0] for digit in "0123456789")


def test_djangos_own_messages_are_unchanged_under_en():
    with translation.override("en"):
        form = AmountForm({"amount": "123456789012345", "title": "a" * 25})
        form.is_valid()

        assert form.errors["amount"] == ["Ensure that there are no more than 14 digits in total."]
        assert form.errors["title"] == ["Ensure this value has at most 20 characters (it has 25)."]
