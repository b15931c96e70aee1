"""The verification rule, exactly: days at the threshold, one person once a month, insured elsewhere."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from monitoring.models import Employee, Flag, Outcome, Round, RoundEvent
from monitoring.services.verification import beyond_tolerance, round_verify
from tests.factories import make_staff, verified_business

from .factories import AFTER_MEHR, MEHR_1404, first_round, import_list, person, repaying_loan, report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]

WORKSHOP = "1234567890"
OTHER_WORKSHOP = "5555555555"


def outcomes(round_) -> list[tuple[str, str, int | None]]:
    return list(
        Employee.objects.filter(round=round_)
        .order_by("pk")
        .values_list("national_id", "outcome", "insured_days")
    )


@pytest.mark.parametrize(
    ("days", "outcome", "verified"), [(19, "too_few_days", 0), (20, "verified", 1), (30, "verified", 1)]
)
def test_a_job_counts_when_its_person_is_insured_at_the_business_at_least_the_minimum_days(
    days, outcome, verified
):
    # given a loan promising one job under a scheme that asks 20 days, and its report naming one person
    loan = repaying_loan(jobs=(("GJ-EN-01", 1),), min_insured_days=20)
    round_ = report(first_round(loan), [person(1)], workshop=WORKSHOP)

    # when the workshop's Mehr list has the person for `days` days
    import_list([(person(1), WORKSHOP, "1404/07", days)])

    # then the report was verified by the portal once the list was in, with the person's outcome
    round_.refresh_from_db()
    assert outcomes(round_) == [(person(1), outcome, days)]
    assert (round_.promised, round_.verified) == (1, verified)
    assert round_.status == ("verified" if verified else "shortfall")
    assert list(round_.lines.values_list("promised", "verified")) == [(1, verified)]


def test_one_person_fills_one_job_a_month_across_two_loans_the_report_sent_first_wins():
    # given two businesses with a loan each, both naming the same person for Mehr 1404
    first = repaying_loan(jobs=(("GJ-EN-01", 1),))
    second = repaying_loan(jobs=(("GJ-EN-01", 1),), business=verified_business())
    early = report(first_round(first), [person(7)], workshop=WORKSHOP, at=AFTER_MEHR)
    late = report(
        first_round(second), [person(7)], workshop=OTHER_WORKSHOP, at=AFTER_MEHR + datetime.timedelta(hours=2)
    )

    # when both workshops' lists have the person for the whole month (two part-time jobs on paper)
    job = import_list([(person(7), WORKSHOP, "1404/07", 30), (person(7), OTHER_WORKSHOP, "1404/07", 30)])

    # then the person counts once: for the report sent first
    early.refresh_from_db()
    late.refresh_from_db()
    assert job.rounds_verified == 2
    assert outcomes(early) == [(person(7), "verified", 30)]
    assert outcomes(late) == [(person(7), "counted_elsewhere", 30)]
    assert (early.verified, late.verified) == (1, 0)
    assert Employee.objects.filter(national_id=person(7), month=MEHR_1404, outcome="verified").count() == 1


def test_verifying_the_later_report_first_keeps_the_person_with_the_round_verified_first():
    # given the same person named for two loans; only the second loan's list is in so far
    first = repaying_loan(jobs=(("GJ-EN-01", 1),))
    second = repaying_loan(jobs=(("GJ-EN-01", 1),), business=verified_business())
    early = report(first_round(first), [person(8)], workshop=WORKSHOP)
    late = report(
        first_round(second), [person(8)], workshop=OTHER_WORKSHOP, at=AFTER_MEHR + datetime.timedelta(hours=1)
    )
    import_list([(person(8), OTHER_WORKSHOP, "1404/07", 30)])
    late.refresh_from_db()
    assert outcomes(late) == [(person(8), "verified", 30)]

    # when the first business's list arrives too
    import_list([(person(8), WORKSHOP, "1404/07", 30)])

    # then the person stays counted where they were counted first
    early.refresh_from_db()
    assert outcomes(early) == [(person(8), "counted_elsewhere", 30)]
    assert Employee.objects.filter(national_id=person(8), outcome="verified").get().round_id == late.pk


def test_a_person_insured_at_another_workshop_is_not_counted():
    # given a report naming two people; one is insured at the business, one only somewhere else
    loan = repaying_loan(jobs=(("GJ-EN-01", 2),))
    round_ = report(first_round(loan), [person(1), person(2)], workshop=WORKSHOP)

    # when the lists come in
    import_list([(person(1), WORKSHOP, "1404/07", 30), (person(2), OTHER_WORKSHOP, "1404/07", 30)])

    # then one job of two is verified: a 50% shortfall, beyond the 20% tolerance, flagged to MCLS
    round_.refresh_from_db()
    assert outcomes(round_) == [(person(1), "verified", 30), (person(2), "insured_elsewhere", None)]
    assert (round_.promised, round_.verified, round_.shortfall) == (2, 1, 1)
    assert (round_.status, round_.flag) == ("shortfall", Flag.SHORTFALL)
    assert round_.sla_due_on == datetime.date(2025, 11, 12)
    assert list(
        RoundEvent.objects.filter(round=round_)
        .order_by("pk")
        .values_list("action", "from_status", "to_status", "actor")
    ) == [
        ("plan", "", "pending", None),
        ("report", "pending", "reported", loan.applicant_id),
        ("verify_imported", "reported", "shortfall", None),
    ]


def test_people_beyond_the_promise_or_in_an_occupation_not_promised_fill_no_job():
    loan = repaying_loan(jobs=(("GJ-EN-01", 1),))
    round_ = report(first_round(loan), [person(1), person(2)], workshop=WORKSHOP)
    import_list([(person(1), WORKSHOP, "1404/07", 30), (person(2), WORKSHOP, "1404/07", 30)])

    round_.refresh_from_db()
    assert outcomes(round_) == [(person(1), "verified", 30), (person(2), "beyond_promise", 30)]
    assert (round_.verified, round_.status, round_.flag) == (1, "verified", "")


def test_without_the_month_s_list_nothing_is_verified_and_mcls_may_check_again_later():
    loan = repaying_loan(jobs=(("GJ-EN-01", 1),))
    round_ = report(first_round(loan), [person(1)], workshop=WORKSHOP)
    officer = make_staff("MCLS", "officer")
    with time_machine.travel(AFTER_MEHR):
        round_verify(round_id=round_.pk, actor=officer)
    round_.refresh_from_db()
    assert outcomes(round_) == [(person(1), Outcome.NO_LIST, None)]
    assert round_.status == "shortfall"

    # the list is imported later; a shortfall round is verified again by a person
    import_list([(person(1), WORKSHOP, "1404/07", 25)])
    with time_machine.travel(AFTER_MEHR):
        round_verify(round_id=round_.pk, actor=officer, expected_status="shortfall")
    round_.refresh_from_db()
    assert (round_.status, round_.verified, round_.flag) == ("verified", 1, "")


@pytest.mark.parametrize(
    ("promised", "verified", "tolerance", "flagged"),
    [
        (5, 4, "20", False),
        (5, 3, "20", True),
        (2, 1, "50", False),
        (2, 1, "49.99", True),
        (3, 0, "100", False),
    ],
)
def test_the_tolerance_is_the_share_of_promised_jobs_that_may_be_missing(
    promised, verified, tolerance, flagged
):
    assert beyond_tolerance(promised=promised, verified=verified, tolerance=Decimal(tolerance)) is flagged


def test_only_mcls_verifies_and_a_refusal_changes_nothing():
    loan = repaying_loan(jobs=(("GJ-EN-01", 1),))
    round_ = report(first_round(loan), [person(1)], workshop=WORKSHOP)
    for who in (make_staff("DOE", "reviewer"), loan.applicant):
        with pytest.raises(Exception) as refused:
            round_verify(round_id=round_.pk, actor=who)
        assert getattr(refused.value, "code", "") == "forbidden"
    fresh = Round.objects.get(pk=round_.pk)
    assert (fresh.status, fresh.verified, fresh.verified_at) == ("reported", 0, None)
    assert outcomes(fresh) == [(person(1), "", None)]
