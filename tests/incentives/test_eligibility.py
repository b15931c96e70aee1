"""Who may ask for a loan under a scheme: every rule with its code and the sentence the applicant reads."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from greenjobs.exceptions import DomainError
from incentives.models import ApplicationEvent, LoanApplication
from incentives.services.applications import application_create, eligibility_problems
from tests.factories import (
    ApplicantFactory,
    BusinessFactory,
    LoanSchemeFactory,
    loan_draft,
    make_staff,
    verified_business,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]

BILLION = 1_000_000_000
TODAY = datetime.date(2025, 6, 15)

WINDOW_CLOSED = "The scheme takes applications only between its opening and closing dates."
NOT_OWNER = "This business is not registered to you."
AMOUNT_MISSING = "Enter the amount you are asking for."
ALREADY_APPLIED = "This business already has an open application under this scheme."


@pytest.fixture(autouse=True)
def _fixed_day(time_machine):
    """Window boundaries are exact days: pin the day (noon in Tehran) so none of them drifts."""
    time_machine.move_to(datetime.datetime(2025, 6, 15, 8, 30, tzinfo=datetime.UTC))
    assert timezone.localdate() == TODAY


def problems(*, business, scheme, amount=BILLION, applicant=None, **kwargs):
    with translation.override("en"):
        return eligibility_problems(
            applicant=applicant or business.owner, business=business, scheme=scheme, amount=amount, **kwargs
        )


def counts():
    return {"applications": LoanApplication.objects.count(), "events": ApplicationEvent.objects.count()}


def open_application(business, scheme, stage):
    return LoanApplication.objects.create(
        applicant=business.owner,
        business=business,
        scheme=scheme,
        amount=BILLION,
        purpose="خرید پنل خورشیدی",
        stage=stage,
    )


# --- the happy case -----------------------------------------------------------------------------------------


def test_a_verified_owner_within_the_window_and_the_limits_is_eligible():
    scheme = LoanSchemeFactory(min_amount=100_000_000, max_amount=2 * BILLION)

    assert problems(business=verified_business(), scheme=scheme, amount=BILLION) == []


@pytest.mark.parametrize("amount", [100_000_000, 2 * BILLION])
def test_the_minimum_and_the_maximum_themselves_are_allowed(amount):
    scheme = LoanSchemeFactory(min_amount=100_000_000, max_amount=2 * BILLION)

    assert problems(business=verified_business(), scheme=scheme, amount=amount) == []


# --- the window ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens_on", "closes_on"),
    [
        (TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=30)),  # not open yet
        (TODAY - datetime.timedelta(days=30), TODAY - datetime.timedelta(days=1)),  # already closed
    ],
    ids=["before_opens_on", "after_closes_on"],
)
def test_outside_the_window_the_scheme_takes_no_application(opens_on, closes_on):
    scheme = LoanSchemeFactory(opens_on=opens_on, closes_on=closes_on)

    assert problems(business=verified_business(), scheme=scheme) == [("window_closed", WINDOW_CLOSED)]


@pytest.mark.parametrize(
    ("opens_on", "closes_on"),
    [
        (TODAY, TODAY + datetime.timedelta(days=30)),
        (TODAY - datetime.timedelta(days=30), TODAY),
        (TODAY, TODAY),
    ],
    ids=["opening_day", "closing_day", "one_day_window"],
)
def test_the_opening_and_closing_days_belong_to_the_window(opens_on, closes_on):
    scheme = LoanSchemeFactory(opens_on=opens_on, closes_on=closes_on)

    assert problems(business=verified_business(), scheme=scheme) == []


def test_an_unpublished_scheme_is_not_open_even_within_its_dates():
    scheme = LoanSchemeFactory(is_published=False)

    assert problems(business=verified_business(), scheme=scheme) == [("window_closed", WINDOW_CLOSED)]


# --- the registration ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "label"),
    [
        ("draft", "Draft"),
        ("submitted", "Submitted"),
        ("under_assessment", "Under environmental assessment"),
        ("changes_requested", "Changes requested"),
        ("rejected", "Rejected"),
        ("expired", "Verification expired"),
    ],
)
def test_a_business_without_a_verified_registration_is_refused(status, label):
    business = BusinessFactory(status=status)

    assert problems(business=business, scheme=LoanSchemeFactory()) == [
        ("not_verified", f"The scheme needs a verified green registration; this business is “{label}”.")
    ]


def test_a_scheme_that_does_not_require_verification_accepts_an_unverified_business():
    scheme = LoanSchemeFactory(requires_verified_registration=False)

    assert problems(business=BusinessFactory(status="draft"), scheme=scheme) == []


# --- the amount ---------------------------------------------------------------------------------------------


def test_an_amount_above_the_maximum_is_refused():
    scheme = LoanSchemeFactory(max_amount=2 * BILLION)

    assert problems(business=verified_business(), scheme=scheme, amount=2 * BILLION + 1) == [
        ("amount_above_maximum", "The amount is above the scheme's maximum of 2,000,000,000 Rials.")
    ]


def test_an_amount_below_the_minimum_is_refused():
    scheme = LoanSchemeFactory(min_amount=100_000_000)

    assert problems(business=verified_business(), scheme=scheme, amount=99_999_999) == [
        ("amount_below_minimum", "The amount is below the scheme's minimum of 100,000,000 Rials.")
    ]


@pytest.mark.parametrize("amount", [None, 0, -5])
def test_a_missing_amount_is_refused(amount):
    scheme = LoanSchemeFactory(min_amount=100_000_000)

    assert problems(business=verified_business(), scheme=scheme, amount=amount) == [
        ("amount_missing", AMOUNT_MISSING)
    ]


# --- one open application per business and scheme -----------------------------------------------------------


@pytest.mark.parametrize(
    "stage",
    [
        "draft",
        "submitted",
        "environmental_review",
        "credit_review",
        "decision",
        "returned",
        "approved",
        "contracted",
        "disbursed",
        "repaying",
        "in_arrears",
    ],
)
def test_an_open_application_for_the_same_business_and_scheme_blocks_another(stage):
    business, scheme = verified_business(), LoanSchemeFactory()
    open_application(business, scheme, stage)

    assert problems(business=business, scheme=scheme) == [("already_applied", ALREADY_APPLIED)]


@pytest.mark.parametrize("stage", ["withdrawn", "rejected", "settled"])
def test_a_closed_application_does_not_block_a_new_one(stage):
    business, scheme = verified_business(), LoanSchemeFactory()
    open_application(business, scheme, stage)

    assert problems(business=business, scheme=scheme) == []


def test_an_application_under_another_scheme_or_for_another_business_does_not_block():
    business, scheme = verified_business(), LoanSchemeFactory()
    open_application(business, LoanSchemeFactory(), "submitted")
    open_application(verified_business(), scheme, "submitted")

    assert problems(business=business, scheme=scheme) == []


def test_the_application_being_checked_does_not_block_itself():
    business, scheme = verified_business(), LoanSchemeFactory()
    application = open_application(business, scheme, "draft")

    assert problems(business=business, scheme=scheme, exclude_application_id=application.pk) == []


# --- ownership ----------------------------------------------------------------------------------------------


def test_another_persons_business_is_refused():
    business = verified_business()

    assert problems(business=business, scheme=LoanSchemeFactory(), applicant=ApplicantFactory()) == [
        ("not_owner", NOT_OWNER)
    ]


def test_every_broken_rule_is_listed_in_order():
    scheme = LoanSchemeFactory(
        opens_on=TODAY - datetime.timedelta(days=30), closes_on=TODAY - datetime.timedelta(days=1)
    )
    business = BusinessFactory(status="submitted")
    open_application(business, scheme, "draft")

    found = problems(business=business, scheme=scheme, applicant=ApplicantFactory(), amount=3 * BILLION)

    assert [code for code, _message in found] == [
        "not_owner",
        "window_closed",
        "not_verified",
        "amount_above_maximum",
        "already_applied",
    ]


def test_the_messages_follow_the_active_language():
    scheme = LoanSchemeFactory(
        opens_on=TODAY + datetime.timedelta(days=1), closes_on=TODAY + datetime.timedelta(days=9)
    )
    business = verified_business()

    with translation.override("en"):
        english = eligibility_problems(
            applicant=business.owner, business=business, scheme=scheme, amount=None
        )
    with translation.override("fa"):
        persian = eligibility_problems(
            applicant=business.owner, business=business, scheme=scheme, amount=None
        )

    assert (
        [code for code, _m in english]
        == [code for code, _m in persian]
        == ["window_closed", "amount_missing"]
    )
    assert [message for _c, message in english] == [WINDOW_CLOSED, AMOUNT_MISSING]


# --- application_create -------------------------------------------------------------------------------------


def test_application_create_saves_a_draft_with_one_event():
    business, scheme = verified_business(), LoanSchemeFactory()

    application = application_create(
        applicant=business.owner,
        business=business,
        scheme=scheme,
        data={"amount": BILLION, "purpose": "خرید پنل خورشیدی", "jobs_to_create": 4},
    )

    application.refresh_from_db()
    assert (application.stage, application.amount, application.applicant_id) == (
        "draft",
        BILLION,
        business.owner_id,
    )
    assert list(application.events.values_list("from_stage", "to_stage", "action", "actor")) == [
        ("", "draft", "create", business.owner.pk)
    ]


def test_application_create_keeps_a_draft_while_the_window_is_closed():
    """The window and the amount are checked again at submission; only a draft is saved now."""
    scheme = LoanSchemeFactory(
        opens_on=TODAY + datetime.timedelta(days=5), closes_on=TODAY + datetime.timedelta(days=30)
    )
    business = verified_business()

    application = application_create(
        applicant=business.owner, business=business, scheme=scheme, data={"amount": BILLION, "purpose": "پنل"}
    )

    assert LoanApplication.objects.get(pk=application.pk).stage == "draft"


def test_application_create_refuses_someone_elses_business_and_creates_nothing():
    business, scheme = verified_business(), LoanSchemeFactory()
    before = counts()

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        application_create(
            applicant=ApplicantFactory(),
            business=business,
            scheme=scheme,
            data={"amount": BILLION, "purpose": "پنل"},
        )

    assert caught.value.messages == [NOT_OWNER]
    assert counts() == before


def test_application_create_refuses_a_second_open_application_and_creates_nothing():
    existing = loan_draft()
    before = counts()

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        application_create(
            applicant=existing.applicant,
            business=existing.business,
            scheme=existing.scheme,
            data={"amount": BILLION, "purpose": "پنل"},
        )

    assert caught.value.messages == [ALREADY_APPLIED]
    assert counts() == before
    assert LoanApplication.objects.get(pk=existing.pk).stage == "draft"


def test_application_create_accepts_a_new_application_once_the_old_one_is_withdrawn():
    existing = loan_draft()
    LoanApplication.objects.filter(pk=existing.pk).update(stage="withdrawn")

    again = application_create(
        applicant=existing.applicant,
        business=existing.business,
        scheme=existing.scheme,
        data={"amount": BILLION, "purpose": "پنل"},
    )

    assert again.pk != existing.pk
    assert LoanApplication.objects.filter(business=existing.business, scheme=existing.scheme).count() == 2


def test_application_create_is_for_applicants_only():
    business, scheme = verified_business(), LoanSchemeFactory()
    before = counts()

    with pytest.raises(DomainError) as caught:
        application_create(
            applicant=make_staff("MCLS", "manager"),
            business=business,
            scheme=scheme,
            data={"amount": BILLION},
        )

    assert (caught.value.code, caught.value.status_code) == ("not_applicant", 403)
    assert counts() == before


# --- the database backstop ----------------------------------------------------------------------------------


def test_the_database_refuses_a_second_open_application_inserted_directly():
    business, scheme = verified_business(), LoanSchemeFactory()
    open_application(business, scheme, "submitted")

    with pytest.raises(IntegrityError), transaction.atomic():
        open_application(business, scheme, "draft")

    assert LoanApplication.objects.filter(business=business, scheme=scheme).count() == 1


@pytest.mark.parametrize("stage", ["withdrawn", "rejected", "settled"])
def test_the_database_allows_a_new_application_beside_a_closed_one(stage):
    business, scheme = verified_business(), LoanSchemeFactory()
    open_application(business, scheme, stage)

    open_application(business, scheme, "draft")

    assert LoanApplication.objects.filter(business=business, scheme=scheme).count() == 2
