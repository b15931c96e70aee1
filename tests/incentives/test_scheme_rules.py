"""A loan scheme's rules, the same through the service, the managers' page and the API: weights that add
up to the 100 points the public page promises, a code that fits in the scheme's address, unique titles,
an ordered window of sane length, and money and terms within bounds."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from incentives.models import LoanScheme
from incentives.services import schemes
from tests.factories import LoanSchemeFactory, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

SCHEMES = "/api/v1/schemes/"


def data(**overrides) -> dict:
    values = {
        "code": "GL-1406",
        "title_fa": "تسهیلات سبز ۱۴۰۶",
        "title_en": "Green loans 1406",
        "budget": 10_000_000_000,
        "max_amount": 2_000_000_000,
        "min_amount": 0,
        "interest_rate": "4.00",
        "term_months": 36,
        "grace_months": 6,
        "opens_on": datetime.date(2026, 3, 21),
        "closes_on": datetime.date(2027, 3, 20),
        "weight_knowledge_based": 25,
        "weight_jobs_per_rial": 35,
        "weight_environment": 25,
        "weight_county": 15,
    }
    values.update(overrides)
    return values


def create(**overrides):
    with translation.override("en"):
        return schemes.scheme_create(actor=make_staff("MCLS", "manager"), data=data(**overrides))


def refused(**overrides) -> dict:
    with pytest.raises(ValidationError) as caught:
        create(**overrides)
    assert LoanScheme.objects.count() == 0
    return caught.value.message_dict


# --- the service ----------


def test_weights_of_90_90_0_0_are_refused():
    assert refused(
        weight_knowledge_based=90, weight_jobs_per_rial=90, weight_environment=0, weight_county=0
    ) == {"__all__": ["The four weights must add up to 100; now they add up to 180."]}


def test_weights_adding_up_to_100_are_accepted():
    scheme = create(weight_knowledge_based=100, weight_jobs_per_rial=0, weight_environment=0, weight_county=0)

    assert (scheme.weight_knowledge_based, scheme.weight_county) == (100, 0)


@pytest.mark.parametrize("code", ["gl 1406!", "1406", "GL--1406", "GL-", "GL_1406", "جی‌ال۱۴۰۶", "GL/1406"])
def test_a_code_outside_the_help_texts_format_is_refused(code):
    assert refused(code=code) == {
        "code": [
            "Use Latin letters and digits, starting with a letter, with single hyphens between groups, for "
            "example GL-1404."
        ]
    }


def test_a_code_is_stored_in_capitals_with_latin_digits():
    assert create(code=" gl-kb-۱۴۰۶ ").code == "GL-KB-1406"


@pytest.mark.parametrize(
    ("field", "existing", "typed"),
    [
        ("title_en", "Green loans 1406", "  GREEN   loans 1406 "),
        ("title_fa", "تسهیلات سبز ۱۴۰۶", "تسهيلات  سبز 1406"),
    ],
)
def test_a_title_already_used_is_refused_whatever_its_case_and_spacing(field, existing, typed):
    LoanSchemeFactory(code="GL-OLD", **{field: existing})
    if field == "title_fa":
        # the factory stores what it is given; the service stores the folded form
        LoanScheme.objects.filter(code="GL-OLD").update(title_fa="تسهیلات سبز 1406")

    with pytest.raises(ValidationError) as caught:
        create(**{field: typed})

    assert caught.value.message_dict == {field: ["Another scheme already has this title."]}
    assert list(LoanScheme.objects.values_list("code", flat=True)) == ["GL-OLD"]


def test_the_database_refuses_a_duplicate_title_or_weights_not_adding_up_to_100():
    LoanSchemeFactory(title_en="Green loans")

    with pytest.raises(IntegrityError), transaction.atomic():
        LoanSchemeFactory(title_en="green loans")
    with pytest.raises(IntegrityError), transaction.atomic():
        LoanSchemeFactory(
            weight_knowledge_based=90, weight_jobs_per_rial=90, weight_environment=0, weight_county=0
        )
    assert LoanScheme.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"closes_on": datetime.date(2026, 3, 20)},
            {"closes_on": ["The closing date cannot come before the opening date."]},
        ),
        (
            {"closes_on": datetime.date(2031, 3, 22)},
            {"closes_on": ["A scheme takes applications for at most 5 years after it opens."]},
        ),
        (
            {"closes_on": datetime.date(9999, 12, 31)},
            {"closes_on": ["Enter a date between 1921-03-21 and 2121-03-20."]},
        ),
        ({"budget": 0}, {"budget": ["Ensure this value is greater than or equal to 1."]}),
        (
            {"max_amount": 10_000_000_001},
            {
                "max_amount": [
                    "The maximum per application cannot be above the budget of 10,000,000,000 Rial."
                ]
            },
        ),
        ({"interest_rate": "50.01"}, {"interest_rate": ["Ensure this value is less than or equal to 50."]}),
        ({"term_months": 121}, {"term_months": ["Ensure this value is less than or equal to 120."]}),
        ({"grace_months": 37}, {"grace_months": ["Ensure this value is less than or equal to 36."]}),
    ],
)
def test_a_scheme_outside_its_bounds_is_refused(overrides, errors):
    assert refused(**overrides) == errors


def test_a_window_of_exactly_five_years_is_accepted():
    scheme = create(closes_on=datetime.date(2031, 3, 21))

    assert scheme.closes_on == datetime.date(2031, 3, 21)


def test_an_update_is_held_to_the_same_rules_and_changes_nothing():
    scheme = LoanSchemeFactory(title_en="Before")
    before = LoanScheme.objects.filter(pk=scheme.pk).values().get()

    with pytest.raises(ValidationError) as caught, translation.override("en"):
        schemes.scheme_update(
            scheme_id=scheme.pk,
            actor=make_staff("MCLS", "manager"),
            data={"title_en": "After", "weight_county": 50},
        )

    assert caught.value.message_dict == {
        "__all__": ["The four weights must add up to 100; now they add up to 135."]
    }
    assert LoanScheme.objects.filter(pk=scheme.pk).values().get() == before


def test_the_demo_schemes_keep_every_rule(agencies):
    call_command("seed_demo", stdout=io.StringIO())

    for scheme in LoanScheme.objects.all():
        assert schemes.scheme_rule_errors(scheme) == {}, scheme.code
        scheme.full_clean()


# --- the managers' page and the API ----------


def page_post(**overrides) -> dict:
    values = {
        "code": "gl 1406!",
        "title_fa": "تسهیلات سبز ۱۴۰۶",
        "title_en": "Green loans 1406",
        "description_fa": "",
        "description_en": "",
        "budget": "10,000,000,000",
        "max_amount": "2,000,000,000",
        "min_amount": "0",
        "interest_rate": "4",
        "term_months": "36",
        "grace_months": "6",
        "grace_starts": "disbursement",
        "grace_interest": "capitalised",
        "opens_on": "1405/01/01",
        "closes_on": "1405/12/29",
        "weight_knowledge_based": "90",
        "weight_jobs_per_rial": "90",
        "weight_environment": "0",
        "weight_county": "0",
    }
    values.update(overrides)
    return values


def test_the_page_refuses_the_code_of_the_issue_on_its_field(client):
    client.force_login(make_staff("MCLS", "manager", language="en"))

    response = client.post(reverse("incentives:scheme_create"), page_post(weight_jobs_per_rial="10"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": [
            "Use Latin letters and digits, starting with a letter, with single hyphens between groups, for "
            "example GL-1404."
        ]
    }
    assert LoanScheme.objects.count() == 0


def test_the_page_refuses_weights_of_90_90_0_0(client):
    client.force_login(make_staff("MCLS", "manager", language="en"))

    response = client.post(reverse("incentives:scheme_create"), page_post(code="GL-1406"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "weight_knowledge_based": ["The four weights must add up to 100; now they add up to 180."]
    }
    assert LoanScheme.objects.count() == 0


def test_the_page_refuses_an_absurd_closing_date(client):
    client.force_login(make_staff("MCLS", "manager", language="en"))

    response = client.post(
        reverse("incentives:scheme_create"),
        page_post(code="GL-1406", weight_jobs_per_rial="10", closes_on="8000/01/01"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "closes_on": ["8000 is not a year this portal can read; enter a date such as 2025-04-04."]
    }
    assert LoanScheme.objects.count() == 0


def api(user=None):
    client = APIClient()
    client.force_authenticate(user or make_staff("MCLS", "manager", language="en"))
    return client


API_INPUT = {
    "code": "GL-1406",
    "title_fa": "تسهیلات سبز ۱۴۰۶",
    "title_en": "Green loans 1406",
    "budget": 10_000_000_000,
    "max_amount": 2_000_000_000,
    "interest_rate": "4.00",
    "term_months": 36,
    "opens_on": "2026-03-21",
    "closes_on": "2027-03-20",
}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "gl 1406!"}, "code"),
        ({"weight_knowledge_based": 90, "weight_jobs_per_rial": 90, "weight_environment": 0,
          "weight_county": 0}, "non_field_errors"),
        ({"closes_on": "9999-12-31"}, "closes_on"),
        ({"weight_county": 101}, "weight_county"),
        ({"interest_rate": "60"}, "interest_rate"),
        ({"budget": 0}, "budget"),
        ({"max_amount": 20_000_000_000}, "max_amount"),
        ({"title_en": "GREEN LOANS  1406"}, "title_en"),
    ],
)  # fmt: skip
def test_the_api_refuses_a_bad_scheme_with_a_400_on_its_field(overrides, field):
    LoanSchemeFactory(code="GL-OLD", title_en="Green loans 1406", title_fa="قدیمی")
    existing = LoanScheme.objects.values().get()

    response = api().post(SCHEMES, {**API_INPUT, "title_en": "New loans", **overrides}, format="json")

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert list(LoanScheme.objects.values()) == [existing]


def test_the_api_refuses_a_patch_breaking_the_weights():
    scheme = LoanSchemeFactory(code="GL-1406")

    response = api().patch(f"{SCHEMES}GL-1406/", {"weight_county": 30}, format="json")

    assert response.status_code == 400
    # in the API's default language, Persian, with Persian digits
    assert response.json() == {"non_field_errors": ["جمع چهار وزن باید ۱۰۰ باشد؛ اکنون ۱۱۵ است."]}
    scheme.refresh_from_db()
    assert scheme.weight_county == 15


def test_the_public_page_shows_weights_that_add_up_to_the_100_it_promises(client):
    LoanSchemeFactory(code="GL-1406")

    response = client.get(reverse("incentives:scheme_detail", args=["GL-1406"]))

    assert response.context["total_weight"] == 100
