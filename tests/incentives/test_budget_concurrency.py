"""The budget invariant under real concurrency: many managers approving at once, each on a connection."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum

from incentives.models import ApplicationEvent, LoanApplication, LoanScheme
from incentives.services.applications import application_transition
from tests.factories import LoanSchemeFactory, loan_draft, make_staff
from tests.utils import run_together

BILLION = 1_000_000_000
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


def at_decision(scheme, *, doe_reviewer, mcls_reviewer):
    """One applicant's application driven to "decision" through the services, by shared reviewers."""
    application = loan_draft(scheme=scheme, amount=BILLION)
    for name, actor in (
        ("submit", application.applicant),
        ("start_environmental_review", doe_reviewer),
        ("environment_accept", doe_reviewer),
        ("credit_accept", mcls_reviewer),
    ):
        application_transition(application_id=application.pk, actor=actor, name=name)
    return application.pk


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("private_media", "empty_cache")
def test_fifty_simultaneous_approvals_commit_exactly_the_budget(agencies):
    # given a scheme that fits exactly ten loans and fifty applications awaiting the decision
    scheme = LoanSchemeFactory(budget=10 * BILLION, max_amount=BILLION)
    doe_reviewer, mcls_reviewer = make_staff("DOE", "reviewer"), make_staff("MCLS", "reviewer")
    ids = [at_decision(scheme, doe_reviewer=doe_reviewer, mcls_reviewer=mcls_reviewer) for _ in range(50)]
    manager_id = make_staff("MCLS", "manager").pk
    assert LoanApplication.objects.filter(pk__in=ids, stage="decision").count() == 50

    def approve(application_id):
        def call():
            manager = get_user_model().objects.get(
                pk=manager_id
            )  # the thread's own copy, on its own connection
            application_transition(application_id=application_id, actor=manager, name="approve")

        return call

    # when fifty managers' clicks arrive at once
    outcomes = run_together([approve(pk) for pk in ids])

    # then ten are approved and forty are told the budget is spent
    assert outcomes.count(("done", None)) == 10
    assert [o for o in outcomes if o[0] != "done"] == [("told", "budget_exhausted")] * 40
    scheme.refresh_from_db()
    assert scheme.committed == scheme.budget == 10 * BILLION
    approved = LoanApplication.objects.filter(pk__in=ids, stage="approved")
    assert approved.count() == 10
    assert approved.aggregate(total=Sum("approved_amount"))["total"] == scheme.committed
    refused = LoanApplication.objects.filter(pk__in=ids).exclude(stage="approved")
    assert set(refused.values_list("stage", "approved_amount")) == {("decision", 0)}
    assert refused.count() == 40
    assert ApplicationEvent.objects.filter(application_id__in=ids, action="approve").count() == 10
    assert not LoanScheme.objects.filter(committed__gt=F("budget")).exists()


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("private_media", "empty_cache")
def test_approve_and_reject_at_once_leave_exactly_one_decision(agencies):
    scheme = LoanSchemeFactory()
    application_id = at_decision(
        scheme, doe_reviewer=make_staff("DOE", "reviewer"), mcls_reviewer=make_staff("MCLS", "reviewer")
    )
    managers = [make_staff("MCLS", "manager").pk, make_staff("MCLS", "manager").pk]
    decisions = [{"name": "approve"}, {"name": "reject", "reason": "اولویت پایین"}]

    def decide(manager_id, decision):
        def call():
            manager = get_user_model().objects.get(pk=manager_id)
            application_transition(
                application_id=application_id, actor=manager, expected_stage="decision", **decision
            )

        return call

    outcomes = run_together([decide(m, d) for m, d in zip(managers, decisions, strict=True)])

    assert outcomes.count(("done", None)) == 1
    [told] = [o for o in outcomes if o[0] != "done"]
    assert told in (("told", "stale"), ("told", "invalid_transition"))
    winner = decisions[outcomes.index(("done", None))]["name"]
    application = LoanApplication.objects.get(pk=application_id)
    assert application.stage == {"approve": "approved", "reject": "rejected"}[winner]
    decided = ApplicationEvent.objects.filter(application_id=application_id, from_stage="decision")
    assert list(decided.values_list("action", flat=True)) == [winner]
    assert LoanScheme.objects.get(pk=scheme.pk).committed == (BILLION if winner == "approve" else 0)
    assert application.approved_amount == (BILLION if winner == "approve" else 0)


@pytest.mark.django_db
def test_the_database_refuses_committed_above_budget_even_by_a_direct_update():
    scheme = LoanSchemeFactory(budget=10 * BILLION, committed=9 * BILLION)

    with pytest.raises(IntegrityError), transaction.atomic():
        LoanScheme.objects.filter(pk=scheme.pk).update(committed=F("budget") + 1)

    assert LoanScheme.objects.get(pk=scheme.pk).committed == 9 * BILLION


@pytest.mark.django_db
def test_the_database_refuses_disbursed_above_committed_even_by_a_direct_update():
    scheme = LoanSchemeFactory(budget=10 * BILLION, committed=2 * BILLION)

    with pytest.raises(IntegrityError), transaction.atomic():
        LoanScheme.objects.filter(pk=scheme.pk).update(disbursed=F("committed") + 1)

    assert LoanScheme.objects.get(pk=scheme.pk).disbursed == 0
