"""Money after approval: tranches paid out, the repayment schedule, payments in, and arrears."""

import datetime
import itertools
from decimal import Decimal

import jdatetime
import pytest
import time_machine
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from greenjobs.exceptions import ConflictError, DomainError
from incentives import tasks
from incentives.models import Disbursement, Instalment, LoanApplication, LoanScheme, Payment
from incentives.services import schedule
from incentives.services.applications import application_transition
from incentives.services.repayments import arrears_refresh_all, disbursement_record, payment_record
from incentives.services.schedule import add_jalali_months
from tests.factories import ApplicantFactory, LoanSchemeFactory, loan_at, make_staff

BILLION = 1_000_000_000
db = pytest.mark.django_db
needs = pytest.mark.usefixtures("agencies", "private_media", "empty_cache")


def jalali(year, month, day) -> datetime.date:
    return jdatetime.date(year, month, day).togregorian()


def tehran_noon(day: datetime.date) -> datetime.datetime:
    """Noon in Tehran (UTC+3:30), so timezone.localdate() is `day`."""
    return datetime.datetime(day.year, day.month, day.day, 8, 30, tzinfo=datetime.UTC)


def contracted(scheme=None, **fields):
    """A real application, approved and contracted on 1404/01/12 (2025-04-01), the day it was reviewed;
    returns it with the MCLS officer who pays it out."""
    with time_machine.travel(tehran_noon(datetime.date(2025, 4, 1))):
        application = loan_at("approved", scheme=scheme or LoanSchemeFactory(**fields))
        officer = make_staff("MCLS", "officer")
        application_transition(
            application_id=application.pk,
            actor=officer,
            name="contract",
            contract_number="QOM-1404-0042",
            contracted_on=datetime.date(2025, 4, 1),
            operation_starts_on=datetime.date(2025, 9, 1),
        )
    application.refresh_from_db()
    assert application.stage == "contracted"
    return application, officer


def state(application) -> dict:
    """Everything a refused or repeated action must leave as it was, read fresh from the database."""
    fresh = LoanApplication.objects.get(pk=application.pk)
    scheme = LoanScheme.objects.get(pk=fresh.scheme_id)
    return {
        "stage": fresh.stage,
        "stage_changed_at": fresh.stage_changed_at,
        "disbursed_amount": fresh.disbursed_amount,
        "first_disbursed_on": fresh.first_disbursed_on,
        "overdue_amount": fresh.overdue_amount,
        "days_late": fresh.days_late,
        "arrears_checked_on": fresh.arrears_checked_on,
        "updated_at": fresh.updated_at,
        "events": list(fresh.events.values_list("pk", "action", "from_stage", "to_stage")),
        "committed": scheme.committed,
        "disbursed": scheme.disbursed,
        "disbursements": list(fresh.disbursements.values_list("pk", "amount", "request_key")),
        "instalments": list(fresh.instalments.values_list("number", "amount", "paid")),
        "payments": list(fresh.payments.values_list("pk", "amount", "request_key")),
    }


def without_updated_at(snapshot: dict) -> dict:
    return {key: value for key, value in snapshot.items() if key != "updated_at"}


def new_events(application, before):
    known = {pk for pk, *_rest in before["events"]}
    events = LoanApplication.objects.get(pk=application.pk).events.exclude(pk__in=known).order_by("pk")
    # The note as an English reader sees it; what is stored is a code (see incentives.notes).
    with translation.override("en"):
        return [(e.action, e.from_stage, e.to_stage, e.actor_id, e.note) for e in events]


# --- disbursement -------------------------------------------------------------------------------------------


