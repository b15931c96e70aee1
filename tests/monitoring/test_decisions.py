"""MCLS's decision on a shortfall, and what each does to the loan: a warning, a changed rate, a recall."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from greenjobs.exceptions import DomainError
from incentives.models import ApplicationEvent, Instalment
from incentives.services import schedule
from monitoring.models import Decision, Round, RoundEvent
from monitoring.services.decisions import round_decide
from tests.factories import make_staff

from .factories import first_round, import_list, noon, person, repaying_loan, report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]

WORKSHOP = "1234567890"
# A day after the Mehr 1404 round was verified, while the loan is still in its grace months.
DECISION_DAY = datetime.date(2025, 11, 1)


def shortfall_round():
    """A loan of one billion promising two jobs; its first report proves one: a shortfall flagged to MCLS."""
    loan = repaying_loan(jobs=(("GJ-EN-01", 2),))
    round_ = report(first_round(loan), [person(1), person(2)], workshop=WORKSHOP)
    import_list([(person(1), WORKSHOP, "1404/07", 30)])
    round_.refresh_from_db()
    assert (round_.status, round_.promised, round_.verified) == ("shortfall", 2, 1)
    return loan, round_


def schedule_of(loan):
    return list(
        Instalment.objects.filter(application=loan)
        .order_by("number")
        .values_list("number", "due_on", "principal", "interest", "amount", "balance_after", "paid")
    )


def test_a_warning_sets_a_new_deadline_checked_by_a_follow_up_round():
    loan, round_ = shortfall_round()
    manager = make_staff("MCLS", "manager")
    before = schedule_of(loan)

    with time_machine.travel(noon(DECISION_DAY)):
        decision = round_decide(
            round_id=round_.pk, actor=manager, kind="warning", new_deadline=datetime.date(2026, 1, 10),
            reason="یک شغل وعده‌داده‌شده خالی است", expected_status="shortfall",
        )  # fmt: skip

    round_.refresh_from_db()
    assert (round_.status, round_.sla_due_on) == ("decided", None)
    follow_up = decision.follow_up
    # 2026-01-10 is 1404/10/20: the follow-up round checks Dey 1404
    assert (follow_up.kind, follow_up.number, follow_up.status, follow_up.promised) == (
        "follow_up",
        4,
        "pending",
        2,
    )
    assert follow_up.month == datetime.date(2025, 12, 22)
    assert (decision.kind, decision.new_deadline, decision.decided_by) == (
        "warning",
        datetime.date(2026, 1, 10),
        manager,
    )
    assert list(
        RoundEvent.objects.filter(round=round_, action="decide").values_list(
            "from_status", "to_status", "actor", "reason"
        )
    ) == [("shortfall", "decided", manager.pk, "یک شغل وعده‌داده‌شده خالی است")]
    assert schedule_of(loan) == before  # a warning leaves the money as it was


def test_a_changed_rate_rebuilds_the_future_instalments_of_the_outstanding_principal():
    loan, round_ = shortfall_round()
    manager = make_staff("MCLS", "manager")
    before = schedule_of(loan)
    principal = sum(line[2] for line in before)

    with time_machine.travel(noon(DECISION_DAY)):
        round_decide(
            round_id=round_.pk, actor=manager, kind="rate", new_rate=Decimal("12"), reason="کمبود شغل"
        )

    after = schedule_of(loan)
    # nothing was due yet (grace): every instalment is rebuilt, same count, same due days, same principal
    assert len(after) == len(before) == 36
    assert [line[1] for line in after] == [line[1] for line in before]
    assert sum(line[2] for line in after) == principal
    expected = schedule.build(
        principal=principal, annual_rate=Decimal("12"), term_months=36, grace_months=0,
        capitalise_grace=False,
        start=schedule.add_jalali_months(before[0][1], -1),
    )  # fmt: skip
    assert [(line[2], line[3], line[5]) for line in after] == [
        (line.principal, line.interest, line.balance_after) for line in expected.lines
    ]
    assert after[0][3] == round(principal * Decimal("0.01"))  # 1% a month on the balance
    assert ApplicationEvent.objects.filter(application=loan, action="change_rate", actor=manager).count() == 1
    loan.refresh_from_db()
    assert loan.stage == "repaying"


def test_a_changed_rate_keeps_the_instalments_already_due():
    loan, round_ = shortfall_round()
    manager = make_staff("MCLS", "manager")
    before = schedule_of(loan)
    # a day after the third instalment fell due (unpaid: the loan is in arrears)
    day = before[2][1] + datetime.timedelta(days=1)
    with time_machine.travel(noon(day)):
        round_decide(round_id=round_.pk, actor=manager, kind="rate", new_rate=Decimal("0"), reason="x")
    after = schedule_of(loan)
    assert after[:3] == before[:3]
    assert sum(line[2] for line in after[3:]) == before[2][5]  # the balance after the third instalment
    assert all(line[3] == 0 for line in after[3:])  # at 0% no interest is left
    assert len(after) == 36


def test_a_recall_makes_the_outstanding_principal_due_in_one_instalment():
    loan, round_ = shortfall_round()
    manager = make_staff("MCLS", "manager")
    principal = sum(line[2] for line in schedule_of(loan))
    with time_machine.travel(noon(DECISION_DAY)):
        round_decide(
            round_id=round_.pk,
            actor=manager,
            kind="recall",
            recall_due_on=datetime.date(2025, 12, 1),
            reason="x",
        )
    assert schedule_of(loan) == [(1, datetime.date(2025, 12, 1), principal, 0, principal, 0, 0)]
    assert Decision.objects.get().recall_due_on == datetime.date(2025, 12, 1)


@pytest.mark.parametrize(
    ("who", "data", "code"),
    [
        (
            ("MCLS", "officer"),
            {"kind": "warning", "new_deadline": datetime.date(2026, 1, 10), "reason": "x"},
            "forbidden",
        ),
        (
            ("DOE", "manager"),
            {"kind": "warning", "new_deadline": datetime.date(2026, 1, 10), "reason": "x"},
            "forbidden",
        ),
        (
            ("MCLS", "manager"),
            {"kind": "warning", "new_deadline": datetime.date(2026, 1, 10), "reason": " "},
            "reason_required",
        ),
        (("MCLS", "manager"), {"kind": "rate", "new_rate": Decimal("70"), "reason": "x"}, "bad_rate"),
        (
            ("MCLS", "manager"),
            {"kind": "recall", "recall_due_on": datetime.date(2025, 1, 1), "reason": "x"},
            "bad_date",
        ),
    ],
)
def test_a_refused_decision_changes_nothing(who, data, code):
    loan, round_ = shortfall_round()
    before = schedule_of(loan)
    with time_machine.travel(noon(DECISION_DAY)), pytest.raises(DomainError) as refused:
        round_decide(round_id=round_.pk, actor=make_staff(*who), **data)
    assert refused.value.code == code
    assert Round.objects.get(pk=round_.pk).status == "shortfall"
    assert (Decision.objects.count(), Round.objects.filter(loan=loan).count()) == (0, 3)
    assert schedule_of(loan) == before
    assert not ApplicationEvent.objects.filter(
        application=loan, action__in=["change_rate", "recall"]
    ).exists()


def test_a_warning_needs_a_deadline_after_today():
    _loan, round_ = shortfall_round()
    with time_machine.travel(noon(DECISION_DAY)), pytest.raises(ValidationError) as refused:
        round_decide(round_id=round_.pk, actor=make_staff("MCLS", "manager"), kind="warning", reason="x")
    assert list(refused.value.message_dict) == ["new_deadline"]


def test_a_round_already_decided_cannot_be_decided_twice():
    _loan, round_ = shortfall_round()
    manager = make_staff("MCLS", "manager")
    with time_machine.travel(noon(DECISION_DAY)):
        round_decide(
            round_id=round_.pk,
            actor=manager,
            kind="warning",
            new_deadline=datetime.date(2026, 1, 10),
            reason="x",
        )
        with pytest.raises(DomainError) as refused:
            round_decide(
                round_id=round_.pk, actor=manager, kind="recall", recall_due_on=datetime.date(2025, 12, 1),
                reason="x", expected_status="shortfall",
            )  # fmt: skip
    assert refused.value.code == "stale"
    assert Decision.objects.count() == 1


def test_the_applicant_is_told_of_the_decision_by_e_mail_in_their_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    loan, round_ = shortfall_round()
    loan.applicant.language = "en"
    loan.applicant.save()
    mailoutbox.clear()
    with time_machine.travel(noon(DECISION_DAY)), django_capture_on_commit_callbacks(execute=True):
        round_decide(
            round_id=round_.pk, actor=make_staff("MCLS", "manager"), kind="warning",
            new_deadline=datetime.date(2026, 1, 10), reason="One promised job is empty.",
        )  # fmt: skip
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [loan.applicant.email]
    assert (
        mail.subject
        == f"Green Jobs Qom: monitoring round 1 of loan {loan.reference} is now “Decision recorded”"
    )
    assert "Warning with a new deadline — fill the promised jobs by 2026-01-10" in mail.body
    assert "One promised job is empty." in mail.body


def test_the_decision_lands_in_the_applicants_inbox_and_respects_their_e_mail_choice(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.models import Notification, Preference

    loan, round_ = shortfall_round()
    applicant = loan.applicant
    Preference.objects.create(user=applicant, kind="monitoring.decision", email=False, sms=False)
    mailoutbox.clear()
    with time_machine.travel(noon(DECISION_DAY)), django_capture_on_commit_callbacks(execute=True):
        round_decide(
            round_id=round_.pk, actor=make_staff("MCLS", "manager"), kind="warning",
            new_deadline=datetime.date(2026, 1, 10), reason="یک شغل خالی است",
        )  # fmt: skip

    notification = Notification.objects.get(recipient=applicant, kind="monitoring.decision")
    assert notification.params["round_id"] == round_.pk
    assert mailoutbox == []  # e-mail turned off for this kind; the inbox still has it
    client.force_login(applicant)
    client.cookies["django_language"] = "en"
    inbox = client.get("/notifications/").content.decode()
    assert "Job monitoring round 1 of loan" in inbox and loan.reference in inbox
