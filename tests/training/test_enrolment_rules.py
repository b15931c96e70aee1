"""The training services' rules: who enrols whom, seats and the wait list, roll calls, the pass rule,
certificates issued once and revoked with a reason."""

import datetime
import zoneinfo
from decimal import Decimal

import jdatetime
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from greenjobs.exceptions import ConflictError, DomainError
from tests.factories import (
    ApplicantFactory,
    CourseFactory,
    ProgrammeManagerFactory,
    SessionFactory,
    make_staff,
)
from training.models import Attendance, Certificate, Enrolment, Meeting, Session
from training.services import certificates, enrolment, results

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


@pytest.fixture
def tvto(agencies):
    return make_staff("TVTO", "officer")


def enrol_self(session, person=None):
    person = person or ApplicantFactory()
    return enrolment.enrolment_create(session_id=session.pk, person=person, actor=person)


def statuses(session):
    """(person, status) in wait-list order, the way the service reads it."""
    rows = Enrolment.objects.filter(session=session).order_by("requested_at", "pk")
    return [(row.person_id, row.status) for row in rows]


def seats(session):
    session.refresh_from_db()
    return session.enrolled_count


# --- who enrols whom ---


def test_an_applicant_enrols_themselves_and_takes_a_seat(agencies):
    session = SessionFactory(capacity=2)
    applicant = ApplicantFactory()

    row = enrolment.enrolment_create(session_id=session.pk, person=applicant, actor=applicant)

    assert (row.person, row.status, row.enrolled_by) == (applicant, "enrolled", applicant)
    assert seats(session) == 1


def test_an_applicant_cannot_enrol_someone_else(agencies):
    session = SessionFactory()
    applicant, other = ApplicantFactory(), ApplicantFactory()

    with pytest.raises(DomainError) as refused:
        enrolment.enrolment_create(session_id=session.pk, person=other, actor=applicant)

    assert (refused.value.status_code, refused.value.code) == (403, "forbidden")
    assert not Enrolment.objects.exists()
    assert seats(session) == 0


@pytest.mark.parametrize(
    "make_person",
    [
        pytest.param(lambda: make_staff("TVTO", "officer"), id="tvto"),
        pytest.param(lambda: make_staff("DOE", "reviewer"), id="doe"),
        pytest.param(lambda: make_staff("MCLS", "manager"), id="mcls"),
        pytest.param(ProgrammeManagerFactory, id="programme-manager"),
    ],
)
def test_staff_accounts_cannot_enrol_themselves(agencies, make_person):
    session = SessionFactory()
    person = make_person()

    with pytest.raises(DomainError) as refused:
        enrolment.enrolment_create(session_id=session.pk, person=person, actor=person)

    assert (refused.value.status_code, refused.value.code) == (403, "forbidden")
    assert not Enrolment.objects.exists()
    assert seats(session) == 0


def test_tvto_enrols_an_applicant(tvto):
    session = SessionFactory()
    applicant = ApplicantFactory()

    row = enrolment.enrolment_create(session_id=session.pk, person=applicant, actor=tvto)

    assert (row.person, row.status, row.enrolled_by) == (applicant, "enrolled", tvto)
    assert seats(session) == 1


def test_an_unknown_session_is_not_found(agencies):
    applicant = ApplicantFactory()

    with pytest.raises(DomainError) as refused:
        enrolment.enrolment_create(session_id=987654, person=applicant, actor=applicant)

    assert (refused.value.status_code, refused.value.code) == (404, "not_found")


# --- duplicates ---


@pytest.mark.parametrize("full", [False, True], ids=["seated", "waitlisted"])
def test_a_second_enrolment_in_the_same_session_is_refused(agencies, full):
    session = SessionFactory(capacity=1)
    if full:
        enrol_self(session)  # the seat goes to someone else, so the person waits
    applicant = ApplicantFactory()
    first = enrol_self(session, applicant)
    assert first.status == ("waitlisted" if full else "enrolled")

    with pytest.raises(ConflictError) as refused:
        enrol_self(session, applicant)

    assert (refused.value.status_code, refused.value.code) == (409, "duplicate")
    assert list(Enrolment.objects.filter(person=applicant).values_list("pk", flat=True)) == [first.pk]
    assert seats(session) == 1


def test_after_cancelling_the_person_may_enrol_again(agencies):
    session = SessionFactory()
    applicant = ApplicantFactory()
    first = enrol_self(session, applicant)
    enrolment.enrolment_cancel(enrolment_id=first.pk, actor=applicant)

    again = enrol_self(session, applicant)

    assert again.pk != first.pk
    assert sorted(Enrolment.objects.filter(person=applicant).values_list("status", flat=True)) == [
        "cancelled",
        "enrolled",
    ]
    assert seats(session) == 1


