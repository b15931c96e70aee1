"""Every event that mails a person also lands in their inbox, in the event's own transaction; staff hear
of the cases that reach the stage they work, and nobody else does."""

import pytest
from django.core import mail
from django.db import transaction

from incentives.services import applications
from notifications.models import Notification, Preference
from programs import notices as programs_notices
from programs.services.registrations import business_transition
from tests.factories import (
    ApplicantFactory,
    fill_checklist,
    loan_at,
    make_staff,
    ready_to_submit,
    registration_in,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]


def inbox(person) -> list[tuple[str, dict]]:
    return [
        (n.kind, n.params) for n in Notification.objects.filter(recipient=person).order_by("created_at", "pk")
    ]


def test_a_registration_returned_for_changes_lands_in_the_owners_inbox_with_its_email_and_sms(
    django_capture_on_commit_callbacks, sms_outbox
):
    officer, reviewer = make_staff("DOE", "officer"), make_staff("DOE", "reviewer")
    business = registration_in("under_assessment", officer=officer, reviewer=reviewer, checklist_ready=True)
    owner = business.owner
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        business_transition(
            business_id=business.pk, actor=reviewer, name="request_changes", reason="پروانه را بفرستید"
        )

    [notification] = Notification.objects.filter(recipient=owner)
    assert notification.kind == programs_notices.CHANGES_REQUESTED
    assert notification.params == {
        "business_id": business.pk, "name": business.legal_name, "from": "under_assessment",
        "to": "changes_requested", "reason": "پروانه را بفرستید",
    }  # fmt: skip
    assert notification.read_at is None
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert [m["to"] for m in sms_outbox] == [owner.mobile]
    assert "پروانه را بفرستید" in sms_outbox[0]["text"]
    assert f"/notifications/{notification.pk}/open/" in sms_outbox[0]["text"]


def test_an_event_rolled_back_leaves_no_notification():
    business = ready_to_submit()

    with pytest.raises(RuntimeError), transaction.atomic():
        business_transition(business_id=business.pk, actor=business.owner, name="submit")
        assert Notification.objects.filter(recipient=business.owner).count() == 1
        raise RuntimeError("the request failed after the event")

    assert Notification.objects.count() == 0


def test_a_submitted_registration_tells_doe_officers_and_no_one_else():
    doe_officers = [make_staff("DOE", "officer") for _ in range(2)]
    doe_reviewer = make_staff("DOE", "reviewer")
    others = [make_staff("MCLS", "officer"), make_staff("TVTO", "officer")]
    business = ready_to_submit()

    business_transition(business_id=business.pk, actor=business.owner, name="submit")

    told = set(
        Notification.objects.filter(kind=programs_notices.ARRIVED).values_list("recipient_id", flat=True)
    )
    assert told == {o.pk for o in doe_officers}
    assert doe_reviewer.pk not in told
    assert not told & {o.pk for o in others}


def test_a_checklist_made_ready_tells_doe_reviewers_only():
    officer = make_staff("DOE", "officer")
    reviewers = [make_staff("DOE", "reviewer") for _ in range(2)]
    mcls_reviewer = make_staff("MCLS", "reviewer")
    business = registration_in("under_assessment", officer=officer, reviewer=reviewers[0])
    Notification.objects.all().delete()

    fill_checklist(business, officer)

    told = set(
        Notification.objects.filter(kind=programs_notices.ARRIVED).values_list("recipient_id", flat=True)
    )
    assert told == {r.pk for r in reviewers}
    assert mcls_reviewer.pk not in told


def test_staff_who_asked_for_email_of_their_events_get_it(django_capture_on_commit_callbacks):
    wants_mail, does_not = make_staff("DOE", "officer"), make_staff("DOE", "officer")
    Preference.objects.create(user=wants_mail, kind=programs_notices.ARRIVED, email=True, sms=False)
    business = ready_to_submit(legal_name="کارگاه A & B")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        business_transition(business_id=business.pk, actor=business.owner, name="submit")

    staff_mail = [m for m in mail.outbox if m.to != [business.owner.email]]
    assert [m.to for m in staff_mail] == [[wants_mail.email]]
    assert "کارگاه A & B" in staff_mail[0].subject
    assert "/notifications/" in staff_mail[0].body
    assert does_not.email not in {address for m in mail.outbox for address in m.to}


def test_the_staff_fan_out_is_bounded(settings):
    settings.NOTIFICATION_STAFF_FANOUT = 2
    for _ in range(4):
        make_staff("DOE", "officer")
    business = ready_to_submit()

    business_transition(business_id=business.pk, actor=business.owner, name="submit")

    assert Notification.objects.filter(kind=programs_notices.ARRIVED).count() == 2


