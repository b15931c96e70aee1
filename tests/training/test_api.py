"""The training API: the catalogue, enrolment, TVTO's records, certificates and their public check, and the
awareness activities, with the same permissions as the pages."""

import datetime

import pytest
from django.utils import timezone, translation

from greenjobs.jalali import to_jalali
from greenjobs.text import to_persian_digits
from tests.factories import (
    ApplicantFactory,
    CourseFactory,
    ProgrammeManagerFactory,
    SessionFactory,
    TrainingCentreFactory,
    county,
    make_staff,
    occupation,
)
from tests.utils import client_for, ids, results
from training.models import Attendance, Audience, AwarenessActivity, Certificate, Enrolment, Meeting, Session
from training.services import certificates, enrolment
from training.services import results as records

pytestmark = pytest.mark.django_db

API = "/api/v1/"
CENTRES = f"{API}training-centres/"
COURSES = f"{API}courses/"
SESSIONS = f"{API}training-sessions/"
ENROLMENTS = f"{API}enrolments/"
CERTIFICATES = f"{API}certificates/"
VERIFY = f"{API}certificate-verification/"
ACTIVITIES = f"{API}awareness-activities/"


def label(choice):
    with translation.override("fa"):
        return str(choice.label)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def enrol(session, person=None):
    person = person or ApplicantFactory()
    return enrolment.enrolment_create(session_id=session.pk, person=person, actor=person)


@pytest.fixture
def tvto(agencies):
    return make_staff("TVTO", "officer")


@pytest.fixture
def manager(agencies):
    return ProgrammeManagerFactory()


@pytest.fixture(autouse=True)
def _fresh_cache(empty_cache):
    """The verification allowance per address lives in the cache; every test starts with a full one."""


def certify(tvto, people, *, session=None):
    """Seats the people in one session, holds a meeting they attend, passes them and issues certificates."""
    session = session or SessionFactory(capacity=max(len(people), 1))
    rows = [enrol(session, person) for person in people]
    meeting = records.meeting_add(session_id=session.pk, actor=tvto, held_on=session.starts_on)
    records.attendance_record(meeting_id=meeting.pk, actor=tvto, present_enrolment_ids=[r.pk for r in rows])
    records.results_record(session_id=session.pk, actor=tvto, scores={r.pk: ("80", "75") for r in rows})
    certificates.certificates_issue_for_session(session_id=session.pk)
    return list(Certificate.objects.filter(enrolment__in=rows).order_by("pk"))


# --- the catalogue ----------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(agencies):
    solar = CourseFactory(occupation=occupation("GJ-EN-01"), audience="workers")
    water = CourseFactory(occupation=occupation("GJ-WA-01"), audience="employers")
    qom = TrainingCentreFactory(county=county("qom"))
    kahak = TrainingCentreFactory(county=county("kahak"))
    return {
        "solar": solar,
        "water": water,
        "soon": SessionFactory(course=solar, centre=qom, starts_on=days(10), ends_on=days(20)),
        "later": SessionFactory(course=water, centre=kahak, starts_on=days(40), ends_on=days(50)),
        "cancelled": SessionFactory(course=solar, centre=qom, status="cancelled"),
        "started": SessionFactory(course=solar, centre=qom, starts_on=days(-1), ends_on=days(9)),
        "finished": SessionFactory(
            course=water, centre=kahak, status="finished", starts_on=days(-30), ends_on=days(-20)
        ),
    }


def test_anyone_reads_the_sessions_open_for_enrolment_soonest_first(catalogue):
    response = client_for().get(SESSIONS)

    assert ids(response) == [catalogue["soon"].pk, catalogue["later"].pk]
    soon = catalogue["soon"]
    assert results(response)[0] == {
        "id": soon.pk,
        "course": catalogue["solar"].pk,
        "course_title": "نصب سامانه‌های خورشیدی",
        "standard_code": catalogue["solar"].standard_code,
        "hours": 40,
        "audience": "workers",
        "audience_label": label(Audience.WORKERS),
        "occupation": "GJ-EN-01",
        "occupation_name": occupation("GJ-EN-01").name_fa,
        "centre": soon.centre_id,
        "centre_name": soon.centre.name_fa,
        "county": "qom",
        "county_name": "قم",
        "starts_on": days(10).isoformat(),
        "ends_on": days(20).isoformat(),
        "instructor": "مهندس کامران یزدی",
        "capacity": 10,
        "enrolled_count": 0,
        "seats_left": 10,
        "status": "planned",
        "status_label": label(Session.Status.PLANNED),
        "is_open_for_enrolment": True,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("course={solar}", ["soon"]),
        ("occupation=GJ-WA-01", ["later"]),
        ("county=kahak", ["later"]),
        ("audience=employers", ["later"]),
        ("starts_from={day20}", ["later"]),
        ("starts_to={day20}", ["soon"]),
        ("starts_from={jalali20}", ["later"]),
        ("starts_from={day5}&starts_to={day45}&county=qom", ["soon"]),
        ("course=999999", []),
        ("county=nowhere", []),
    ],
)
def test_the_session_filters(catalogue, query, expected):
    values = {
        "solar": catalogue["solar"].pk,
        "day5": days(5).isoformat(),
        "day20": days(20).isoformat(),
        "day45": days(45).isoformat(),
        "jalali20": to_persian_digits(to_jalali(days(20)).strftime("%Y/%m/%d")),
    }

    response = client_for().get(f"{SESSIONS}?{query.format(**values)}")

    assert ids(response) == [catalogue[name].pk for name in expected]