@db
@needs
def test_two_tranches_pay_out_the_loan_and_the_second_starts_repayment():
    # given a contracted loan of one billion under 4% over 36 months after 6 months' grace (capitalised)
    application, officer = contracted()
    before = state(application)

    # when the first tranche is paid
    with translation.override("en"):
        disbursement_record(
            application_id=application.pk,
            actor=officer,
            amount=400_000_000,
            paid_on=datetime.date(2025, 5, 10),
            request_key="tranche-1",
        )

    # then the loan is disbursed in part and nothing is due yet
    middle = state(application)
    assert (middle["stage"], middle["disbursed_amount"], middle["first_disbursed_on"]) == (
        "disbursed",
        400_000_000,
        datetime.date(2025, 5, 10),
    )
    assert (middle["committed"], middle["disbursed"], middle["instalments"]) == (BILLION, 400_000_000, [])
    assert new_events(application, before) == [
        ("disburse", "contracted", "disbursed", officer.pk, "Tranche of 400,000,000 Rials paid on 2025-05-10")
    ]

    # when the second tranche completes the approved amount
    with translation.override("en"):
        disbursement_record(
            application_id=application.pk,
            actor=officer,
            amount=600_000_000,
            paid_on=datetime.date(2025, 6, 1),
            request_key="tranche-2",
        )

    # then repayment starts on the schedule counted from the first tranche
    after = state(application)
    assert (after["stage"], after["disbursed_amount"], after["first_disbursed_on"]) == (
        "repaying",
        BILLION,
        datetime.date(2025, 5, 10),
    )
    assert (after["committed"], after["disbursed"]) == (BILLION, BILLION)
    assert new_events(application, middle) == [
        ("disburse", "disbursed", "disbursed", officer.pk, "Tranche of 600,000,000 Rials paid on 2025-06-01"),
        ("start_repayment", "disbursed", "repaying", None, ""),
    ]
    plan = schedule.build(
        principal=BILLION,
        annual_rate=Decimal("4.00"),
        term_months=36,
        grace_months=6,
        capitalise_grace=True,
        start=datetime.date(2025, 5, 10),
    )
    rows = list(
        Instalment.objects.filter(application=application)
        .order_by("number")
        .values_list("number", "due_on", "principal", "interest", "amount", "balance_after", "paid")
    )
    assert len(rows) == 36
    assert rows == [
        (line.number, line.due_on, line.principal, line.interest, line.amount, line.balance_after, 0)
        for line in plan.lines
    ]
    assert rows[0][1] == add_jalali_months(datetime.date(2025, 5, 10), 7)
    assert sum(row[2] for row in rows) == BILLION + plan.capitalised_interest


@db
@needs
def test_grace_counted_from_the_start_of_operation_when_the_scheme_says_so():
    application, officer = contracted(grace_starts="operation", grace_months=3, term_months=12)

    disbursement_record(
        application_id=application.pk,
        actor=officer,
        amount=BILLION,
        paid_on=datetime.date(2025, 5, 10),
        request_key="all",
    )

    first = Instalment.objects.get(application=application, number=1)
    assert first.due_on == add_jalali_months(datetime.date(2025, 9, 1), 4)
    assert Instalment.objects.filter(application=application).count() == 12


@db
@needs
def test_the_same_request_key_twice_pays_once():
    application, officer = contracted()
    first = disbursement_record(
        application_id=application.pk,
        actor=officer,
        amount=400_000_000,
        paid_on=datetime.date(2025, 5, 10),
        request_key="double-click",
    )
    before = state(application)

    again = disbursement_record(
        application_id=application.pk,
        actor=officer,
        amount=400_000_000,
        paid_on=datetime.date(2025, 5, 10),
        request_key="double-click",
    )

    assert again.pk == first.pk
    assert state(application) == before
    assert (before["disbursed"], before["disbursed_amount"]) == (400_000_000, 400_000_000)
    assert Disbursement.objects.filter(request_key="double-click").count() == 1


@db
@needs
def test_a_request_key_used_for_another_application_is_refused():
    application, officer = contracted()
    other, _officer = contracted()
    disbursement_record(
        application_id=application.pk,
        actor=officer,
        amount=100,
        paid_on=datetime.date(2025, 5, 10),
        request_key="shared",
    )
    before = state(other)

    with pytest.raises(ConflictError) as caught:
        disbursement_record(
            application_id=other.pk,
            actor=officer,
            amount=100,
            paid_on=datetime.date(2025, 5, 10),
            request_key="shared",
        )

    assert caught.value.code == "key_reused"
    assert state(other) == before


