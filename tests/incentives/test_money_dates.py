"""The order of a loan's dates: submitted ≤ approved ≤ contract ≤ tranches; repayments after the first
tranche; none after today (Tehran), and no absurd date anywhere, on pages, in the API and in services."""

import datetime

import jdatetime
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from incentives.models import Disbursement, LoanApplication, LoanScheme, Payment
from incentives.services import applications, repayments
from incentives.services.schedule import add_jalali_months
from tests.factories import LoanSchemeFactory, loan_at, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

BILLION = 1_000_000_000


def jalali(year, month, day) -> datetime.date:
    return jdatetime.date(year, month, day).togregorian()


def tehran_noon(day: datetime.date) -> datetime.datetime:
    """Noon in Tehran (UTC+3:30), so timezone.localdate() is `day`."""
    return datetime.datetime(day.year, day.month, day.day, 8, 30, tzinfo=datetime.UTC)


TODAY = jalali(1405, 9, 11)  # 2026-12-02


@pytest.fixture
def today(time_machine):
    time_machine.move_to(tehran_noon(TODAY), tick=False)
    return TODAY


def state(application) -> dict:
    """Everything a refused date must leave as it was, read fresh from the database."""
    fresh = LoanApplication.objects.get(pk=application.pk)
    scheme = LoanScheme.objects.get(pk=fresh.scheme_id)
    return {
        "stage": fresh.stage,
        "stage_changed_at": fresh.stage_changed_at,
        "contract": (fresh.contract_number, fresh.contracted_on, fresh.operation_starts_on),
        "disbursed_amount": fresh.disbursed_amount,
        "first_disbursed_on": fresh.first_disbursed_on,
        "events": list(fresh.events.values_list("pk", "action")),
        "scheme": (scheme.committed, scheme.disbursed),
        "disbursements": list(fresh.disbursements.values_list("pk", "amount", "paid_on")),
        "instalments": list(fresh.instalments.values_list("number", "due_on", "amount", "paid")),
        "payments": list(fresh.payments.values_list("pk", "amount", "paid_on")),
    }


def sign(application, contracted_on, *, operation_starts_on=None, officer=None):
    applications.application_transition(
        application_id=application.pk,
        actor=officer or make_staff("MCLS", "officer"),
        name="contract",
        contract_number="QOM-1405-9",
        contracted_on=contracted_on,
        operation_starts_on=operation_starts_on,
    )
    application.refresh_from_db()
    return application


def pay_out(application, officer, amount, paid_on, key):
    return repayments.disbursement_record(
        application_id=application.pk, actor=officer, amount=amount, paid_on=paid_on, request_key=key
    )


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- the contract ----------


def test_a_contract_dated_before_the_submission_is_refused_in_jalali_and_nothing_changes(today):
    # given an application submitted and approved on 1405/09/11
    application = loan_at("approved")
    before = state(application)

    # when the officer dates the contract 1403/12/30
    with translation.override("fa"):
        errors = refusal(lambda: sign(application, jalali(1403, 12, 30)))

    # then the contract date is refused, naming the submission day in Jalali and Persian digits
    assert errors == {"contracted_on": ["تاریخ قرارداد نمی‌تواند پیش از ارسال درخواست (۱۴۰۵/۰۹/۱۱) باشد."]}
    assert state(application) == before


def test_a_contract_dated_before_the_approval_is_refused(time_machine):
    # given an application submitted on 1405/09/01 and approved on 1405/09/10
    time_machine.move_to(tehran_noon(jalali(1405, 9, 1)), tick=False)
    application = loan_at("decision")
    time_machine.move_to(tehran_noon(jalali(1405, 9, 10)), tick=False)
    applications.application_transition(
        application_id=application.pk, actor=make_staff("MCLS", "manager"), name="approve"
    )
    time_machine.move_to(tehran_noon(TODAY), tick=False)
    before = state(application)

    # when the contract is dated between the two
    with translation.override("en"):
        errors = refusal(lambda: sign(application, jalali(1405, 9, 5)))

    # then
    assert errors == {
        "contracted_on": ["The contract cannot be dated before the loan was approved (2026-12-01)."]
    }
    assert state(application) == before


