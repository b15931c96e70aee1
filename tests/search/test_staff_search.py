"""Staff find a case by what they are told on the phone: a tracking number read out in Persian digits,
a national ID, a mobile number, a name spelt with Arabic letter forms; never what their role may not
open."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from greenjobs.text import to_persian_digits
from search import selectors
from tests.factories import (
    ApplicantFactory,
    BusinessFactory,
    LoanSchemeFactory,
    ProgrammeManagerFactory,
    SessionFactory,
    loan_at,
    make_staff,
    verified_business,
)
from training.models import Certificate
from training.services import enrolment as enrolment_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

URL = reverse("search:staff_search")


def found(client, q) -> dict[str, list[int]]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return {
        group.kind: [item.pk for item in group.items] for group in response.context["groups"] if group.items
    }


@pytest.fixture
def reviewer(client):
    staff = make_staff("MCLS", "reviewer")
    client.force_login(staff)
    return staff


@pytest.fixture
def submitted():
    owner = ApplicantFactory(
        first_name="کیان", last_name="یزدانی", national_id="0012345679", mobile="09121234567"
    )
    scheme = LoanSchemeFactory(code="GL-SUN")
    return loan_at("submitted", scheme=scheme, business=verified_business(owner=owner))


def test_a_loan_is_found_by_its_tracking_number_in_persian_or_latin_digits(client, reviewer, submitted):
    reference = submitted.reference  # GL-SUN-000NN
    for typed in [reference, to_persian_digits(reference), reference.lower(), f"  {reference} "]:
        assert found(client, typed).get("loans") == [submitted.pk], typed
    assert found(client, "GL-OTHER-" + reference.rsplit("-", 1)[1]) == {}


def test_a_person_is_found_by_national_id_or_mobile_with_their_cases(client, reviewer, submitted):
    owner = submitted.applicant
    for typed in ["۰۰۱۲۳۴۵۶۷۹", "001-234567-9", "۰۹۱۲۱۲۳۴۵۶۷", "+98 912 123 4567"]:
        results = found(client, typed)
        assert results["people"] == [owner.pk], typed
        assert results["loans"] == [submitted.pk], typed


def test_names_match_whatever_letter_forms_and_spaces_are_typed(client, reviewer, submitted):
    business = submitted.business
    business.legal_name = "شرکت خورشید کویر"
    business.refresh_search_text()
    business.save()

    assert found(client, "خورشيد كوير")["loans"] == [submitted.pk]  # Arabic yeh and kaf
    assert found(client, "يزداني")["people"] == [submitted.applicant.pk]


def test_what_a_role_may_not_open_is_not_found(client, submitted):
    reference = submitted.reference
    # TVTO works no loans (it reads the public registry, so the verified business and its owner show).
    client.force_login(make_staff("TVTO", "officer"))
    assert found(client, reference) == {}
    assert "loans" not in found(client, "0012345679")
    # A draft is its applicant's alone.
    draft_owner = ApplicantFactory(national_id="0023456781")
    BusinessFactory(owner=draft_owner, legal_name="شرکت پنهان")
    client.force_login(make_staff("DOE", "officer"))
    assert found(client, "0023456781") == {}
    assert found(client, "پنهان") == {}


def test_registrations_have_a_tracking_number_shown_and_found(client, reviewer):
    business = verified_business(owner=ApplicantFactory())
    client.force_login(ProgrammeManagerFactory())

    page = client.get(reverse("programs:business_detail", args=[business.pk])).content.decode()
    assert business.reference in page and business.reference.startswith("GR-")
    assert found(client, to_persian_digits(business.reference))["registrations"] == [business.pk]
    assert found(client, business.national_business_id)["registrations"] == [business.pk]


def test_tvto_finds_a_certificate_by_its_serial_and_doe_does_not(client):
    trainee = ApplicantFactory(national_id="0034567892")
    session = SessionFactory()
    enrolment = enrolment_services.enrolment_create(session_id=session.pk, person=trainee, actor=trainee)
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        serial="GJQ-1405-000123",
        verification_code="k3y-abc",
        issued_on=datetime.date(2026, 11, 1),
    )
    client.force_login(make_staff("TVTO", "officer"))
    assert found(client, "gjq-۱۴۰۵-۰۰۰۱۲۳")["certificates"] == [certificate.pk]
    assert found(client, "0034567892")["certificates"] == [certificate.pk]
    client.force_login(make_staff("DOE", "officer"))
    assert "certificates" not in found(client, "GJQ-1405-000123")


def test_applicants_and_strangers_have_no_search(client):
    assert client.get(URL, {"q": "x"}).status_code == 302
    client.force_login(ApplicantFactory())
    assert client.get(URL, {"q": "x"}).status_code == 403


@pytest.mark.parametrize(
    "hostile",
    ["%", "_", "' OR 1=1 --", "a" * 5000, "<script>alert(1)</script>", "٪٪٪", "GL--", "-" * 20, "۰"],
)
def test_hostile_or_odd_input_answers_calmly(client, reviewer, hostile):
    response = client.get(URL, {"q": hostile})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_too_short_name_gets_a_hint_in_the_readers_language(client, reviewer):
    client.cookies["django_language"] = "en"
    content = client.get(URL, {"q": "ab"}).content.decode()
    assert "Type at least three letters of a name, or a whole number." in content


def test_the_page_costs_the_same_queries_whatever_matches(client, django_assert_num_queries):
    client.force_login(make_staff("DOE", "officer"))  # DOE opens every submitted registration

    def businesses(count):
        for _ in range(count):
            business = BusinessFactory(status="submitted", legal_name="شرکت نمونه آزمون")
            business.refresh_search_text()
            business.save(update_fields=["search_text"])

    businesses(2)
    client.get(URL, {"q": "نمونه"})  # warm the session and the permission caches
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"q": "نمونه"})
    assert len(small.captured_queries) <= 8
    businesses(14)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(URL, {"q": "نمونه"})
    group = next(group for group in response.context["groups"] if group.kind == "registrations")
    assert group.count == selectors.LIMIT and group.more


def test_the_search_box_is_in_the_navigation_for_staff_only(client, reviewer):
    assert (
        'data-testid="nav-search"' in client.get(reverse("accounts:dashboard"), follow=True).content.decode()
    )
    client.force_login(ApplicantFactory())
    assert (
        'data-testid="nav-search"'
        not in client.get(reverse("accounts:dashboard"), follow=True).content.decode()
    )
