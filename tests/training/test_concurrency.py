"""Seats under real concurrency: many applicants pressing "enrol" at once, each on their own connection."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from tests.factories import ApplicantFactory, SessionFactory
from tests.utils import run_together
from training.models import Enrolment, Session
from training.services import enrolment

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


def enrol_call(session_id, person_id):
    def call():
        person = get_user_model().objects.get(pk=person_id)  # the thread's own copy, on its own connection
        return enrolment.enrolment_create(session_id=session_id, person=person, actor=person).status

    return call


def cancel_call(enrolment_id, person_id):
    def call():
        person = get_user_model().objects.get(pk=person_id)
        return enrolment.enrolment_cancel(enrolment_id=enrolment_id, actor=person).status

    return call


def in_order(session):
    """The session's enrolments in the order their people asked."""
    return list(Enrolment.objects.filter(session=session).order_by("requested_at", "pk"))


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_cache")
def test_thirty_at_once_fill_ten_seats_and_wait_in_the_order_they_asked(agencies, mailoutbox):
    # given a session of ten seats and thirty applicants
    session = SessionFactory(capacity=10)
    people = [ApplicantFactory().pk for _ in range(30)]

    # when all thirty enrol at the same moment
    outcomes = run_together([enrol_call(session.pk, person) for person in people])

    # then ten have a seat and twenty wait, and the counter agrees
    assert sorted(outcomes) == [("done", "enrolled")] * 10 + [("done", "waitlisted")] * 20
    session.refresh_from_db()
    assert session.enrolled_count == 10
    assert Enrolment.objects.filter(session=session, status="enrolled").count() == 10
    assert Enrolment.objects.filter(session=session, status="waitlisted").count() == 20
    assert not Session.objects.filter(enrolled_count__gt=F("capacity")).exists()
    # and the seats went to the first ten to ask, the wait list follows the order of asking
    rows = in_order(session)
    assert [row.status for row in rows] == ["enrolled"] * 10 + ["waitlisted"] * 20
    assert sorted(row.person_id for row in rows) == sorted(people)

    # when three seated people cancel, one after the other
    waiting = [row for row in rows if row.status == "waitlisted"]
    for number, seated in enumerate(rows[:3], start=1):
        enrolment.enrolment_cancel(enrolment_id=seated.pk, actor=seated.person)

        # then each time the first still waiting takes the seat, in the order of asking
        assert Enrolment.objects.get(pk=seated.pk).status == "cancelled"
        now_seated = {row.pk for row in waiting if Enrolment.objects.get(pk=row.pk).status == "enrolled"}
        assert now_seated == {row.pk for row in waiting[:number]}
        assert Session.objects.get(pk=session.pk).enrolled_count == 10

    assert [Enrolment.objects.get(pk=row.pk).status for row in waiting] == ["enrolled"] * 3 + [
        "waitlisted"
    ] * 17
    # and the three promoted are told
    assert sorted(message.to[0] for message in mailoutbox) == sorted(row.person.email for row in waiting[:3])


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_cache")
def test_newcomers_never_jump_the_wait_list_when_seats_free_up_at_the_same_moment(agencies):
    # given a full session of ten with five waiting
    session = SessionFactory(capacity=10)
    for _ in range(15):
        person = ApplicantFactory()
        enrolment.enrolment_create(session_id=session.pk, person=person, actor=person)
    rows = in_order(session)
    seated, waiting = rows[:10], rows[10:]
    newcomers = [ApplicantFactory().pk for _ in range(5)]

    # when three seated people cancel while five newcomers enrol, all at once
    outcomes = run_together(
        [cancel_call(row.pk, row.person_id) for row in seated[:3]]
        + [enrol_call(session.pk, person) for person in newcomers]
    )

    # then the freed seats went to the first three waiting and every newcomer waits behind them
    assert outcomes == [("done", "cancelled")] * 3 + [("done", "waitlisted")] * 5
    assert [Enrolment.objects.get(pk=row.pk).status for row in waiting] == ["enrolled"] * 3 + [
        "waitlisted"
    ] * 2
    session.refresh_from_db()
    assert session.enrolled_count == 10
    assert Enrolment.objects.filter(session=session, status="enrolled").count() == 10
    late = [row.person_id for row in in_order(session) if row.status == "waitlisted"]
    assert late[:2] == [row.person_id for row in waiting[3:]]
    assert sorted(late[2:]) == sorted(newcomers)


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_cache")
def test_one_person_pressing_enrol_twice_at_once_gets_one_enrolment(agencies):
    session = SessionFactory(capacity=10)
    person = ApplicantFactory().pk

    outcomes = run_together([enrol_call(session.pk, person) for _ in range(4)])

    assert sorted(outcomes) == [("done", "enrolled")] + [("told", "duplicate")] * 3
    assert Enrolment.objects.filter(session=session).count() == 1
    assert Session.objects.get(pk=session.pk).enrolled_count == 1


@pytest.mark.django_db
def test_the_database_refuses_more_enrolled_than_seats_even_by_a_direct_update(agencies):
    session = SessionFactory(capacity=10)
    Session.objects.filter(pk=session.pk).update(enrolled_count=10)

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(enrolled_count=F("capacity") + 1)

    assert Session.objects.get(pk=session.pk).enrolled_count == 10


@pytest.mark.django_db
def test_the_database_refuses_fewer_seats_than_people_holding_them_even_by_a_direct_update(agencies):
    session = SessionFactory(capacity=10)
    Session.objects.filter(pk=session.pk).update(enrolled_count=6)

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(capacity=5)

    assert Session.objects.filter(pk=session.pk).values_list("capacity", "enrolled_count").get() == (10, 6)