def test_the_database_allows_one_active_enrolment_per_person_and_session(agencies):
    session = SessionFactory()
    applicant = ApplicantFactory()
    Enrolment.objects.create(session=session, person=applicant, status="cancelled")
    Enrolment.objects.create(session=session, person=applicant, status="waitlisted")

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(session=session, person=applicant, status="enrolled")

    assert sorted(Enrolment.objects.filter(person=applicant).values_list("status", flat=True)) == [
        "cancelled",
        "waitlisted",
    ]


# --- closed sessions ---


@pytest.mark.parametrize("status", ["running", "finished", "cancelled"])
def test_a_session_not_open_refuses_enrolment(agencies, status):
    session = SessionFactory(status=status)
    applicant = ApplicantFactory()

    with pytest.raises(ConflictError) as refused:
        enrol_self(session, applicant)

    assert (refused.value.status_code, refused.value.code) == (409, "closed")
    assert not Enrolment.objects.exists()
    assert seats(session) == 0


def test_a_session_that_has_started_refuses_self_enrolment(agencies):
    today = timezone.localdate()
    session = SessionFactory(
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=9)
    )

    with pytest.raises(ConflictError) as refused:
        enrol_self(session)

    assert refused.value.code == "closed"
    assert not Enrolment.objects.exists()


def test_tvto_cannot_enrol_anyone_in_a_cancelled_session(tvto):
    session = SessionFactory(status="cancelled")

    with pytest.raises(ConflictError) as refused:
        enrolment.enrolment_create(session_id=session.pk, person=ApplicantFactory(), actor=tvto)

    assert refused.value.code == "closed"
    assert not Enrolment.objects.exists()


# --- seats and the wait list ---


def test_beyond_the_seats_people_wait_in_the_order_they_asked(agencies):
    session = SessionFactory(capacity=2)
    people = [ApplicantFactory() for _ in range(4)]

    rows = [enrol_self(session, person) for person in people]

    assert [row.status for row in rows] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    assert seats(session) == 2


def test_a_freed_seat_goes_to_whoever_asked_first_not_to_whoever_was_saved_first(agencies, time_machine):
    # given a full session and a wait list whose order of asking differs from the order of the rows
    time_machine.move_to(datetime.datetime(2025, 5, 1, 9, 0, tzinfo=TEHRAN), tick=False)
    session = SessionFactory(capacity=1)
    seated = enrol_self(session)
    asked_later, asked_first = ApplicantFactory(), ApplicantFactory()
    time_machine.move_to(datetime.datetime(2025, 5, 1, 11, 0, tzinfo=TEHRAN), tick=False)
    enrol_self(session, asked_later)
    time_machine.move_to(datetime.datetime(2025, 5, 1, 10, 0, tzinfo=TEHRAN), tick=False)
    enrol_self(session, asked_first)

    # when the seated person cancels
    enrolment.enrolment_cancel(enrolment_id=seated.pk, actor=seated.person)

    # then the one who asked first has the seat and the other still waits
    assert Enrolment.objects.get(session=session, person=asked_first).status == "enrolled"
    assert Enrolment.objects.get(session=session, person=asked_later).status == "waitlisted"
    assert seats(session) == 1


def test_cancelling_a_waitlisted_enrolment_frees_no_seat(agencies):
    session = SessionFactory(capacity=1)
    seated, waiting, behind = (enrol_self(session) for _ in range(3))

    enrolment.enrolment_cancel(enrolment_id=waiting.pk, actor=waiting.person)

    assert statuses(session) == [
        (seated.person_id, "enrolled"),
        (waiting.person_id, "cancelled"),
        (behind.person_id, "waitlisted"),
    ]
    assert seats(session) == 1


def test_another_applicant_cannot_cancel_an_enrolment(agencies):
    session = SessionFactory()
    row = enrol_self(session)

    with pytest.raises(DomainError) as refused:
        enrolment.enrolment_cancel(enrolment_id=row.pk, actor=ApplicantFactory())

    assert (refused.value.status_code, refused.value.code) == (404, "not_found")
    assert Enrolment.objects.get(pk=row.pk).status == "enrolled"
    assert seats(session) == 1


