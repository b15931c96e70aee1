import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from greenjobs.jalali import to_jalali
from greenjobs.text import to_persian_digits
from tests.factories import (
    ApplicantFactory,
    CourseFactory,
    SessionFactory,
    TrainingCentreFactory,
    county,
    make_staff,
    occupation,
)
from training.models import Attendance, Certificate, Course, Enrolment, Meeting, Session, TrainingCentre
from training.services import enrolment as enrolment_services
from training.services import results as results_services
from training.views import catalogue as catalogue_views
from training.views import records as records_views

pytestmark = pytest.mark.django_db

LIST_URL = reverse("training:session_list")
MY_TRAINING_URL = reverse("training:my_training")


@pytest.fixture
def officer(agencies):
    return make_staff("TVTO")


@pytest.fixture
def doe_officer(agencies):
    return make_staff("DOE")


@pytest.fixture
def applicant(agencies):
    return ApplicantFactory()


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def jalali_text(value: datetime.date) -> str:
    jdate = to_jalali(value)
    return f"{jdate.year:04d}/{jdate.month:02d}/{jdate.day:02d}"


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def listed(content: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="session" data-session="(\d+)"', content)]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def enrol_people(session, count: int) -> list[Enrolment]:
    enrolments = []
    for _ in range(count):
        person = ApplicantFactory()
        enrolments.append(
            enrolment_services.enrolment_create(session_id=session.pk, person=person, actor=person)
        )
    return enrolments


# --- the public catalogue -----------------------------------------------------------------------------------


@pytest.fixture
def catalogue(agencies):
    """Two upcoming sessions, and three that the public list leaves out."""
    soon = SessionFactory(starts_on=days(5), ends_on=days(20))
    later = SessionFactory(
        starts_on=days(40),
        ends_on=days(60),
        course=CourseFactory(
            title_fa="ممیزی انرژی ساختمان",
            title_en="Building energy audit",
            occupation=occupation("GJ-EN-02"),
            audience="employers",
        ),
        centre=TrainingCentreFactory(county=county("kahak")),
    )
    SessionFactory(starts_on=days(-3), ends_on=days(10))  # already started
    SessionFactory(status=Session.Status.CANCELLED)
    SessionFactory(course=CourseFactory(is_active=False))
    return {"soon": soon, "later": later}


def test_the_public_list_shows_the_upcoming_sessions_in_persian(client, catalogue):
    soon = catalogue["soon"]

    content = html_of(client.get(LIST_URL))

    assert '<html lang="fa" dir="rtl">' in content
    assert listed(content) == [soon.pk, catalogue["later"].pk]
    assert 'data-testid="session-count">۲ ' in content
    assert f'data-testid="session-course">{escape(soon.course.title_fa)}</a>' in content
    assert f'data-testid="session-dates">{to_persian_digits(jalali_text(soon.starts_on))} – ' in content
    assert 'data-testid="session-seats">۱۰</td>' in content


def test_the_public_list_in_english(client, catalogue):
    client.cookies["django_language"] = "en"
    later = catalogue["later"]

    content = html_of(client.get(LIST_URL))

    assert '<html lang="en" dir="ltr">' in content
    assert listed(content) == [catalogue["soon"].pk, later.pk]
    assert 'data-testid="session-count">2 sessions</p>' in content
    assert 'data-testid="session-course">Building energy audit</a>' in content
    assert "ممیزی انرژی ساختمان" not in content
    assert 'data-testid="session-audience">Employers</td>' in content
    assert 'data-testid="session-county">Kahak</div>' in content
    assert (
        f'data-testid="session-dates">{later.starts_on.isoformat()} – {later.ends_on.isoformat()}</td>'
        in content
    )


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_filters_narrow_the_list(client, catalogue, language):
    client.cookies["django_language"] = language
    soon, later = catalogue["soon"], catalogue["later"]
    cases = [
        ({"course": later.course_id}, [later.pk]),
        ({"occupation": "GJ-EN-02"}, [later.pk]),
        ({"occupation": "GJ-EN-01"}, [soon.pk]),
        ({"county": "kahak"}, [later.pk]),
        ({"county": "qom"}, [soon.pk]),
        ({"audience": "employers"}, [later.pk]),
        ({"audience": "workers"}, [soon.pk]),
        ({"centre": soon.centre_id}, [soon.pk]),
        ({"starts_from": jalali_text(days(30))}, [later.pk]),
        ({"starts_to": to_persian_digits(jalali_text(days(30)))}, [soon.pk]),
        ({"starts_from": jalali_text(days(5)), "starts_to": jalali_text(days(40))}, [soon.pk, later.pk]),
        ({"audience": "employers", "county": "qom"}, []),
    ]
    for params, expected in cases:
        assert listed(html_of(client.get(LIST_URL, params))) == expected, params


def test_a_mistyped_date_keeps_the_other_filters(client, catalogue):
    content = html_of(client.get(LIST_URL, {"county": "kahak", "starts_from": "1404/13/40"}))

    assert listed(content) == [catalogue["later"].pk]
    assert "invalid-feedback" in content


def test_a_filter_change_from_htmx_gets_the_results_only(client, catalogue):
    content = html_of(client.get(LIST_URL, {"county": "kahak"}, headers={"HX-Request": "true"}))

    assert "<html" not in content
    assert listed(content) == [catalogue["later"].pk]


def test_a_full_session_shows_the_wait_list_in_the_catalogue(client, catalogue):
    session = SessionFactory(capacity=1, starts_on=days(80), ends_on=days(90))
    enrol_people(session, 1)
    client.cookies["django_language"] = "en"

    content = html_of(client.get(LIST_URL))

    row = content.split(f'data-session="{session.pk}"')[1].split("</tr>")[0]
    assert "Full: wait list" in row


# --- enrolment ----------------------------------------------------------------------------------------------


def test_an_applicant_enrols_in_a_session(client, applicant):
    session = SessionFactory()
    client.force_login(applicant)

    response = client.post(reverse("training:enrol", args=[session.pk]))

    assert response.status_code == 302
    assert response.url == reverse("training:session_detail", args=[session.pk])
    enrolment = Enrolment.objects.get()
    assert (enrolment.session_id, enrolment.person_id, enrolment.status, enrolment.enrolled_by_id) == (
        session.pk,
        applicant.pk,
        Enrolment.Status.ENROLLED,
        applicant.pk,
    )
    session.refresh_from_db()
    assert session.enrolled_count == 1
    page = html_of(client.get(response.url))
    assert 'data-testid="my-enrolment">' in page
    assert 'data-testid="cancel-enrolment"' in page


def test_the_eleventh_person_goes_onto_the_wait_list_at_position_one(client, applicant):
    session = SessionFactory()
    enrol_people(session, 10)
    client.cookies["django_language"] = "en"
    client.force_login(applicant)

    response = client.post(reverse("training:enrol", args=[session.pk]), follow=True)

    enrolment = Enrolment.objects.get(person=applicant)
    assert enrolment.status == Enrolment.Status.WAITLISTED
    session.refresh_from_db()
    assert session.enrolled_count == 10
    assert messages_of(response) == [
        "The session is full: you are on the wait list at position 1. "
        "If a seat frees up, it is yours in turn and we will e-mail you."
    ]
    content = html_of(response)
    assert (
        'data-testid="my-enrolment">The session is full: you are on the wait list at position 1.</p>'
        in content
    )


def test_the_wait_list_position_is_shown_in_persian(client, applicant):
    session = SessionFactory(capacity=1)
    enrol_people(session, 2)
    client.force_login(applicant)

    response = client.post(reverse("training:enrol", args=[session.pk]), follow=True)

    assert Enrolment.objects.get(person=applicant).status == Enrolment.Status.WAITLISTED
    assert re.search(r'data-testid="my-enrolment">[^<]*۲[^<]*</p>', html_of(response))


def test_anonymous_people_are_sent_to_sign_in_and_nothing_is_enrolled(client, agencies):
    session = SessionFactory()

    response = client.post(reverse("training:enrol", args=[session.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert Enrolment.objects.count() == 0


def test_staff_cannot_enrol_themselves(client, officer):
    session = SessionFactory()
    client.force_login(officer)

    response = client.post(reverse("training:enrol", args=[session.pk]))

    assert response.status_code == 403
    assert Enrolment.objects.count() == 0


def test_enrolling_twice_is_refused_with_a_message(client, applicant):
    session = SessionFactory()
    client.force_login(applicant)
    client.post(reverse("training:enrol", args=[session.pk]), follow=True)
    client.cookies["django_language"] = "en"

    response = client.post(reverse("training:enrol", args=[session.pk]), follow=True)

    assert Enrolment.objects.filter(person=applicant).count() == 1
    assert messages_of(response) == ["You are already enrolled in this session or on its wait list."]


def test_cancelling_a_seat_promotes_the_first_on_the_wait_list_who_gets_one_email(
    client, applicant, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=2)
    mine = enrolment_services.enrolment_create(session_id=session.pk, person=applicant, actor=applicant)
    other = enrol_people(session, 1)[0]
    first, second = enrol_people(session, 2)
    assert (first.status, second.status) == (Enrolment.Status.WAITLISTED, Enrolment.Status.WAITLISTED)
    mail.outbox.clear()
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:cancel", args=[mine.pk]))

    assert response.status_code == 302
    assert response.url == MY_TRAINING_URL
    statuses = dict(Enrolment.objects.values_list("pk", "status"))
    assert statuses == {
        mine.pk: Enrolment.Status.CANCELLED,
        other.pk: Enrolment.Status.ENROLLED,
        first.pk: Enrolment.Status.ENROLLED,
        second.pk: Enrolment.Status.WAITLISTED,
    }
    session.refresh_from_db()
    assert session.enrolled_count == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [first.person.email]


def test_nobody_cancels_another_persons_enrolment(client, applicant):
    session = SessionFactory()
    theirs = enrol_people(session, 1)[0]
    client.force_login(applicant)

    response = client.post(reverse("training:cancel", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Enrolment.Status.ENROLLED


# --- TVTO manages centres, courses and sessions -------------------------------------------------------------


def test_a_tvto_officer_adds_a_centre(client, officer):
    client.force_login(officer)

    response = client.post(
        reverse("training:centre_create"),
        {
            "name_fa": "  مركز  آموزش فني  پرديسان ",
            "name_en": " Pardisan  TVTO centre ",
            "kind": "tvto",
            "county": county("jafarabad").pk,
            "address": "قم، پرديسان",
            "accreditation_number": "۱۲۳-الف",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("training:centre_list")
    centre = TrainingCentre.objects.get()
    assert (
        centre.name_fa,
        centre.name_en,
        centre.kind,
        centre.county.code,
        centre.address,
        centre.accreditation_number,
        centre.is_active,
    ) == (
        "مرکز آموزش فنی پردیسان",
        "Pardisan TVTO centre",
        "tvto",
        "jafarabad",
        "قم، پردیسان",
        "123-الف",
        True,
    )


def test_a_tvto_officer_adds_a_course(client, officer):
    client.force_login(officer)

    response = client.post(
        reverse("training:course_create"),
        {
            "standard_code": " ts-7411-pv-۰۲ ",
            "title_fa": "نصب  پنل خورشيدي",
            "title_en": "Solar panel fitting",
            "occupation": occupation("GJ-EN-01").pk,
            "hours": "60",
            "audience": "job_seekers",
            "description_fa": "دوره عملی\r\nبا کارگاه",
            "description_en": "",
            "pass_mark": "65.5",
            "min_attendance_percent": "75",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    course = Course.objects.get()
    assert (
        course.standard_code,
        course.title_fa,
        course.title_en,
        course.occupation.code,
        course.hours,
        course.audience,
        course.description_fa,
        course.pass_mark,
        course.min_attendance_percent,
        course.is_active,
    ) == (
        "TS-7411-PV-02",
        "نصب پنل خورشیدی",
        "Solar panel fitting",
        "GJ-EN-01",
        60,
        "job_seekers",
        "دوره عملی\nبا کارگاه",
        Decimal("65.50"),
        75,
        True,
    )


def test_a_second_course_on_the_same_standard_is_refused(client, officer):
    CourseFactory(standard_code="TS-1-GR")
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("training:course_create"),
        {
            "standard_code": "ts-1-gr",
            "title_fa": "دوره",
            "title_en": "Course",
            "occupation": occupation().pk,
            "hours": "10",
            "audience": "workers",
            "pass_mark": "60",
            "min_attendance_percent": "80",
        },
    )

    assert "The training standard TS-1-GR already has a course." in html_of(response)
    assert Course.objects.count() == 1


def test_a_tvto_officer_plans_a_session(client, officer):
    course, centre = CourseFactory(), TrainingCentreFactory()
    client.force_login(officer)

    response = client.post(
        reverse("training:session_create"),
        {
            "course": course.pk,
            "centre": centre.pk,
            "starts_on": to_persian_digits(jalali_text(days(10))),
            "ends_on": jalali_text(days(40)),
            "capacity": "25",
            "instructor": " مهندس  علي  رضايي ",
        },
    )

    session = Session.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("training:session_detail", args=[session.pk])
    assert (
        session.course_id,
        session.centre_id,
        session.starts_on,
        session.ends_on,
        session.capacity,
        session.instructor,
        session.status,
        session.enrolled_count,
        session.created_by_id,
    ) == (
        course.pk,
        centre.pk,
        days(10),
        days(40),
        25,
        "مهندس علی رضایی",
        Session.Status.PLANNED,
        0,
        officer.pk,
    )


def test_a_session_cannot_end_before_it_starts(client, officer):
    course, centre = CourseFactory(), TrainingCentreFactory()
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("training:session_create"),
        {
            "course": course.pk,
            "centre": centre.pk,
            "starts_on": jalali_text(days(10)),
            "ends_on": jalali_text(days(9)),
            "capacity": "25",
            "instructor": "X",
        },
    )

    assert 'data-testid="error-ends_on">A session cannot end before it starts.</div>' in html_of(response)
    assert Session.objects.count() == 0


def test_more_seats_go_to_the_wait_list_in_order(client, officer):
    session = SessionFactory(capacity=1)
    seated, first, second, third = enrol_people(session, 4)
    client.force_login(officer)

    response = client.post(
        reverse("training:session_edit", args=[session.pk]),
        {
            "course": session.course_id,
            "centre": session.centre_id,
            "starts_on": jalali_text(session.starts_on),
            "ends_on": jalali_text(session.ends_on),
            "capacity": "3",
            "instructor": "مهندس کامران یزدی",
        },
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.capacity, session.enrolled_count) == (3, 3)
    statuses = dict(Enrolment.objects.values_list("pk", "status"))
    assert statuses == {
        seated.pk: Enrolment.Status.ENROLLED,
        first.pk: Enrolment.Status.ENROLLED,
        second.pk: Enrolment.Status.ENROLLED,
        third.pk: Enrolment.Status.WAITLISTED,
    }


def test_fewer_seats_than_people_enrolled_is_refused(client, officer):
    session = SessionFactory(capacity=3)
    enrol_people(session, 3)
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("training:session_edit", args=[session.pk]),
        {
            "course": session.course_id,
            "centre": session.centre_id,
            "starts_on": jalali_text(session.starts_on),
            "ends_on": jalali_text(session.ends_on),
            "capacity": "2",
            "instructor": "X",
        },
    )

    assert "3 people already hold seats; cancel enrolments first." in html_of(response)
    session.refresh_from_db()
    assert (session.capacity, session.instructor) == (3, "مهندس کامران یزدی")


def test_a_cancelled_session_leaves_the_catalogue(client, officer):
    session = SessionFactory()
    client.force_login(officer)

    response = client.post(reverse("training:session_edit", args=[session.pk]), {"action": "cancel_session"})

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    client.logout()
    assert listed(html_of(client.get(LIST_URL))) == []


@pytest.mark.parametrize("who", ["doe_officer", "applicant"])
def test_anyone_but_tvto_gets_403_and_nothing_is_created(client, request, who, agencies):
    client.force_login(request.getfixturevalue(who))
    course, centre = CourseFactory(), TrainingCentreFactory()
    session = SessionFactory(course=course, centre=centre)
    posts = {
        reverse("training:centre_create"): {
            "name_fa": "مرکز",
            "name_en": "C",
            "kind": "tvto",
            "county": county().pk,
        },
        reverse("training:course_create"): {
            "standard_code": "TS-9",
            "title_fa": "د",
            "title_en": "C",
            "occupation": occupation().pk,
            "hours": "5",
            "audience": "workers",
            "pass_mark": "60",
            "min_attendance_percent": "80",
        },
        reverse("training:session_create"): {
            "course": course.pk,
            "centre": centre.pk,
            "starts_on": jalali_text(days(3)),
            "ends_on": jalali_text(days(4)),
            "capacity": "5",
            "instructor": "X",
        },
        reverse("training:session_edit", args=[session.pk]): {"action": "cancel_session"},
        reverse("training:centre_edit", args=[centre.pk]): {"name_fa": "تغییر"},
        reverse("training:course_edit", args=[course.pk]): {"title_fa": "تغییر"},
    }
    pages = [*posts, reverse("training:centre_list"), reverse("training:course_list")]

    for url in pages:
        assert client.get(url).status_code == 403, url
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url

    assert (TrainingCentre.objects.count(), Course.objects.count(), Session.objects.count()) == (1, 1, 1)
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED
    assert TrainingCentre.objects.get().name_fa == centre.name_fa
    assert Course.objects.get().title_fa == course.title_fa


def test_anonymous_people_are_sent_to_sign_in_for_management_pages(client, agencies):
    for name in ("training:centre_create", "training:course_list", "training:session_create"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


# --- attendance and results ---------------------------------------------------------------------------------


def test_the_attendance_page_records_who_was_present_and_absent(client, officer):
    session = SessionFactory()
    first, second, third = enrol_people(session, 3)
    Session.objects.filter(pk=session.pk).update(starts_on=days(-3), ends_on=days(3))  # now running
    client.force_login(officer)
    page = html_of(client.get(reverse("training:attendance", args=[session.pk])))
    assert page.count('data-testid="attendance-row"') == 3

    response = client.post(
        reverse("training:attendance", args=[session.pk]),
        {"held_on": jalali_text(days(-1)), "present": [first.pk, third.pk]},
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.session_id, meeting.number, meeting.held_on) == (session.pk, 1, days(-1))
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {
        first.pk: True,
        second.pk: False,
        third.pk: True,
    }
    assert set(Attendance.objects.values_list("recorded_by_id", flat=True)) == {officer.pk}
    page = html_of(client.get(reverse("training:attendance", args=[session.pk])))
    assert page.count('data-testid="attendance-percent">۱۰۰٪') == 2
    assert page.count('data-testid="attendance-percent">۰٪') == 1


def test_a_long_roster_takes_the_roll_call_a_page_at_a_time_into_one_meeting(client, officer, monkeypatch):
    monkeypatch.setattr(records_views, "ROSTER_PAGE_SIZE", 2)
    session = SessionFactory()
    first, second, third = enrol_people(session, 3)
    Session.objects.filter(pk=session.pk).update(starts_on=days(-3), ends_on=days(3))  # now running
    client.force_login(officer)
    url = reverse("training:attendance", args=[session.pk])
    held_on = jalali_text(days(-1))

    one = client.post(url, {"held_on": held_on, "present": [first.pk]})
    two = client.post(f"{url}?page=2", {"held_on": held_on, "present": [third.pk]})
    again = client.post(url, {"held_on": held_on, "present": [first.pk, second.pk]})

    assert (one.status_code, one.url) == (302, url)
    assert (two.status_code, two.url) == (302, f"{url}?page=2")
    meeting = Meeting.objects.get()
    assert (meeting.number, meeting.held_on) == (1, days(-1))
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {
        first.pk: True,
        second.pk: False,
        third.pk: True,
    }
    # The first page's people are marked already: sending it again is a second meeting that day, refused.
    assert again.status_code == 200
    assert list(again.context["form"].errors) == ["held_on"]
    assert Attendance.objects.filter(present=True).count() == 2
    page_two = html_of(client.get(f"{url}?page=2"))
    assert re.findall(r'data-testid="attendance-row" data-enrolment="(\d+)"', page_two) == [str(third.pk)]


def test_attendance_for_someone_not_enrolled_writes_nothing(client, officer):
    session = SessionFactory()
    enrol_people(session, 1)
    stranger = enrol_people(SessionFactory(), 1)[0]
    client.force_login(officer)

    response = client.post(
        reverse("training:attendance", args=[session.pk]),
        {"held_on": jalali_text(session.starts_on), "present": [stranger.pk]},
    )

    assert response.status_code == 200
    assert (Meeting.objects.count(), Attendance.objects.count()) == (0, 0)


def test_results_pass_only_with_both_marks_and_enough_attendance(
    client, officer, django_capture_on_commit_callbacks
):
    course = CourseFactory(pass_mark=Decimal("60"), min_attendance_percent=80)
    session = SessionFactory(course=course)
    good, low_theory, low_practical, absent = enrol_people(session, 4)
    Session.objects.filter(pk=session.pk).update(starts_on=days(-10), ends_on=days(-1))  # now over
    # Five meetings: `good` misses one (80 %, exactly the minimum), `absent` misses two (60 %).
    for number in range(5):
        meeting = results_services.meeting_add(
            session_id=session.pk, actor=officer, held_on=days(-10 + number)
        )
        present = [low_theory.pk, low_practical.pk]
        present += [good.pk] if number != 0 else []
        present += [absent.pk] if number < 3 else []
        results_services.attendance_record(
            meeting_id=meeting.pk, actor=officer, present_enrolment_ids=present
        )
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training:results", args=[session.pk]),
            {
                f"theory_{good.pk}": "60",
                f"practical_{good.pk}": "۹۵٫۵",
                f"theory_{low_theory.pk}": "59.99",
                f"practical_{low_theory.pk}": "100",
                f"theory_{low_practical.pk}": "100",
                f"practical_{low_practical.pk}": "59",
                f"theory_{absent.pk}": "100",
                f"practical_{absent.pk}": "100",
            },
        )

    assert response.status_code == 302
    results = {
        pk: (theory, practical, passed)
        for pk, theory, practical, passed in Enrolment.objects.values_list(
            "pk", "theory_score", "practical_score", "passed"
        )
    }
    assert results == {
        good.pk: (Decimal("60.00"), Decimal("95.50"), True),
        low_theory.pk: (Decimal("59.99"), Decimal("100.00"), False),
        low_practical.pk: (Decimal("100.00"), Decimal("59.00"), False),
        absent.pk: (Decimal("100.00"), Decimal("100.00"), False),
    }
    assert list(Certificate.objects.values_list("enrolment_id", flat=True)) == [good.pk]
    page = html_of(client.get(reverse("training:results", args=[session.pk])))
    rows = {
        int(pk): row
        for pk, row in re.findall(r'data-testid="result-row" data-enrolment="(\d+)">(.*?)</tr>', page, re.S)
    }
    assert 'data-testid="result-passed">Passed</span>' in rows[good.pk]
    assert '<td class="text-end">80%</td>' in rows[good.pk]
    assert '<td class="text-end">60%</td>' in rows[absent.pk]
    assert 'data-testid="certificate-issued"' in rows[good.pk]
    for pk in (low_theory.pk, low_practical.pk, absent.pk):
        assert 'data-testid="result-failed">Not passed</span>' in rows[pk]
        assert "certificate-issued" not in rows[pk]


def test_the_results_are_paged_and_each_page_saves_its_own_people(client, officer, monkeypatch):
    monkeypatch.setattr(records_views, "ROSTER_PAGE_SIZE", 2)
    session = SessionFactory()
    first, second, third = enrol_people(session, 3)
    Session.objects.filter(pk=session.pk).update(starts_on=days(-3), ends_on=days(3))  # now running
    meeting = results_services.meeting_add(session_id=session.pk, actor=officer, held_on=days(-1))
    results_services.attendance_record(
        meeting_id=meeting.pk, actor=officer, present_enrolment_ids=[first.pk, second.pk, third.pk]
    )
    client.force_login(officer)
    url = reverse("training:results", args=[session.pk])

    first_page = html_of(client.get(url))
    response = client.post(f"{url}?page=2", {f"theory_{third.pk}": "90", f"practical_{third.pk}": "90"})

    rows = re.findall(r'data-testid="result-row" data-enrolment="(\d+)"', first_page)
    assert [int(pk) for pk in rows] == [first.pk, second.pk]
    assert 'href="?page=2"' in first_page
    assert (response.status_code, response.url) == (302, f"{url}?page=2")
    second_page = html_of(client.get(response.url))
    assert re.findall(r'data-testid="result-row" data-enrolment="(\d+)"', second_page) == [str(third.pk)]
    assert "<td>۳</td>" in second_page  # numbered across pages
    scored = dict(Enrolment.objects.values_list("pk", "theory_score"))
    assert scored == {first.pk: None, second.pk: None, third.pk: Decimal("90.00")}


def test_results_need_both_scores(client, officer):
    session = SessionFactory()
    (enrolment,) = enrol_people(session, 1)
    Session.objects.filter(pk=session.pk).update(starts_on=days(-3), ends_on=days(3))  # now running
    meeting = results_services.meeting_add(session_id=session.pk, actor=officer, held_on=days(-1))
    results_services.attendance_record(
        meeting_id=meeting.pk, actor=officer, present_enrolment_ids=[enrolment.pk]
    )
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    response = client.post(reverse("training:results", args=[session.pk]), {f"theory_{enrolment.pk}": "70"})

    assert "Give both scores, or neither." in html_of(response)
    enrolment.refresh_from_db()
    assert (enrolment.theory_score, enrolment.passed) == (None, None)


@pytest.mark.parametrize("name", ["training:attendance", "training:results", "training:roster_import"])
def test_records_pages_are_for_tvto_only(client, doe_officer, name):
    session = SessionFactory()
    client.force_login(doe_officer)

    assert client.get(reverse(name, args=[session.pk])).status_code == 403
    assert client.post(reverse(name, args=[session.pk]), {"held_on": "1404/01/01"}).status_code == 403
    assert Meeting.objects.count() == 0


# --- my training --------------------------------------------------------------------------------------------


def test_my_training_lists_enrolments_with_position_result_and_certificate(client, applicant, officer):
    finished = SessionFactory(starts_on=days(1), ends_on=days(2))
    passed = enrolment_services.enrolment_create(session_id=finished.pk, person=applicant, actor=applicant)
    meeting = results_services.meeting_add(session_id=finished.pk, actor=officer, held_on=days(1))
    results_services.attendance_record(
        meeting_id=meeting.pk, actor=officer, present_enrolment_ids=[passed.pk]
    )
    results_services.results_record(session_id=finished.pk, actor=officer, scores={passed.pk: (80, 90)})
    certificate = Certificate.objects.create(
        enrolment=passed, serial="GJQ-1405-000001", verification_code="abc", issued_on=days(0)
    )
    full = SessionFactory(capacity=1, starts_on=days(30), ends_on=days(40))
    enrol_people(full, 1)
    waiting = enrolment_services.enrolment_create(session_id=full.pk, person=applicant, actor=applicant)
    client.force_login(applicant)
    client.cookies["django_language"] = "en"

    content = html_of(client.get(MY_TRAINING_URL))

    rows = dict(re.findall(r'data-testid="my-enrolment" data-enrolment="(\d+)">(.*?)</tr>', content, re.S))
    assert list(map(int, rows)) == [waiting.pk, passed.pk]
    assert 'data-testid="enrolment-status">On the wait list · position 1</span>' in rows[str(waiting.pk)]
    assert 'data-testid="result-passed">Passed</span>' in rows[str(passed.pk)]
    pdf = reverse("training:certificate_pdf", args=[certificate.pk])
    assert f'href="{pdf}" data-testid="certificate-link"' in rows[str(passed.pk)]
    assert "certificate-link" not in rows[str(waiting.pk)]


def test_my_training_needs_an_account(client, agencies):
    response = client.get(MY_TRAINING_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- query counts -------------------------------------------------------------------------------------------


def _sessions(count: int):
    for index in range(count):
        session = SessionFactory(starts_on=days(5 + index), ends_on=days(30 + index))
        enrol_people(session, index % 2)


@pytest.mark.parametrize("size", [2, 9])
def test_the_sessions_list_runs_a_fixed_number_of_queries(client, agencies, django_assert_num_queries, size):
    _sessions(size)

    with django_assert_num_queries(6):
        content = html_of(client.get(LIST_URL))

    assert len(listed(content)) == size


@pytest.mark.parametrize("size", [2, 9])
def test_the_sessions_list_for_tvto_runs_a_fixed_number_of_queries(
    client, officer, django_assert_num_queries, size
):
    _sessions(size)
    client.force_login(officer)

    with django_assert_num_queries(10):  # 9, and the header's unread notifications
        content = html_of(client.get(LIST_URL, {"scope": "all"}))

    assert len(listed(content)) == size


@pytest.mark.parametrize("size", [2, 7])
def test_my_training_runs_a_fixed_number_of_queries(
    client, applicant, officer, django_assert_num_queries, size
):
    for index in range(size):
        session = SessionFactory(capacity=1, starts_on=days(5 + index), ends_on=days(30 + index))
        if index % 2:
            enrol_people(session, 1)  # the applicant waits behind someone
        enrolment = enrolment_services.enrolment_create(
            session_id=session.pk, person=applicant, actor=applicant
        )
        if index % 3 == 0 and enrolment.status == Enrolment.Status.ENROLLED:
            Certificate.objects.create(
                enrolment=enrolment, serial=f"S-{index}", verification_code=f"code-{index}", issued_on=days(0)
            )
    client.force_login(applicant)

    # session, user, the enrolments' count, the page, the header's unread notifications
    with django_assert_num_queries(5):
        content = html_of(client.get(MY_TRAINING_URL))

    assert content.count('data-testid="my-enrolment"') == size
    with translation.override("fa"):
        waiting_first = translation.gettext("position %(position)s") % {"position": "۱"}
    assert content.count(waiting_first) == size // 2


@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_page_renders_for_tvto_staff(client, officer, language):
    session = SessionFactory(capacity=1)
    seated, waiting = enrol_people(session, 2)
    meeting = results_services.meeting_add(session_id=session.pk, actor=officer, held_on=session.starts_on)
    results_services.attendance_record(
        meeting_id=meeting.pk, actor=officer, present_enrolment_ids=[seated.pk]
    )
    client.force_login(officer)
    client.cookies["django_language"] = language
    urls = [
        LIST_URL,
        reverse("training:session_detail", args=[session.pk]),
        reverse("training:session_create"),
        reverse("training:session_edit", args=[session.pk]),
        reverse("training:course_list"),
        reverse("training:course_create"),
        reverse("training:course_edit", args=[session.course_id]),
        reverse("training:centre_list"),
        reverse("training:centre_create"),
        reverse("training:centre_edit", args=[session.centre_id]),
        reverse("training:roster_import", args=[session.pk]),
        reverse("training:attendance", args=[session.pk]),
        reverse("training:results", args=[session.pk]),
        MY_TRAINING_URL,
    ]

    for url in urls:
        content = html_of(client.get(url))
        assert f'<html lang="{language}"' in content, url
        assert "{%" not in content and "{{" not in content, url

    detail = html_of(client.get(reverse("training:session_detail", args=[session.pk])))
    assert f'data-testid="roster-row" data-enrolment="{seated.pk}"' in detail
    assert f'data-testid="waitlist-row" data-enrolment="{waiting.pk}"' in detail


def test_the_session_page_pages_its_roster_and_wait_list_each_on_its_own(client, officer, monkeypatch):
    monkeypatch.setattr(catalogue_views, "PEOPLE_PAGE_SIZE", 1)
    session = SessionFactory(capacity=2)
    _first, second, third, fourth = enrol_people(session, 4)
    client.force_login(officer)
    url = reverse("training:session_detail", args=[session.pk])

    detail = html_of(client.get(url, {"roster_page": "2", "waitlist_page": "abc"}))

    rows = dict(re.findall(r'data-testid="(roster|waitlist)-row" data-enrolment="(\d+)"', detail))
    assert rows == {"roster": str(second.pk), "waitlist": str(third.pk)}
    # Each list's links keep the other list's page.
    assert "waitlist_page=abc&amp;roster_page=1" in detail
    assert "roster_page=2&amp;waitlist_page=2" in detail
    assert f'data-enrolment="{fourth.pk}"' not in detail


def test_the_session_page_invites_anonymous_people_to_sign_in(client, agencies):
    session = SessionFactory()
    client.cookies["django_language"] = "en"

    content = html_of(client.get(reverse("training:session_detail", args=[session.pk])))

    assert 'data-testid="login-to-enrol">Sign in to enrol</a>' in content
    assert 'data-testid="session-nav"' not in content


def test_my_training_is_paged_so_years_of_enrolments_never_make_one_huge_page(client, applicant):
    for index in range(23):
        session = SessionFactory(capacity=5, starts_on=days(5 + index), ends_on=days(30 + index))
        enrolment_services.enrolment_create(session_id=session.pk, person=applicant, actor=applicant)
    client.force_login(applicant)

    first = html_of(client.get(MY_TRAINING_URL))
    second = html_of(client.get(MY_TRAINING_URL, {"page": 2}))

    assert first.count('data-testid="my-enrolment"') == 20
    assert second.count('data-testid="my-enrolment"') == 3
    assert "page=2" in first
