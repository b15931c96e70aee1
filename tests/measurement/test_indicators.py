"""Each indicator's actual on a known data set, built the way people build it (services and factories, with
the clock set so every event falls in a chosen Jalali period), with exact numbers.

The quarter under test is 1404-Q2 (1 Tir – 31 Shahrivar 1404). Around it: events in 1404-Q1 (before) and
1404-Q3 (after), which flow indicators must leave out and cumulative ones must count when they are past.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import jdatetime
import pytest

from incentives.models import Instalment
from incentives.services import applications as loan_services
from incentives.services import repayments
from measurement import indicators as measures
from measurement.models import Indicator
from measurement.periods import Period
from measurement.services import reports
from measurement.services import targets as target_services
from programs.models import Bid, GreenOccupation, Project
from programs.services import assessments, occupations
from programs.services.registrations import business_transition
from tests.factories import (
    ApplicantFactory,
    CourseFactory,
    GreenJobFactory,
    ProgrammeManagerFactory,
    SessionFactory,
    county,
    fill_checklist,
    loan_at,
    loan_draft,
    make_staff,
    registration_in,
    valid_national_id,
)
from training.models import Certificate
from training.services import activities, certificates, enrolment, results

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]

TEHRAN = ZoneInfo("Asia/Tehran")
QUARTER = Period.parse("1404-Q2")


def tehran(year, month, day, hour=10, minute=0) -> datetime.datetime:
    """A moment given in the Jalali calendar, Tehran time."""
    day = jdatetime.date(year, month, day).togregorian()
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TEHRAN)


def jday(year, month, day) -> datetime.date:
    return jdatetime.date(year, month, day).togregorian()


BEFORE = tehran(1404, 2, 10)  # 1404-Q1
DURING = tehran(1404, 5, 10)  # 1404-Q2
AFTER = tehran(1404, 8, 10)  # 1404-Q3
ARREARS_DAY = jday(1405, 3, 1)

# A checklist whose savings differ from FULL_CHECKLIST's, so the two verifications add up visibly.
# energy 500 kWh, water 20 m³, materials 0.5 t, waste 0.75 t
OTHER_CHECKLIST = (
    ("energy", "2000", "1500"),
    ("water", "80", "60"),
    ("materials", "4.5", "4"),
    ("waste", "3", "2.25"),
    ("emissions", "50", "40"),
    ("permits", None, None),
)


def verified_with(checklist, *, kind, officer, reviewer, **kwargs):
    business = registration_in("under_assessment", officer=officer, reviewer=reviewer, **kwargs)
    fill_checklist(business, officer, items=checklist)
    return business_transition(business_id=business.pk, actor=reviewer, name="verify", verified_kind=kind)


def decided_with_findings(move, findings: int, *, officer, reviewer):
    """A registration DOE sends back or rejects, with `findings` requirements not met on its checklist."""
    business = registration_in("under_assessment", officer=officer, reviewer=reviewer)
    assessment = business.assessments.get(status="in_progress")
    for category in ("energy", "waste", "permits")[:findings]:
        assessments.assessment_item_save(
            assessment_id=assessment.pk, actor=officer, category=category, description="بررسی",
            compliant=False, note="رعایت نشده",
        )  # fmt: skip
    return business_transition(
        business_id=business.pk, actor=reviewer, name=move, reason="الزامات رعایت نشده"
    )


def occupation(code, kind, introduced_on, actor):
    return occupations.occupation_create(
        actor=actor,
        data={
            "code": code, "name_fa": f"شغل {code}", "name_en": f"Occupation {code}", "sector": "energy",
            "kind": kind, "requirements_fa": "الزامات", "requirements_en": "Requirements",
            "training_standard_code": "", "introduced_on": introduced_on, "is_active": True,
        },
    )  # fmt: skip


def awarded_project(awarded_on, *, amount, knowledge_based, doe):
    project = Project.objects.create(
        title_fa="طرح کلان", lead_agency=doe, estimated_value=amount, bids_close_on=awarded_on
    )
    winner = Bid.objects.create(
        project=project, bidder="شرکت برنده", amount=amount, technical_score=80,
        is_knowledge_based=knowledge_based,
    )  # fmt: skip
    Bid.objects.create(project=project, bidder="شرکت دیگر", amount=amount + 1, technical_score=70)
    project.awarded_bid = winner
    project.status = Project.Status.AWARDED
    project.awarded_on = awarded_on
    project.save()
    return project


def trained(session, tvto, scores_by_person):
    """Enrols each person, takes one roll call with everyone present, records the scores, issues."""
    enrolled = {
        person: enrolment.enrolment_create(session_id=session.pk, person=person, actor=person)
        for person in scores_by_person
    }
    meeting = results.meeting_add(session_id=session.pk, actor=tvto, held_on=session.starts_on)
    results.attendance_record(
        meeting_id=meeting.pk, actor=tvto, present_enrolment_ids=[e.pk for e in enrolled.values()]
    )
    results.results_record(
        session_id=session.pk,
        actor=tvto,
        scores={enrolled[person].pk: scores for person, scores in scores_by_person.items()},
    )
    certificates.certificates_issue_for_session(session_id=session.pk)
    return enrolled


PASS, FAIL = (90, 85), (30, 90)


@pytest.fixture
def dataset(time_machine, agencies):
    """The known data set. Expected figures for 1404-Q2 are in EXPECTED_Q2."""
    # The seeded catalogue was introduced when the test database was made; move it out of the way.
    GreenOccupation.objects.update(introduced_on=datetime.date(2020, 1, 1))
    doe_officer, doe_reviewer = make_staff("DOE", "officer"), make_staff("DOE", "reviewer")
    tvto = make_staff("TVTO", "officer")
    shared_person = valid_national_id("300000001")
    made = {}

    # --- before the quarter (1404-Q1) ---
    time_machine.move_to(BEFORE, tick=False)
    made["b1"] = registration_in("verified", officer=doe_officer, reviewer=doe_reviewer)
    GreenJobFactory(business=made["b1"], holder_national_id=shared_person)
    occupation("T-OLD", "new_green", jday(1404, 3, 31), doe_officer)
    early_loan = loan_at("decision", amount=700_000_000)
    activities.activity_create(
        actor=doe_officer,
        data={"title": "کارگاه", "kind": "workshop", "held_on": jday(1404, 3, 31), "county": county(),
              "audience": "workers", "workers_count": 100, "employers_count": 100},
    )  # fmt: skip

    # --- the quarter (1404-Q2) ---
    time_machine.move_to(DURING, tick=False)
    made["b2"] = registration_in("verified", officer=doe_officer, reviewer=doe_reviewer)
    GreenJobFactory(business=made["b2"], holder_national_id=shared_person)
    made["b3"] = verified_with(
        OTHER_CHECKLIST, kind="greened_existing", officer=doe_officer, reviewer=doe_reviewer
    )
    decided_with_findings("reject", 1, officer=doe_officer, reviewer=doe_reviewer)
    decided_with_findings("request_changes", 2, officer=doe_officer, reviewer=doe_reviewer)

    occupation("T-NEW-1", "new_green", jday(1404, 4, 1), doe_officer)
    occupation("T-NEW-2", "new_green", jday(1404, 6, 31), doe_officer)
    occupation("T-GREENED", "greened_existing", jday(1404, 5, 1), doe_officer)

    loan_services.application_transition(
        application_id=early_loan.pk, actor=make_staff("MCLS", "manager"), name="approve"
    )
    made["loan"] = loan = loan_at("approved", amount=1_000_000_000)
    mcls_officer = make_staff("MCLS", "officer")
    loan_services.application_transition(
        application_id=loan.pk, actor=mcls_officer, name="contract", contract_number="QOM-1404-17",
        contracted_on=DURING.date(),
    )  # fmt: skip
    for number, (amount, paid_at) in enumerate(
        [(600_000_000, DURING), (400_000_000, tehran(1404, 6, 20))], start=1
    ):
        # A tranche is recorded once it has been paid, never ahead of its date.
        time_machine.move_to(paid_at, tick=False)
        repayments.disbursement_record(
            application_id=loan.pk, actor=mcls_officer, amount=amount, paid_on=paid_at.date(),
            request_key=f"tranche-{number}",
        )  # fmt: skip
    time_machine.move_to(DURING, tick=False)
    refused = loan_at("environmental_review", amount=500_000_000)
    loan_services.application_transition(
        application_id=refused.pk, actor=make_staff("DOE", "reviewer"), name="environment_reject",
        reason="پسماند صنعتی مدیریت نمی‌شود",
    )  # fmt: skip

    workers = SessionFactory(course=CourseFactory(audience="workers"))
    employers = SessionFactory(course=CourseFactory(audience="employers"))
    p1, p2, p3, p4, p6 = ApplicantFactory.create_batch(5)
    trained(workers, tvto, {p1: PASS, p2: PASS, p3: FAIL, p6: PASS})
    trained(employers, tvto, {p1: PASS, p4: FAIL})
    certificates.certificate_revoke(
        certificate_id=Certificate.objects.get(enrolment__person=p2).pk, actor=tvto, reason="صدور اشتباه"
    )
    for held_on, workers_count, employers_count in [(DURING.date(), 30, 5), (jday(1404, 6, 31), 20, 10)]:
        activities.activity_create(
            actor=tvto,
            data={"title": "همایش", "kind": "seminar", "held_on": held_on, "audience": "employers",
                  "workers_count": workers_count, "employers_count": employers_count},
        )  # fmt: skip

    doe = agencies["DOE"]
    awarded_project(DURING.date(), amount=3_000_000_000, knowledge_based=True, doe=doe)
    awarded_project(DURING.date(), amount=1_000_000_000, knowledge_based=False, doe=doe)
    awarded_project(jday(1404, 6, 31), amount=2_000_000_000, knowledge_based=False, doe=doe)

    # --- after the quarter (1404-Q3) ---
    time_machine.move_to(AFTER, tick=False)
    made["b4"] = registration_in("verified", officer=doe_officer, reviewer=doe_reviewer)
    occupation("T-LATER", "new_green", jday(1404, 7, 1), doe_officer)
    loan_at("approved", amount=300_000_000)
    trained(SessionFactory(course=CourseFactory(audience="workers")), tvto, {ApplicantFactory(): PASS})
    activities.activity_create(
        actor=tvto,
        data={"title": "بازدید", "kind": "site_visit", "held_on": jday(1404, 7, 1), "audience": "workers",
              "workers_count": 7, "employers_count": 7},
    )  # fmt: skip
    awarded_project(AFTER.date(), amount=5_000_000_000, knowledge_based=True, doe=doe)
    Project.objects.create(
        title_fa="طرح باز", lead_agency=doe, estimated_value=1, bids_close_on=AFTER.date()
    )  # still taking bids: never counted

    # --- today: the loan's first instalments are overdue ---
    time_machine.move_to(tehran(1405, 3, 1, 2), tick=False)
    repayments.arrears_refresh_all(today=ARREARS_DAY)
    return made


EXPECTED_Q2 = {
    # G1.1 cumulative: b1 (before) + b2, b3 (in the quarter); b4 came after.
    "G1.1": Decimal(3),
    # G1.2 people in b1–b3, each once: b1's, b2's and b3's own holder and the person in both b1 and b2.
    "G1.2": Decimal(4),
    # Submitted in the quarter: the 1 000 000 000 loan and the 500 000 000 one refused by DOE.
    "G1.3": Decimal(2),
    "G1.4": Decimal("1500000000.00"),
    # Approved in the quarter: the loan submitted in Q1 (700 000 000) and the 1 000 000 000 one.
    "G1.5": Decimal(2),
    "G1.6": Decimal("1700000000.00"),
    # One loan paid out in two tranches within the quarter.
    "G1.7": Decimal(1),
    "G1.8": Decimal("1000000000.00"),
    # Nothing was due by the quarter's end: the loan was in its grace months (its own test has the rest).
    "G1.9": Decimal("0.00"),
    # The loan's monitoring rounds check months after the quarter: none is assessed.
    "G1.10": Decimal(0),
    "G1.11": Decimal(0),
    "G1.12": Decimal("0.00"),
    "G1.13": Decimal("0.00"),
    # b2, b3 verified; one rejected with 1 finding; one returned for changes with 2 findings.
    "G2.1": Decimal(4),
    "G2.2": Decimal(3),
    "G2.3": Decimal(1),
    # New green occupations introduced on 1 Tir and 31 Shahrivar; the greened one does not count.
    "G3.1": Decimal(2),
    "G3.2": Decimal(1),
    "G4.1": Decimal(1),
    # b2 (FULL_CHECKLIST: 300, 50, 1, 3) + b3 (OTHER_CHECKLIST: 500, 20, 0.5, 0.75).
    "G4.2": Decimal("800.00"),
    "G4.3": Decimal("70.00"),
    "G4.4": Decimal("1.50"),
    "G4.5": Decimal("3.75"),
    # Workers course: four people with a result (one failed); employers course: two.
    "G5.1": Decimal(4),
    "G5.2": Decimal(2),
    # Certificates: p1 (twice, one person), p6; p2's was revoked.
    "G5.3": Decimal(2),
    # Two activities in the quarter: 30 + 20 workers, 5 + 10 employers.
    "G5.4": Decimal(50),
    "G5.5": Decimal(15),
    "G5.6": Decimal(2),
    # Three projects awarded: one knowledge-based (3 of 6 billion Rials of contracts).
    "G6.1": Decimal(3),
    "G6.2": Decimal("33.33"),
    "G6.3": Decimal("50.00"),
}


def test_every_computed_indicator_has_its_exact_actual_for_the_quarter(dataset):
    assert set(EXPECTED_Q2) == set(measures.COMPUTED)
    actuals = {code: compute(QUARTER.start, QUARTER.end) for code, compute in measures.COMPUTED.items()}

    for code, value in actuals.items():
        assert isinstance(value, Decimal), code
    assert actuals == EXPECTED_Q2


def test_the_portfolio_in_arrears_of_a_period_is_what_was_overdue_at_its_end(dataset):
    """Regression: G1.9 showed today's arrears for every period, back to before the loan existed."""
    loan = dataset["loan"]
    loan.refresh_from_db()
    due = Instalment.objects.filter(application=loan, due_on__lt=ARREARS_DAY).order_by("number")

    assert loan.stage == "in_arrears"
    # Six months' grace from the first tranche (10 Mordad 1404); 10 Esfand, 10 Farvardin and 10 Ordibehesht
    # fell due before 1 Khordad 1405, 30 119 407 Rials each, and nothing was paid.
    assert [(instalment.due_on, instalment.amount) for instalment in due] == [
        (jday(1404, 12, 10), 30_119_407),
        (jday(1405, 1, 10), 30_119_407),
        (jday(1405, 2, 10), 30_119_407),
    ]
    assert loan.overdue_amount == 90_358_221
    expected = {
        "1403": 0,  # before the loan existed
        "1404-Q2": 0,  # paid out, still in its grace months
        "1404-Q4": 30_119_407,  # the 10 Esfand instalment, unpaid on 29 Esfand
        "1404": 30_119_407,
        "1405-01": 60_238_814,  # 10 Esfand's and 10 Farvardin's, unpaid on 31 Farvardin
        "1405-Q1": 90_358_221,  # the quarter is not over: what is overdue today, as the daily run says
    }
    for key, value in expected.items():
        period = Period.parse(key)
        assert measures.portfolio_in_arrears(period.start, period.end) == Decimal(value), key