def test_more_seats_promote_the_wait_list_in_order(tvto):
    session = SessionFactory(capacity=2)
    rows = [enrol_self(session) for _ in range(5)]

    enrolment.session_capacity_change(session_id=session.pk, actor=tvto, capacity=4)

    assert [Enrolment.objects.get(pk=row.pk).status for row in rows] == [
        "enrolled",
        "enrolled",
        "enrolled",
        "enrolled",
        "waitlisted",
    ]
    session.refresh_from_db()
    assert (session.capacity, session.enrolled_count) == (4, 4)


def test_more_seats_than_people_promote_everyone_waiting(tvto):
    session = SessionFactory(capacity=1)
    rows = [enrol_self(session) for _ in range(3)]

    enrolment.session_capacity_change(session_id=session.pk, actor=tvto, capacity=10)

    assert {Enrolment.objects.get(pk=row.pk).status for row in rows} == {"enrolled"}
    session.refresh_from_db()
    assert (session.capacity, session.enrolled_count) == (10, 3)


def test_the_seats_cannot_go_below_the_people_holding_them(tvto):
    session = SessionFactory(capacity=4)
    for _ in range(3):
        enrol_self(session)

    with pytest.raises(ValidationError) as refused:
        enrolment.session_capacity_change(session_id=session.pk, actor=tvto, capacity=2)

    assert list(refused.value.message_dict) == ["capacity"]
    session.refresh_from_db()
    assert (session.capacity, session.enrolled_count) == (4, 3)


def test_the_seats_may_shrink_to_exactly_the_people_holding_them(tvto):
    session = SessionFactory(capacity=4)
    for _ in range(3):
        enrol_self(session)

    enrolment.session_capacity_change(session_id=session.pk, actor=tvto, capacity=3)

    session.refresh_from_db()
    assert (session.capacity, session.enrolled_count) == (3, 3)


def test_only_tvto_changes_the_seats(agencies):
    session = SessionFactory(capacity=1)
    enrol_self(session)
    enrol_self(session)

    with pytest.raises(DomainError) as refused:
        enrolment.session_capacity_change(
            session_id=session.pk, actor=make_staff("DOE", "manager"), capacity=5
        )

    assert refused.value.status_code == 403
    session.refresh_from_db()
    assert (session.capacity, session.enrolled_count) == (1, 1)
    assert Enrolment.objects.filter(status="waitlisted").count() == 1


# --- attendance ---


@pytest.fixture
def roll(tvto):
    """A session with three people seated and one waiting, one meeting held; someone seated elsewhere."""
    session = SessionFactory(capacity=3)
    seated = [enrol_self(session) for _ in range(3)]
    waiting = enrol_self(session)
    elsewhere = enrol_self(SessionFactory())
    meeting = results.meeting_add(session_id=session.pk, actor=tvto, held_on=session.starts_on)
    return {
        "session": session,
        "seated": seated,
        "waiting": waiting,
        "elsewhere": elsewhere,
        "meeting": meeting,
    }


def attendance(meeting):
    return dict(Attendance.objects.filter(meeting=meeting).values_list("enrolment_id", "present"))


def test_meetings_are_numbered_in_turn(tvto):
    session = SessionFactory()

    first = results.meeting_add(session_id=session.pk, actor=tvto, held_on=session.starts_on)
    second = results.meeting_add(session_id=session.pk, actor=tvto, held_on=session.ends_on)

    assert (first.number, second.number) == (1, 2)


def test_only_tvto_adds_meetings(agencies):
    session = SessionFactory()

    with pytest.raises(DomainError) as refused:
        results.meeting_add(session_id=session.pk, actor=ApplicantFactory(), held_on=session.starts_on)

    assert refused.value.status_code == 403
    assert not Meeting.objects.exists()


def test_the_roll_call_marks_everyone_enrolled_present_or_absent(tvto, roll):
    first, second, third = roll["seated"]

    recorded = results.attendance_record(
        meeting_id=roll["meeting"].pk, actor=tvto, present_enrolment_ids=[first.pk, str(third.pk)]
    )

    assert recorded == 3
    assert attendance(roll["meeting"]) == {first.pk: True, second.pk: False, third.pk: True}
    assert set(Attendance.objects.values_list("recorded_by", flat=True)) == {tvto.pk}


def test_a_second_roll_call_of_the_same_meeting_replaces_the_first(tvto, roll):
    first, second, third = roll["seated"]
    results.attendance_record(meeting_id=roll["meeting"].pk, actor=tvto, present_enrolment_ids=[first.pk])

    results.attendance_record(meeting_id=roll["meeting"].pk, actor=tvto, present_enrolment_ids=[second.pk])

    assert attendance(roll["meeting"]) == {first.pk: False, second.pk: True, third.pk: False}
    assert Attendance.objects.count() == 3


