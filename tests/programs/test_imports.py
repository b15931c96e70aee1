import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from greenjobs.exceptions import DomainError
from greenjobs.text import fold_digits
from programs import seed as programs_seed
from programs import tasks
from programs.models import Business, GreenJob, ImportJob, RegistrationEvent
from programs.services import imports
from programs.services.imports import jobs as import_jobs
from tests.factories import (
    MINIMAL_PDF,
    ApplicantFactory,
    BusinessFactory,
    make_staff,
    valid_business_id,
    valid_national_id,
)
from tests.utils import wait_until

User = get_user_model()

pytestmark = pytest.mark.django_db

HEADER = [
    "legal_name", "national_business_id", "legal_form", "sector", "county", "address", "employees_total",
    "is_knowledge_based", "knowledge_based_number", "knowledge_based_as_of", "owner_national_id",
    "owner_first_name", "owner_last_name", "owner_mobile", "owner_email", "status", "verified_kind",
    "verified_on", "green_jobs",
]  # fmt: skip
PERSIAN_HEADER = {
    "legal_name": "نام حقوقی", "national_business_id": "شناسه ملی", "legal_form": "نوع شخصیت حقوقی",
    "sector": "حوزه فعالیت", "county": "شهرستان", "address": "نشانی", "employees_total": "تعداد کل کارکنان",
    "is_knowledge_based": "دانش\u200cبنیان", "knowledge_based_number": "شماره گواهی دانش بنیان",
    "knowledge_based_as_of": "تاریخ وضعیت دانش بنیان", "owner_national_id": "کد ملی مالک",
    "owner_first_name": "نام مالک", "owner_last_name": "نام خانوادگی مالک", "owner_mobile": "موبایل مالک",
    "owner_email": "ایمیل مالک", "status": "وضعیت", "verified_kind": "نوع تایید",
    "verified_on": "تاریخ تأیید", "green_jobs": "مشاغل سبز",
}  # fmt: skip

BUSINESS_IDS = [valid_business_id(f"20200000{n:02d}") for n in range(1, 4)]
OWNER = valid_national_id("045000001")
HOLDERS = [valid_national_id(f"05500000{n}") for n in range(1, 5)]


def bad_checksum(national_id: str) -> str:
    return national_id[:9] + str((int(national_id[9]) + 1) % 10)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def officer(agencies):
    return make_staff("DOE", "officer", first_name="حمید", last_name="نوری")


@pytest.fixture
def applicant(db):
    return ApplicantFactory(national_id=valid_national_id("046000002"))


def three_rows(existing_owner_national_id: str) -> list[dict]:
    return [
        {
            "legal_name": "شركت انرژي پاك قم",  # Arabic letter forms, stored in Persian ones
            "national_business_id": BUSINESS_IDS[0],
            "legal_form": "private_jsc",
            "sector": "energy",
            "county": "qom",
            "address": "قم، بلوار امین، کوچه ۱۲",
            "employees_total": "۱۲",
            "is_knowledge_based": "بله",
            "knowledge_based_number": "KB-1404-77",
            "knowledge_based_as_of": "1404/05/01",
            "owner_national_id": OWNER,
            "owner_first_name": "مریم",
            "owner_last_name": "احمدی",
            "owner_mobile": "۰۹۱۲ ۳۴۵ ۶۷۸۹",
            "owner_email": "Maryam.Ahmadi@Example.IR",
            "status": "verified",
            "verified_kind": "new_green",
            "verified_on": "۱۴۰۵/۰۲/۱۰",
            "green_jobs": f"GJ-EN-01:{HOLDERS[0]}:علی رضایی; gj-en-03:{HOLDERS[1]}:زهرا کریمی",
        },
        {
            "legal_name": "تعاونی آب‌یاران کهک",
            "national_business_id": BUSINESS_IDS[1],
            "legal_form": "سهامی خاص",
            "sector": "Water and irrigation",
            "county": "Kahak",
            "address": "کهک، خیابان اصلی",
            "employees_total": "3",
            "is_knowledge_based": "no",
            "owner_national_id": existing_owner_national_id,
            "status": "submitted",
            "green_jobs": f"GJ-WA-01:{HOLDERS[2]}:رضا محمدی",
        },
        {
            "legal_name": "بازیافت سبز جعفرآباد",
            "national_business_id": BUSINESS_IDS[2],
            "legal_form": "llc",
            "sector": "waste",
            "county": "جعفرآباد",
            "address": "جعفرآباد، شهرک صنعتی",
            "employees_total": "4",
            "is_knowledge_based": "",
            "owner_national_id": OWNER,
            "status": "submitted",
            "green_jobs": f"GJ-WS-01:{HOLDERS[3]}:نرگس صالحی؛",
        },
    ]