def test_a_payment_lowers_the_arrears_from_the_day_it_was_made_and_never_below_zero(dataset):
    loan = dataset["loan"]
    mcls_officer = make_staff("MCLS", "officer")
    # 25 Farvardin 1405: one instalment and a little more.
    repayments.payment_record(
        application_id=loan.pk, actor=mcls_officer, amount=40_000_000, paid_on=jday(1405, 1, 25),
        reference="BANK-1", request_key="payment-1-of-loan",
    )  # fmt: skip

    def arrears(key):
        period = Period.parse(key)
        return measures.portfolio_in_arrears(period.start, period.end)

    # 29 Esfand 1404: the payment had not been made yet.
    assert arrears("1404") == Decimal("30119407.00")
    # 31 Farvardin 1405: 2 × 30 119 407 due, 40 000 000 paid.
    assert arrears("1405-01") == Decimal("20238814.00")
    # Today: 3 × 30 119 407 due, 40 000 000 paid; the same figure the daily run keeps on the loan.
    assert arrears("1405-Q1") == Decimal("50358221.00")
    loan.refresh_from_db()
    assert loan.overdue_amount == 50_358_221

    # Paying ahead of time is no negative arrears: the month of Esfand 1404 is read on its own.
    repayments.payment_record(
        application_id=loan.pk, actor=mcls_officer, amount=60_000_000, paid_on=jday(1405, 2, 31),
        reference="BANK-2", request_key="payment-2-of-loan",
    )  # fmt: skip
    assert arrears("1405-Q1") == Decimal("0.00")
    assert arrears("1405-02") == Decimal("0.00")
    assert arrears("1404-12") == Decimal("30119407.00")


