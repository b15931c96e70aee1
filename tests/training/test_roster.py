import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import Kind
from greenjobs.exceptions import DomainError
from tests.factories import ApplicantFactory, SessionFactory, make_staff, valid_national_id
from training.models import Enrolment, Session
from training.services import enrolment as enrolment_services
from training.services.roster import roster_import

pytestmark = pytest.mark.django_db
User = get_user_model()

HEADER = "national_id,first_name,last_name,mobile,email"
NEW_A = valid_national_id("512345678")
NEW_B = valid_national_id("612345678")
BAD = NEW_B[:9] + str((int(NEW_B[9]) + 1) % 10)  # the check digit is wrong


@pytest.fixture
def officer(agencies):
    return make_staff("TVTO")


@pytest.fixture
def session(agencies):
    return SessionFactory()


@pytest.fixture
def existing(agencies):
    return ApplicantFactory(first_name="زهرا", last_name="کریمی")


def csv_file(*lines: str, name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\ufeff" + "\n".join(lines) + "\n").encode(), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "roster.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def three_people(existing, third=NEW_B) -> SimpleUploadedFile:
    return csv_file(
        HEADER,
        f"{existing.national_id},,,,",
        f"{NEW_A},  علي ,رضايي,09351234567,Ali.Rezaei@Example.ir",
        f"{third},مريم,احمدی,,",
    )


def state() -> dict:
    return {
        "users": sorted(User.objects.values_list("pk", "national_id")),
        "enrolments": sorted(Enrolment.objects.values_list("pk", "person_id", "status")),
        "seats": sorted(Session.objects.values_list("pk", "enrolled_count")),
    }


def run(officer, session, upload, **kwargs):
    return roster_import(session_id=session.pk, actor=officer, fileobj=upload, name=upload.name, **kwargs)


# --- the service --------------------------------------------------------------------------------------------


def test_a_valid_roster_enrols_everyone_and_creates_the_missing_accounts(officer, session, existing):
    report = run(officer, session, three_people(existing))

    assert (report.ok, report.total_rows, report.existing_accounts, report.new_accounts) == (True, 3, 1, 2)
    assert (report.seated, report.waitlisted) == (3, 0)
    enrolments = list(Enrolment.objects.order_by("requested_at", "pk").select_related("person"))
    assert [e.person.national_id for e in enrolments] == [existing.national_id, NEW_A, NEW_B]
    assert {(e.status, e.enrolled_by_id) for e in enrolments} == {(Enrolment.Status.ENROLLED, officer.pk)}
    ali = User.objects.get(national_id=NEW_A)
    assert (ali.username, ali.email, ali.first_name, ali.last_name, ali.mobile, ali.kind) == (
        "ali.rezaei@example.ir",
        "ali.rezaei@example.ir",
        "علی",
        "رضایی",
        "09351234567",
        Kind.APPLICANT,
    )
    maryam = User.objects.get(national_id=NEW_B)
    assert (maryam.username, maryam.email, maryam.first_name, maryam.mobile) == (NEW_B, "", "مریم", None)
    assert not ali.has_usable_password()
    assert not maryam.has_usable_password()
    assert (ali.email_verified_at, maryam.email_verified_at) == (None, None)
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name) == ("زهرا", "کریمی")
    session.refresh_from_db()
    assert session.enrolled_count == 3


def test_one_bad_national_id_in_row_three_enrols_nobody(officer, session, existing):
    """Row numbers are the spreadsheet's: the header is row 1, so the second person is row 3."""
    before = state()
    upload = csv_file(HEADER, f"{existing.national_id},,,,", f"{BAD},مریم,احمدی,,", f"{NEW_A},علی,رضایی,,")

    with translation.override("en"):
        report = run(officer, session, upload)

    assert report.errors == [
        {
            "row": 3,
            "column": "national_id",
            "message": "This national ID is not valid: its check digit does not match.",
        }
    ]
    assert (report.ok, report.enrolments) == (False, [])
    assert state() == before
    assert User.objects.filter(national_id=NEW_A).count() == 0


def test_a_dry_run_writes_nothing(officer, session, existing):
    before = state()

    report = run(officer, session, three_people(existing), dry_run=True)

    assert (report.ok, report.dry_run, report.new_accounts, report.seated, report.enrolments) == (
        True,
        True,
        2,
        3,
        [],
    )
    assert state() == before


