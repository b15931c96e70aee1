"""Loans under repayment with their rounds, insurance lists and reports, made through the services."""

import datetime
import io

import jdatetime
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from incentives.services import applications
from incentives.services.repayments import disbursement_record
from monitoring.models import Round
from monitoring.services import imports, rounds
from tests.factories import (
    LOAN_PATH,
    MINIMAL_PDF,
    LoanSchemeFactory,
    loan_draft,
    make_staff,
    occupation,
    valid_national_id,
    verified_business,
)

# Repayment of the loans here starts on 1404/01/12 (2025-04-01): with rounds at 6, 12 and 24 months the
# first round checks Mehr 1404 (1404/07), the second Farvardin 1405, the third Farvardin 1406.
PAID_ON = datetime.date(2025, 4, 1)
MEHR_1404 = jdatetime.date(1404, 7, 1).togregorian()
# A day after Mehr 1404 and before its report is due, when its list is in and the report can be sent.
AFTER_MEHR = datetime.datetime(2025, 10, 28, 8, 30, tzinfo=datetime.UTC)


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 8, 30, tzinfo=datetime.UTC)


def person(n: int) -> str:
    return valid_national_id(f"{300000000 + n:09d}")


def repaying_loan(*, scheme=None, business=None, jobs=(("GJ-EN-01", 2),), paid_on=PAID_ON, **scheme_fields):
    """A loan approved, contracted and paid out in full on `paid_on` through the real services, so its
    repayment starts and its rounds are planned. `jobs` are (occupation code, count) it promises."""
    with time_machine.travel(noon(paid_on)):
        scheme = scheme or LoanSchemeFactory(**scheme_fields)
        business = business or verified_business()
        first_code, first_count = jobs[0]
        application = loan_draft(scheme=scheme, business=business, jobs=first_count)
        if first_code != "GJ-EN-01":
            applications.planned_job_set(
                application_id=application.pk,
                actor=business.owner,
                occupation=occupation("GJ-EN-01"),
                count=0,
            )
            applications.planned_job_set(
                application_id=application.pk, actor=business.owner, occupation=occupation(first_code),
                count=first_count,
            )  # fmt: skip
        for code, count in jobs[1:]:
            applications.planned_job_set(
                application_id=application.pk, actor=business.owner, occupation=occupation(code), count=count
            )
        for name, who in LOAN_PATH:
            actor = application.applicant if who == "owner" else make_staff(*who)
            applications.application_transition(application_id=application.pk, actor=actor, name=name)
        officer = make_staff("MCLS", "officer")
        applications.application_transition(
            application_id=application.pk, actor=officer, name="contract", contract_number="QOM-1",
            contracted_on=paid_on,
        )  # fmt: skip
        application.refresh_from_db()
        disbursement_record(
            application_id=application.pk, actor=officer, amount=application.approved_amount, paid_on=paid_on,
            request_key=f"tranche-{application.pk}",
        )  # fmt: skip
    application.refresh_from_db()
    assert application.stage == "repaying"
    return application


def first_round(loan) -> Round:
    return Round.objects.filter(loan=loan).order_by("number").first()


def report(round_, people, *, workshop="1234567890", occupation_code="GJ-EN-01", at=AFTER_MEHR):
    """The applicant names `people` (national IDs), adds the workshop and a contract, and sends the report."""
    owner = round_.loan.applicant
    with time_machine.travel(at):
        rounds.workshop_add(round_id=round_.pk, actor=owner, code=workshop)
        for index, national_id in enumerate(people):
            rounds.employee_add(
                round_id=round_.pk, actor=owner, national_id=national_id, name=f"کارگر {index}",
                occupation=occupation(occupation_code), started_on=datetime.date(2025, 6, 1),
            )  # fmt: skip
        rounds.document_upload(
            round_id=round_.pk,
            actor=owner,
            kind="contract",
            uploaded=SimpleUploadedFile("c.pdf", MINIMAL_PDF),
        )
        rounds.round_report(round_id=round_.pk, actor=owner)
    round_.refresh_from_db()
    return round_


def csv_file(
    rows, name="list.csv", header=("national_id", "workshop_code", "month", "days")
) -> SimpleUploadedFile:
    text = io.StringIO()
    text.write(",".join(header) + "\n")
    for row in rows:
        text.write(",".join(str(cell) for cell in row) + "\n")
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8"), content_type="text/csv")


def import_list(rows, *, actor=None, at=AFTER_MEHR):
    """Imports an insurance list: the job row, then its run (the task's body; the test's transaction never
    commits, so the outbox would not publish it)."""
    actor = actor or make_staff("MCLS", "officer")
    with time_machine.travel(at):
        job = imports.import_create_job(actor=actor, uploaded=csv_file(rows))
        imports.import_run(job_id=job.pk)
    job.refresh_from_db()
    return job