@pytest.mark.parametrize("who", ["waiting", "elsewhere"])
def test_the_roll_call_refuses_people_not_enrolled(tvto, roll, who):
    first = roll["seated"][0]

    with pytest.raises(DomainError) as refused:
        results.attendance_record(
            meeting_id=roll["meeting"].pk, actor=tvto, present_enrolment_ids=[first.pk, roll[who].pk]
        )

    assert (refused.value.status_code, refused.value.code) == (400, "not_enrolled")
    assert not Attendance.objects.exists()


def test_only_tvto_takes_the_roll(agencies, roll):
    with pytest.raises(DomainError) as refused:
        results.attendance_record(
            meeting_id=roll["meeting"].pk, actor=make_staff("MCLS", "officer"), present_enrolment_ids=[]
        )

    assert refused.value.status_code == 403
    assert not Attendance.objects.exists()


# --- results ---


@pytest.fixture
def exam(tvto):
    """Four meetings: «full» and «also_full» attended all four (100%), «three_of_four» three (75%)."""
    course = CourseFactory(pass_mark=Decimal(60), min_attendance_percent=80)
    session = SessionFactory(course=course, capacity=5)
    people = {name: enrol_self(session) for name in ("full", "also_full", "three_of_four")}
    for number in range(4):
        held_on = session.starts_on + datetime.timedelta(days=number)
        meeting = results.meeting_add(session_id=session.pk, actor=tvto, held_on=held_on)
        present = [people["full"].pk, people["also_full"].pk]
        if number < 3:
            present.append(people["three_of_four"].pk)
        results.attendance_record(meeting_id=meeting.pk, actor=tvto, present_enrolment_ids=present)
    return {"session": session, **people}


def outcome(row):
    row.refresh_from_db()
    return (row.theory_score, row.practical_score, row.passed)


def test_the_pass_rule_at_its_edges(tvto, exam):
    # given pass mark 60 on both exams and 80% attendance
    scores = {
        exam["full"].pk: ("60", "60"),  # exactly the marks, all meetings
        exam["also_full"].pk: ("59.99", "90"),  # a hair under on theory
        exam["three_of_four"].pk: ("90", "90"),  # good marks, 75% attendance
    }

    updated = results.results_record(session_id=exam["session"].pk, actor=tvto, scores=scores)

    assert sorted(row.pk for row in updated) == sorted(scores)
    assert outcome(exam["full"]) == (Decimal("60.00"), Decimal("60.00"), True)
    assert outcome(exam["also_full"]) == (Decimal("59.99"), Decimal("90.00"), False)
    assert outcome(exam["three_of_four"]) == (Decimal("90.00"), Decimal("90.00"), False)
    assert exam["full"].result_recorded_by == tvto
    assert Session.objects.get(pk=exam["session"].pk).status == "finished"


def test_a_practical_mark_under_the_pass_mark_fails(tvto, exam):
    results.results_record(
        session_id=exam["session"].pk, actor=tvto, scores={exam["full"].pk: ("100", "59.99")}
    )

    assert outcome(exam["full"]) == (Decimal("100.00"), Decimal("59.99"), False)


@pytest.mark.parametrize("bad", ["100.01", "-0.01", "250"])
def test_scores_outside_0_to_100_are_refused_and_nothing_is_saved(tvto, exam, bad):
    scores = {exam["full"].pk: ("70", "70"), exam["also_full"].pk: ("70", bad)}

    with pytest.raises(DomainError) as refused:
        results.results_record(session_id=exam["session"].pk, actor=tvto, scores=scores)

    assert (refused.value.status_code, refused.value.code) == (400, "score_range")
    assert outcome(exam["full"]) == (None, None, None)
    assert outcome(exam["also_full"]) == (None, None, None)
    assert Session.objects.get(pk=exam["session"].pk).status == "planned"


def test_results_before_any_meeting_are_refused(tvto):
    session = SessionFactory()
    row = enrol_self(session)

    with pytest.raises(ConflictError) as refused:
        results.results_record(session_id=session.pk, actor=tvto, scores={row.pk: ("80", "80")})

    assert refused.value.code == "no_attendance"
    assert outcome(row) == (None, None, None)
    assert Session.objects.get(pk=session.pk).status == "planned"


def test_results_for_someone_not_enrolled_are_refused(tvto, exam):
    stranger = enrol_self(SessionFactory())

    with pytest.raises(DomainError) as refused:
        results.results_record(
            session_id=exam["session"].pk,
            actor=tvto,
            scores={exam["full"].pk: ("80", "80"), stranger.pk: ("80", "80")},
        )

    assert refused.value.code == "not_enrolled"
    assert outcome(exam["full"]) == (None, None, None)