def test_a_contract_dated_after_today_is_refused(today):
    application = loan_at("approved")
    before = state(application)

    with translation.override("fa"):
        errors = refusal(lambda: sign(application, today + datetime.timedelta(days=1)))

    assert errors == {"contracted_on": ["تاریخ نمی‌تواند در آینده باشد؛ امروز ۱۴۰۵/۰۹/۱۱ است."]}
    assert state(application) == before


def test_operation_cannot_start_before_the_contract(today):
    application = loan_at("approved")
    before = state(application)

    with translation.override("en"):
        errors = refusal(
            lambda: sign(application, today, operation_starts_on=today - datetime.timedelta(days=1))
        )

    assert errors == {
        "operation_starts_on": ["Operation cannot start before the contract date (2026-12-02)."]
    }
    assert state(application) == before


def test_a_contract_dated_on_the_day_of_approval_is_signed(today):
    application = sign(loan_at("approved"), today, operation_starts_on=today + datetime.timedelta(days=90))

    assert (application.stage, application.contracted_on, application.operation_starts_on) == (
        "contracted",
        today,
        today + datetime.timedelta(days=90),
    )


# --- tranches ----------


@pytest.fixture
def signed(time_machine):
    """One billion, approved and signed on 1405/06/01; today is 1405/09/11."""
    time_machine.move_to(tehran_noon(jalali(1405, 6, 1)), tick=False)
    application = loan_at(
        "approved", scheme=LoanSchemeFactory(interest_rate="0.00", term_months=3, grace_months=0)
    )
    officer = make_staff("MCLS", "officer")
    sign(application, jalali(1405, 6, 1), officer=officer)
    time_machine.move_to(tehran_noon(TODAY), tick=False)
    return application, officer


def test_a_tranche_dated_1410_is_refused_and_nothing_changes(signed):
    application, officer = signed
    before = state(application)

    with translation.override("fa"):
        errors = refusal(lambda: pay_out(application, officer, BILLION, jalali(1410, 1, 1), "future"))

    assert errors == {"paid_on": ["تاریخ نمی‌تواند در آینده باشد؛ امروز ۱۴۰۵/۰۹/۱۱ است."]}
    assert state(application) == before
    assert Disbursement.objects.count() == 0


def test_a_tranche_dated_before_the_contract_is_refused(signed):
    application, officer = signed
    before = state(application)

    with translation.override("en"):
        errors = refusal(lambda: pay_out(application, officer, BILLION, jalali(1405, 5, 31), "early"))

    assert errors == {"paid_on": ["A tranche cannot be paid before the contract date (2026-08-23)."]}
    assert state(application) == before


def test_a_tranche_dated_before_the_last_one_is_refused_and_the_schedule_starts_at_the_first(signed):
    # given a first tranche paid on 1405/07/01
    application, officer = signed
    pay_out(application, officer, 400_000_000, jalali(1405, 7, 1), "first")
    before = state(application)

    # when the second is dated earlier, then it is refused
    with translation.override("en"):
        errors = refusal(lambda: pay_out(application, officer, 600_000_000, jalali(1405, 6, 15), "earlier"))
    assert errors == {
        "paid_on": [
            "A tranche cannot be dated before the last tranche recorded (2026-09-23); record the tranches in "
            "the order they were paid."
        ]
    }
    assert state(application) == before

    # when it is dated after the first, the schedule counts from the first tranche
    pay_out(application, officer, 600_000_000, jalali(1405, 8, 1), "second")
    application.refresh_from_db()
    assert (application.stage, application.first_disbursed_on) == ("repaying", jalali(1405, 7, 1))
    assert list(application.instalments.values_list("due_on", flat=True)) == [
        jalali(1405, 8, 1),
        jalali(1405, 9, 1),
        jalali(1405, 10, 1),
    ]


def test_the_schedule_counts_from_the_earliest_tranche_whatever_order_they_were_recorded_in(signed):
    # given tranches recorded out of order before the rule existed: 1405/07/10, then one dated 1405/06/20
    application, officer = signed
    pay_out(application, officer, 300_000_000, jalali(1405, 7, 10), "first-recorded")
    Disbursement.objects.create(
        application=application, amount=300_000_000, paid_on=jalali(1405, 6, 20), request_key="legacy",
        recorded_by=officer,
    )  # fmt: skip
    LoanApplication.objects.filter(pk=application.pk).update(disbursed_amount=600_000_000)
    LoanScheme.objects.filter(pk=application.scheme_id).update(disbursed=600_000_000)

    # when the last tranche completes the loan
    pay_out(application, officer, 400_000_000, jalali(1405, 8, 1), "last")

    # then the schedule starts one month after the earliest tranche, not after the first one recorded
    application.refresh_from_db()
    assert application.instalments.order_by("number").first().due_on == add_jalali_months(
        jalali(1405, 6, 20), 1
    )