@db
@needs
@pytest.mark.parametrize("amount", [600_000_001, 0, -1])
def test_a_tranche_outside_what_is_left_is_refused_and_changes_nothing(amount):
    application, officer = contracted()
    disbursement_record(
        application_id=application.pk,
        actor=officer,
        amount=400_000_000,
        paid_on=datetime.date(2025, 5, 10),
        request_key="tranche-1",
    )
    before = state(application)

    with translation.override("en"), pytest.raises(DomainError) as caught:
        disbursement_record(
            application_id=application.pk,
            actor=officer,
            amount=amount,
            paid_on=datetime.date(2025, 6, 1),
            request_key="tranche-2",
        )

    assert (caught.value.code, caught.value.message) == (
        "amount_out_of_range",
        "A tranche must be between 1 and the 600,000,000 Rials still to pay out.",
    )
    assert state(application) == before
    assert not Disbursement.objects.filter(request_key="tranche-2").exists()


@db
@needs
@pytest.mark.parametrize(
    ("stage", "label"), [("approved", "Approved"), ("decision", "Awaiting decision (MCLS)")]
)
def test_disbursing_before_the_contract_is_refused_and_changes_nothing(stage, label):
    application = loan_at(stage)
    before = state(application)

    with translation.override("en"), pytest.raises(ConflictError) as caught:
        disbursement_record(
            application_id=application.pk,
            actor=make_staff("MCLS", "officer"),
            amount=100_000_000,
            paid_on=datetime.date(2025, 5, 10),
            request_key="too-early",
        )

    assert (caught.value.code, caught.value.message) == (
        "invalid_transition",
        f"Money can be paid out only on a signed contract; the application is “{label}”.",
    )
    assert state(application) == before
    assert not Disbursement.objects.exists()


@db
@needs
@pytest.mark.parametrize("who", [("MCLS", "reviewer"), ("DOE", "manager"), "owner"])
def test_only_mcls_officers_and_managers_pay_out(who):
    application, _officer = contracted()
    actor = application.applicant if who == "owner" else make_staff(*who)
    before = state(application)

    with pytest.raises(DomainError) as caught:
        disbursement_record(
            application_id=application.pk,
            actor=actor,
            amount=100_000_000,
            paid_on=datetime.date(2025, 5, 10),
            request_key="k",
        )

    assert (caught.value.code, caught.value.status_code) == ("forbidden", 403)
    assert state(application) == before


# --- the schedule: properties -------------------------------------------------------------------------------


def jalali_month_length(year: int, month: int) -> int:
    for day in (31, 30, 29):
        try:
            jdatetime.date(year, month, day)
        except ValueError:
            continue
        return day
    raise AssertionError("no month is shorter than 29 days")