def csv_upload(rows, *, header=HEADER, name="registrations.csv", bom=True):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(key, "") for key in HEADER])
    text = ("\ufeff" if bom else "") + buffer.getvalue()
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def import_file(actor, uploaded, capture):
    with capture(execute=True):
        job = imports.import_create_job(actor=actor, uploaded=uploaded)
    job.refresh_from_db()
    return job


def counts():
    return (
        Business.objects.count(), GreenJob.objects.count(), RegistrationEvent.objects.count(),
        User.objects.count(), ImportJob.objects.count(),
    )  # fmt: skip


# --- the import itself --------------------------------------------------------------------------------------


def test_a_valid_csv_imports_every_business_with_its_owner_green_jobs_and_event(
    officer, applicant, django_capture_on_commit_callbacks
):
    users_before = User.objects.count()

    job = import_file(
        officer, csv_upload(three_rows(applicant.national_id)), django_capture_on_commit_callbacks
    )

    assert job.status == ImportJob.Status.SUCCEEDED
    assert (job.total_rows, job.processed_rows, job.created_count, job.skipped_count) == (3, 3, 3, 0)
    assert job.errors == []
    assert job.original_name == "registrations.csv"
    assert len(job.sha256) == 64

    owner = User.objects.get(national_id=OWNER)
    assert User.objects.count() == users_before + 1
    assert owner.kind == "applicant"
    assert owner.has_usable_password() is False
    assert owner.email_verified_at is None
    assert (owner.username, owner.email, owner.mobile) == (
        "maryam.ahmadi@example.ir", "maryam.ahmadi@example.ir", "09123456789",
    )  # fmt: skip
    assert (owner.first_name, owner.last_name) == ("مریم", "احمدی")

    first, second, third = (Business.objects.get(national_business_id=key) for key in BUSINESS_IDS)
    assert first.owner == owner
    assert first.legal_name == "شرکت انرژی پاک قم"
    assert first.import_key == BUSINESS_IDS[0]
    assert (first.legal_form, first.sector, first.county.code) == ("private_jsc", "energy", "qom")
    assert first.address == "قم، بلوار امین، کوچه ۱۲"  # kept as typed: free text is not folded
    assert first.employees_total == 12
    assert first.is_knowledge_based is True
    assert first.knowledge_based_number == "KB-1404-77"
    assert first.knowledge_based_as_of == datetime.date(2025, 7, 23)
    assert first.status == "verified"
    assert first.verified_kind == "new_green"
    assert timezone.localtime(first.verified_at).date() == datetime.date(2026, 4, 30)
    assert first.expires_on == datetime.date(2026, 4, 30) + datetime.timedelta(
        days=settings.REGISTRATION_VALIDITY_DAYS
    )
    assert first.submitted_at is None
    assert [
        (job.occupation.code, job.holder_national_id, job.holder_name) for job in first.green_jobs.all()
    ] == [
        ("GJ-EN-01", HOLDERS[0], "علی رضایی"),
        ("GJ-EN-03", HOLDERS[1], "زهرا کریمی"),
    ]

    assert second.owner == applicant
    assert (second.legal_form, second.sector, second.county.code) == ("private_jsc", "water", "kahak")
    assert second.status == "submitted"
    assert second.submitted_at is not None
    assert (second.verified_kind, second.verified_at, second.expires_on) == ("", None, None)
    assert second.is_knowledge_based is False
    assert [(job.occupation.code, job.holder_national_id) for job in second.green_jobs.all()] == [
        ("GJ-WA-01", HOLDERS[2])
    ]

    assert third.owner == owner  # the same new owner, created once
    assert (third.legal_form, third.sector, third.county.code, third.status) == (
        "llc", "waste", "jafarabad", "submitted",
    )  # fmt: skip
    assert third.green_jobs.count() == 1

    with translation.override("fa"):
        reason = gettext("Imported from %(name)s") % {"name": "registrations.csv"}
    for business in (first, second, third):
        with translation.override("fa"):
            shown = [(e.from_status, e.to_status, e.actor, e.note) for e in business.events.all()]
        assert shown == [("", business.status, officer, reason)]


