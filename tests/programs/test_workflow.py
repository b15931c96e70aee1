"""The registration lifecycle: every transition from every state, by every role, and what it leaves behind."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.outbox.models import SentMail
from programs import tasks
from programs.models import BusinessDocument, RegistrationEvent, RegistrationStatus
from programs.services import assessments
from programs.services.registrations import business_transition, submission_problems
from programs.workflow import TRANSITIONS, available_actions
from tests.factories import (
    FULL_CHECKLIST,
    ApplicantFactory,
    BusinessFactory,
    ProgrammeManagerFactory,
    fill_checklist,
    make_staff,
    ready_to_submit,
    registration_in,
    registration_state,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]

STATUSES = RegistrationStatus.values
# Every kind of person who might press a button; the first three are the roles TRANSITIONS names.
ROLES = (
    "owner", "doe_officer", "doe_reviewer", "doe_manager", "mcls_reviewer", "tvto_officer", "other_applicant",
    "programme_manager",
)  # fmt: skip
STAFF = {
    "doe_officer": ("DOE", "officer"),
    "doe_reviewer": ("DOE", "reviewer"),
    "doe_manager": ("DOE", "manager"),
    "mcls_reviewer": ("MCLS", "reviewer"),
    "tvto_officer": ("TVTO", "officer"),
}


def user_for(role, business):
    if role == "owner":
        return business.owner
    if role == "other_applicant":
        return ApplicantFactory()
    if role == "programme_manager":
        return ProgrammeManagerFactory()
    return make_staff(*STAFF[role])


def arguments_for(name):
    """What a person would send with the button: a reason where one is needed, a kind for verify."""
    return {
        "reason": "دلیل تصمیم" if TRANSITIONS[name].needs_reason else "",
        "verified_kind": "new_green" if name == "verify" else "",
    }


def events_after(business, count_before):
    return list(RegistrationEvent.objects.filter(business=business).order_by("pk")[count_before:])


# --- the transition table -----------------------------------------------------------------------------------


def test_the_transition_table_is_the_documented_lifecycle():
    table = {name: (tuple(t.sources), t.target, t.who, t.needs_reason) for name, t in TRANSITIONS.items()}

    assert table == {
        "submit": (("draft", "changes_requested"), "submitted", "owner", False),
        "request_renewal": (("verified", "expired"), "submitted", "owner", False),
        "start_assessment": (("submitted",), "under_assessment", "doe_officer", False),
        "verify": (("under_assessment",), "verified", "doe_reviewer", False),
        "request_changes": (("under_assessment",), "changes_requested", "doe_reviewer", True),
        "reject": (("under_assessment",), "rejected", "doe_reviewer", True),
        "expire": (("verified",), "expired", "system", False),
    }


@pytest.mark.parametrize("status", STATUSES)
def test_the_helper_drives_a_registration_to_each_status_through_the_services(status):
    business = registration_in(status)

    assert business.status == status
    assert business.events.count() == {
        "draft": 0, "submitted": 1, "under_assessment": 2, "changes_requested": 3, "rejected": 3,
        "verified": 3, "expired": 4,
    }[status]  # fmt: skip


SOURCE_CASES = [(t.name, source) for t in TRANSITIONS.values() for source in t.sources]


@pytest.mark.parametrize(("name", "status"), SOURCE_CASES)
def test_a_transition_from_each_of_its_sources_moves_and_records_exactly_one_event(name, status):
    # given
    transition = TRANSITIONS[name]
    business = registration_in(status, checklist_ready=True)
    actor = None if transition.who == "system" else user_for(transition.who, business)
    count_before = business.events.count()
    args = arguments_for(name)

    # when
    returned = business_transition(business_id=business.pk, actor=actor, name=name, **args)

    # then
    business.refresh_from_db()
    assert returned.pk == business.pk
    assert business.status == transition.target
    [event] = events_after(business, count_before)
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        status,
        transition.target,
        actor,
        args["reason"],
    )
    assert event.at == business.status_changed_at


WRONG_STATE_CASES = [
    (t.name, status) for t in TRANSITIONS.values() for status in STATUSES if status not in t.sources
]


@pytest.mark.parametrize(("name", "status"), WRONG_STATE_CASES)
def test_a_transition_from_a_state_outside_its_sources_is_refused_and_changes_nothing(name, status):
    transition = TRANSITIONS[name]
    business = registration_in(status, checklist_ready=True)
    actor = None if transition.who == "system" else user_for(transition.who, business)
    before = registration_state(business)

    with pytest.raises(ConflictError) as caught:
        business_transition(business_id=business.pk, actor=actor, name=name, **arguments_for(name))

    assert caught.value.code == "invalid_transition"
    assert caught.value.status_code == 409
    assert registration_state(business) == before


WRONG_ROLE_CASES = [
    (t.name, role) for t in TRANSITIONS.values() if t.who != "system" for role in ROLES if role != t.who
]


@pytest.mark.parametrize(("name", "role"), WRONG_ROLE_CASES)
def test_a_transition_by_the_wrong_role_is_forbidden_and_changes_nothing(name, role):
    transition = TRANSITIONS[name]
    business = registration_in(transition.sources[0], checklist_ready=True)
    actor = user_for(role, business)
    before = registration_state(business)

    with pytest.raises(DomainError) as caught:
        business_transition(business_id=business.pk, actor=actor, name=name, **arguments_for(name))

    assert type(caught.value) is DomainError
    assert (caught.value.code, caught.value.status_code) == ("forbidden", 403)
    assert registration_state(business) == before


@pytest.mark.parametrize("role", ROLES)
def test_expire_is_done_by_the_portal_only_never_by_a_person(role):
    business = registration_in("verified")
    actor = user_for(role, business)
    before = registration_state(business)

    with pytest.raises(DomainError) as caught:
        business_transition(business_id=business.pk, actor=actor, name="expire")

    assert (caught.value.code, caught.value.status_code) == ("system_only", 403)
    assert registration_state(business) == before


def test_an_unknown_action_is_refused():
    business = registration_in("draft")
    before = registration_state(business)

    with pytest.raises(DomainError) as caught:
        business_transition(business_id=business.pk, actor=business.owner, name="approve_everything")

    assert caught.value.code == "unknown_action"
    assert registration_state(business) == before


# --- reasons, the checklist and the kind of verification ----------------------------------------------------


@pytest.mark.parametrize("name", ["request_changes", "reject"])
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_returning_or_rejecting_needs_a_reason(name, reason):
    business = registration_in("under_assessment", checklist_ready=True)
    reviewer = make_staff("DOE", "reviewer")
    before = registration_state(business)

    with pytest.raises(DomainError) as caught:
        business_transition(business_id=business.pk, actor=reviewer, name=name, reason=reason)

    assert (caught.value.code, caught.value.status_code) == ("reason_required", 400)
    assert registration_state(business) == before


@pytest.mark.parametrize("name", ["request_changes", "reject"])
def test_the_reason_is_recorded_trimmed_and_the_open_assessment_is_decided(name):
    business = registration_in("under_assessment", checklist_ready=True)
    reviewer = make_staff("DOE", "reviewer")
    count_before = business.events.count()

    business_transition(business_id=business.pk, actor=reviewer, name=name, reason="  پروانه منقضی شده است  ")

    [event] = events_after(business, count_before)
    assert event.reason == "پروانه منقضی شده است"
    assessment = business.assessments.get()
    target = TRANSITIONS[name].target
    assert (assessment.status, assessment.decision, assessment.decided_by) == ("decided", target, reviewer)
    assert assessment.decided_at == event.at


def test_verify_needs_the_checklist_handed_over_as_ready():
    business = registration_in("under_assessment")
    fill_checklist(business, business.assigned_officer, ready=False)
    reviewer = make_staff("DOE", "reviewer")
    before = registration_state(business)

    with pytest.raises(DomainError) as caught:
        business_transition(business_id=business.pk, actor=reviewer, name="verify", verified_kind="new_green")

    assert caught.value.code == "assessment_not_ready"
    assert registration_state(business) == before


def test_verify_is_refused_while_a_requirement_is_not_met():
    business = registration_in("under_assessment")
    officer = business.assigned_officer
    assessment = fill_checklist(business, officer, items=FULL_CHECKLIST[1:], ready=False)
    assessments.assessment_item_save(
        assessment_id=assessment.pk,
        actor=officer,
        category="energy",
        description="کنتور برق",
        baseline=Decimal("1200"),
        current=Decimal("1300"),
        compliant=False,
        note="مصرف برق بیشتر شده است",
    )
    assessments.assessment_mark_ready(
        assessment_id=assessment.pk, actor=officer, summary="یک الزام رعایت نشده"
    )
    reviewer = make_staff("DOE", "reviewer")
    before = registration_state(business)

    with pytest.raises(DomainError) as caught:
        business_transition(business_id=business.pk, actor=reviewer, name="verify", verified_kind="new_green")

    assert caught.value.code == "non_compliant"
    assert registration_state(business) == before


@pytest.mark.parametrize("kind", ["", "green"])
def test_verify_needs_the_kind_of_green_business(kind):
    business = registration_in("under_assessment", checklist_ready=True)
    reviewer = make_staff("DOE", "reviewer")
    before = registration_state(business)

    with pytest.raises(DomainError) as caught:
        business_transition(business_id=business.pk, actor=reviewer, name="verify", verified_kind=kind)

    assert caught.value.code == "kind_required"
    assert registration_state(business) == before


@pytest.mark.parametrize("kind", ["new_green", "greened_existing"])
def test_verify_records_the_kind_the_date_and_the_expiry(kind, settings, time_machine):
    time_machine.move_to(datetime.datetime(2025, 5, 10, 9, 30, tzinfo=datetime.UTC), tick=False)
    settings.REGISTRATION_VALIDITY_DAYS = 730
    business = registration_in("under_assessment", checklist_ready=True)
    reviewer = make_staff("DOE", "reviewer")

    business_transition(business_id=business.pk, actor=reviewer, name="verify", verified_kind=kind)

    business.refresh_from_db()
    assert business.verified_kind == kind
    assert business.verified_at == datetime.datetime(2025, 5, 10, 9, 30, tzinfo=datetime.UTC)
    assert business.expires_on == datetime.date(2027, 5, 10)
    assessment = business.assessments.get()
    assert (assessment.status, assessment.decision, assessment.decided_by) == (
        "decided",
        "verified",
        reviewer,
    )


def test_start_assessment_opens_a_checklist_assigned_to_the_officer():
    business = registration_in("submitted")
    officer = make_staff("DOE", "officer")

    business_transition(business_id=business.pk, actor=officer, name="start_assessment")

    business.refresh_from_db()
    assessment = business.assessments.get()
    assert business.assigned_officer == officer
    assert (assessment.officer, assessment.status, assessment.items.count()) == (officer, "in_progress", 0)


# --- submission ---------------------------------------------------------------------------------------------


SUBMISSION_PROBLEMS = [
    ({"legal_name": ""}, "Enter the legal name."),
    ({"national_business_id": ""}, "Enter the national business ID."),
    ({"legal_form": ""}, "Enter the legal form."),
    ({"sector": ""}, "Enter the sector."),
    ({"county": None}, "Enter the county."),
    ({"address": ""}, "Enter the address."),
    ({"employees_total": 0}, "Employees in total (0) cannot be fewer than the employees in green jobs (1)."),
    (
        {"is_knowledge_based": True, "knowledge_based_number": ""},
        "A knowledge-based company needs its certificate number and the date of its status.",
    ),
    (
        {"is_knowledge_based": True, "knowledge_based_number": "KB-1404-77"},
        "A knowledge-based company needs its certificate number and the date of its status.",
    ),
]


@pytest.mark.parametrize(("fields", "message"), SUBMISSION_PROBLEMS)
def test_submission_is_blocked_by_each_problem_with_its_message(fields, message):
    business = ready_to_submit(**fields)
    before = registration_state(business)

    with translation.override("en"), pytest.raises(DomainError) as caught:
        business_transition(business_id=business.pk, actor=business.owner, name="submit")

    assert (caught.value.code, caught.value.status_code) == ("incomplete", 400)
    assert caught.value.message == message
    assert registration_state(business) == before


def test_submission_needs_a_green_job():
    business = ready_to_submit()
    business.green_jobs.all().delete()
    before = registration_state(business)

    with translation.override("en"), pytest.raises(DomainError) as caught:
        business_transition(business_id=business.pk, actor=business.owner, name="submit")

    assert caught.value.message == "List at least one employee in a green job, with their occupation."
    assert registration_state(business) == before


def test_submission_needs_the_business_licence():
    business = ready_to_submit()
    BusinessDocument.objects.filter(business=business).update(kind="permit")
    before = registration_state(business)

    with translation.override("en"), pytest.raises(DomainError) as caught:
        business_transition(business_id=business.pk, actor=business.owner, name="submit")

    assert caught.value.message == "Upload the business licence."
    assert registration_state(business) == before


def test_every_problem_is_listed_together_in_order():
    business = BusinessFactory(legal_form="", address="", county=None)

    with translation.override("en"):
        problems = submission_problems(business)

    assert problems == [
        "Enter the legal form.",
        "Enter the county.",
        "Enter the address.",
        "List at least one employee in a green job, with their occupation.",
        "Upload the business licence.",
    ]


def test_a_complete_knowledge_based_company_can_submit():
    business = ready_to_submit(
        is_knowledge_based=True,
        knowledge_based_number="KB-1404-77",
        knowledge_based_as_of=datetime.date(2025, 1, 5),
    )

    assert submission_problems(business) == []
    business_transition(business_id=business.pk, actor=business.owner, name="submit")
    business.refresh_from_db()
    assert business.status == "submitted"


def test_submitting_records_the_first_submission_time_only(time_machine):
    time_machine.move_to(datetime.datetime(2025, 1, 1, 8, 0, tzinfo=datetime.UTC), tick=False)
    business = registration_in("changes_requested")
    time_machine.move_to(datetime.datetime(2025, 1, 20, 8, 0, tzinfo=datetime.UTC), tick=False)

    business_transition(business_id=business.pk, actor=business.owner, name="submit")

    business.refresh_from_db()
    assert business.submitted_at == datetime.datetime(2025, 1, 1, 8, 0, tzinfo=datetime.UTC)
    assert business.status_changed_at == datetime.datetime(2025, 1, 20, 8, 0, tzinfo=datetime.UTC)


# --- stale screens ------------------------------------------------------------------------------------------


def test_a_stale_expected_status_is_refused_and_changes_nothing():
    business = registration_in("submitted")
    officer = make_staff("DOE", "officer")
    before = registration_state(business)

    with pytest.raises(ConflictError) as caught:
        business_transition(
            business_id=business.pk, actor=officer, name="start_assessment", expected_status="draft"
        )

    assert (caught.value.code, caught.value.status_code) == ("stale", 409)
    assert registration_state(business) == before


def test_two_reviewers_deciding_at_once_the_second_is_told():
    business = registration_in("under_assessment", checklist_ready=True)
    first, second = make_staff("DOE", "reviewer"), make_staff("DOE", "reviewer")
    business_transition(
        business_id=business.pk,
        actor=first,
        name="verify",
        verified_kind="new_green",
        expected_status="under_assessment",
    )
    before = registration_state(business)

    with pytest.raises(ConflictError) as caught:
        business_transition(
            business_id=business.pk,
            actor=second,
            name="reject",
            reason="x",
            expected_status="under_assessment",
        )

    assert caught.value.code == "stale"
    assert registration_state(business) == before
    assert before["status"] == "verified"


def test_a_matching_expected_status_is_accepted():
    business = registration_in("submitted")
    officer = make_staff("DOE", "officer")

    business_transition(
        business_id=business.pk, actor=officer, name="start_assessment", expected_status="submitted"
    )

    business.refresh_from_db()
    assert business.status == "under_assessment"


# --- going round again: changes, renewal --------------------------------------------------------------------


def test_resubmission_after_changes_requested_starts_a_new_assessment_later(time_machine):
    time_machine.move_to(datetime.datetime(2025, 2, 1, 8, 0, tzinfo=datetime.UTC), tick=False)
    business = registration_in("changes_requested")
    [first] = business.assessments.all()
    time_machine.move_to(datetime.datetime(2025, 2, 15, 8, 0, tzinfo=datetime.UTC), tick=False)
    second_officer = make_staff("DOE", "officer")

    business_transition(business_id=business.pk, actor=business.owner, name="submit")
    business_transition(business_id=business.pk, actor=second_officer, name="start_assessment")

    business.refresh_from_db()
    first.refresh_from_db()
    second = business.assessments.exclude(pk=first.pk).get()
    assert (first.status, first.decision) == ("decided", "changes_requested")
    assert (second.status, second.officer, second.items.count()) == ("in_progress", second_officer, 0)
    assert second.started_at == datetime.datetime(2025, 2, 15, 8, 0, tzinfo=datetime.UTC)
    assert second.started_at > first.started_at
    assert business.assigned_officer == second_officer
    assert list(business.events.values_list("from_status", "to_status")) == [
        ("draft", "submitted"), ("submitted", "under_assessment"), ("under_assessment", "changes_requested"),
        ("changes_requested", "submitted"), ("submitted", "under_assessment"),
    ]  # fmt: skip


@pytest.mark.parametrize("status", ["verified", "expired"])
def test_renewal_goes_through_a_new_assessment_to_a_new_verification(status, settings, time_machine):
    settings.REGISTRATION_VALIDITY_DAYS = 30
    time_machine.move_to(datetime.datetime(2025, 3, 1, 8, 0, tzinfo=datetime.UTC), tick=False)
    business = registration_in(status, verified_kind="new_green")
    time_machine.move_to(datetime.datetime(2025, 4, 10, 8, 0, tzinfo=datetime.UTC), tick=False)
    officer, reviewer = make_staff("DOE", "officer"), make_staff("DOE", "reviewer")

    business_transition(business_id=business.pk, actor=business.owner, name="request_renewal")
    business_transition(business_id=business.pk, actor=officer, name="start_assessment")
    fill_checklist(business, officer)
    business_transition(
        business_id=business.pk, actor=reviewer, name="verify", verified_kind="greened_existing"
    )

    business.refresh_from_db()
    assert business.status == "verified"
    assert business.verified_kind == "greened_existing"
    assert business.expires_on == datetime.date(2025, 5, 10)
    assert sorted(business.assessments.values_list("decision", "started_at")) == [
        ("verified", datetime.datetime(2025, 3, 1, 8, 0, tzinfo=datetime.UTC)),
        ("verified", datetime.datetime(2025, 4, 10, 8, 0, tzinfo=datetime.UTC)),
    ]
    renewal = business.events.get(to_status="submitted", from_status=status)
    assert renewal.actor == business.owner


# --- the buttons each person sees ---------------------------------------------------------------------------

EXPECTED_ACTIONS = {
    "draft": {"owner": ["submit"]},
    "submitted": {"doe_officer": ["start_assessment"]},
    "under_assessment": {"doe_reviewer": ["verify", "request_changes", "reject"]},
    "changes_requested": {"owner": ["submit"]},
    "verified": {"owner": ["request_renewal"]},
    "rejected": {},
    "expired": {"owner": ["request_renewal"]},
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
def test_available_actions_per_role_and_status(status, role):
    business = registration_in(status)
    user = user_for(role, business)

    names = [t.name for t in available_actions(business, user)]

    assert names == EXPECTED_ACTIONS[status].get(role, [])


def test_available_actions_for_an_anonymous_visitor_is_empty():
    from django.contrib.auth.models import AnonymousUser

    business = registration_in("draft")

    assert available_actions(business, AnonymousUser()) == []


# --- notification e-mail ------------------------------------------------------------------------------------


def test_a_transition_mails_the_owner_once_after_commit_in_english(django_capture_on_commit_callbacks):
    business = ready_to_submit(legal_name="شرکت سبز کویر")
    business.owner.language = "en"
    business.owner.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        business_transition(business_id=business.pk, actor=business.owner, name="submit")

    # one mail (the other callback asks the dashboards to refresh their figures)
    assert len([c for c in callbacks if c.__qualname__.startswith("enqueue.")]) == 1
    [message] = mail.outbox
    assert message.to == [business.owner.email]
    assert message.subject == "Green Jobs Qom: “شرکت سبز کویر” is now Submitted"
    assert "moved from “Draft” to “Submitted”." in message.body
    assert f"/businesses/{business.pk}/" in message.body


def test_a_decision_mail_carries_the_reason(django_capture_on_commit_callbacks):
    business = registration_in("under_assessment", checklist_ready=True, legal_name="شرکت سبز کویر")
    business.owner.language = "en"
    business.owner.save(update_fields=["language"])
    reviewer = make_staff("DOE", "reviewer")

    with django_capture_on_commit_callbacks(execute=True):
        business_transition(
            business_id=business.pk, actor=reviewer, name="reject", reason="پساب تصفیه نمی‌شود"
        )

    [message] = mail.outbox
    assert message.to == [business.owner.email]
    assert message.subject == "Green Jobs Qom: “شرکت سبز کویر” is now Rejected"
    assert "Reason given: پساب تصفیه نمی‌شود" in message.body


def test_a_persian_owner_is_mailed_in_persian(django_capture_on_commit_callbacks):
    business = ready_to_submit(legal_name="شرکت سبز کویر")
    business.owner.language = "fa"
    business.owner.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        business_transition(business_id=business.pk, actor=business.owner, name="submit")

    [message] = mail.outbox
    assert message.to == [business.owner.email]
    assert "شرکت سبز کویر" in message.subject
    assert re.search("[A-Za-z]", message.subject) is None, message.subject


def test_no_mail_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    business = ready_to_submit()
    before = registration_state(business)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        business_transition(business_id=business.pk, actor=business.owner, name="submit")
        raise RuntimeError("something later in the same request failed")

    assert callbacks == []
    assert mail.outbox == []
    assert registration_state(business) == before


def test_a_refused_transition_mails_nobody(django_capture_on_commit_callbacks):
    business = registration_in("draft")
    officer = make_staff("DOE", "officer")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(DomainError):
        business_transition(business_id=business.pk, actor=officer, name="start_assessment")

    assert callbacks == []
    assert mail.outbox == []


def test_the_mail_task_run_twice_for_one_event_sends_once():
    business = ready_to_submit()
    business_transition(business_id=business.pk, actor=business.owner, name="submit")
    event = business.events.get(to_status="submitted")

    first = tasks.send_registration_event_email(event.pk)
    second = tasks.send_registration_event_email(event.pk)

    assert (first, second) == ("sent", "duplicate")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [business.owner.email]


def test_emptying_redis_between_two_deliveries_of_the_mail_task_does_not_send_twice():
    business = ready_to_submit()
    business_transition(business_id=business.pk, actor=business.owner, name="submit")
    event = business.events.get(to_status="submitted")

    first = tasks.send_registration_event_email(event.pk)
    cache.clear()
    second = tasks.send_registration_event_email(event.pk)

    assert (first, second) == ("sent", "duplicate")
    assert len(mail.outbox) == 1
    assert list(SentMail.objects.values_list("key", flat=True)) == [f"programs:event-mail:{event.pk}"]


def test_the_mail_task_for_two_events_sends_two():
    business = registration_in("submitted")
    business_transition(business_id=business.pk, actor=make_staff("DOE", "officer"), name="start_assessment")

    results = [tasks.send_registration_event_email(event.pk) for event in business.events.order_by("pk")]

    assert results == ["sent", "sent"]
    assert len(mail.outbox) == 2


def test_the_mail_task_for_a_vanished_event_sends_nothing():
    assert tasks.send_registration_event_email(2_000_000_000) == "gone"
    assert mail.outbox == []


def test_no_mail_to_an_owner_without_an_address(django_capture_on_commit_callbacks):
    business = ready_to_submit()
    business.owner.email = ""
    business.owner.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        business_transition(business_id=business.pk, actor=business.owner, name="submit")

    assert mail.outbox == []