@settings(max_examples=200, deadline=None)
@given(
    principal=st.integers(min_value=1, max_value=10**12),
    rate=st.one_of(
        st.decimals(min_value=0, max_value=36, places=2),
        st.sampled_from([Decimal("0"), Decimal("4"), Decimal("18"), Decimal("23.5"), Decimal("36")]),
    ),
    term=st.integers(min_value=1, max_value=120),
    grace=st.integers(min_value=0, max_value=24),
    capitalise=st.booleans(),
    start=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2080, 12, 31)),
)
def test_schedule_properties(principal, rate, term, grace, capitalise, start):
    plan = schedule.build(
        principal=principal,
        annual_rate=rate,
        term_months=term,
        grace_months=grace,
        capitalise_grace=capitalise,
        start=start,
    )
    lines = plan.lines

    assert len(lines) == term
    assert [line.number for line in lines] == list(range(1, term + 1))
    assert plan.total == principal + plan.total_interest
    assert sum(line.principal for line in lines) == principal + plan.capitalised_interest
    assert plan.capitalised_interest >= 0
    if not capitalise or not grace or not rate:
        assert plan.capitalised_interest == 0
    assert all(line.amount == line.principal + line.interest for line in lines)
    assert all(line.principal >= 0 and line.interest >= 0 and line.balance_after >= 0 for line in lines)
    assert lines[-1].balance_after == 0
    balances = [principal + plan.capitalised_interest] + [line.balance_after for line in lines]
    assert all(balances[i] - lines[i].principal == balances[i + 1] for i in range(term))

    # due dates: one Jalali month apart, on the start's day or the month's last day when it is shorter
    first = jdatetime.date.fromgregorian(date=start)
    for offset, line in enumerate(lines, start=grace + 1):
        year, month = divmod(first.year * 12 + first.month - 1 + offset, 12)
        expected = jdatetime.date(year, month + 1, min(first.day, jalali_month_length(year, month + 1)))
        assert jdatetime.date.fromgregorian(date=line.due_on) == expected
    assert all(a.due_on < b.due_on for a, b in itertools.pairwise(lines))


# --- the schedule: exact examples ---------------------------------------------------------------------------


def test_no_interest_seven_rials_over_three_months():
    plan = schedule.build(
        principal=7,
        annual_rate=Decimal("0"),
        term_months=3,
        grace_months=0,
        capitalise_grace=True,
        start=jalali(1404, 1, 12),
    )

    assert [(line.principal, line.interest, line.amount, line.balance_after) for line in plan.lines] == [
        (2, 0, 2, 5),
        (2, 0, 2, 3),
        (3, 0, 3, 0),
    ]
    assert [line.due_on for line in plan.lines] == [
        jalali(1404, 2, 12),
        jalali(1404, 3, 12),
        jalali(1404, 4, 12),
    ]
    assert (plan.total, plan.total_interest, plan.capitalised_interest) == (7, 0, 0)


def test_an_annuity_at_twelve_percent():
    plan = schedule.build(
        principal=1_200_000,
        annual_rate=Decimal("12"),
        term_months=12,
        grace_months=0,
        capitalise_grace=False,
        start=jalali(1404, 1, 1),
    )

    assert [line.amount for line in plan.lines] == [106_619] * 11 + [106_614]
    assert (plan.lines[0].principal, plan.lines[0].interest, plan.lines[0].balance_after) == (
        94_619,
        12_000,
        1_105_381,
    )
    assert (plan.lines[-1].principal, plan.lines[-1].interest) == (105_558, 1_056)
    assert (plan.total, plan.total_interest) == (1_279_423, 79_423)
    assert plan.lines[0].due_on == jalali(1404, 2, 1)
    assert plan.lines[-1].due_on == jalali(1405, 1, 1)


@pytest.mark.parametrize(
    ("capitalise", "capitalised", "lines", "total"),
    [
        (True, 20_100, [(507_512, 10_201, 517_713, 512_588), (512_588, 5_126, 517_714, 0)], 1_035_427),
        (False, 0, [(497_512, 10_000, 507_512, 502_488), (502_488, 5_025, 507_513, 0)], 1_015_025),
    ],
    ids=["capitalised", "waived"],
)
def test_interest_during_grace_is_capitalised_or_waived(capitalise, capitalised, lines, total):
    plan = schedule.build(
        principal=1_000_000,
        annual_rate=Decimal("12"),
        term_months=2,
        grace_months=2,
        capitalise_grace=capitalise,
        start=jalali(1404, 1, 1),
    )

    assert plan.capitalised_interest == capitalised
    assert [(line.principal, line.interest, line.amount, line.balance_after) for line in plan.lines] == lines
    assert plan.total == total == 1_000_000 + plan.total_interest
    assert [line.due_on for line in plan.lines] == [jalali(1404, 4, 1), jalali(1404, 5, 1)]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ((1403, 11, 30), 1, (1403, 12, 30)),  # 1403 is a leap year: Esfand has its 30th
        ((1403, 12, 30), 12, (1404, 12, 29)),  # 1404 is not: the 30th becomes the 29th
        ((1403, 12, 30), 1, (1404, 1, 30)),
        ((1403, 6, 31), 6, (1403, 12, 30)),
        ((1402, 6, 31), 6, (1402, 12, 29)),
        ((1404, 6, 31), 1, (1404, 7, 30)),  # 31 Shahrivar + 1 month = 30 Mehr
        ((1404, 6, 31), 2, (1404, 8, 30)),
        ((1404, 6, 31), 7, (1405, 1, 31)),
        ((1404, 1, 12), 0, (1404, 1, 12)),
        ((1404, 1, 12), 24, (1406, 1, 12)),
    ],
)
def test_add_jalali_months(start, months, expected):
    assert add_jalali_months(jalali(*start), months) == jalali(*expected)