def test_bulk_import_with_one_bad_row_imports_nothing_and_reports_the_row(
    officer, applicant, django_capture_on_commit_callbacks
):
    # given: the second business (spreadsheet row 3) has an owner national ID with a wrong check digit
    rows = three_rows(applicant.national_id)
    rows[1]["owner_national_id"] = bad_checksum(applicant.national_id)
    before = counts()

    # when
    job = import_file(officer, csv_upload(rows), django_capture_on_commit_callbacks)

    # then
    assert job.status == ImportJob.Status.FAILED
    assert (job.created_count, job.skipped_count, job.processed_rows) == (0, 0, 0)
    with translation.override("fa"):
        expected = gettext("This national ID is not valid: its check digit does not match.")
    assert job.errors == [{"row": 3, "column": "owner_national_id", "message": expected}]
    assert counts() == (before[0], before[1], before[2], before[3], before[4] + 1)
    assert not Business.objects.filter(national_business_id__in=BUSINESS_IDS).exists()
    assert not User.objects.filter(national_id=OWNER).exists()


def test_the_job_page_lists_the_bad_row(officer, applicant, client, django_capture_on_commit_callbacks):
    rows = three_rows(applicant.national_id)
    rows[1]["owner_national_id"] = bad_checksum(applicant.national_id)
    job = import_file(officer, csv_upload(rows), django_capture_on_commit_callbacks)
    client.force_login(officer)

    content = client.get(reverse("programs:import_detail", args=[job.pk])).content.decode()

    assert 'data-testid="import-error" data-row="3" data-column="owner_national_id"' in content
    assert 'data-status="failed"' in content
    assert "hx-trigger" not in content


def test_every_problem_of_a_row_is_reported_by_row_and_column(officer):
    rows = three_rows("")
    rows[0].update(county="Tehran", employees_total="1", verified_on="1405/13/01")
    rows[2]["green_jobs"] = "GJ-XX-99:123:کسی"
    rows[2]["national_business_id"] = BUSINESS_IDS[0]

    with translation.override("en"):
        report = imports.import_dry_run(actor=officer, uploaded=csv_upload(rows))

    assert [(error["row"], error["column"]) for error in report.errors] == [
        (2, "county"),
        (2, "verified_on"),
        (2, "employees_total"),
        (3, "owner_national_id"),
        (4, "national_business_id"),
        (4, "green_jobs"),
        (4, "green_jobs"),
    ]
    assert report.errors[4]["message"] == "This national business ID is already in row 2 of this file."
    assert report.create_count == 0


