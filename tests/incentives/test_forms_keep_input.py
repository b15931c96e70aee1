"""Every form of the loans shown again after an error holds every value the person typed: the contract,
a tranche, a repayment, a scheme and the application itself."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from incentives.models import Disbursement, LoanApplication, LoanScheme, Payment
from incentives.services import applications, repayments
from tests.factories import LoanSchemeFactory, county, loan_at, loan_draft, make_staff, verified_business

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]


class FormValues(HTMLParser):
    """What each form of a page would send back as it stands: {form's data-testid: {name: [values]}}."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, list[str]]] = {}
        self.form = None
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = self.forms.setdefault(attrs.get("data-testid") or attrs.get("action", ""), {})
        elif self.form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "file"):
                return
            self.form.setdefault(attrs["name"], []).append(
                attrs.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.form.setdefault(self.textarea, []).append("")
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.form.setdefault(self.select, []).append(attrs.get("value", ""))

    def handle_data(self, data):
        if self.textarea:
            self.form[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            # Browsers drop the newline right after <textarea>, as Django's widget expects.
            self.form[self.textarea][-1] = self.form[self.textarea][-1].removeprefix("\n")
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_values(response, form: str) -> dict[str, list[str]]:
    parser = FormValues()
    parser.feed(response.content.decode())
    return parser.forms[form]


def assert_kept(response, form, posted: dict):
    """The form is shown again (not a redirect) and sends back exactly what was typed in every field."""
    assert response.status_code == 200
    shown = form_values(response, form)
    typed = {name: value if isinstance(value, list) else [value] for name, value in posted.items()}
    assert {name: [str(v) for v in typed[name]] for name in typed} == {
        name: shown.get(name) for name in typed
    }


def jalali_text(day: datetime.date) -> str:
    import jdatetime

    j = jdatetime.date.fromgregorian(date=day)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


# --- the staff panel ----------


@pytest.mark.parametrize(
    ("contracted_on", "error"),
    [
        pytest.param("1404/13/40", "There is no such day in the Jalali calendar.", id="impossible date"),
        pytest.param(
            "1403/12/30",
            "The contract cannot be dated before the application was submitted",
            id="refused date",
        ),
    ],
)
def test_the_contract_form_keeps_the_number_and_dates_after_an_error(client, contracted_on, error):
    application = loan_at("approved")
    client.force_login(make_staff("MCLS", "officer", language="en"))
    posted = {
        "contract_number": "QOM-1405-17",
        "contracted_on": contracted_on,
        "operation_starts_on": "1406/01/15",
    }

    response = client.post(
        reverse("incentives:transition", args=[application.pk]),
        {"action": "contract", "expected_stage": "approved", "reason": "", **posted},
    )

    assert_kept(response, "move-contract", posted)
    assert error in response.content.decode()
    application.refresh_from_db()
    assert (application.stage, application.contract_number, application.contracted_on) == (
        "approved",
        "",
        None,
    )


def test_a_refusal_keeps_the_reason_typed(client):
    application = loan_at("credit_review")
    client.force_login(make_staff("MCLS", "reviewer", language="en"))
    reason = "صورت‌های مالی پیوست نشده است. " * 150  # longer than the 4,000 characters allowed

    response = client.post(
        reverse("incentives:transition", args=[application.pk]),
        {"action": "credit_return", "expected_stage": "credit_review", "reason": reason},
    )

    assert form_values(response, "move-credit_return")["reason"] == [reason]
    assert LoanApplication.objects.get(pk=application.pk).stage == "credit_review"


def contracted():
    application = loan_at("approved")
    officer = make_staff("MCLS", "officer", language="en")
    applications.application_transition(
        application_id=application.pk, actor=officer, name="contract", contract_number="Q-1",
        contracted_on=timezone.localdate(),
    )  # fmt: skip
    return application, officer


@pytest.mark.parametrize(
    "paid_on",
    [
        pytest.param("1404/02/40", id="impossible date"),
        pytest.param("1410/01/01", id="future date"),
    ],
)
def test_the_tranche_form_keeps_the_amount_date_and_request_key_after_an_error(client, paid_on):
    application, officer = contracted()
    client.force_login(officer)
    posted = {"amount": "۳۰۰٬۰۰۰٬۰۰۰", "paid_on": paid_on, "request_key": "k" * 32}

    response = client.post(reverse("incentives:disburse", args=[application.pk]), posted)

    assert_kept(response, "disbursement-form", posted)
    assert Disbursement.objects.count() == 0


def test_the_tranche_form_keeps_what_was_typed_when_the_amount_is_refused(client):
    application, officer = contracted()
    client.force_login(officer)
    posted = {
        "amount": "1,000,000,001",
        "paid_on": jalali_text(timezone.localdate()),
        "request_key": "k" * 32,
    }

    response = client.post(reverse("incentives:disburse", args=[application.pk]), posted)

    assert_kept(response, "disbursement-form", posted)
    assert "A tranche must be between 1 and the" in response.content.decode()
    assert Disbursement.objects.count() == 0


def test_the_payment_form_keeps_the_amount_date_and_reference_after_an_error(client):
    application, officer = contracted()
    repayments.disbursement_record(
        application_id=application.pk, actor=officer, amount=application.approved_amount or 1_000_000_000,
        paid_on=timezone.localdate(), request_key="all",
    )  # fmt: skip
    client.force_login(officer)
    posted = {
        "amount": "12,000,000",
        "paid_on": "1410/01/01",
        "reference": "BMI-778",
        "request_key": "p" * 32,
    }

    response = client.post(reverse("incentives:payment", args=[application.pk]), posted)

    assert_kept(response, "payment-form", posted)
    assert "The date cannot be in the future" in response.content.decode()
    assert Payment.objects.count() == 0


# --- schemes ----------


def scheme_post(**overrides):
    data = {
        "code": "GL-1406",
        "title_fa": "تسهیلات سبز ۱۴۰۶",
        "title_en": "Green loans 1406",
        "description_fa": "برای مشاغل سبز",
        "description_en": "For green jobs.",
        "budget": "۵۰٬۰۰۰٬۰۰۰٬۰۰۰",
        "max_amount": "3,000,000,000",
        "min_amount": "100,000,000",
        "interest_rate": "4.5",
        "term_months": "48",
        "grace_months": "6",
        "grace_starts": "operation",
        "grace_interest": "waived",
        "opens_on": "۱۴۰۵/۰۱/۰۱",
        "closes_on": "1405/12/29",
        "requires_verified_registration": "on",
        "weight_knowledge_based": "90",
        "weight_jobs_per_rial": "90",
        "weight_environment": "0",
        "weight_county": "0",
        "priority_counties": [str(county("qom").pk), str(county("kahak").pk)],
        "is_published": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({}, id="weights refused by the service"),
        pytest.param({"closes_on": "1404/12/40", "weight_county": "-80"}, id="fields refused by the form"),
    ],
)
def test_the_scheme_form_keeps_every_value_after_an_error(client, overrides):
    client.force_login(make_staff("MCLS", "manager", language="en"))
    posted = scheme_post(**overrides)

    response = client.post(reverse("incentives:scheme_create"), posted)

    assert_kept(response, "scheme-form", posted)
    assert LoanScheme.objects.count() == 0


def test_the_scheme_edit_form_keeps_every_value_after_an_error(client):
    scheme = LoanSchemeFactory(code="GL-1406")
    client.force_login(make_staff("MCLS", "manager", language="en"))
    posted = scheme_post(max_amount="60,000,000,000")

    response = client.post(reverse("incentives:scheme_edit", args=[scheme.code]), posted)

    assert_kept(response, "scheme-form", posted)
    assert LoanScheme.objects.get().max_amount == 2_000_000_000


# --- the application ----------


def test_the_application_form_keeps_every_value_after_an_error(client):
    business = verified_business()
    LoanSchemeFactory(code="GL-1406")
    client.force_login(business.owner)
    posted = {
        "business": str(business.pk),
        "scheme": "GL-1406",
        "amount": "۱۲۰۰ میلیون",
        "purpose": "خرید پنل خورشیدی",
        "energy_saving_kwh": "۴۰٬۰۰۰",
        "water_saving_m3": "1200.5",
        "materials_saving_t": "3",
        "waste_reduction_t": "",
        "commitments": "تفکیک پسماند",
    }

    response = client.post(reverse("incentives:application_create"), posted)

    assert_kept(response, "application-form", posted)
    assert LoanApplication.objects.count() == 0


def test_the_application_edit_form_keeps_every_value_after_an_error(client):
    application = loan_draft()
    client.force_login(application.applicant)
    posted = {
        "amount": "9,999,999,999",
        "purpose": "خرید پنل خورشیدی و باتری",
        "energy_saving_kwh": "abc",
        "water_saving_m3": "1200.5",
        "materials_saving_t": "3",
        "waste_reduction_t": "",
        "commitments": "تفکیک پسماند",
    }

    response = client.post(reverse("incentives:application_edit", args=[application.pk]), posted)

    assert_kept(response, "application-form", posted)
    application.refresh_from_db()
    assert (application.amount, application.purpose) == (1_000_000_000, "خرید پنل خورشیدی")