def test_the_jalali_facts_the_examples_rely_on():
    assert (jalali(1403, 12, 30), jalali(1404, 6, 31), jalali(1404, 7, 30)) == (
        datetime.date(2025, 3, 20),
        datetime.date(2025, 9, 22),
        datetime.date(2025, 10, 22),
    )
    with pytest.raises(ValueError):
        jdatetime.date(1404, 12, 30)


@pytest.mark.parametrize(("principal", "term"), [(0, 12), (-1, 12), (1000, 0)])
def test_a_schedule_needs_a_positive_principal_and_term(principal, term):
    with pytest.raises(ValueError):
        schedule.build(
            principal=principal,
            annual_rate=Decimal("4"),
            term_months=term,
            grace_months=0,
            capitalise_grace=True,
            start=datetime.date(2025, 4, 1),
        )


# --- repayments and arrears ---------------------------------------------------------------------------------

START = datetime.date(2025, 4, 1)  # 1404/01/12
DUE = [
    datetime.date(2025, 5, 2),
    datetime.date(2025, 6, 2),
    datetime.date(2025, 7, 3),
]  # 12 Ordibehesht, Khordad, Tir
INSTALMENTS = [333_333_333, 333_333_333, 333_333_334]


@pytest.fixture
def repaying(db, agencies, private_media, empty_cache, time_machine):
    """One billion at 0% over three months, no grace, paid out in full on 1404/01/12."""
    time_machine.move_to(tehran_noon(START))
    scheme = LoanSchemeFactory(interest_rate="0.00", term_months=3, grace_months=0)
    application, officer = contracted(scheme)
    disbursement_record(
        application_id=application.pk, actor=officer, amount=BILLION, paid_on=START, request_key="all-at-once"
    )
    application.refresh_from_db()
    assert application.stage == "repaying"
    assert list(application.instalments.values_list("due_on", "amount", "paid")) == [
        (due, amount, 0) for due, amount in zip(DUE, INSTALMENTS, strict=True)
    ]
    return application, officer


def pay(application, actor, amount, key, *, paid_on=None):
    return payment_record(
        application_id=application.pk,
        actor=actor,
        amount=amount,
        paid_on=paid_on or timezone.localdate(),
        reference=f"BMI-{key}",
        request_key=key,
    )


def test_the_schedule_lines_are_stored(repaying):
    application, _officer = repaying

    assert list(application.instalments.values_list("number", "principal", "interest", "balance_after")) == [
        (1, 333_333_333, 0, 666_666_667),
        (2, 333_333_333, 0, 333_333_334),
        (3, 333_333_334, 0, 0),
    ]


def test_nothing_is_overdue_on_the_due_day_itself(repaying, time_machine):
    application, _officer = repaying
    time_machine.move_to(tehran_noon(DUE[0]))

    assert tasks.refresh_arrears() == 0

    fresh = LoanApplication.objects.get(pk=application.pk)
    assert (fresh.stage, fresh.overdue_amount, fresh.days_late, fresh.arrears_checked_on) == (
        "repaying",
        0,
        0,
        DUE[0],
    )