def test_cumulative_indicators_count_everything_to_the_period_end_and_flows_only_the_period(dataset):
    rows = {row["code"]: row for row in reports.indicator_rows(Period.parse("1404-Q3"), trend=True)}

    def trend(code):
        return {point["period"]: point["value"] for point in rows[code]["trend"] if point["period"] >= "1404"}

    # verified businesses: a stock that grows; new green businesses verified: what each quarter added.
    assert trend("G1.1") == {"1404-Q1": 1, "1404-Q2": 3, "1404-Q3": 4}
    assert trend("G3.2") == {"1404-Q1": 1, "1404-Q2": 1, "1404-Q3": 1}
    assert trend("G5.6") == {"1404-Q1": 1, "1404-Q2": 2, "1404-Q3": 1}
    year = {row["code"]: row for row in reports.indicator_rows(Period.parse("1404"), trend=False)}
    assert (year["G1.1"]["actual"], year["G3.2"]["actual"], year["G5.6"]["actual"]) == (4, 3, 4)
    assert (year["G1.3"]["actual"], year["G1.4"]["actual"]) == (4, 2_500_000_000)


def test_a_renewal_is_not_a_new_green_business_again(time_machine, agencies):
    officer, reviewer = make_staff("DOE", "officer"), make_staff("DOE", "reviewer")
    time_machine.move_to(DURING, tick=False)
    business = registration_in("verified", officer=officer, reviewer=reviewer)
    time_machine.move_to(AFTER, tick=False)
    business_transition(business_id=business.pk, actor=business.owner, name="request_renewal")
    business_transition(business_id=business.pk, actor=officer, name="start_assessment")
    fill_checklist(business, officer)
    business_transition(business_id=business.pk, actor=reviewer, name="verify", verified_kind="new_green")
    q3 = Period.parse("1404-Q3")

    assert measures.verified_businesses(q3.start, q3.end) == Decimal(1)  # renewals count once
    assert measures.assessments_decided(q3.start, q3.end) == Decimal(1)  # the renewal was assessed
    assert measures.new_green_businesses(q3.start, q3.end) == Decimal(0)


