"""Verification lapses: the nightly task expires what is due, once, tells the owner; renewal starts over."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from greenjobs.exceptions import ConflictError
from programs import tasks
from programs.services.registrations import business_transition
from tests.factories import fill_checklist, make_staff, registration_in, registration_state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]

TEHRAN = ZoneInfo("Asia/Tehran")
VERIFIED_AT = datetime.datetime(2025, 3, 1, 10, 0, tzinfo=TEHRAN)


@pytest.fixture
def verified(settings, time_machine):
    """A registration verified on 1 March 2025 (Tehran), valid for 30 days: expires_on is 31 March."""
    settings.REGISTRATION_VALIDITY_DAYS = 30
    time_machine.move_to(VERIFIED_AT, tick=False)
    business = registration_in("verified", legal_name="شرکت آفتاب قم")
    business.owner.language = "en"
    business.owner.save(update_fields=["language"])
    return business


def at(day: datetime.date, hour: int = 2) -> datetime.datetime:
    """The moment the nightly task runs, Tehran time."""
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TEHRAN)


def test_verification_sets_the_expiry_from_the_validity_setting(verified):
    assert verified.expires_on == datetime.date(2025, 3, 31)
    assert verified.verified_at == VERIFIED_AT


def test_the_task_expires_a_lapsed_verification_and_mails_the_owner(
    verified, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(datetime.date(2025, 4, 1)), tick=False)
    events_before = verified.events.count()

    with django_capture_on_commit_callbacks(execute=True):
        expired = tasks.expire_registrations()

    verified.refresh_from_db()
    assert expired == 1
    assert verified.status == "expired"
    assert verified.status_changed_at == at(datetime.date(2025, 4, 1))
    [event] = verified.events.order_by("pk")[events_before:]
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        "verified",
        "expired",
        None,
        "",
    )
    [message] = mail.outbox
    assert message.to == [verified.owner.email]
    assert message.subject == "Green Jobs Qom: “شرکت آفتاب قم” is now Verification expired"


@pytest.mark.parametrize("day", [datetime.date(2025, 3, 2), datetime.date(2025, 3, 31)])
def test_a_verification_not_yet_due_stays_verified(
    verified, time_machine, django_capture_on_commit_callbacks, day
):
    time_machine.move_to(at(day, hour=23), tick=False)
    before = registration_state(verified)

    with django_capture_on_commit_callbacks(execute=True):
        expired = tasks.expire_registrations()

    assert expired == 0
    assert registration_state(verified) == before
    assert mail.outbox == []


def test_running_the_task_twice_expires_once(verified, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(at(datetime.date(2025, 4, 2)), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.expire_registrations()
        second = tasks.expire_registrations()

    assert (first, second) == (1, 0)
    assert verified.events.filter(to_status="expired").count() == 1
    assert len(mail.outbox) == 1


def test_only_the_due_registrations_expire(settings, time_machine):
    settings.REGISTRATION_VALIDITY_DAYS = 30
    time_machine.move_to(VERIFIED_AT, tick=False)
    early = registration_in("verified")
    time_machine.move_to(VERIFIED_AT + datetime.timedelta(days=10), tick=False)
    late = registration_in("verified")
    draft, rejected = registration_in("draft"), registration_in("rejected")
    time_machine.move_to(at(datetime.date(2025, 4, 5)), tick=False)

    assert tasks.expire_registrations() == 1

    statuses = {b.pk: b.status for b in type(early).objects.all()}
    assert statuses == {early.pk: "expired", late.pk: "verified", draft.pk: "draft", rejected.pk: "rejected"}


def test_a_registration_renewed_before_the_run_is_left_alone(verified, time_machine):
    time_machine.move_to(at(datetime.date(2025, 3, 25), hour=12), tick=False)
    business_transition(business_id=verified.pk, actor=verified.owner, name="request_renewal")
    time_machine.move_to(at(datetime.date(2025, 4, 2)), tick=False)
    before = registration_state(verified)

    assert tasks.expire_registrations() == 0
    assert registration_state(verified) == before
    assert before["status"] == "submitted"


def test_expiring_by_hand_an_already_expired_registration_is_refused(verified, time_machine):
    time_machine.move_to(at(datetime.date(2025, 4, 2)), tick=False)
    tasks.expire_registrations()
    before = registration_state(verified)

    with pytest.raises(ConflictError) as caught:
        business_transition(business_id=verified.pk, actor=None, name="expire")

    assert caught.value.code == "invalid_transition"
    assert registration_state(verified) == before


def test_an_expired_registration_renews_through_a_new_assessment(verified, time_machine):
    # given an expired registration
    time_machine.move_to(at(datetime.date(2025, 4, 2)), tick=False)
    tasks.expire_registrations()
    [first_assessment] = verified.assessments.all()
    officer, reviewer = make_staff("DOE", "officer"), make_staff("DOE", "reviewer")

    # when the owner asks for renewal and DOE assesses again
    time_machine.move_to(at(datetime.date(2025, 4, 10), hour=9), tick=False)
    business_transition(business_id=verified.pk, actor=verified.owner, name="request_renewal")
    business_transition(business_id=verified.pk, actor=officer, name="start_assessment")
    second_assessment = fill_checklist(verified, officer)
    time_machine.move_to(at(datetime.date(2025, 4, 12), hour=9), tick=False)
    business_transition(
        business_id=verified.pk, actor=reviewer, name="verify", verified_kind="greened_existing"
    )

    # then it is verified again, from the new date, with a second assessment on file
    verified.refresh_from_db()
    assert verified.status == "verified"
    assert verified.verified_kind == "greened_existing"
    assert verified.verified_at == at(datetime.date(2025, 4, 12), hour=9)
    assert verified.expires_on == datetime.date(2025, 5, 12)
    assert verified.submitted_at == VERIFIED_AT  # the first submission, unchanged
    assert second_assessment.pk != first_assessment.pk
    assert sorted(verified.assessments.values_list("pk", "decision")) == [
        (first_assessment.pk, "verified"),
        (second_assessment.pk, "verified"),
    ]
    assert list(verified.events.values_list("from_status", "to_status", "actor")) == [
        ("draft", "submitted", verified.owner.pk),
        ("submitted", "under_assessment", first_assessment.officer_id),
        ("under_assessment", "verified", first_assessment.decided_by_id),
        ("verified", "expired", None),
        ("expired", "submitted", verified.owner.pk),
        ("submitted", "under_assessment", officer.pk),
        ("under_assessment", "verified", reviewer.pk),
    ]

    # and the next lapse is judged from the new expiry
    time_machine.move_to(at(datetime.date(2025, 5, 12), hour=23), tick=False)
    assert tasks.expire_registrations() == 0
    time_machine.move_to(at(datetime.date(2025, 5, 13)), tick=False)
    assert tasks.expire_registrations() == 1
