"""The registration's numbers and dates stay within sane bounds: in the wizard, the API and the import."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from programs.forms.registrations import IdentityForm, LocationForm
from programs.models import Business, GreenJob
from programs.models.registration_rules import MAX_EMPLOYEES
from programs.services import imports
from programs.services.registrations import submission_problems
from tests.factories import BusinessFactory, GreenJobFactory, make_staff, ready_to_submit, valid_national_id
from tests.programs.test_imports import three_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

TODAY = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)  # 1405/09/10 in Tehran
BUSINESSES = "/api/v1/businesses/"


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def stored(business) -> dict:
    fresh = Business.objects.get(pk=business.pk)
    return {
        "employees_total": fresh.employees_total,
        "knowledge_based_as_of": fresh.knowledge_based_as_of,
        "knowledge_based_expires_on": fresh.knowledge_based_expires_on,
        "green_jobs": fresh.green_jobs.count(),
    }


def identity(**dates) -> dict:
    return {
        "legal_name": "شرکت دانش‌بنیان نور",
        "is_knowledge_based": "on",
        "knowledge_based_number": "KB-1404-77",
        **dates,
    }


# --- the wizard's forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("999999999999", "At most 100,000 people; check the number of employees."),
        ("100001", "At most 100,000 people; check the number of employees."),
        ("-1", "Enter 0 or more."),
    ],
)
def test_the_location_step_refuses_an_impossible_head_count(typed, message):
    business = BusinessFactory(employees_total=5)
    before = stored(business)

    with translation.override("en"):
        form = LocationForm({"employees_total": typed}, instance=Business.objects.get(pk=business.pk))
        assert not form.is_valid()
        assert form.errors == {"employees_total": [message]}
    assert stored(business) == before


def test_the_location_step_accepts_the_largest_sane_head_count():
    business = BusinessFactory(employees_total=5)

    form = LocationForm(
        {"employees_total": str(MAX_EMPLOYEES)}, instance=Business.objects.get(pk=business.pk)
    )

    assert form.is_valid(), form.errors


def test_the_total_cannot_drop_below_the_people_listed_in_green_jobs():
    business = BusinessFactory(employees_total=5)
    GreenJobFactory(business=business)
    GreenJobFactory(business=business)

    with translation.override("en"):
        form = LocationForm({"employees_total": "1"}, instance=Business.objects.get(pk=business.pk))
        assert not form.is_valid()
        assert form.errors == {
            "employees_total": [
                "Employees in total (1) cannot be fewer than the employees in green jobs (2)."
            ]
        }


@pytest.mark.parametrize(
    ("dates", "errors"),
    [
        (
            {"knowledge_based_as_of": "1404/05/01", "knowledge_based_expires_on": "1404/01/01"},
            {
                "knowledge_based_expires_on": [
                    "The certificate must expire after the date of its status (2025-07-23)."
                ]
            },
        ),
        (
            {"knowledge_based_as_of": "1404/05/01", "knowledge_based_expires_on": "1404/05/01"},
            {
                "knowledge_based_expires_on": [
                    "The certificate must expire after the date of its status (2025-07-23)."
                ]
            },
        ),
        (
            {"knowledge_based_as_of": "1405/09/11"},
            {"knowledge_based_as_of": ["The date of the knowledge-based status cannot be in the future."]},
        ),
        (
            {"knowledge_based_as_of": "1300/01/01"},
            {
                "knowledge_based_as_of": [
                    "Enter a date from 2010-03-21 on; no knowledge-based status is older."
                ]
            },
        ),
        (
            {"knowledge_based_as_of": "1404/05/01", "knowledge_based_expires_on": "1499/01/01"},
            {
                "knowledge_based_expires_on": [
                    "Enter an expiry date no later than 2036-12-01; check the year."
                ]
            },
        ),
        (
            {"knowledge_based_expires_on": "1350/01/01"},
            {
                "knowledge_based_expires_on": [
                    "Enter a date from 2010-03-21 on; no knowledge-based certificate is older."
                ]
            },
        ),
    ],
)
def test_the_identity_step_refuses_certificate_dates_out_of_order_or_out_of_range(dates, errors):
    business = BusinessFactory(is_knowledge_based=True)
    before = stored(business)

    with translation.override("en"):
        form = IdentityForm(identity(**dates), instance=Business.objects.get(pk=business.pk))
        assert not form.is_valid()
        assert form.errors == errors
    assert stored(business) == before


def test_the_message_reads_in_persian_with_a_jalali_date():
    business = BusinessFactory(is_knowledge_based=True)

    with translation.override("fa"):
        form = IdentityForm(
            identity(knowledge_based_as_of="۱۴۰۴/۰۵/۰۱", knowledge_based_expires_on="۱۴۰۴/۰۱/۰۱"),
            instance=business,
        )
        assert not form.is_valid()
        assert "۱۴۰۴/۰۵/۰۱" in form.errors["knowledge_based_expires_on"][0]


def test_the_identity_step_accepts_a_certificate_in_order():
    business = BusinessFactory(is_knowledge_based=True)

    form = IdentityForm(
        identity(knowledge_based_as_of="1404/05/01", knowledge_based_expires_on="1407/05/01"),
        instance=Business.objects.get(pk=business.pk),
    )

    assert form.is_valid(), form.errors


def test_the_wizard_page_shows_the_error_and_keeps_what_was_typed(client):
    business = BusinessFactory(is_knowledge_based=True)
    client.force_login(business.owner)
    client.cookies["django_language"] = "en"
    before = stored(business)

    with translation.override("en"):
        response = client.post(
            reverse("programs:business_edit", args=[business.pk, "identity"]),
            identity(knowledge_based_as_of="1404/05/01", knowledge_based_expires_on="1404/01/01"),
        )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The certificate must expire after the date of its status" in page
    assert 'value="1404/01/01"' in page
    assert 'value="KB-1404-77"' in page
    assert stored(business) == before


def test_a_step_that_does_not_edit_the_dates_tells_about_stored_bad_dates_instead_of_failing(client):
    # A draft saved before the rules existed: its expiry precedes its status date.
    business = BusinessFactory(
        is_knowledge_based=True,
        knowledge_based_as_of=datetime.date(2025, 7, 23),
        knowledge_based_expires_on=datetime.date(2025, 3, 21),
    )
    client.force_login(business.owner)
    client.cookies["django_language"] = "en"
    before = stored(business)

    with translation.override("en"):
        response = client.post(
            reverse("programs:business_edit", args=[business.pk, "location"]),
            {"address": "قم", "employees_total": "7"},
        )

    assert response.status_code == 200
    errors = response.content.decode().split('data-testid="form-errors"')[1].split("</div>\n</div>")[0]
    assert "The certificate must expire after the date of its status (2025-07-23)." in errors
    assert stored(business) == before


def test_adding_a_green_job_beyond_the_head_count_is_refused():
    from programs.services.registrations import green_job_add
    from tests.factories import occupation

    business = BusinessFactory(employees_total=1)
    GreenJobFactory(business=business)
    before = stored(business)

    with translation.override("en"), pytest.raises(Exception) as caught:
        green_job_add(
            business_id=business.pk,
            actor=business.owner,
            occupation=occupation(),
            holder_name="زهرا کریمی",
            holder_national_id=valid_national_id("300000009"),
        )

    assert caught.value.messages == [
        "The business has 1 employees in total and 1 of them are listed in green jobs already. "
        "Raise the number of employees on the “Location and staff” step first."
    ]
    assert stored(business) == before


def test_submission_holds_a_draft_saved_before_the_rules_to_them():
    business = ready_to_submit(
        is_knowledge_based=True,
        knowledge_based_number="KB-1",
        knowledge_based_as_of=datetime.date(2025, 7, 23),
        knowledge_based_expires_on=datetime.date(2025, 3, 21),
    )
    Business.objects.filter(pk=business.pk).update(employees_total=999_999_999)

    with translation.override("en"):
        problems = submission_problems(Business.objects.get(pk=business.pk))

    assert problems == [
        "At most 100,000 people; check the number of employees.",
        "The certificate must expire after the date of its status (2025-07-23).",
    ]


# --- the API -----------------------------------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("total", [999_999_999_999, MAX_EMPLOYEES + 1])
def test_the_api_refuses_an_impossible_head_count(total):
    business = BusinessFactory(employees_total=5)
    before = stored(business)

    response = api(business.owner).patch(
        f"{BUSINESSES}{business.pk}/", {"employees_total": total}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"employees_total": ["At most 100,000 people; check the number of employees."]}
    assert stored(business) == before


def test_the_api_refuses_a_certificate_that_expires_before_it_was_issued():
    business = BusinessFactory(is_knowledge_based=True)
    before = stored(business)

    response = api(business.owner).patch(
        f"{BUSINESSES}{business.pk}/",
        {"knowledge_based_as_of": "2025-07-23", "knowledge_based_expires_on": "1404/01/01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "knowledge_based_expires_on": [
            "The certificate must expire after the date of its status (2025-07-23)."
        ]
    }
    assert stored(business) == before


def test_the_api_checks_one_date_against_the_stored_other():
    business = BusinessFactory(is_knowledge_based=True, knowledge_based_as_of=datetime.date(2025, 7, 23))
    before = stored(business)

    response = api(business.owner).patch(
        f"{BUSINESSES}{business.pk}/", {"knowledge_based_expires_on": "2025-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "knowledge_based_expires_on": [
            "The certificate must expire after the date of its status (2025-07-23)."
        ]
    }
    assert stored(business) == before


def test_the_api_refuses_a_status_date_in_the_future_on_creation():
    from tests.factories import ApplicantFactory

    response = api(ApplicantFactory()).post(
        BUSINESSES, {"legal_name": "شرکت نو", "knowledge_based_as_of": "2026-12-02"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "knowledge_based_as_of": ["The date of the knowledge-based status cannot be in the future."]
    }
    assert Business.objects.count() == 0


def test_the_api_refuses_a_green_job_beyond_the_head_count():
    business = BusinessFactory(employees_total=1)
    GreenJobFactory(business=business)

    response = api(business.owner).post(
        f"{BUSINESSES}{business.pk}/green-jobs/",
        {
            "occupation": "GJ-WA-01",
            "holder_name": "زهرا",
            "holder_national_id": valid_national_id("300000009"),
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert GreenJob.objects.filter(business=business).count() == 1


# --- the spreadsheet import --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        (
            {"employees_total": "۹۹۹۹۹۹۹"},
            "employees_total",
            "At most 100,000 people; check the number of employees.",
        ),
        (
            {"knowledge_based_expires_on": "1404/01/01"},
            "knowledge_based_expires_on",
            "The certificate must expire after the date of its status (2025-07-23).",
        ),
        (
            {"knowledge_based_as_of": "1405/12/01"},
            "knowledge_based_as_of",
            "The date of the knowledge-based status cannot be in the future.",
        ),
    ],
)
def test_the_import_applies_the_same_rules(changes, column, message):
    make_staff("DOE", "officer")
    row = {**three_rows("")[0], **changes, "_row": 2}

    with translation.override("en"):
        clean_rows, errors = imports.validate_rows([row])

    assert clean_rows == []
    assert errors == [{"row": 2, "column": column, "message": message}]
