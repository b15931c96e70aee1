"""Every status change in training goes through the workflow engine and leaves an event: who, when, from,
to and why."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from greenjobs.exceptions import ConflictError, DomainError
from tests.factories import ApplicantFactory, CourseFactory, SessionFactory, make_staff
from training.models import Certificate, Enrolment, Session, TrainingEvent
from training.services import catalogue, certificates, enrolment, results

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
MOMENT = datetime.datetime(2025, 5, 20, 10, 0, tzinfo=TEHRAN)


@pytest.fixture
def tvto(agencies):
    return make_staff("TVTO", "officer")


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MOMENT, tick=False)
    return MOMENT


def events(**subject):
    return list(
        TrainingEvent.objects.filter(**subject).values_list(
            "action", "from_status", "to_status", "actor", "reason"
        )
    )


def enrol_self(session, person=None):
    person = person or ApplicantFactory()
    return enrolment.enrolment_create(session_id=session.pk, person=person, actor=person)


def test_an_enrolment_is_born_with_an_event_a_seat_or_the_wait_list(agencies, frozen):
    session = SessionFactory(
        capacity=1, starts_on=datetime.date(2025, 6, 1), ends_on=datetime.date(2025, 6, 10)
    )
    seated, waiting = enrol_self(session), enrol_self(session)

    assert events(enrolment=seated) == [("enrol", "", "enrolled", seated.person_id, "")]
    assert events(enrolment=waiting) == [("waitlist", "", "waitlisted", waiting.person_id, "")]
    assert set(TrainingEvent.objects.values_list("session", "at")) == {(session.pk, frozen)}


def test_cancelling_leaves_an_event_and_the_promotion_its_own(agencies):
    session = SessionFactory(capacity=1)
    seated, waiting = enrol_self(session), enrol_self(session)

    enrolment.enrolment_cancel(enrolment_id=seated.pk, actor=seated.person)

    assert events(enrolment=seated)[1:] == [("cancel", "enrolled", "cancelled", seated.person_id, "")]
    assert events(enrolment=waiting)[1:] == [("promote", "waitlisted", "enrolled", None, "")]
    assert Enrolment.objects.get(pk=waiting.pk).status == "enrolled"


def test_tvto_cancels_someone_elses_enrolment_and_is_named(agencies, tvto):
    row = enrol_self(SessionFactory())

    enrolment.enrolment_cancel(enrolment_id=row.pk, actor=tvto)

    assert events(enrolment=row)[1:] == [("cancel", "enrolled", "cancelled", tvto.pk, "")]


def test_more_seats_promote_with_an_event_each(agencies, tvto):
    session = SessionFactory(capacity=1)
    enrol_self(session)
    waiting = [enrol_self(session), enrol_self(session)]

    enrolment.session_capacity_change(session_id=session.pk, actor=tvto, capacity=3)

    assert [events(enrolment=row)[1:] for row in waiting] == [
        [("promote", "waitlisted", "enrolled", None, "")],
        [("promote", "waitlisted", "enrolled", None, "")],
    ]


def test_a_refused_cancellation_leaves_no_event(agencies):
    row = enrol_self(SessionFactory())

    with pytest.raises(DomainError):
        enrolment.enrolment_cancel(enrolment_id=row.pk, actor=ApplicantFactory())

    assert events(enrolment=row) == [("enrol", "", "enrolled", row.person_id, "")]


def test_cancelling_a_session_leaves_an_event_once(tvto):
    session = SessionFactory()

    catalogue.session_cancel(session_id=session.pk, actor=tvto)
    catalogue.session_cancel(session_id=session.pk, actor=tvto)

    assert events(session=session, enrolment=None) == [("cancel", "planned", "cancelled", tvto.pk, "")]


def test_a_finished_session_cannot_be_cancelled_and_leaves_no_event(tvto):
    session = SessionFactory(status=Session.Status.FINISHED)

    with pytest.raises(ConflictError) as refused:
        catalogue.session_cancel(session_id=session.pk, actor=tvto)

    assert refused.value.code == "finished"
    assert events(session=session) == []


@pytest.fixture
def passed(tvto):
    course = CourseFactory(pass_mark=Decimal(60), min_attendance_percent=80)
    session = SessionFactory(course=course, capacity=5)
    row = enrol_self(session)
    meeting = results.meeting_add(session_id=session.pk, actor=tvto, held_on=session.starts_on)
    results.attendance_record(meeting_id=meeting.pk, actor=tvto, present_enrolment_ids=[row.pk])
    results.results_record(session_id=session.pk, actor=tvto, scores={row.pk: ("80", "80")})
    return row


def test_recording_the_results_finishes_the_session_with_an_event(tvto, passed):
    assert events(session=passed.session_id, enrolment=None) == [
        ("finish", "planned", "finished", tvto.pk, "")
    ]


def test_a_certificate_is_issued_and_revoked_with_events(tvto, passed):
    certificate = certificates.certificate_issue(enrolment_id=passed.pk)
    certificates.certificate_revoke(certificate_id=certificate.pk, actor=tvto, reason="  جعل مدرک ")

    assert events(certificate=certificate) == [
        ("issue", "", "issued", None, ""),
        ("revoke", "issued", "revoked", tvto.pk, "جعل مدرک"),
    ]
    assert Certificate.objects.get(pk=certificate.pk).status == "revoked"
    assert set(TrainingEvent.objects.filter(certificate=certificate).values_list("enrolment", "session")) == {
        (passed.pk, passed.session_id)
    }


def test_a_refused_revocation_leaves_no_event(tvto, passed):
    certificate = certificates.certificate_issue(enrolment_id=passed.pk)
    certificates.certificate_revoke(certificate_id=certificate.pk, actor=tvto, reason="خطا")

    with pytest.raises(ConflictError) as again:
        certificates.certificate_revoke(certificate_id=certificate.pk, actor=tvto, reason="دوباره")

    assert again.value.code == "already_revoked"
    assert [row[0] for row in events(certificate=certificate)] == ["issue", "revoke"]