# --- repayments ----------


@pytest.fixture
def repaying(signed):
    application, officer = signed
    pay_out(application, officer, BILLION, jalali(1405, 6, 10), "all")
    application.refresh_from_db()
    assert application.stage == "repaying"
    return application, officer


def record_payment(application, officer, paid_on, key="pay"):
    return repayments.payment_record(
        application_id=application.pk,
        actor=officer,
        amount=1_000_000,
        paid_on=paid_on,
        reference="BMI-1",
        request_key=key,
    )


def test_a_repayment_dated_1410_is_refused_and_nothing_changes(repaying):
    application, officer = repaying
    before = state(application)

    with translation.override("en"):
        errors = refusal(lambda: record_payment(application, officer, jalali(1410, 1, 1)))

    assert errors == {"paid_on": ["The date cannot be in the future; today is 2026-12-02."]}
    assert state(application) == before
    assert Payment.objects.count() == 0


def test_a_repayment_dated_before_the_first_tranche_is_refused(repaying):
    application, officer = repaying
    before = state(application)

    with translation.override("fa"):
        errors = refusal(lambda: record_payment(application, officer, jalali(1405, 6, 9)))

    assert errors == {
        "paid_on": ["تاریخ بازپرداخت نمی‌تواند پیش از پرداخت نخستین مرحلهٔ تسهیلات (۱۴۰۵/۰۶/۱۰) باشد."]
    }
    assert state(application) == before


def test_a_repayment_on_the_day_of_the_first_tranche_or_today_is_recorded(repaying):
    application, officer = repaying

    record_payment(application, officer, jalali(1405, 6, 10), "first-day")
    record_payment(application, officer, TODAY, "today")

    assert list(application.payments.order_by("paid_on").values_list("paid_on", flat=True)) == [
        jalali(1405, 6, 10),
        TODAY,
    ]


# --- the same rules through the pages and the API, and absurd dates never a server error ----------


def test_the_contract_page_shows_the_refusal_in_jalali_on_the_date_field(client, today):
    application = loan_at("approved")
    before = state(application)
    client.force_login(make_staff("MCLS", "officer", language="fa"))

    response = client.post(
        reverse("incentives:transition", args=[application.pk]),
        {
            "action": "contract",
            "expected_stage": "approved",
            "contract_number": "QOM-1",
            "contracted_on": "1403/12/30",
        },
    )

    assert response.status_code == 200
    assert response.context["posted_forms"]["contract"].errors == {
        "contracted_on": ["تاریخ قرارداد نمی‌تواند پیش از ارسال درخواست (۱۴۰۵/۰۹/۱۱) باشد."]
    }
    assert state(application) == before


def api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1410/01/01"])
def test_an_absurd_or_future_tranche_date_in_the_api_is_a_400_on_the_date(signed, day):
    application, officer = signed
    before = state(application)

    response = api_client(officer).post(
        f"/api/v1/loan-applications/{application.pk}/disbursements/",
        {"amount": 1_000, "paid_on": day, "request_key": "absurd-date-1"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["paid_on"]
    assert state(application) == before


def test_an_absurd_contract_date_in_the_api_is_a_400_on_the_date(today):
    application = loan_at("approved")
    before = state(application)

    response = api_client(make_staff("MCLS", "officer")).post(
        f"/api/v1/loan-applications/{application.pk}/transition/",
        {"action": "contract", "contract_number": "Q-1", "contracted_on": "9999-12-31"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["contracted_on"]
    assert state(application) == before


@pytest.mark.parametrize("day", ["9999/12/29", "8000/01/01", "9999-12-31"])
def test_an_absurd_tranche_date_on_the_page_is_a_form_error(client, signed, day):
    application, officer = signed
    before = state(application)
    client.force_login(officer)

    response = client.post(
        reverse("incentives:disburse", args=[application.pk]),
        {"amount": "1,000", "paid_on": day, "request_key": "b" * 32},
    )

    assert response.status_code == 200
    assert list(response.context["posted_forms"]["disbursement"].errors) == ["paid_on"]
    assert state(application) == before