def test_the_daily_task_puts_an_unpaid_past_due_loan_in_arrears_once(repaying, time_machine):
    application, _officer = repaying
    time_machine.move_to(tehran_noon(datetime.date(2025, 5, 12)))
    before = state(application)

    assert tasks.refresh_arrears() == 1

    after = state(application)
    assert (after["stage"], after["overdue_amount"], after["days_late"]) == ("in_arrears", 333_333_333, 10)
    assert new_events(application, before) == [("fall_into_arrears", "repaying", "in_arrears", None, "")]

    # the second run the same day changes nothing (it rewrites the row, so only updated_at moves)
    assert tasks.refresh_arrears() == 0
    assert without_updated_at(state(application)) == without_updated_at(after)


def test_arrears_grow_as_more_instalments_fall_due(repaying, time_machine):
    application, _officer = repaying
    time_machine.move_to(tehran_noon(datetime.date(2025, 5, 12)))
    tasks.refresh_arrears()
    time_machine.move_to(tehran_noon(datetime.date(2025, 6, 5)))
    before = state(application)

    assert tasks.refresh_arrears() == 1

    after = state(application)
    assert (after["stage"], after["overdue_amount"], after["days_late"]) == ("in_arrears", 666_666_666, 34)
    assert new_events(application, before) == []  # still in arrears: no new move


def test_the_today_argument_gives_the_same_answer_without_moving_the_clock(repaying):
    application, _officer = repaying

    assert arrears_refresh_all(today=datetime.date(2025, 6, 5)) == 1

    fresh = LoanApplication.objects.get(pk=application.pk)
    assert (fresh.stage, fresh.overdue_amount, fresh.days_late, fresh.arrears_checked_on) == (
        "in_arrears",
        666_666_666,
        34,
        datetime.date(2025, 6, 5),
    )


def test_paying_the_overdue_amount_brings_the_loan_back_and_paying_the_rest_settles_it(
    repaying, time_machine
):
    application, officer = repaying
    time_machine.move_to(tehran_noon(datetime.date(2025, 6, 5)))
    tasks.refresh_arrears()
    before = state(application)

    pay(application, officer, 666_666_666, "p-1")

    back = state(application)
    assert (back["stage"], back["overdue_amount"], back["days_late"]) == ("repaying", 0, 0)
    assert back["instalments"] == [
        (1, 333_333_333, 333_333_333),
        (2, 333_333_333, 333_333_333),
        (3, 333_333_334, 0),
    ]
    assert new_events(application, before) == [("catch_up", "in_arrears", "repaying", None, "")]

    pay(application, officer, 333_333_334, "p-2")

    settled = state(application)
    assert (settled["stage"], settled["overdue_amount"], settled["days_late"]) == ("settled", 0, 0)
    assert [paid for _n, _a, paid in settled["instalments"]] == INSTALMENTS
    assert new_events(application, back) == [("settle", "repaying", "settled", None, "")]
    assert [(amount, key) for _pk, amount, key in settled["payments"]] == [
        (666_666_666, "p-1"),
        (333_333_334, "p-2"),
    ]

    # a settled loan is left alone by the daily run
    assert tasks.refresh_arrears() == 0
    assert state(application) == settled


def test_a_part_payment_goes_to_the_oldest_instalment_and_leaves_the_rest_overdue(repaying, time_machine):
    application, officer = repaying
    time_machine.move_to(tehran_noon(datetime.date(2025, 6, 5)))
    tasks.refresh_arrears()
    before = state(application)

    pay(application, officer, 400_000_000, "part")

    after = state(application)
    assert (after["stage"], after["overdue_amount"], after["days_late"]) == ("in_arrears", 266_666_666, 3)
    assert after["instalments"] == [
        (1, 333_333_333, 333_333_333),
        (2, 333_333_333, 66_666_667),
        (3, 333_333_334, 0),
    ]
    assert new_events(application, before) == []


