"""The loan funnel over applications built here, one in each place it counts, through the services."""

import pytest
from django.db.models import Sum
from django.utils import timezone

from incentives import selectors
from incentives.models import LoanApplication, Stage
from incentives.services import applications, repayments
from tests.factories import loan_at, loan_draft, make_staff

pytestmark = pytest.mark.django_db

MILLION = 1_000_000


def move(application, name, who, **kwargs):
    applications.application_transition(
        application_id=application.pk, actor=make_staff(*who), name=name, **kwargs
    )
    application.refresh_from_db()
    return application


def contracted(amount):
    application = loan_at("approved", amount=amount)
    return move(
        application,
        "contract",
        ("MCLS", "officer"),
        contract_number="QOM-1404-1",
        contracted_on=timezone.localdate(),
    )


def disbursed(amount, paid):
    application = contracted(amount)
    repayments.disbursement_record(
        application_id=application.pk,
        actor=make_staff("MCLS", "officer"),
        amount=paid,
        paid_on=timezone.localdate(),
        request_key=f"tranche-{application.pk}",
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def every_place(agencies):
    """One application at each step, some with a history that passes through other steps on the way."""
    today = timezone.localdate()
    # Repaying, then an instalment overdue: the daily run moves it into arrears.
    in_arrears = disbursed(1_400 * MILLION, 1_400 * MILLION)
    repayments.arrears_refresh_all(today=today + timezone.timedelta(days=400))
    made = {
        "draft": loan_draft(amount=900 * MILLION),
        "submitted": loan_at("submitted", amount=800 * MILLION),
        "refused_environment": move(
            loan_at("environmental_review", amount=700 * MILLION),
            "environment_reject",
            ("DOE", "reviewer"),
            reason="پسماند صنعتی مدیریت نمی‌شود",
        ),
        "approved": loan_at("approved", amount=1_000 * MILLION),
        "contracted": contracted(1_100 * MILLION),
        "disbursed": disbursed(1_200 * MILLION, 500 * MILLION),
        "repaying": disbursed(1_300 * MILLION, 1_300 * MILLION),
        "in_arrears": in_arrears,
        "settled": disbursed(1_500 * MILLION, 1_500 * MILLION),
    }
    # Returned by DOE, corrected, then refused by MCLS: many events, one application, not an
    # environmental refusal.
    returned = move(
        loan_at("environmental_review", amount=600 * MILLION),
        "environment_return",
        ("DOE", "reviewer"),
        reason="نقشه",
    )
    applications.application_transition(application_id=returned.pk, actor=returned.applicant, name="resubmit")
    move(returned, "environment_accept", ("DOE", "reviewer"))
    made["refused_credit"] = move(returned, "credit_reject", ("MCLS", "reviewer"), reason="وثیقه کافی نیست")
    settled = made["settled"]
    owed = settled.instalments.aggregate(total=Sum("amount"))["total"]
    repayments.payment_record(
        application_id=settled.pk,
        actor=make_staff("MCLS", "officer"),
        amount=owed,
        paid_on=today,
        reference="FIS-1",
        request_key="settle-all",
    )
    for application in made.values():
        application.refresh_from_db()
    return made


def test_every_place_is_where_the_funnel_expects_it(every_place):
    stages = {name: application.stage for name, application in every_place.items()}

    assert stages == {
        "draft": Stage.DRAFT,
        "submitted": Stage.SUBMITTED,
        "refused_environment": Stage.REJECTED,
        "approved": Stage.APPROVED,
        "contracted": Stage.CONTRACTED,
        "disbursed": Stage.DISBURSED,
        "repaying": Stage.REPAYING,
        "in_arrears": Stage.IN_ARREARS,
        "settled": Stage.SETTLED,
        "refused_credit": Stage.REJECTED,
    }
    assert every_place["refused_credit"].events.count() > 5


def test_the_loan_funnel_counts_each_application_once_whatever_its_history(every_place):
    funnel = selectors.funnel()

    # Everything but the draft was applied for.
    assert funnel["applied"] == 9
    assert (
        funnel["applied_amount"]
        == (800 + 700 + 1_000 + 1_100 + 1_200 + 1_300 + 1_400 + 1_500 + 600) * MILLION
    )
    # Approved, contracted, disbursed, repaying, in arrears, settled: each reached the approval.
    assert funnel["approved"] == 6
    assert funnel["approved_amount"] == (1_000 + 1_100 + 1_200 + 1_300 + 1_400 + 1_500) * MILLION
    assert funnel["disbursed"] == 4
    assert funnel["disbursed_amount"] == (500 + 1_300 + 1_400 + 1_500) * MILLION
    assert funnel["in_arrears"] == 1
    in_arrears = every_place["in_arrears"]
    assert funnel["in_arrears_amount"] == in_arrears.overdue_amount > 0
    # Only DOE's refusal counts as environmental, not MCLS's refusal of an application DOE once returned.
    assert funnel["refused_environment"] == 1


def test_the_funnel_counts_only_the_applications_it_is_given(every_place):
    mine = LoanApplication.objects.filter(pk__in=[every_place["approved"].pk, every_place["draft"].pk])

    funnel = selectors.funnel(queryset=mine)

    assert (funnel["applied"], funnel["approved"], funnel["approved_amount"]) == (1, 1, 1_000 * MILLION)
    assert (funnel["disbursed"], funnel["in_arrears"], funnel["refused_environment"]) == (0, 0, 0)
