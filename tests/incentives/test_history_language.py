"""The notes the portal writes into a loan's history are read in the reader's language (issue 9, 14)."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from incentives.models import ApplicationEvent, LoanApplication, Stage
from incentives.services import applications, repayments
from tests.factories import ApplicantFactory, LoanSchemeFactory, loan_at, make_staff, verified_business

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]")


@pytest.fixture
def disbursed_in_persian():
    """A loan whose tranche was recorded by an officer working in Persian."""
    owner = ApplicantFactory(language="en")
    scheme = LoanSchemeFactory(
        budget=10_000_000_000,
        max_amount=2_000_000_000,
        opens_on=datetime.date(2025, 1, 1),
        closes_on=datetime.date(2025, 12, 31),
    )
    # Submitted and approved before the contract and the tranche, which are dated in the past.
    with time_machine.travel(datetime.datetime(2025, 4, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        application = loan_at("approved", scheme=scheme, business=verified_business(owner=owner))
    officer = make_staff("MCLS", "officer")
    with (
        translation.override("fa"),
        time_machine.travel(datetime.datetime(2025, 5, 12, 9, 0, tzinfo=datetime.UTC)),
    ):
        applications.application_transition(
            application_id=application.pk, actor=officer, name="contract",
            contract_number="QOM-1404-017", contracted_on=datetime.date(2025, 5, 1),
        )  # fmt: skip
        repayments.disbursement_record(
            application_id=application.pk, actor=officer, amount=400_000_000,
            paid_on=datetime.date(2025, 5, 10), request_key="first",
        )  # fmt: skip
    application.refresh_from_db()
    assert application.stage == Stage.DISBURSED
    return application


def history_notes(page: str) -> list[str]:
    return re.findall(r'<div class="small fst-italic">([^<]*)</div>', page)


def test_the_english_history_shows_the_tranche_note_in_english(client, disbursed_in_persian):
    client.force_login(disbursed_in_persian.applicant)
    client.cookies["django_language"] = "en"

    page = client.get(
        reverse("incentives:application_detail", args=[disbursed_in_persian.pk])
    ).content.decode()

    assert history_notes(page) == ["Tranche of 400,000,000 Rials paid on 2025-05-10"]
    assert not any(PERSIAN_LETTERS.search(note) for note in history_notes(page))


def test_the_persian_history_shows_the_same_note_in_persian_with_persian_digits(client, disbursed_in_persian):
    client.force_login(disbursed_in_persian.applicant)
    client.cookies["django_language"] = "fa"
    with translation.override("fa"):
        expected = translation.gettext("Tranche of %(amount)s Rials paid on %(date)s") % {
            "amount": "۴۰۰٬۰۰۰٬۰۰۰",
            "date": "۱۴۰۴/۰۲/۲۰",
        }

    page = client.get(
        reverse("incentives:application_detail", args=[disbursed_in_persian.pk])
    ).content.decode()

    assert history_notes(page) == [expected]
    assert PERSIAN_LETTERS.search(expected)


def test_the_api_gives_the_note_in_the_callers_language(client, disbursed_in_persian):
    client.force_login(disbursed_in_persian.applicant)

    client.cookies["django_language"] = "en"

    response = client.get(f"/api/v1/loan-applications/{disbursed_in_persian.pk}/events/")

    assert response.status_code == 200, response.content
    reasons = [event["reason"] for event in response.json() if event["action"] == "disburse"]
    assert reasons == ["Tranche of 400,000,000 Rials paid on 2025-05-10"]


def test_a_person_s_reason_is_shown_as_typed_in_every_language(client):
    application = loan_at("environmental_review", scheme=LoanSchemeFactory(budget=10_000_000_000))
    reviewer = make_staff("DOE", "reviewer")
    applications.application_transition(
        application_id=application.pk,
        actor=reviewer,
        name="environment_return",
        reason="پروانه را پیوست کنید.",
    )

    event = ApplicationEvent.objects.filter(application=application).latest("pk")
    for language in ("fa", "en"):
        with translation.override(language):
            assert event.note == "پروانه را پیوست کنید."
    assert LoanApplication.objects.get(pk=application.pk).stage == Stage.RETURNED