@pytest.mark.parametrize("query", ["audience=pilots", "starts_from=yesterday", "course=abc"])
def test_a_malformed_filter_is_a_400(catalogue, query):
    assert client_for().get(f"{SESSIONS}?{query}").status_code == 400


def test_tvto_widens_the_session_list_with_scope_and_others_cannot(catalogue, tvto, manager):
    every = sorted(session.pk for name, session in catalogue.items() if name not in ("solar", "water"))

    assert ids(client_for(tvto).get(SESSIONS)) == [catalogue["soon"].pk, catalogue["later"].pk]
    assert sorted(ids(client_for(tvto).get(f"{SESSIONS}?scope=all"))) == every
    assert ids(client_for(tvto).get(f"{SESSIONS}?scope=finished")) == [catalogue["finished"].pk]
    for caller in (None, ApplicantFactory(), manager):
        assert ids(client_for(caller).get(f"{SESSIONS}?scope=all")) == [
            catalogue["soon"].pk,
            catalogue["later"].pk,
        ]


def test_one_session_opens_by_its_number_in_any_status(catalogue):
    response = client_for().get(f"{SESSIONS}{catalogue['finished'].pk}/")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["is_open_for_enrolment"]) == ("finished", False)
    assert client_for().get(f"{SESSIONS}999999/").status_code == 404


def test_inactive_courses_and_centres_are_for_tvto_only(catalogue, tvto):
    catalogue["water"].is_active = False
    catalogue["water"].save()
    catalogue["later"].centre.is_active = False
    catalogue["later"].centre.save()

    public_courses = ids(client_for().get(COURSES))
    public_centres = ids(client_for().get(CENTRES))

    assert public_courses == [catalogue["solar"].pk]
    assert public_centres == [catalogue["soon"].centre_id]
    assert sorted(ids(client_for(tvto).get(COURSES))) == sorted(
        [catalogue["solar"].pk, catalogue["water"].pk]
    )
    assert len(ids(client_for(tvto).get(CENTRES))) == 2
    # and a session of an inactive course or centre is no longer offered
    assert ids(client_for().get(SESSIONS)) == [catalogue["soon"].pk]


def test_the_course_and_centre_filters(catalogue):
    assert ids(client_for().get(f"{COURSES}?occupation=GJ-WA-01")) == [catalogue["water"].pk]
    assert ids(client_for().get(f"{COURSES}?audience=workers")) == [catalogue["solar"].pk]
    assert ids(client_for().get(f"{CENTRES}?county=kahak")) == [catalogue["later"].centre_id]
    row = client_for().get(f"{COURSES}{catalogue['solar'].pk}/").json()
    assert (row["standard_code"], row["pass_mark"], row["min_attendance_percent"], row["session_count"]) == (
        catalogue["solar"].standard_code,
        "60.00",
        80,
        3,
    )


@pytest.mark.parametrize("url", [CENTRES, COURSES, SESSIONS])
def test_the_catalogue_is_read_only_through_the_api(catalogue, tvto, url):
    response = client_for(tvto).post(url, {"name_fa": "x"}, format="json")

    assert response.status_code == 405


def test_the_session_list_costs_the_same_queries_at_any_size(agencies, tvto, django_assert_num_queries):
    anonymous, staff = client_for(), client_for(tvto)
    for _ in range(3):
        SessionFactory()
    with django_assert_num_queries(2):
        small = anonymous.get(SESSIONS)
    with django_assert_num_queries(4):
        small_staff = staff.get(f"{SESSIONS}?scope=all")

    for _ in range(12):
        SessionFactory(course=CourseFactory(), centre=TrainingCentreFactory(county=county("kahak")))
    with django_assert_num_queries(2):
        large = anonymous.get(SESSIONS)
    with django_assert_num_queries(4):
        large_staff = staff.get(f"{SESSIONS}?scope=all")

    assert [len(results(r)) for r in (small, small_staff, large, large_staff)] == [3, 3, 15, 15]


