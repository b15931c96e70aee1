"""The insurance list import: all or nothing, bad rows named, Persian digits read, a list replaced whole."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from greenjobs.exceptions import DomainError
from monitoring.models import InsuranceImport, InsuranceList, InsuranceRecord
from monitoring.services import imports
from tests.factories import make_staff

from .factories import AFTER_MEHR, MEHR_1404, csv_file, import_list, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]

WORKSHOP = "1234567890"


def test_a_list_is_imported_with_persian_digits_and_headers():
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    rows = [
        (person(1).translate(persian), WORKSHOP.translate(persian), "۱۴۰۴/۰۷", "۳۰"),
        (person(2), WORKSHOP, "140407", "12"),
    ]
    actor = make_staff("MCLS", "officer")
    with time_machine.travel(AFTER_MEHR):
        job = imports.import_create_job(
            actor=actor, uploaded=csv_file(rows, header=("کد ملی", "کد کارگاه", "سال و ماه", "روزهای کارکرد"))
        )
        assert imports.import_run(job_id=job.pk) == "succeeded"
    job.refresh_from_db()
    assert (job.status, job.lists_count, job.records_count, job.errors) == ("succeeded", 1, 2, [])
    sheet = InsuranceList.objects.get()
    assert (sheet.workshop_code, sheet.month, sheet.people, sheet.source_id) == (
        WORKSHOP,
        MEHR_1404,
        2,
        job.pk,
    )
    assert sorted(sheet.records.values_list("national_id", "days")) == [(person(1), 30), (person(2), 12)]


def test_a_bad_national_id_anywhere_imports_nothing_and_names_its_row():
    with translation.override("en"):
        job = import_list(
            actor=make_staff("MCLS", "officer", language="en"),
            rows=[
                (person(1), WORKSHOP, "1404/07", 30),
                (person(2), WORKSHOP, "1404/07", 30),
                ("0012345678", WORKSHOP, "1404/07", 30),
                (person(4), WORKSHOP, "1404/07", 30),
            ],
        )
    assert job.status == "failed"
    assert job.errors == [
        {
            "row": 4,
            "column": "national_id",
            "message": "This national ID is not valid: its check digit does not match.",
        }
    ]
    assert (InsuranceList.objects.count(), InsuranceRecord.objects.count()) == (0, 0)


def test_every_problem_is_reported_by_row_and_column():
    actor = make_staff("MCLS", "officer")
    rows = [
        (person(1), "12345", "1404/07", 30),
        (person(2), WORKSHOP, "1404/13", 30),
        (person(3), WORKSHOP, "1404/08", 31),
        (person(4), WORKSHOP, "1404/09", 10),
        (person(1), WORKSHOP, "1404/07", 30),
        (person(1), WORKSHOP, "1404/07", "x"),
    ]
    with translation.override("en"), time_machine.travel(AFTER_MEHR):
        report = imports.import_dry_run(actor=actor, uploaded=csv_file(rows))
    assert (report.ok, report.total_rows, report.records_count) == (False, 6, 0)
    assert report.errors == [
        {"row": 2, "column": "workshop_code", "message": "An insurance workshop code has exactly 10 digits."},
        {"row": 3, "column": "month", "message": "There is no such Jalali month."},
        {"row": 4, "column": "days", "message": "The month has 30 days."},
        {"row": 5, "column": "month", "message": "This month has not come yet."},
        {"row": 7, "column": "days", "message": "Write a whole number of days."},
        {
            "row": 7,
            "column": "national_id",
            "message": "This person is already on this workshop's list for this month in row 6.",
        },
    ]


def test_a_person_twice_on_one_list_is_named_with_the_first_row():
    with translation.override("en"), time_machine.travel(AFTER_MEHR):
        report = imports.import_dry_run(
            actor=make_staff("MCLS", "officer"),
            uploaded=csv_file([(person(1), WORKSHOP, "1404/07", 30), (person(1), WORKSHOP, "1404/7", 20)]),
        )
    assert report.errors == [
        {
            "row": 3,
            "column": "national_id",
            "message": "This person is already on this workshop's list for this month in row 2.",
        }
    ]


def test_the_dry_run_writes_nothing_and_counts_the_lists():
    with time_machine.travel(AFTER_MEHR):
        report = imports.import_dry_run(
            actor=make_staff("MCLS", "reviewer"),
            uploaded=csv_file([(person(1), WORKSHOP, "1404/07", 30), (person(1), WORKSHOP, "1404/06", 31)]),
        )
    assert (report.ok, report.lists_count, report.records_count) == (True, 2, 2)
    assert (InsuranceImport.objects.count(), InsuranceList.objects.count()) == (0, 0)


def test_a_list_imported_again_replaces_the_earlier_one_whole():
    import_list([(person(1), WORKSHOP, "1404/07", 30), (person(2), WORKSHOP, "1404/07", 30)])
    second = import_list([(person(1), WORKSHOP, "1404/07", 22)])
    sheet = InsuranceList.objects.get()
    assert (sheet.source_id, sheet.people) == (second.pk, 1)
    assert list(InsuranceRecord.objects.values_list("national_id", "days")) == [(person(1), 22)]


@pytest.mark.parametrize("who", [("DOE", "officer"), ("TVTO", "manager"), None])
def test_only_mcls_imports_insurance_lists(who):
    actor = make_staff(*who) if who else None
    with pytest.raises(DomainError) as refused, time_machine.travel(AFTER_MEHR):
        imports.import_create_job(actor=actor, uploaded=csv_file([(person(1), WORKSHOP, "1404/07", 30)]))
    assert refused.value.status_code == 403
    assert InsuranceImport.objects.count() == 0


def test_a_file_that_is_no_spreadsheet_is_refused_at_once():
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        imports.import_create_job(
            actor=make_staff("MCLS", "officer"),
            uploaded=SimpleUploadedFile("list.csv", b"%PDF-1.4 not a csv"),
        )
    assert InsuranceImport.objects.count() == 0


def test_running_a_finished_job_again_does_nothing():
    job = import_list([(person(1), WORKSHOP, "1404/07", 30)])
    with time_machine.travel(AFTER_MEHR + datetime.timedelta(minutes=5)):
        assert imports.import_run(job_id=job.pk) == "succeeded"
    assert InsuranceRecord.objects.count() == 1