# --- the period boundary: 1 Farvardin ------------------------------------------------------------------


def test_an_event_late_on_29_esfand_counts_in_the_old_year_and_one_just_after_midnight_in_the_new(
    time_machine, agencies
):
    assert Period.parse("1404").end == datetime.date(2026, 3, 20)
    assert Period.parse("1405-Q1").start == datetime.date(2026, 3, 21)
    for moment in (tehran(1404, 12, 29, 23, 30), tehran(1405, 1, 1, 0, 10)):
        time_machine.move_to(moment, tick=False)
        registration_in("verified")
        application = loan_draft()
        loan_services.application_transition(
            application_id=application.pk, actor=application.applicant, name="submit"
        )

    def actual(code, period):
        parsed = Period.parse(period)
        return measures.COMPUTED[code](parsed.start, parsed.end)

    for code in ("G1.3", "G3.2", "G2.1"):
        assert [actual(code, p) for p in ("1404-12", "1404-Q4", "1404", "1405-01", "1405-Q1", "1405")] == [
            Decimal(1)
        ] * 6, code
    assert actual("G1.1", "1404") == Decimal(1)
    assert actual("G1.1", "1405-Q1") == Decimal(2)
    assert Period.containing(datetime.date(2026, 3, 20), "quarter").key == "1404-Q4"
    assert Period.containing(datetime.date(2026, 3, 21), "quarter").key == "1405-Q1"