# --- enrolment --------------------------------------------------------------------------------------------


def test_an_applicant_enrols_and_then_waits_in_line_when_the_seats_are_gone(agencies):
    session = SessionFactory(capacity=1)
    first, second, third = ApplicantFactory(), ApplicantFactory(), ApplicantFactory()

    seated = client_for(first).post(f"{SESSIONS}{session.pk}/enrol/")
    waiting = client_for(second).post(f"{SESSIONS}{session.pk}/enrol/")
    behind = client_for(third).post(f"{SESSIONS}{session.pk}/enrol/")

    assert [r.status_code for r in (seated, waiting, behind)] == [201, 201, 201]
    assert [(r.json()["status"], r.json()["waitlist_position"]) for r in (seated, waiting, behind)] == [
        ("enrolled", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    row = Enrolment.objects.get(person=first)
    assert seated.json() == {
        "id": row.pk,
        "session": session.pk,
        "course_title": "نصب سامانه‌های خورشیدی",
        "standard_code": session.course.standard_code,
        "centre_name": session.centre.name_fa,
        "starts_on": session.starts_on.isoformat(),
        "ends_on": session.ends_on.isoformat(),
        "session_status": "planned",
        "person": first.pk,
        "person_name": "نرگس صالحی",
        "status": "enrolled",
        "status_label": label(Enrolment.Status.ENROLLED),
        "requested_at": seated.json()["requested_at"],
        "waitlist_position": None,
        "theory_score": None,
        "practical_score": None,
        "passed": None,
        "result_recorded_at": None,
        "certificate": None,
    }
    session.refresh_from_db()
    assert session.enrolled_count == 1

    # when the seated person cancels, the line moves up
    client_for(first).post(f"{ENROLMENTS}{row.pk}/cancel/")
    mine = client_for(third).get(f"{ENROLMENTS}{behind.json()['id']}/").json()
    theirs = client_for(second).get(f"{ENROLMENTS}{waiting.json()['id']}/").json()
    assert (theirs["status"], theirs["waitlist_position"]) == ("enrolled", None)
    assert (mine["status"], mine["waitlist_position"]) == ("waitlisted", 1)


def test_enrolling_twice_is_a_409(agencies):
    session = SessionFactory()
    applicant = ApplicantFactory()
    client_for(applicant).post(f"{SESSIONS}{session.pk}/enrol/")

    response = client_for(applicant).post(f"{SESSIONS}{session.pk}/enrol/")

    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"
    assert Enrolment.objects.filter(person=applicant).count() == 1


@pytest.mark.parametrize("status", ["cancelled", "running", "finished"])
def test_a_session_not_taking_enrolments_is_a_409(agencies, status):
    session = SessionFactory(status=status)

    response = client_for(ApplicantFactory()).post(f"{SESSIONS}{session.pk}/enrol/")

    assert (response.status_code, response.json()["code"]) == (409, "closed")
    assert not Enrolment.objects.exists()


def test_enrolling_in_no_such_session_is_a_404(agencies):
    assert client_for(ApplicantFactory()).post(f"{SESSIONS}999999/enrol/").status_code == 404


@pytest.mark.parametrize(
    "make_caller",
    [
        pytest.param(lambda: None, id="anonymous"),
        pytest.param(lambda: make_staff("TVTO", "officer"), id="tvto"),
        pytest.param(lambda: make_staff("DOE", "reviewer"), id="doe"),
        pytest.param(ProgrammeManagerFactory, id="programme-manager"),
    ],
)
def test_only_applicants_enrol_themselves(agencies, make_caller):
    session = SessionFactory()

    response = client_for(make_caller()).post(f"{SESSIONS}{session.pk}/enrol/")

    assert response.status_code == 403
    assert not Enrolment.objects.exists()
    assert Session.objects.get(pk=session.pk).enrolled_count == 0


# --- enrolments -------------------------------------------------------------------------------------------


@pytest.fixture
def two_people(agencies):
    session = SessionFactory(capacity=1)
    mine, theirs = ApplicantFactory(), ApplicantFactory()
    return {
        "session": session,
        "me": mine,
        "them": theirs,
        "mine": enrol(session, mine),
        "theirs": enrol(session, theirs),
    }


def test_an_applicant_sees_only_their_own_enrolments(two_people):
    client = client_for(two_people["me"])

    assert ids(client.get(ENROLMENTS)) == [two_people["mine"].pk]
    assert client.get(f"{ENROLMENTS}{two_people['mine'].pk}/").status_code == 200
    assert client.get(f"{ENROLMENTS}{two_people['theirs'].pk}/").status_code == 404


def test_tvto_and_the_committee_see_every_enrolment_and_other_staff_none(two_people, tvto, manager):
    everyone = [two_people["mine"].pk, two_people["theirs"].pk]

    assert ids(client_for(tvto).get(ENROLMENTS)) == everyone
    assert ids(client_for(manager).get(ENROLMENTS)) == everyone
    doe = client_for(make_staff("DOE", "manager"))
    assert ids(doe.get(ENROLMENTS)) == []
    assert doe.get(f"{ENROLMENTS}{two_people['mine'].pk}/").status_code == 404


def test_an_anonymous_caller_cannot_list_enrolments(two_people):
    assert client_for().get(ENROLMENTS).status_code == 403
    assert client_for().get(f"{ENROLMENTS}{two_people['mine'].pk}/").status_code == 403


def test_the_enrolment_filters(two_people, tvto):
    other = enrol(SessionFactory())
    client = client_for(tvto)

    assert ids(client.get(f"{ENROLMENTS}?session={two_people['session'].pk}")) == [
        two_people["mine"].pk,
        two_people["theirs"].pk,
    ]
    assert ids(client.get(f"{ENROLMENTS}?status=waitlisted")) == [two_people["theirs"].pk]
    assert ids(client.get(f"{ENROLMENTS}?session={other.session_id}&status=enrolled")) == [other.pk]


def test_cancelling_gives_the_seat_to_the_first_waiting(two_people):
    response = client_for(two_people["me"]).post(f"{ENROLMENTS}{two_people['mine'].pk}/cancel/")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["waitlist_position"]) == ("cancelled", None)
    assert Enrolment.objects.get(pk=two_people["theirs"].pk).status == "enrolled"
    assert Session.objects.get(pk=two_people["session"].pk).enrolled_count == 1


def test_another_applicant_cannot_cancel_and_learns_nothing(two_people):
    response = client_for(two_people["them"]).post(f"{ENROLMENTS}{two_people['mine'].pk}/cancel/")

    assert response.status_code == 404
    assert Enrolment.objects.get(pk=two_people["mine"].pk).status == "enrolled"


def test_the_committee_sees_but_does_not_cancel(two_people, manager):
    response = client_for(manager).post(f"{ENROLMENTS}{two_people['mine'].pk}/cancel/")

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert Enrolment.objects.get(pk=two_people["mine"].pk).status == "enrolled"


def test_tvto_cancels_someones_enrolment(two_people, tvto):
    response = client_for(tvto).post(f"{ENROLMENTS}{two_people['mine'].pk}/cancel/")

    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert Enrolment.objects.get(pk=two_people["theirs"].pk).status == "enrolled"


def _enrolments_in_sessions(count, people):
    """`count` enrolments spread over sessions of different courses and centres, some waiting, some passed."""
    made = 0
    while made < count:
        session = SessionFactory(capacity=2, course=CourseFactory(), centre=TrainingCentreFactory())
        for person in people[: min(3, count - made)]:
            enrol(session, person)
            made += 1


def test_the_enrolment_lists_cost_the_same_queries_at_any_size(agencies, tvto, django_assert_num_queries):
    applicant = ApplicantFactory()
    people = [applicant, ApplicantFactory(), ApplicantFactory()]
    own, everyone = client_for(applicant), client_for(tvto)
    _enrolments_in_sessions(3, people)
    certify(tvto, [applicant, ApplicantFactory()])
    with django_assert_num_queries(3):
        small_own = own.get(ENROLMENTS)
    with django_assert_num_queries(4):
        small_all = everyone.get(ENROLMENTS)

    _enrolments_in_sessions(12, people)
    certify(tvto, [applicant, ApplicantFactory(), ApplicantFactory()])
    with django_assert_num_queries(3):
        large_own = own.get(ENROLMENTS)
    with django_assert_num_queries(4):
        large_all = everyone.get(ENROLMENTS)

    assert [len(results(r)) for r in (small_own, small_all, large_own, large_all)] == [2, 5, 7, 20]
    assert {row["waitlist_position"] for row in results(large_all)} == {None, 1}
    assert len([row for row in results(large_own) if row["certificate"]]) == 2


# --- TVTO's records ---------------------------------------------------------------------------------------


@pytest.fixture
def course_run(tvto):
    session = SessionFactory(capacity=2)
    seated = [enrol(session), enrol(session)]
    waiting = enrol(session)
    return {"session": session, "seated": seated, "waiting": waiting, "url": f"{SESSIONS}{session.pk}/"}


def test_tvto_adds_meetings_in_turn_with_iso_or_jalali_dates(tvto, course_run):
    client = client_for(tvto)
    starts = course_run["session"].starts_on
    jalali = to_persian_digits(to_jalali(starts + datetime.timedelta(days=1)).strftime("%Y/%m/%d"))

    first = client.post(f"{course_run['url']}meetings/", {"held_on": starts.isoformat()}, format="json")
    second = client.post(f"{course_run['url']}meetings/", {"held_on": jalali}, format="json")
    listed = client.get(f"{course_run['url']}meetings/")

    assert (first.status_code, second.status_code) == (201, 201)
    assert listed.json() == [
        {
            "id": first.json()["id"],
            "session": course_run["session"].pk,
            "number": 1,
            "held_on": starts.isoformat(),
        },
        {
            "id": second.json()["id"],
            "session": course_run["session"].pk,
            "number": 2,
            "held_on": (starts + datetime.timedelta(days=1)).isoformat(),
        },
    ]


@pytest.mark.parametrize(
    "make_caller",
    [
        pytest.param(ApplicantFactory, id="applicant"),
        pytest.param(ProgrammeManagerFactory, id="programme-manager"),
        pytest.param(lambda: make_staff("DOE", "manager"), id="doe"),
    ],
)
def test_only_tvto_keeps_the_records(course_run, make_caller):
    client = client_for(make_caller())
    meeting = Meeting.objects.create(
        session=course_run["session"], number=1, held_on=course_run["session"].starts_on
    )
    seated = course_run["seated"][0]

    responses = [
        client.get(f"{course_run['url']}meetings/"),
        client.post(f"{course_run['url']}meetings/", {"held_on": "2025-05-01"}, format="json"),
        client.post(
            f"{course_run['url']}attendance/", {"meeting": meeting.pk, "present": [seated.pk]}, format="json"
        ),
        client.post(
            f"{course_run['url']}results/",
            {"results": [{"enrolment": seated.pk, "theory": "80", "practical": "80"}]},
            format="json",
        ),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert Meeting.objects.count() == 1
    assert not Attendance.objects.exists()
    assert Enrolment.objects.get(pk=seated.pk).passed is None


def test_an_anonymous_caller_cannot_see_the_records(course_run):
    assert client_for().get(f"{course_run['url']}meetings/").status_code == 403


def test_the_roll_call_marks_everyone_seated(tvto, course_run):
    meeting = records.meeting_add(
        session_id=course_run["session"].pk, actor=tvto, held_on=course_run["session"].starts_on
    )
    present, absent = course_run["seated"]

    response = client_for(tvto).post(
        f"{course_run['url']}attendance/", {"meeting": meeting.pk, "present": [present.pk]}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"meeting": meeting.pk, "recorded": 2, "present": [present.pk]}
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {
        present.pk: True,
        absent.pk: False,
    }


def test_the_roll_call_refuses_someone_not_seated(tvto, course_run):
    meeting = records.meeting_add(
        session_id=course_run["session"].pk, actor=tvto, held_on=course_run["session"].starts_on
    )

    response = client_for(tvto).post(
        f"{course_run['url']}attendance/",
        {"meeting": meeting.pk, "present": [course_run["seated"][0].pk, course_run["waiting"].pk]},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "not_enrolled")
    assert not Attendance.objects.exists()


def test_the_roll_call_of_another_sessions_meeting_is_a_400(tvto, course_run):
    elsewhere = SessionFactory()
    meeting = records.meeting_add(session_id=elsewhere.pk, actor=tvto, held_on=elsewhere.starts_on)

    response = client_for(tvto).post(
        f"{course_run['url']}attendance/", {"meeting": meeting.pk, "present": []}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["meeting"]
    assert not Attendance.objects.exists()


def test_results_pass_or_fail_and_certificates_follow(tvto, course_run, django_capture_on_commit_callbacks):
    meeting = records.meeting_add(
        session_id=course_run["session"].pk, actor=tvto, held_on=course_run["session"].starts_on
    )
    passing, failing = course_run["seated"]
    records.attendance_record(
        meeting_id=meeting.pk, actor=tvto, present_enrolment_ids=[passing.pk, failing.pk]
    )
    body = {
        "results": [
            {"enrolment": passing.pk, "theory": "60", "practical": "60"},
            {"enrolment": failing.pk, "theory": "59.99", "practical": "90"},
        ]
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(tvto).post(f"{course_run['url']}results/", body, format="json")

    assert response.status_code == 200
    assert [(r["id"], r["theory_score"], r["practical_score"], r["passed"]) for r in response.json()] == [
        (passing.pk, "60.00", "60.00", True),
        (failing.pk, "59.99", "90.00", False),
    ]
    assert list(Certificate.objects.values_list("enrolment_id", flat=True)) == [passing.pk]
    assert Session.objects.get(pk=course_run["session"].pk).status == "finished"


def test_a_score_out_of_range_saves_nothing(tvto, course_run):
    meeting = records.meeting_add(
        session_id=course_run["session"].pk, actor=tvto, held_on=course_run["session"].starts_on
    )
    first, second = course_run["seated"]
    records.attendance_record(meeting_id=meeting.pk, actor=tvto, present_enrolment_ids=[first.pk, second.pk])
    body = {
        "results": [
            {"enrolment": first.pk, "theory": "70", "practical": "70"},
            {"enrolment": second.pk, "theory": "101", "practical": "70"},
        ]
    }

    response = client_for(tvto).post(f"{course_run['url']}results/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "score_range")
    assert set(
        Enrolment.objects.filter(pk__in=[first.pk, second.pk]).values_list("passed", "theory_score")
    ) == {(None, None)}


def test_results_before_any_meeting_are_a_409(tvto, course_run):
    seated = course_run["seated"][0]
    body = {"results": [{"enrolment": seated.pk, "theory": "80", "practical": "80"}]}

    response = client_for(tvto).post(f"{course_run['url']}results/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "no_attendance")
    assert Enrolment.objects.get(pk=seated.pk).passed is None


@pytest.mark.parametrize(
    "body",
    [
        {"results": []},
        {"results": [{"enrolment": 1, "theory": "abc", "practical": "80"}]},
        {
            "results": [
                {"enrolment": 1, "theory": "80", "practical": "80"},
                {"enrolment": 1, "theory": "80", "practical": "80"},
            ]
        },
    ],
    ids=["empty", "not-a-number", "twice"],
)
def test_malformed_results_are_a_400(tvto, course_run, body):
    response = client_for(tvto).post(f"{course_run['url']}results/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["results"]


# --- certificates -----------------------------------------------------------------------------------------


@pytest.fixture
def issued(tvto):
    holder, other = ApplicantFactory(), ApplicantFactory()
    mine, theirs = certify(tvto, [holder, other])
    return {"holder": holder, "other": other, "mine": mine, "theirs": theirs}


def test_a_holder_sees_only_their_own_certificates(issued):
    client = client_for(issued["holder"])

    assert ids(client.get(CERTIFICATES)) == [issued["mine"].pk]
    row = client.get(f"{CERTIFICATES}{issued['mine'].pk}/").json()
    assert (row["serial"], row["verification_code"], row["is_revoked"]) == (
        issued["mine"].serial,
        issued["mine"].verification_code,
        False,
    )
    assert row["verification_url"] == f"http://testserver/training/verify/{issued['mine'].verification_code}/"
    assert row["pdf_url"] == f"http://testserver/training/certificates/{issued['mine'].pk}/pdf/"
    assert client.get(f"{CERTIFICATES}{issued['theirs'].pk}/").status_code == 404


def test_tvto_and_the_committee_see_every_certificate_and_anonymous_none(issued, tvto, manager):
    everyone = sorted([issued["mine"].pk, issued["theirs"].pk])

    assert sorted(ids(client_for(tvto).get(CERTIFICATES))) == everyone
    assert sorted(ids(client_for(manager).get(CERTIFICATES))) == everyone
    assert ids(client_for(make_staff("MCLS", "officer")).get(CERTIFICATES)) == []
    assert client_for().get(CERTIFICATES).status_code == 403
    assert client_for().get(f"{CERTIFICATES}{issued['mine'].pk}/").status_code == 403


def test_the_certificate_filters(issued, tvto):
    certificates.certificate_revoke(certificate_id=issued["theirs"].pk, actor=tvto, reason="جعل")
    client = client_for(tvto)

    assert ids(client.get(f"{CERTIFICATES}?status=revoked")) == [issued["theirs"].pk]
    assert ids(client.get(f"{CERTIFICATES}?status=valid")) == [issued["mine"].pk]
    assert ids(client.get(f"{CERTIFICATES}?q={issued['mine'].serial}")) == [issued["mine"].pk]
    assert ids(client.get(f"{CERTIFICATES}?q={issued['holder'].national_id}")) == [issued["mine"].pk]
    course = issued["mine"].enrolment.session.course_id
    assert sorted(ids(client.get(f"{CERTIFICATES}?course={course}"))) == sorted(
        [issued["mine"].pk, issued["theirs"].pk]
    )
    assert ids(client.get(f"{CERTIFICATES}?course=999999")) == []
    assert client.get(f"{CERTIFICATES}?status=lost").status_code == 400


def test_tvto_revokes_with_a_reason(issued, tvto):
    response = client_for(tvto).post(
        f"{CERTIFICATES}{issued['mine'].pk}/revoke/", {"reason": "نمره اشتباه ثبت شده بود"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["is_revoked"], response.json()["revoked_reason"]) == (
        True,
        "نمره اشتباه ثبت شده بود",
    )
    again = client_for(tvto).post(
        f"{CERTIFICATES}{issued['mine'].pk}/revoke/", {"reason": "باز"}, format="json"
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_revoked")


def test_revoking_without_a_reason_is_a_400(issued, tvto):
    response = client_for(tvto).post(
        f"{CERTIFICATES}{issued['mine'].pk}/revoke/", {"reason": "  "}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "reason_required")
    assert Certificate.objects.get(pk=issued["mine"].pk).revoked_at is None


@pytest.mark.parametrize(
    "who",
    [
        pytest.param(lambda issued: issued["holder"], id="holder"),
        pytest.param(lambda issued: issued["other"], id="another-applicant"),
        pytest.param(lambda issued: ProgrammeManagerFactory(), id="programme-manager"),
        pytest.param(lambda issued: make_staff("DOE", "manager"), id="doe"),
    ],
)
def test_only_tvto_revokes(issued, who):
    response = client_for(who(issued)).post(
        f"{CERTIFICATES}{issued['mine'].pk}/revoke/", {"reason": "جعل"}, format="json"
    )

    assert response.status_code == 403
    assert Certificate.objects.get(pk=issued["mine"].pk).revoked_at is None


def test_the_certificate_list_costs_the_same_queries_at_any_size(agencies, tvto, django_assert_num_queries):
    holder = ApplicantFactory()
    own, everyone = client_for(holder), client_for(tvto)
    certify(tvto, [holder, ApplicantFactory(), ApplicantFactory()])
    with django_assert_num_queries(3):
        small_own = own.get(CERTIFICATES)
    with django_assert_num_queries(4):
        small_all = everyone.get(CERTIFICATES)

    for _ in range(3):
        certify(tvto, [holder, *(ApplicantFactory() for _ in range(3))])
    with django_assert_num_queries(3):
        large_own = own.get(CERTIFICATES)
    with django_assert_num_queries(4):
        large_all = everyone.get(CERTIFICATES)

    assert [len(results(r)) for r in (small_own, small_all, large_own, large_all)] == [1, 3, 4, 15]


# --- the public check -------------------------------------------------------------------------------------


def test_anyone_checks_a_certificate_by_its_code_and_sees_a_masked_name(issued):
    certificate = issued["mine"]
    session = certificate.enrolment.session

    response = client_for().get(f"{VERIFY}{certificate.verification_code}/")

    assert response.status_code == 200
    assert response.json() == {
        "serial": certificate.serial,
        "holder": "ن*** ص****",
        "course_title": "نصب سامانه‌های خورشیدی",
        "standard_code": session.course.standard_code,
        "hours": 40,
        "centre_name": session.centre.name_fa,
        "issued_on": certificate.issued_on.isoformat(),
        "is_valid": True,
        "is_revoked": False,
        "revoked_at": None,
        "revoked_reason": "",
    }


def test_a_revoked_certificate_says_so_and_why(issued, tvto):
    certificates.certificate_revoke(certificate_id=issued["mine"].pk, actor=tvto, reason="جعل مدرک")

    body = client_for().get(f"{VERIFY}{issued['mine'].verification_code}/").json()

    assert (body["is_valid"], body["is_revoked"], body["revoked_reason"]) == (False, True, "جعل مدرک")


@pytest.mark.parametrize("code", ["no-such-code", "x" * 200, "۱۲۳"])
def test_an_unknown_code_is_a_404(issued, code):
    assert client_for().get(f"{VERIFY}{code}/").status_code == 404


def test_the_checks_are_limited_per_address(issued, settings):
    settings.CERTIFICATE_VERIFY_LIMIT = 3
    url = f"{VERIFY}{issued['mine'].verification_code}/"
    client = client_for()

    allowed = [
        client.get(url).status_code,
        client.get(f"{VERIFY}unknown/").status_code,
        client.get(url).status_code,
    ]
    refused = client.get(url)
    elsewhere = client.get(url, REMOTE_ADDR="10.1.2.3")

    assert allowed == [200, 404, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    assert "holder" not in refused.json()
    assert elsewhere.status_code == 200


def test_the_public_check_has_no_list(issued):
    assert client_for().get(VERIFY).status_code == 404


# --- awareness activities ---------------------------------------------------------------------------------


@pytest.fixture
def activities(agencies):
    doe, mcls = make_staff("DOE", "officer"), make_staff("MCLS", "officer")
    common = {"audience": "workers", "workers_count": 30, "employers_count": 5, "others_count": 2}
    return {
        "doe": doe,
        "mcls": mcls,
        "doe_workshop": AwarenessActivity.objects.create(
            title="کارگاه بهره‌وری انرژی",
            kind="workshop",
            agency=agencies["DOE"],
            held_on=days(-10),
            county=county("qom"),
            recorded_by=doe,
            **common,
        ),
        "mcls_seminar": AwarenessActivity.objects.create(
            title="همایش مشاغل سبز",
            kind="seminar",
            agency=agencies["MCLS"],
            held_on=days(-5),
            recorded_by=mcls,
            **common,
        ),
    }


def test_staff_and_the_committee_read_every_agencys_activities(activities, manager):
    expected = [activities["mcls_seminar"].pk, activities["doe_workshop"].pk]

    assert ids(client_for(activities["doe"]).get(ACTIVITIES)) == expected
    assert ids(client_for(manager).get(ACTIVITIES)) == expected
    row = results(client_for(activities["doe"]).get(ACTIVITIES))[1]
    assert (row["agency"], row["county"], row["participants"], row["is_editable"]) == ("DOE", "qom", 37, True)
    assert results(client_for(activities["doe"]).get(ACTIVITIES))[0]["is_editable"] is False


@pytest.mark.parametrize(
    ("query", "expected"),
    [("agency=DOE", ["doe_workshop"]), ("kind=seminar", ["mcls_seminar"]), ("county=qom", ["doe_workshop"])],
)
def test_the_activity_filters(activities, query, expected):
    response = client_for(activities["mcls"]).get(f"{ACTIVITIES}?{query}")

    assert ids(response) == [activities[name].pk for name in expected]


def test_applicants_and_anonymous_callers_do_not_read_activities(activities):
    assert client_for(ApplicantFactory()).get(ACTIVITIES).status_code == 403
    assert client_for().get(ACTIVITIES).status_code == 403


def test_staff_record_an_activity_for_their_own_agency(activities, tvto):
    body = {
        "title": "کارگاه مشاغل سبز برای کارجویان",
        "kind": "workshop",
        "held_on": days(-1).isoformat(),
        "county": "kahak",
        "audience": "job_seekers",
        "workers_count": 12,
        "agency": "DOE",  # not the caller's: ignored
    }

    response = client_for(tvto).post(ACTIVITIES, body, format="json")

    assert response.status_code == 201, response.content
    activity = AwarenessActivity.objects.get(pk=response.json()["id"])
    assert (activity.agency.code, activity.county.code, activity.workers_count, activity.employers_count) == (
        "TVTO",
        "kahak",
        12,
        0,
    )
    assert activity.recorded_by == tvto


def test_a_negative_count_is_a_400_and_nothing_is_recorded(activities):
    body = {
        "title": "کارگاه",
        "kind": "workshop",
        "held_on": days(-1).isoformat(),
        "audience": "workers",
        "workers_count": -1,
    }

    response = client_for(activities["doe"]).post(ACTIVITIES, body, format="json")

    assert response.status_code == 400
    assert "workers_count" in response.json()
    assert AwarenessActivity.objects.count() == 2


def test_the_committee_does_not_record_activities(activities, manager):
    body = {"title": "کارگاه", "kind": "workshop", "held_on": days(-1).isoformat(), "audience": "workers"}

    response = client_for(manager).post(ACTIVITIES, body, format="json")

    assert response.status_code == 403
    assert AwarenessActivity.objects.count() == 2


def test_each_agency_corrects_only_its_own_activities(activities):
    own = client_for(activities["doe"]).patch(
        f"{ACTIVITIES}{activities['doe_workshop'].pk}/", {"workers_count": 40}, format="json"
    )
    other = client_for(activities["doe"]).patch(
        f"{ACTIVITIES}{activities['mcls_seminar'].pk}/", {"workers_count": 400}, format="json"
    )

    assert (own.status_code, own.json()["workers_count"]) == (200, 40)
    assert other.status_code == 403
    assert AwarenessActivity.objects.get(pk=activities["mcls_seminar"].pk).workers_count == 30