@pytest.mark.parametrize(
    ("move", "actor", "stage", "told", "not_told"),
    [
        ("submit", "owner", "submitted", ("DOE", "reviewer"), [("MCLS", "reviewer"), ("DOE", "officer")]),
        ("environment_accept", ("DOE", "reviewer"), "credit_review", ("MCLS", "reviewer"),
         [("DOE", "reviewer"), ("MCLS", "manager")]),
        ("credit_accept", ("MCLS", "reviewer"), "decision", ("MCLS", "manager"),
         [("MCLS", "reviewer"), ("DOE", "manager")]),
    ],
)  # fmt: skip
def test_a_loan_moving_into_a_stage_tells_the_staff_who_work_it_only(move, actor, stage, told, not_told):
    from incentives import notices

    previous = {
        "submit": "draft",
        "environment_accept": "environmental_review",
        "credit_accept": "credit_review",
    }
    application = loan_at("draft" if move == "submit" else "submitted")
    if move != "submit":
        applications.application_transition(
            application_id=application.pk,
            actor=make_staff("DOE", "reviewer"),
            name="start_environmental_review",
        )
        if move == "credit_accept":
            applications.application_transition(
                application_id=application.pk, actor=make_staff("DOE", "reviewer"), name="environment_accept"
            )
    application.refresh_from_db()
    assert application.stage == previous[move]
    workers = make_staff(*told)
    bystanders = [make_staff(*who) for who in not_told]
    mover = application.applicant if actor == "owner" else make_staff(*actor)

    applications.application_transition(application_id=application.pk, actor=mover, name=move)

    arrived = Notification.objects.filter(kind=notices.ARRIVED, params__to=stage)
    assert set(arrived.values_list("recipient_id", flat=True)) >= {workers.pk}
    assert not set(arrived.values_list("recipient_id", flat=True)) & {b.pk for b in bystanders}
    assert mover.pk not in set(arrived.values_list("recipient_id", flat=True))


def test_a_loan_decision_lands_in_the_applicants_inbox_as_urgent(
    sms_outbox, django_capture_on_commit_callbacks
):
    from incentives import notices

    application = loan_at("decision")

    with django_capture_on_commit_callbacks(execute=True):
        applications.application_transition(
            application_id=application.pk, actor=make_staff("MCLS", "manager"), name="approve"
        )

    [notification] = Notification.objects.filter(recipient=application.applicant, kind=notices.DECISION)
    assert notification.params["action"] == "approve"
    assert notification.params["reference"] == application.reference
    assert [m["to"] for m in sms_outbox] == [application.applicant.mobile]


@pytest.mark.parametrize("channel_off", ["email", "sms"])
def test_a_person_who_turned_a_channel_off_does_not_get_it_but_still_finds_the_inbox_entry(
    django_capture_on_commit_callbacks, sms_outbox, channel_off
):
    officer, reviewer = make_staff("DOE", "officer"), make_staff("DOE", "reviewer")
    business = registration_in("under_assessment", officer=officer, reviewer=reviewer, checklist_ready=True)
    Preference.objects.create(
        user=business.owner, kind=programs_notices.CHANGES_REQUESTED,
        email=channel_off != "email", sms=channel_off != "sms",
    )  # fmt: skip
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        business_transition(business_id=business.pk, actor=reviewer, name="request_changes", reason="اصلاح")

    assert (
        Notification.objects.filter(recipient=business.owner, kind=programs_notices.CHANGES_REQUESTED).count()
        == 1
    )
    assert len(mail.outbox) == (0 if channel_off == "email" else 1)
    assert len(sms_outbox) == (0 if channel_off == "sms" else 1)


def test_the_email_task_asks_the_preference_each_time_it_runs_and_stays_idempotent():
    from programs.models import RegistrationEvent
    from programs.tasks import send_registration_event_email

    business = registration_in("submitted")
    event = RegistrationEvent.objects.filter(business=business, to_status="submitted").get()
    mail.outbox.clear()
    Preference.objects.create(user=business.owner, kind=programs_notices.UPDATE, email=False, sms=False)

    assert send_registration_event_email.apply(args=[event.pk]).get() == "not wanted"
    Preference.objects.filter(user=business.owner).update(email=True)
    assert send_registration_event_email.apply(args=[event.pk]).get() == "sent"
    assert send_registration_event_email.apply(args=[event.pk]).get() == "duplicate"
    assert len(mail.outbox) == 1


def test_a_loan_email_is_skipped_when_turned_off(django_capture_on_commit_callbacks):
    from incentives import notices

    application = loan_at("decision")
    Preference.objects.create(user=application.applicant, kind=notices.DECISION, email=False, sms=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        applications.application_transition(
            application_id=application.pk, actor=make_staff("MCLS", "manager"), name="approve"
        )

    assert mail.outbox == []


def test_someone_signing_up_with_a_taken_identity_lands_in_the_holders_inbox(
    django_capture_on_commit_callbacks,
):
    from accounts import notices
    from accounts.services import applicant_sign_up

    holder = ApplicantFactory()
    Preference.objects.create(user=holder, kind=notices.SIGN_UP_ATTEMPT, email=False, sms=False)

    with django_capture_on_commit_callbacks(execute=True):
        applicant_sign_up(
            email="someone.else@example.ir", password="Another-Pass-1405", national_id=holder.national_id,
            mobile="09350000000", first_name="x", last_name="y",
        )  # fmt: skip

    assert inbox(holder) == [(notices.SIGN_UP_ATTEMPT, {})]
    # The mail that protects the account goes out whatever the preference says.
    assert [m.to for m in mail.outbox] == [[holder.email]]