def test_the_dry_run_writes_nothing_and_lists_the_error(officer, applicant, client):
    rows = three_rows(applicant.national_id)
    rows[1]["owner_national_id"] = bad_checksum(applicant.national_id)
    before = counts()
    client.force_login(officer)

    response = client.post(
        reverse("programs:import_list"), {"action": "dry_run", "file": csv_upload(rows)}, format="multipart"
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="dry-run-failed"' in content
    assert 'data-testid="import-error" data-row="3" data-column="owner_national_id"' in content
    assert counts() == before


def test_a_dry_run_of_a_valid_file_counts_what_would_be_imported_and_writes_nothing(officer, applicant):
    BusinessFactory(national_business_id=BUSINESS_IDS[2], status="submitted")
    before = counts()

    report = imports.import_dry_run(actor=officer, uploaded=csv_upload(three_rows(applicant.national_id)))

    assert (report.ok, report.total_rows, report.create_count, report.skip_count) == (True, 3, 2, 1)
    assert report.errors == []
    assert counts() == before


def test_importing_the_same_file_twice_does_not_duplicate(
    officer, applicant, django_capture_on_commit_callbacks
):
    rows = three_rows(applicant.national_id)
    import_file(officer, csv_upload(rows), django_capture_on_commit_callbacks)
    after_first = counts()

    second = import_file(officer, csv_upload(rows), django_capture_on_commit_callbacks)

    assert second.status == ImportJob.Status.SUCCEEDED
    assert (second.created_count, second.skipped_count) == (0, 3)
    assert counts() == (*after_first[:4], after_first[4] + 1)


def test_a_business_with_a_live_registration_is_skipped_but_a_rejected_one_does_not_block(
    officer, applicant, django_capture_on_commit_callbacks
):
    live = BusinessFactory(national_business_id=BUSINESS_IDS[0], status="verified", verified_kind="new_green")
    BusinessFactory(national_business_id=BUSINESS_IDS[1], status="rejected")

    job = import_file(
        officer, csv_upload(three_rows(applicant.national_id)), django_capture_on_commit_callbacks
    )

    assert (job.status, job.created_count, job.skipped_count) == ("succeeded", 2, 1)
    assert list(Business.objects.filter(national_business_id=BUSINESS_IDS[0])) == [live]
    assert Business.objects.filter(national_business_id=BUSINESS_IDS[1]).count() == 2


def test_a_verification_older_than_its_validity_is_imported_as_expired(
    officer, applicant, django_capture_on_commit_callbacks
):
    rows = three_rows(applicant.national_id)[:1]
    rows[0]["verified_on"] = "1400/01/01"

    import_file(officer, csv_upload(rows), django_capture_on_commit_callbacks)

    business = Business.objects.get(national_business_id=BUSINESS_IDS[0])
    assert (business.status, business.verified_kind) == ("expired", "new_green")
    assert business.expires_on == datetime.date(2021, 3, 21) + datetime.timedelta(
        days=settings.REGISTRATION_VALIDITY_DAYS
    )
    assert business.events.get().to_status == "expired"


def test_an_excel_file_imports(officer, applicant, django_capture_on_commit_callbacks):
    rows = three_rows(applicant.national_id)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        values = [row.get(key, "") for key in HEADER]
        values[HEADER.index("employees_total")] = int(fold_digits(row["employees_total"]))
        sheet.append(values)
    # A real date cell (Gregorian, as Excel stores it) is read as that date.
    sheet.cell(row=2, column=HEADER.index("verified_on") + 1, value=datetime.datetime(2026, 4, 30))
    sheet.append([None] * len(HEADER))  # trailing empty rows are passed over
    buffer = io.BytesIO()
    workbook.save(buffer)
    uploaded = SimpleUploadedFile("registrations.xlsx", buffer.getvalue())

    job = import_file(officer, uploaded, django_capture_on_commit_callbacks)

    assert (job.status, job.total_rows, job.created_count) == ("succeeded", 3, 3)
    first = Business.objects.get(national_business_id=BUSINESS_IDS[0])
    assert first.employees_total == 12
    assert timezone.localtime(first.verified_at).date() == datetime.date(2026, 4, 30)


def test_persian_headers_are_accepted(officer, applicant, django_capture_on_commit_callbacks):
    header = [PERSIAN_HEADER[key] for key in HEADER]

    job = import_file(
        officer,
        csv_upload(three_rows(applicant.national_id), header=header, bom=False),
        django_capture_on_commit_callbacks,
    )

    assert (job.status, job.created_count) == ("succeeded", 3)


def test_the_template_example_row_passes_the_check(officer, client):
    client.force_login(officer)

    response = client.get(reverse("programs:import_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == list(imports.COLUMN_KEYS)
    report = imports.import_dry_run(
        actor=officer, uploaded=SimpleUploadedFile("template.csv", response.content)
    )
    assert (report.ok, report.create_count) == (True, 1)


# --- files that are not spreadsheets of this import ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("registrations.csv", b"<!DOCTYPE html>\n<html><body><table><tr><td>1</td></tr>", "file_type"),
        ("registrations.csv", MINIMAL_PDF, "file_type"),
        ("registrations.txt", b"legal_name\nx\n", "file_type"),
        ("registrations.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "file_type"),
        ("registrations.xlsx", MINIMAL_PDF, "file_type"),
        ("registrations.csv", "legal_name,نام\n".encode("cp1256"), "encoding"),
        ("registrations.csv", b"", "empty_file"),
        ("registrations.csv", b"legal_name,colour\nx,red\n", "header"),
        ("registrations.csv", b"legal_name,status\nx,verified\n", "header"),
        ("registrations.csv", ",".join(HEADER).encode() + b"\n\n,,\n", "no_rows"),
    ],
)  # fmt: skip
def test_a_file_that_is_no_import_spreadsheet_is_refused_with_a_clear_error(name, content, code):
    with pytest.raises(ValidationError) as raised:
        imports.parse_file(io.BytesIO(content), name)

    assert raised.value.code == code
    assert raised.value.messages[0]


def test_a_zip_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    with pytest.raises(ValidationError) as raised:
        imports.parse_file(io.BytesIO(buffer.getvalue()), "registrations.xlsx")

    assert raised.value.code == "file_damaged"


def test_too_many_rows_are_refused(officer):
    content = ",".join(HEADER) + "\n" + "x\n" * (imports.MAX_ROWS + 1)

    with pytest.raises(ValidationError) as raised:
        imports.parse_file(io.BytesIO(content.encode()), "registrations.csv")

    assert raised.value.code == "too_many_rows"


def test_an_html_page_renamed_csv_is_refused_on_the_page_and_creates_no_job(officer, client):
    client.force_login(officer)
    page = SimpleUploadedFile(
        "registrations.csv", b"<html><body>Not a sheet</body></html>", content_type="text/csv"
    )

    response = client.post(reverse("programs:import_list"), {"action": "import", "file": page})

    assert response.status_code == 200
    with translation.override("fa"):
        message = gettext(
            "This file is a web page or an XML document, not a spreadsheet, whatever its name says."
        )
    assert 'data-testid="error-file"' in response.content.decode()
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0


# --- pages and who may use them -----------------------------------------------------------------------------


def test_an_officer_imports_through_the_page_and_follows_the_job(
    officer, applicant, client, django_capture_on_commit_callbacks
):
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programs:import_list"),
            {"action": "import", "file": csv_upload(three_rows(applicant.national_id))},
        )

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:import_detail", args=[job.pk])
    assert job.requested_by == officer
    content = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-created">۳</dd>' in content
    assert 'value="100"' in content
    assert "hx-trigger" not in content


def test_a_doe_manager_may_import(agencies, client):
    client.force_login(make_staff("DOE", "manager"))

    assert client.get(reverse("programs:import_list")).status_code == 200


@pytest.mark.parametrize(
    "who", ["doe_reviewer", "mcls_officer", "tvto_manager", "applicant", "programme_manager"]
)
def test_others_may_not_import_and_nothing_is_created(who, agencies, applicant, client):
    from tests.factories import ProgrammeManagerFactory

    user = {
        "doe_reviewer": lambda: make_staff("DOE", "reviewer"),
        "mcls_officer": lambda: make_staff("MCLS", "officer"),
        "tvto_manager": lambda: make_staff("TVTO", "manager"),
        "applicant": lambda: applicant,
        "programme_manager": ProgrammeManagerFactory,
    }[who]()
    job = ImportJob.objects.create(
        requested_by=make_staff("DOE", "officer"), original_name="a.csv", stored_name="x"
    )
    before = counts()
    client.force_login(user)

    for action in ("dry_run", "import"):
        response = client.post(
            reverse("programs:import_list"),
            {"action": action, "file": csv_upload(three_rows(applicant.national_id))},
        )
        assert response.status_code == 403
    assert client.get(reverse("programs:import_list")).status_code == 403
    assert client.get(reverse("programs:import_detail", args=[job.pk])).status_code == 403
    assert client.get(reverse("programs:import_progress", args=[job.pk])).status_code == 403
    assert client.get(reverse("programs:import_template")).status_code == 403
    assert counts() == before
    with pytest.raises(DomainError) as raised:
        imports.import_dry_run(actor=user, uploaded=csv_upload(three_rows(applicant.national_id)))
    assert raised.value.status_code == 403
    with pytest.raises(DomainError):
        imports.import_create_job(actor=user, uploaded=csv_upload(three_rows(applicant.national_id)))
    assert counts() == before


def test_anonymous_people_are_sent_to_sign_in(agencies, client, officer):
    job = ImportJob.objects.create(requested_by=officer, original_name="a.csv", stored_name="x")
    for url in (
        reverse("programs:import_list"),
        reverse("programs:import_detail", args=[job.pk]),
        reverse("programs:import_progress", args=[job.pk]),
        reverse("programs:import_template"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_progress_partial_reflects_the_processed_rows_and_polls_until_finished(officer, client):
    job = ImportJob.objects.create(
        requested_by=officer, original_name="a.csv", stored_name="x", status="running", total_rows=10,
        processed_rows=4,
    )  # fmt: skip
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    url = reverse("programs:import_progress", args=[job.pk])

    running = client.get(url, headers={"hx-request": "true"}).content.decode()

    assert running.lstrip().startswith('<section id="import-progress"')
    assert 'value="40"' in running
    assert "4 of 10 rows (40%)" in running
    assert f'hx-get="{url}" hx-trigger="every 1s" hx-swap="outerHTML"' in running

    # the worker writes the count on the row as the rows go in, and the page reads the row
    job.advance(70, processed_rows=7)
    assert 'value="70"' in client.get(url).content.decode()

    ImportJob.objects.filter(pk=job.pk).update(status="succeeded", processed_rows=10, created_count=10)
    finished = client.get(url).content.decode()
    assert 'value="100"' in finished
    assert "hx-trigger" not in finished
    assert 'data-testid="import-created">10</dd>' in finished


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time")
@pytest.mark.django_db(transaction=True)
def test_the_progress_is_on_the_job_row_while_the_rows_are_still_being_written(agencies, monkeypatch):
    programs_seed.load()  # transactional tests flush the migration's reference data
    officer = make_staff("DOE", "officer")
    applicant = ApplicantFactory(national_id=valid_national_id("046000002"))
    seen_from_outside = []
    side = connections.create_connection("default")
    create_business = import_jobs._create_business

    def create_and_look(**kwargs):
        with side.cursor() as cursor:
            cursor.execute("SELECT status, processed_rows, progress FROM programs_importjob")
            seen_from_outside.append(cursor.fetchone())
        return create_business(**kwargs)

    monkeypatch.setattr(import_jobs, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(import_jobs, "_create_business", create_and_look)
    try:
        job = imports.import_create_job(actor=officer, uploaded=csv_upload(three_rows(applicant.national_id)))
    finally:
        side.close()

    # no business is committed before the last one is written, but the page sees the rows go in
    assert seen_from_outside == [("running", 0, 0), ("running", 1, 33), ("running", 2, 66)]
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.progress, job.created_count) == ("succeeded", 3, 100, 3)


def test_a_task_run_twice_for_one_job_imports_once(officer, applicant):
    job = imports.import_create_job(actor=officer, uploaded=csv_upload(three_rows(applicant.national_id)))
    before = counts()

    assert tasks.run_import(job.pk) == "succeeded"
    assert tasks.run_import(job.pk) == "succeeded"

    job.refresh_from_db()
    assert (job.created_count, job.skipped_count) == (3, 0)
    assert counts() == (before[0] + 3, before[1] + 4, before[2] + 3, before[3] + 1, before[4])


def test_the_import_list_runs_a_constant_number_of_queries(officer, client, django_assert_num_queries):
    def add_jobs(count):
        for index in range(count):
            ImportJob.objects.create(
                requested_by=make_staff("DOE", "officer"), original_name=f"file-{index}.csv", stored_name="x",
                status="succeeded", total_rows=5, processed_rows=5, created_count=5,
            )  # fmt: skip

    client.force_login(officer)
    url = reverse("programs:import_list")
    add_jobs(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).content.decode().count('data-testid="import-job-row"') == 2

    add_jobs(10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).content.decode().count('data-testid="import-job-row"') == 12


# --- with a real worker -------------------------------------------------------------------------------------


@pytest.fixture
def import_worker():
    from tests.utils import celery_to_redis, real_worker

    with celery_to_redis() as queue, real_worker(queue) as worker:
        yield worker


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_import_while_the_page_polls(agencies, import_worker, client):
    programs_seed.load()  # transactional tests flush the migration's reference data
    officer = make_staff("DOE", "officer")
    applicant = ApplicantFactory(national_id=valid_national_id("046000002"))
    client.force_login(officer)

    response = client.post(
        reverse("programs:import_list"),
        {"action": "import", "file": csv_upload(three_rows(applicant.national_id))},
    )

    job = ImportJob.objects.get()
    assert response["Location"] == reverse("programs:import_detail", args=[job.pk])
    progress_url = reverse("programs:import_progress", args=[job.pk])
    wait_until(lambda: 'data-status="succeeded"' in client.get(progress_url).content.decode())
    assert Business.objects.filter(national_business_id__in=BUSINESS_IDS).count() == 3
    job.refresh_from_db()
    assert (job.created_count, job.skipped_count, job.processed_rows) == (3, 0, 3)