def test_only_tvto_records_results(agencies, exam):
    with pytest.raises(DomainError) as refused:
        results.results_record(
            session_id=exam["session"].pk,
            actor=ProgrammeManagerFactory(),
            scores={exam["full"].pk: ("80", "80")},
        )

    assert refused.value.status_code == 403
    assert outcome(exam["full"]) == (None, None, None)


def test_a_result_makes_an_enrolment_impossible_to_cancel(tvto, exam):
    results.results_record(session_id=exam["session"].pk, actor=tvto, scores={exam["full"].pk: ("80", "80")})

    with pytest.raises(ConflictError) as refused:
        enrolment.enrolment_cancel(enrolment_id=exam["full"].pk, actor=exam["full"].person)

    assert refused.value.code == "has_result"
    assert Enrolment.objects.get(pk=exam["full"].pk).status == "enrolled"


# --- certificates ---


@pytest.fixture
def passed(tvto, exam):
    results.results_record(
        session_id=exam["session"].pk,
        actor=tvto,
        scores={exam["full"].pk: ("80", "80"), exam["also_full"].pk: ("40", "80")},
    )
    return exam


def test_issuing_twice_issues_once(passed):
    first = certificates.certificates_issue_for_session(session_id=passed["session"].pk)
    second = certificates.certificates_issue_for_session(session_id=passed["session"].pk)

    assert (first, second) == (1, 0)
    certificate = Certificate.objects.get()
    year = jdatetime.date.fromgregorian(date=timezone.localdate()).year
    assert certificate.enrolment == passed["full"]
    assert certificate.serial == f"GJQ-{year}-000001"
    assert len(certificate.verification_code) >= 24


def test_issuing_one_enrolment_again_returns_nothing(passed):
    certificate = certificates.certificate_issue(enrolment_id=passed["full"].pk)

    assert certificates.certificate_issue(enrolment_id=passed["full"].pk) is None
    assert certificates.certificate_issue(enrolment_id=passed["also_full"].pk) is None
    assert list(Certificate.objects.all()) == [certificate]


@pytest.fixture
def certificate(passed):
    certificates.certificates_issue_for_session(session_id=passed["session"].pk)
    return Certificate.objects.get()


@pytest.mark.parametrize(
    "make_actor",
    [
        pytest.param(lambda c: c.enrolment.person, id="its-holder"),
        pytest.param(lambda c: make_staff("DOE", "manager"), id="doe"),
        pytest.param(lambda c: ProgrammeManagerFactory(), id="programme-manager"),
    ],
)
def test_only_tvto_revokes_a_certificate(certificate, make_actor):
    with pytest.raises(DomainError) as refused:
        certificates.certificate_revoke(
            certificate_id=certificate.pk, actor=make_actor(certificate), reason="جعل"
        )

    assert refused.value.status_code == 403
    certificate.refresh_from_db()
    assert (certificate.revoked_at, certificate.revoked_reason, certificate.revoked_by) == (None, "", None)


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoking_needs_a_reason(tvto, certificate, reason):
    with pytest.raises(DomainError) as refused:
        certificates.certificate_revoke(certificate_id=certificate.pk, actor=tvto, reason=reason)

    assert (refused.value.status_code, refused.value.code) == (400, "reason_required")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_tvto_revokes_with_a_reason_once(tvto, certificate, time_machine):
    now = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=TEHRAN)
    time_machine.move_to(now, tick=False)

    certificates.certificate_revoke(
        certificate_id=certificate.pk, actor=tvto, reason="  نمره‌ی آزمون عملی اشتباه ثبت شده بود "
    )
    with pytest.raises(ConflictError) as again:
        certificates.certificate_revoke(certificate_id=certificate.pk, actor=tvto, reason="دوباره")

    assert again.value.code == "already_revoked"
    certificate.refresh_from_db()
    assert (certificate.revoked_at, certificate.revoked_reason, certificate.revoked_by) == (
        now,
        "نمره‌ی آزمون عملی اشتباه ثبت شده بود",
        tvto,
    )


def test_a_name_is_masked_word_by_word():
    # First letter kept, the rest starred, never fewer than two stars so a short word's length stays hidden.
    assert certificates.mask_name("رضا نوروزی") == "ر** ن*****"
    assert certificates.mask_name("علی") == "ع**"
    assert certificates.mask_name("ب") == "ب**"
    assert certificates.mask_name("  Li  Wu ") == "L** W**"
    assert certificates.mask_name("") == ""