def test_paying_everything_early_settles_the_loan(repaying):
    application, officer = repaying
    before = state(application)

    pay(application, officer, BILLION, "everything")

    after = state(application)
    assert (after["stage"], after["overdue_amount"], after["days_late"]) == ("settled", 0, 0)
    assert new_events(application, before) == [("settle", "repaying", "settled", None, "")]


def test_a_payment_with_the_same_request_key_records_once(repaying):
    application, officer = repaying
    first = pay(application, officer, 100_000_000, "same-key")
    before = state(application)

    again = pay(application, officer, 100_000_000, "same-key")

    assert again.pk == first.pk
    assert state(application) == before
    assert Payment.objects.filter(request_key="same-key").count() == 1
    assert before["instalments"][0] == (1, 333_333_333, 100_000_000)


@pytest.mark.parametrize("amount", [BILLION + 1, 0, -100])
def test_a_payment_outside_the_outstanding_amount_is_refused_and_changes_nothing(repaying, amount):
    application, officer = repaying
    before = state(application)

    with translation.override("en"), pytest.raises(DomainError) as caught:
        pay(application, officer, amount, "too-much")

    assert (caught.value.code, caught.value.message) == (
        "amount_out_of_range",
        "A payment must be between 1 and the 1,000,000,000 Rials outstanding.",
    )
    assert state(application) == before
    assert not Payment.objects.filter(request_key="too-much").exists()


def test_a_payment_above_what_is_left_after_earlier_payments_is_refused(repaying):
    application, officer = repaying
    pay(application, officer, 600_000_000, "first")
    before = state(application)

    with pytest.raises(DomainError) as caught:
        pay(application, officer, 400_000_001, "second")

    assert caught.value.code == "amount_out_of_range"
    assert state(application) == before


@pytest.mark.parametrize("who", [("MCLS", "reviewer"), ("DOE", "officer"), "owner", "other_applicant"])
def test_only_mcls_officers_and_managers_record_payments(repaying, who):
    application, _officer = repaying
    if who == "owner":
        actor = application.applicant
    elif who == "other_applicant":
        actor = ApplicantFactory()
    else:
        actor = make_staff(*who)
    before = state(application)

    with pytest.raises(DomainError) as caught:
        pay(application, actor, 100_000_000, "not-mine")

    assert (caught.value.code, caught.value.status_code) == ("forbidden", 403)
    assert state(application) == before


@db
@needs
def test_a_payment_on_a_loan_not_being_repaid_is_refused():
    application, officer = contracted()
    before = state(application)

    with pytest.raises(ConflictError) as caught:
        pay(application, officer, 100_000_000, "early")

    assert caught.value.code == "invalid_transition"
    assert state(application) == before


def test_paying_everything_while_in_arrears_settles_the_loan(repaying, time_machine):
    application, officer = repaying
    time_machine.move_to(tehran_noon(datetime.date(2025, 5, 12)))
    tasks.refresh_arrears()
    before = state(application)
    assert before["stage"] == "in_arrears"

    pay(application, officer, BILLION, "everything-late")

    after = state(application)
    assert (after["stage"], after["overdue_amount"], after["days_late"]) == ("settled", 0, 0)
    assert new_events(application, before) == [("settle", "in_arrears", "settled", None, "")]


def test_a_payment_key_already_used_for_another_loan_is_refused(repaying):
    """As with tranches: a key names one request for one loan; reusing it must not lose a payment."""
    application, officer = repaying
    other, _officer = contracted(LoanSchemeFactory(interest_rate="0.00", term_months=3, grace_months=0))
    disbursement_record(
        application_id=other.pk, actor=officer, amount=BILLION, paid_on=START, request_key="other"
    )
    pay(application, officer, 100_000_000, "reused")
    before = state(other)

    with pytest.raises(ConflictError) as caught:
        pay(other, officer, 100_000_000, "reused")

    assert caught.value.code == "key_reused"
    assert state(other) == before