def test_an_excel_roster_with_persian_headers_works(officer, session, existing):
    upload = xlsx_file(
        [
            ["ردیف", "کد ملی", "نام", "نام خانوادگی", "موبایل", "ایمیل"],
            [1, existing.national_id, None, None, None, None],
            [2, int(NEW_A), "علی", "رضایی", "۰۹۳۵۱۲۳۴۵۶۷", None],
        ]
    )

    report = run(officer, session, upload)

    assert report.ok, report.errors
    assert sorted(Enrolment.objects.values_list("person__national_id", flat=True)) == sorted(
        [existing.national_id, NEW_A]
    )
    assert User.objects.get(national_id=NEW_A).mobile == "09351234567"


def test_people_beyond_the_seats_go_onto_the_wait_list_in_the_files_order(officer, existing):
    session = SessionFactory(capacity=2)

    report = run(officer, session, three_people(existing))

    assert (report.seated, report.waitlisted) == (2, 1)
    assert list(
        Enrolment.objects.order_by("requested_at", "pk").values_list("person__national_id", "status")
    ) == [
        (existing.national_id, Enrolment.Status.ENROLLED),
        (NEW_A, Enrolment.Status.ENROLLED),
        (NEW_B, Enrolment.Status.WAITLISTED),
    ]


def test_duplicates_already_enrolled_and_missing_names_are_all_reported(officer, session, existing):
    enrolment_services.enrolment_create(session_id=session.pk, person=existing, actor=existing)
    staff = make_staff("DOE", national_id=valid_national_id("712345678"))
    before = state()
    upload = csv_file(
        HEADER,
        f"{existing.national_id},,,,",
        f"{NEW_A},علی,رضایی,,",
        f"{NEW_A},علی,رضایی,,",
        f"{NEW_B},,,0912,",
        f"{staff.national_id},,,,",
    )

    report = run(officer, session, upload)

    assert [(error["row"], error["column"]) for error in report.errors] == [
        (2, "national_id"),
        (4, "national_id"),
        (5, "first_name"),
        (5, "last_name"),
        (5, "mobile"),
        (6, "national_id"),
    ]
    assert state() == before


def test_a_file_that_is_not_a_spreadsheet_is_refused(officer, session):
    with pytest.raises(ValidationError):
        run(officer, session, SimpleUploadedFile("roster.pdf", b"%PDF-1.4"))
    with pytest.raises(ValidationError):
        run(officer, session, csv_file("name,phone", "x,y"))


@pytest.mark.parametrize("who", [("DOE", "officer"), ("MCLS", "manager")])
def test_only_tvto_imports_a_roster(session, existing, who):
    staff = make_staff(*who)
    before = state()

    with pytest.raises(DomainError) as error:
        run(staff, session, three_people(existing))

    assert error.value.status_code == 403
    assert state() == before


# --- the page -----------------------------------------------------------------------------------------------


def roster_url(session):
    return reverse("training:roster_import", args=[session.pk])


def test_the_page_enrols_a_valid_roster(client, officer, session, existing):
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    response = client.post(
        roster_url(session), {"file": three_people(existing), "action": "enrol"}, follow=True
    )

    assert response.redirect_chain == [(reverse("training:session_detail", args=[session.pk]), 302)]
    assert (
        "3 people were enrolled from the roster: 3 with a seat, 0 on the wait list."
        in response.content.decode()
    )
    assert Enrolment.objects.filter(session=session, status=Enrolment.Status.ENROLLED).count() == 3


def test_the_page_shows_the_row_errors_and_enrols_nobody(client, officer, session, existing):
    client.force_login(officer)
    before = state()
    upload = csv_file(HEADER, f"{existing.national_id},,,,", f"{BAD},مریم,احمدی,,", f"{NEW_A},علی,رضایی,,")

    response = client.post(roster_url(session), {"file": upload, "action": "enrol"})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="roster-failed"' in content
    assert content.count('data-testid="import-error"') == 1
    assert 'data-testid="import-error" data-row="3" data-column="national_id"' in content
    assert state() == before


def test_the_page_dry_run_reports_and_writes_nothing(client, officer, session, existing):
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    before = state()

    response = client.post(roster_url(session), {"file": three_people(existing), "action": "dry_run"})

    content = response.content.decode()
    assert 'data-testid="roster-ok"' in content
    assert (
        "Enrolling this roster would give 3 seats, put 0 on the wait list and create 2 new accounts."
        in content
    )
    assert state() == before


def test_the_roster_page_is_refused_to_others(client, session, existing):
    doe_officer = make_staff("DOE")
    before = state()
    response = client.get(roster_url(session))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))

    for user in (doe_officer, existing):
        client.force_login(user)
        assert client.get(roster_url(session)).status_code == 403
        response = client.post(roster_url(session), {"file": three_people(existing), "action": "enrol"})
        assert response.status_code == 403

    assert state() == before
