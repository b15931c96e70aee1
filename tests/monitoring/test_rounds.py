"""Rounds planned when repayment starts, at the scheme's months; a missed report flagged, twice on its own."""

import datetime

import jdatetime
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from greenjobs.exceptions import DomainError
from monitoring.models import Round, RoundEvent, Workshop
from monitoring.services import rounds
from monitoring.tasks import monitoring_daily
from tests.factories import MINIMAL_PDF, make_staff, occupation, verified_business

from .factories import AFTER_MEHR, first_round, noon, person, repaying_loan, report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]


def j(year, month, day):
    return jdatetime.date(year, month, day).togregorian()


def test_repayment_starting_plans_a_round_for_each_month_the_scheme_sets():
    # given a scheme that checks at 6, 12 and 24 months and gives 30 days to report
    loan = repaying_loan(
        jobs=(("GJ-EN-01", 2), ("GJ-EN-03", 1)), monitoring_months="6, ۱۲,24", report_days=30
    )

    # then the loan paid out on 1404/01/12 has its three rounds, each checking the month that holds that day
    planned = list(
        Round.objects.filter(loan=loan)
        .order_by("number")
        .values_list("number", "months_after", "month", "month_end", "due_on", "status", "promised")
    )
    assert planned == [
        (1, 6, j(1404, 7, 1), j(1404, 7, 30), j(1404, 7, 30) + datetime.timedelta(days=30), "pending", 3),
        (2, 12, j(1405, 1, 1), j(1405, 1, 31), j(1405, 1, 31) + datetime.timedelta(days=30), "pending", 3),
        (3, 24, j(1406, 1, 1), j(1406, 1, 31), j(1406, 1, 31) + datetime.timedelta(days=30), "pending", 3),
    ]
    assert sorted(first_round(loan).lines.values_list("occupation__code", "promised")) == [
        ("GJ-EN-01", 2),
        ("GJ-EN-03", 1),
    ]
    assert (
        list(RoundEvent.objects.filter(round__loan=loan).values_list("action", "to_status"))
        == [("plan", "pending")] * 3
    )


def test_the_daily_run_plans_what_is_missing_once():
    loan = repaying_loan()
    Round.objects.filter(loan=loan).delete()

    with time_machine.travel(noon(datetime.date(2025, 5, 1))):
        assert monitoring_daily() == {"planned": 3, "missed": 0}
        assert monitoring_daily() == {"planned": 0, "missed": 0}
    assert Round.objects.filter(loan=loan).count() == 3


def test_a_report_not_sent_by_its_deadline_is_flagged_and_a_second_one_on_its_own():
    loan = repaying_loan(monitoring_months="6,7", report_days=10)
    one, two = Round.objects.filter(loan=loan).order_by("number")

    # the day after the first round's report was due
    with time_machine.travel(noon(one.due_on + datetime.timedelta(days=1))):
        assert rounds.rounds_mark_missed() == 1
    one.refresh_from_db()
    assert (one.status, one.flag, one.missed) == ("overdue", "missed", True)
    assert one.sla_due_on == one.due_on + datetime.timedelta(days=16)

    with time_machine.travel(noon(two.due_on + datetime.timedelta(days=1))):
        assert monitoring_daily()["missed"] == 1
    two.refresh_from_db()
    assert (two.status, two.flag) == ("overdue", "repeated_missed")
    assert list(
        RoundEvent.objects.filter(round=two, action="miss").values_list("from_status", "to_status", "actor")
    ) == [("pending", "overdue", None)]


def test_a_late_report_is_still_taken():
    loan = repaying_loan()
    round_ = first_round(loan)
    with time_machine.travel(noon(round_.due_on + datetime.timedelta(days=2))):
        rounds.rounds_mark_missed()
    round_ = report(round_, [person(1)], at=noon(round_.due_on + datetime.timedelta(days=3)))
    assert (round_.status, round_.missed, round_.flag) == ("reported", True, "missed")


def test_the_report_needs_a_workshop_people_and_evidence_and_is_refused_without_them():
    loan = repaying_loan()
    round_ = first_round(loan)
    owner = loan.applicant
    with pytest.raises(DomainError) as refused:
        rounds.round_report(round_id=round_.pk, actor=owner)
    assert refused.value.code == "incomplete"
    assert Round.objects.get(pk=round_.pk).status == "pending"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("national_id", "0012345678", "This national ID is not valid: its check digit does not match."),
        ("national_id", "12", "A national ID has exactly 10 digits."),
        ("name", "  ", "Write the person's name."),
        (
            "started_on",
            datetime.date(2025, 11, 1),
            "Only people who had started by the end of the month checked count.",
        ),
    ],
)
def test_a_person_badly_named_is_refused_field_by_field(field, value, message, settings):
    settings.LANGUAGE_CODE = "en"
    loan = repaying_loan()
    round_ = first_round(loan)
    data = {
        "national_id": person(1),
        "name": "زهرا کریمی",
        "occupation": occupation(),
        "started_on": datetime.date(2025, 6, 1),
    }
    data[field] = value
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        rounds.employee_add(round_id=round_.pk, actor=loan.applicant, **data)
    assert refused.value.message_dict == {field: [message]}
    assert round_.employees.count() == 0


def test_persian_digits_are_read_in_a_national_id_and_a_workshop_code():
    loan = repaying_loan()
    round_ = first_round(loan)
    persian = person(3).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    rounds.employee_add(
        round_id=round_.pk, actor=loan.applicant, national_id=persian, name="علی", occupation=occupation(),
        started_on=datetime.date(2025, 6, 1),
    )  # fmt: skip
    rounds.workshop_add(round_id=round_.pk, actor=loan.applicant, code="۱۲۳۴۵۶۷۸۹۰")
    assert list(round_.employees.values_list("national_id", flat=True)) == [person(3)]
    assert list(Workshop.objects.values_list("code", flat=True)) == ["1234567890"]


def test_a_workshop_code_is_one_business_s_only():
    first = repaying_loan()
    second = repaying_loan(business=verified_business())
    rounds.workshop_add(round_id=first_round(first).pk, actor=first.applicant, code="1234567890")
    with pytest.raises(ValidationError):
        rounds.workshop_add(round_id=first_round(second).pk, actor=second.applicant, code="1234567890")
    assert Workshop.objects.get().business_id == first.business_id


def test_someone_else_cannot_touch_the_report_and_it_changes_nothing():
    loan = repaying_loan()
    round_ = first_round(loan)
    other = verified_business().owner
    for who in (other, make_staff("MCLS", "manager")):
        with pytest.raises(DomainError) as refused:
            rounds.employee_add(
                round_id=round_.pk, actor=who, national_id=person(1), name="x", occupation=occupation(),
                started_on=datetime.date(2025, 6, 1),
            )  # fmt: skip
        assert refused.value.status_code == 404
        with pytest.raises(DomainError):
            rounds.document_upload(
                round_id=round_.pk,
                actor=who,
                kind="contract",
                uploaded=SimpleUploadedFile("a.pdf", MINIMAL_PDF),
            )
    assert (round_.employees.count(), round_.documents.count()) == (0, 0)


def test_a_sent_report_can_no_longer_be_changed():
    loan = repaying_loan()
    round_ = report(first_round(loan), [person(1)])
    with time_machine.travel(AFTER_MEHR), pytest.raises(DomainError) as refused:
        rounds.employee_remove(
            round_id=round_.pk, actor=loan.applicant, employee_id=round_.employees.get().pk
        )
    assert refused.value.code == "not_editable"
    assert round_.employees.count() == 1