# --- percent of target -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "value", "expected"),
    [
        ("up", "10", "30", "25", Decimal("75.0")),
        ("up", "0", "30", "8", Decimal("26.7")),
        ("up", "0", "5", "15", Decimal("300.0")),  # overshooting is shown as it is
        ("up", "10", "30", "5", Decimal("-25.0")),  # fell below the baseline
        ("down", "100", "40", "70", Decimal("50.0")),
        ("down", "100", "40", "40", Decimal("100.0")),
        ("down", "100", "40", "130", Decimal("-50.0")),  # got worse
        ("up", "10", "10", "12", None),  # no distance to cover
        ("down", "0", "0", "5", None),
        ("up", "0", None, "5", None),  # no target set
        ("up", "0", "30", None, None),  # no figure (a manual indicator without an entry)
    ],
)
def test_percent_of_target_runs_from_the_baseline_in_the_indicator_direction(
    direction, baseline, target, value, expected
):
    indicator = Indicator(code="X", direction=direction, baseline=Decimal(baseline))

    percent = measures.percent_of_target(
        indicator, None if value is None else Decimal(value), None if target is None else Decimal(target)
    )

    assert percent == expected


# --- a hand-entered indicator --------------------------------------------------------------------------


def test_a_manual_indicator_has_the_entered_figure_for_its_period_and_none_without_one(agencies):
    indicator = Indicator.objects.get(code="G5.7")
    assert indicator.source == "manual"
    manager = ProgrammeManagerFactory()
    target_services.target_set(actor=manager, indicator_id=indicator.pk, jalali_year=1404, value="50000")
    target_services.manual_value_set(
        actor=manager, indicator_id=indicator.pk, period="1404-Q2", value="12500", note="برآورد صداوسیما"
    )
    q2, q3 = Period.parse("1404-Q2"), Period.parse("1404-Q3")

    assert measures.actual(indicator, q2.start, q2.end) == Decimal("12500.00")
    assert measures.actual(indicator, q3.start, q3.end) is None
    # The quarter's figure is not the year's: a year needs its own entry.
    assert measures.actual(indicator, Period.parse("1404").start, Period.parse("1404").end) is None
    rows = {row["code"]: row for row in reports.indicator_rows(q2, trend=False)}
    assert (rows["G5.7"]["actual"], rows["G5.7"]["target"], rows["G5.7"]["percent"]) == (12500, 50000, 25)
    rows = {row["code"]: row for row in reports.indicator_rows(q3, trend=False)}
    assert (rows["G5.7"]["actual"], rows["G5.7"]["target"], rows["G5.7"]["percent"]) == (None, 50000, None)


def test_green_jobs_of_a_past_period_count_the_registrations_verified_then(time_machine, agencies):
    """Regression: G1.2 read today's status, so a business back under review dropped out of past periods."""
    officer, reviewer = make_staff("DOE", "officer"), make_staff("DOE", "reviewer")
    time_machine.move_to(DURING, tick=False)
    business = registration_in("verified", officer=officer, reviewer=reviewer)
    holders = set(business.green_jobs.values_list("holder_national_id", flat=True))
    assert len(holders) >= 1
    time_machine.move_to(AFTER, tick=False)
    business_transition(business_id=business.pk, actor=business.owner, name="request_renewal")
    q2, q3 = Period.parse("1404-Q2"), Period.parse("1404-Q3")

    # At the end of 1404-Q2 the business was verified; at the end of 1404-Q3 it was waiting for renewal.
    assert measures.green_jobs_unique(q2.start, q2.end) == Decimal(len(holders))
    assert measures.green_jobs_unique(q3.start, q3.end) == Decimal(0)
    # Before its first verification it counted nowhere.
    q1 = Period.parse("1404-Q1")
    assert measures.green_jobs_unique(q1.start, q1.end) == Decimal(0)


def test_a_certificate_revoked_after_a_period_still_counts_for_that_period(time_machine, agencies):
    """Regression: G5.3 left out of past periods the certificates revoked since."""
    tvto = make_staff("TVTO", "officer")
    time_machine.move_to(DURING, tick=False)
    kept, revoked = ApplicantFactory.create_batch(2)
    trained(SessionFactory(course=CourseFactory(audience="workers")), tvto, {kept: PASS, revoked: PASS})
    time_machine.move_to(AFTER, tick=False)
    certificates.certificate_revoke(
        certificate_id=Certificate.objects.get(enrolment__person=revoked).pk, actor=tvto, reason="صدور اشتباه"
    )
    q2, year = Period.parse("1404-Q2"), Period.parse("1404")

    # Both were valid on 31 Shahrivar; by the end of the year one had been revoked.
    assert measures.people_certified(q2.start, q2.end) == Decimal(2)
    assert measures.people_certified(year.start, year.end) == Decimal(1)
