"""The loan application's stages: every move from every stage, by every kind of person, and what it leaves."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import Agency, StaffMembership
from greenjobs.exceptions import ConflictError, DomainError
from greenjobs.outbox.models import SentMail
from incentives import tasks
from incentives.models import ApplicationEvent, LoanApplication, LoanScheme, Stage
from incentives.services.applications import application_transition
from incentives.workflow import MOVES, RESUME_STAGE
from tests.factories import (
    ApplicantFactory,
    LoanSchemeFactory,
    ProgrammeManagerFactory,
    loan_at,
    loan_draft,
    make_staff,
    verified_business,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media", "empty_cache")]

BILLION = 1_000_000_000
STAGES = Stage.values
# The moves a person makes through application_transition (disbursements and the system have their own doors).
PERSON_MOVES = [name for name, move in MOVES.items() if move.who != "system" and name != "disburse"]
ACTORS = (
    "owner",
    "other_applicant",
    "programme_manager",
    "doe_officer",
    "doe_reviewer",
    "doe_manager",
    "mcls_officer",
    "mcls_reviewer",
    "mcls_manager",
    "tvto_officer",
)
STAFF = {
    "doe_officer": ("DOE", "officer"),
    "doe_reviewer": ("DOE", "reviewer"),
    "doe_manager": ("DOE", "manager"),
    "mcls_officer": ("MCLS", "officer"),
    "mcls_reviewer": ("MCLS", "reviewer"),
    "mcls_manager": ("MCLS", "manager"),
    "tvto_officer": ("TVTO", "officer"),
}
AFTER_APPROVAL = ("approved", "contracted", "disbursed", "repaying", "in_arrears", "settled")


def allowed(move, who) -> bool:
    if move.who == "owner":
        return who == "owner"
    return who in STAFF and STAFF[who][0] == move.who and STAFF[who][1] in move.roles


def user_for(who, application):
    if who == "owner":
        return application.applicant
    if who == "other_applicant":
        return ApplicantFactory()
    if who == "programme_manager":
        return ProgrammeManagerFactory()
    return make_staff(*STAFF[who])


def rightful_actor(move, application):
    if move.who == "owner":
        return application.applicant
    return make_staff(move.who, move.roles[0])


def arguments_for(name):
    """What a person sends with the button: a reason where one is needed, the contract's details."""
    extra = {"reason": "دلیل تصمیم" if MOVES[name].needs_reason else ""}
    if name == "contract":
        extra.update(contract_number="QOM-1404-0042", contracted_on=timezone.localdate())
    return extra


def application_in(stage):
    """An application put straight into `stage`: enough for the guards, which only read the stage."""
    business = verified_business()
    decided = stage in AFTER_APPROVAL
    scheme = LoanSchemeFactory(committed=BILLION if decided else 0)
    return LoanApplication.objects.create(
        applicant=business.owner,
        business=business,
        scheme=scheme,
        amount=BILLION,
        purpose="خرید پنل خورشیدی",
        stage=stage,
        approved_amount=BILLION if decided else 0,
    )


def returned_application(by="environment_return"):
    """A real application returned for correction by the stage that `by` belongs to."""
    stage = {
        "environment_return": "environmental_review",
        "credit_return": "credit_review",
        "decision_return": "decision",
    }[by]
    application = loan_at(stage)
    application_transition(
        application_id=application.pk,
        actor=rightful_actor(MOVES[by], application),
        name=by,
        reason="مدارک ناقص",
    )
    application.refresh_from_db()
    assert application.stage == "returned"
    return application


def real_application_at(stage):
    return returned_application() if stage == "returned" else loan_at(stage)


def state(application) -> dict:
    """Everything a refused move must leave as it was, read fresh from the database."""
    fresh = LoanApplication.objects.get(pk=application.pk)
    scheme = LoanScheme.objects.get(pk=fresh.scheme_id)
    return {
        "stage": fresh.stage,
        "stage_changed_at": fresh.stage_changed_at,
        "returned_from": fresh.returned_from,
        "submitted_at": fresh.submitted_at,
        "priority_score": fresh.priority_score,
        "score_breakdown": fresh.score_breakdown,
        "approved_amount": fresh.approved_amount,
        "contract_number": fresh.contract_number,
        "contracted_on": fresh.contracted_on,
        "updated_at": fresh.updated_at,
        "events": list(fresh.events.values_list("pk", flat=True)),
        "committed": scheme.committed,
        "disbursed": scheme.disbursed,
    }


def new_events(application, before):
    return list(
        ApplicationEvent.objects.filter(application_id=application.pk).exclude(pk__in=before["events"])
    )


def fresh_user(user):
    """The same person read again, without the membership cached on the old object."""
    return get_user_model().objects.get(pk=user.pk)


# --- the table ----------------------------------------------------------------------------------------------


def test_the_move_table_is_the_documented_lifecycle():
    table = {
        name: (tuple(m.sources), m.target, m.who, tuple(m.roles), m.needs_reason, m.decides)
        for name, m in MOVES.items()
    }
    open_stages = ("draft", "submitted", "environmental_review", "credit_review", "decision", "returned")

    assert table == {
        "submit": (("draft",), "submitted", "owner", (), False, False),
        "resubmit": (("returned",), "submitted", "owner", (), False, False),
        "withdraw": (open_stages, "withdrawn", "owner", (), False, False),
        "start_environmental_review": (
            ("submitted",),
            "environmental_review",
            "DOE",
            ("reviewer",),
            False,
            False,
        ),
        "environment_accept": (("environmental_review",), "credit_review", "DOE", ("reviewer",), False, True),
        "environment_reject": (("environmental_review",), "rejected", "DOE", ("reviewer",), True, True),
        "environment_return": (("environmental_review",), "returned", "DOE", ("reviewer",), True, False),
        "credit_accept": (("credit_review",), "decision", "MCLS", ("reviewer",), False, True),
        "credit_reject": (("credit_review",), "rejected", "MCLS", ("reviewer",), True, True),
        "credit_return": (("credit_review",), "returned", "MCLS", ("reviewer",), True, False),
        "approve": (("decision",), "approved", "MCLS", ("manager",), False, True),
        "reject": (("decision",), "rejected", "MCLS", ("manager",), True, True),
        "decision_return": (("decision",), "returned", "MCLS", ("manager",), True, False),
        "contract": (("approved",), "contracted", "MCLS", ("officer", "manager"), False, False),
        "disburse": (("contracted", "disbursed"), "disbursed", "MCLS", ("officer", "manager"), False, False),
        "start_repayment": (("disbursed",), "repaying", "system", (), False, False),
        "fall_into_arrears": (("repaying",), "in_arrears", "system", (), False, False),
        "catch_up": (("in_arrears",), "repaying", "system", (), False, False),
        "settle": (("repaying", "in_arrears"), "settled", "system", (), False, False),
        "change_rate": (("repaying", "in_arrears"), "repaying", "system", (), False, False),
        "recall": (("repaying", "in_arrears"), "repaying", "system", (), False, False),
    }
    assert RESUME_STAGE == {
        "environment_return": "environmental_review",
        "credit_return": "credit_review",
        "decision_return": "decision",
    }


# --- each move from its source stages only ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stage"),
    [(name, stage) for name in PERSON_MOVES for stage in STAGES if stage not in MOVES[name].sources],
)
def test_a_move_from_a_stage_it_does_not_leave_is_refused_and_changes_nothing(name, stage):
    application = application_in(stage)
    actor = rightful_actor(MOVES[name], application)
    before = state(application)

    with pytest.raises(ConflictError) as caught:
        application_transition(application_id=application.pk, actor=actor, name=name, **arguments_for(name))

    assert (caught.value.code, caught.value.status_code) == ("invalid_transition", 409)
    assert state(application) == before


def test_the_invalid_transition_message_names_the_action_and_the_stage():
    application = application_in("credit_review")

    with translation.override("en"), pytest.raises(ConflictError) as caught:
        application_transition(
            application_id=application.pk, actor=make_staff("MCLS", "manager"), name="approve"
        )

    assert caught.value.message == (
        "“Approve” is not possible while the application is “Credit and eligibility review (MCLS)”."
    )


@pytest.mark.parametrize(
    ("name", "stage", "role"),
    [
        (name, stage, role)
        for name in PERSON_MOVES
        for stage in MOVES[name].sources
        for role in (MOVES[name].roles or ("owner",))
    ],
)
def test_a_move_from_each_of_its_source_stages_succeeds_and_writes_one_event(name, stage, role):
    application = real_application_at(stage)
    move = MOVES[name]
    actor = application.applicant if role == "owner" else make_staff(move.who, role)
    before = state(application)
    arguments = arguments_for(name)

    application_transition(application_id=application.pk, actor=actor, name=name, **arguments)

    expected_target = "environmental_review" if name == "resubmit" else move.target
    after = state(application)
    assert after["stage"] == expected_target
    [event] = new_events(application, before)
    assert (event.action, event.from_stage, event.to_stage, event.actor_id, event.reason) == (
        name,
        stage,
        expected_target,
        actor.pk,
        arguments["reason"],
    )
    assert after["stage_changed_at"] == event.at
    assert after["committed"] == before["committed"] + (BILLION if name == "approve" else 0)
    assert after["disbursed"] == before["disbursed"] == 0


def test_the_reason_is_stored_without_surrounding_blanks():
    application = loan_at("environmental_review")
    reviewer = make_staff("DOE", "reviewer")

    application_transition(
        application_id=application.pk,
        actor=reviewer,
        name="environment_reject",
        reason="  آلودگی بیش از حد  \n",
    )

    assert application.events.latest("pk").reason == "آلودگی بیش از حد"


def test_an_unknown_move_or_one_with_its_own_door_is_refused():
    application = application_in("contracted")
    manager = make_staff("MCLS", "manager")
    before = state(application)

    for name in ("disburse", "start_repayment", "settle", "fall_into_arrears", "catch_up", "teleport"):
        with pytest.raises(DomainError) as caught:
            application_transition(application_id=application.pk, actor=manager, name=name)
        assert caught.value.code == "unknown_action"

    assert state(application) == before


def test_a_stale_expected_stage_is_refused_and_changes_nothing():
    application = loan_at("decision")
    before = state(application)

    with translation.override("en"), pytest.raises(ConflictError) as caught:
        application_transition(
            application_id=application.pk,
            actor=make_staff("MCLS", "manager"),
            name="approve",
            expected_stage="credit_review",
        )

    assert (caught.value.code, caught.value.status_code) == ("stale", 409)
    assert caught.value.message == (
        "Someone else acted on this application a moment ago; it is now “Awaiting decision (MCLS)”."
        " Reload and check."
    )
    assert state(application) == before


# --- who may make each move ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "who"), [(name, who) for name in PERSON_MOVES for who in ACTORS if not allowed(MOVES[name], who)]
)
def test_a_move_by_the_wrong_person_is_forbidden_and_changes_nothing(name, who):
    application = application_in(MOVES[name].sources[0])
    actor = user_for(who, application)
    before = state(application)

    with translation.override("en"), pytest.raises(DomainError) as caught:
        application_transition(application_id=application.pk, actor=actor, name=name, **arguments_for(name))

    assert type(caught.value) is DomainError
    assert (caught.value.code, caught.value.status_code, caught.value.message) == (
        "forbidden",
        403,
        "You may not do this.",
    )
    assert state(application) == before


def test_staff_whose_membership_is_inactive_may_not_act():
    application = loan_at("decision")
    manager = make_staff("MCLS", "manager")
    StaffMembership.objects.filter(user=manager).update(is_active=False)
    before = state(application)

    with pytest.raises(DomainError) as caught:
        application_transition(application_id=application.pk, actor=fresh_user(manager), name="approve")

    assert (caught.value.code, caught.value.status_code) == ("forbidden", 403)
    assert state(application) == before


# --- reasons ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   \n\t "])
@pytest.mark.parametrize("name", [name for name in PERSON_MOVES if MOVES[name].needs_reason])
def test_a_move_that_needs_a_reason_is_refused_without_one(name, reason):
    application = application_in(MOVES[name].sources[0])
    actor = rightful_actor(MOVES[name], application)
    before = state(application)

    with translation.override("en"), pytest.raises(DomainError) as caught:
        application_transition(application_id=application.pk, actor=actor, name=name, reason=reason)

    assert (caught.value.code, caught.value.message) == (
        "reason_required",
        "Write the reason; the applicant will read it.",
    )
    assert state(application) == before


def test_a_contract_needs_its_number_and_date():
    application = loan_at("approved")
    officer = make_staff("MCLS", "officer")
    before = state(application)

    for arguments in (
        {},
        {"contract_number": "  ", "contracted_on": datetime.date(2025, 5, 1)},
        {"contract_number": "QOM-1"},
    ):
        with pytest.raises(DomainError) as caught:
            application_transition(application_id=application.pk, actor=officer, name="contract", **arguments)
        assert caught.value.code == "contract_required"

    assert state(application) == before


def test_a_contract_records_its_number_and_dates(time_machine):
    # reviewed and approved on the day the contract is signed
    time_machine.move_to(datetime.datetime(2025, 5, 1, 8, 30, tzinfo=datetime.UTC))
    application = loan_at("approved")

    application_transition(
        application_id=application.pk,
        actor=make_staff("MCLS", "officer"),
        name="contract",
        contract_number="  QOM-1404-0042 ",
        contracted_on=datetime.date(2025, 5, 1),
        operation_starts_on=datetime.date(2025, 7, 1),
    )

    application.refresh_from_db()
    assert (
        application.stage,
        application.contract_number,
        application.contracted_on,
        application.operation_starts_on,
    ) == (
        "contracted",
        "QOM-1404-0042",
        datetime.date(2025, 5, 1),
        datetime.date(2025, 7, 1),
    )


# --- separation of duties -----------------------------------------------------------------------------------


def test_the_credit_reviewer_later_made_manager_may_not_approve_the_same_application():
    application = loan_at("credit_review")
    reviewer = make_staff("MCLS", "reviewer")
    application_transition(application_id=application.pk, actor=reviewer, name="credit_accept")
    StaffMembership.objects.filter(user=reviewer).update(role="manager")
    promoted = fresh_user(reviewer)
    before = state(application)

    with translation.override("en"), pytest.raises(DomainError) as caught:
        application_transition(application_id=application.pk, actor=promoted, name="approve")

    assert (caught.value.code, caught.value.status_code, caught.value.message) == (
        "separation_of_duties",
        403,
        "You decided an earlier stage of this application; a colleague must decide this one.",
    )
    assert before["stage"] == "decision"
    assert state(application) == before

    # a colleague who decided nothing here may
    colleague = make_staff("MCLS", "manager")
    application_transition(application_id=application.pk, actor=colleague, name="approve")
    assert state(application)["stage"] == "approved"


def test_the_promoted_reviewer_may_not_reject_either():
    application = loan_at("credit_review")
    reviewer = make_staff("MCLS", "reviewer")
    application_transition(application_id=application.pk, actor=reviewer, name="credit_accept")
    StaffMembership.objects.filter(user=reviewer).update(role="manager")
    before = state(application)

    with pytest.raises(DomainError) as caught:
        application_transition(
            application_id=application.pk, actor=fresh_user(reviewer), name="reject", reason="خیر"
        )

    assert caught.value.code == "separation_of_duties"
    assert state(application) == before


def test_the_doe_reviewer_moved_to_mcls_may_not_decide_the_credit_stage():
    application = loan_at("environmental_review")
    reviewer = make_staff("DOE", "reviewer")
    application_transition(application_id=application.pk, actor=reviewer, name="environment_accept")
    StaffMembership.objects.filter(user=reviewer).update(agency=Agency.objects.get(code="MCLS"))
    before = state(application)

    with pytest.raises(DomainError) as caught:
        application_transition(
            application_id=application.pk, actor=fresh_user(reviewer), name="credit_accept"
        )

    assert (caught.value.code, caught.value.status_code) == ("separation_of_duties", 403)
    assert state(application) == before


def test_the_same_person_may_decide_the_same_stage_again_after_a_return():
    application = loan_at("decision")
    manager = make_staff("MCLS", "manager")
    application_transition(
        application_id=application.pk, actor=manager, name="decision_return", reason="مدارک"
    )
    application_transition(application_id=application.pk, actor=application.applicant, name="resubmit")

    application_transition(application_id=application.pk, actor=manager, name="approve")

    assert state(application)["stage"] == "approved"


# --- returned for correction --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stage"),
    [
        ("environment_return", "environmental_review"),
        ("credit_return", "credit_review"),
        ("decision_return", "decision"),
    ],
)
def test_a_returned_application_resumes_at_the_stage_that_returned_it(name, stage):
    application = loan_at(stage)
    actor = rightful_actor(MOVES[name], application)
    submitted_at = LoanApplication.objects.get(pk=application.pk).submitted_at

    application_transition(
        application_id=application.pk, actor=actor, name=name, reason="پیش‌فاکتور را اصلاح کنید"
    )

    returned = LoanApplication.objects.get(pk=application.pk)
    assert (returned.stage, returned.returned_from) == ("returned", stage)
    before = state(application)

    application_transition(application_id=application.pk, actor=application.applicant, name="resubmit")

    resumed = LoanApplication.objects.get(pk=application.pk)
    assert (resumed.stage, resumed.returned_from, resumed.submitted_at) == (stage, "", submitted_at)
    [event] = new_events(application, before)
    assert (event.action, event.from_stage, event.to_stage, event.actor_id, event.reason) == (
        "resubmit",
        "returned",
        stage,
        application.applicant.pk,
        "",
    )


def test_a_returned_application_can_be_edited_and_a_reviewed_one_cannot():
    assert returned_application().can_be_edited is True
    assert loan_at("environmental_review").can_be_edited is False


# --- withdrawal ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stage", ["draft", "submitted", "environmental_review", "credit_review", "decision", "returned"]
)
def test_the_applicant_may_withdraw_until_the_decision(stage):
    application = real_application_at(stage)
    before = state(application)

    application_transition(application_id=application.pk, actor=application.applicant, name="withdraw")

    [event] = new_events(application, before)
    assert (event.from_stage, event.to_stage, event.actor_id) == (
        stage,
        "withdrawn",
        application.applicant.pk,
    )
    assert state(application)["stage"] == "withdrawn"


def test_the_applicant_may_not_withdraw_an_approved_loan():
    application = loan_at("approved")
    before = state(application)
    assert before["committed"] == BILLION

    with pytest.raises(ConflictError) as caught:
        application_transition(application_id=application.pk, actor=application.applicant, name="withdraw")

    assert caught.value.code == "invalid_transition"
    assert state(application) == before


@pytest.mark.parametrize(
    "stage",
    ["approved", "rejected", "withdrawn", "contracted", "disbursed", "repaying", "in_arrears", "settled"],
)
def test_withdrawal_is_refused_after_the_decision(stage):
    application = application_in(stage)
    before = state(application)

    with pytest.raises(ConflictError) as caught:
        application_transition(application_id=application.pk, actor=application.applicant, name="withdraw")

    assert caught.value.code == "invalid_transition"
    assert state(application) == before


# --- the whole path -----------------------------------------------------------------------------------------


def test_the_path_to_approval_records_who_when_from_to_and_commits_the_budget():
    application = loan_draft()
    people = {
        "owner": application.applicant,
        "doe": make_staff("DOE", "reviewer"),
        "mcls_reviewer": make_staff("MCLS", "reviewer"),
        "mcls_manager": make_staff("MCLS", "manager"),
    }
    steps = [
        ("submit", "owner"),
        ("start_environmental_review", "doe"),
        ("environment_accept", "doe"),
        ("credit_accept", "mcls_reviewer"),
        ("approve", "mcls_manager"),
    ]

    for name, who in steps:
        application_transition(application_id=application.pk, actor=people[who], name=name)

    rows = list(application.events.order_by("pk").values_list("action", "from_stage", "to_stage", "actor"))
    assert rows == [
        ("create", "", "draft", people["owner"].pk),
        ("submit", "draft", "submitted", people["owner"].pk),
        ("start_environmental_review", "submitted", "environmental_review", people["doe"].pk),
        ("environment_accept", "environmental_review", "credit_review", people["doe"].pk),
        ("credit_accept", "credit_review", "decision", people["mcls_reviewer"].pk),
        ("approve", "decision", "approved", people["mcls_manager"].pk),
    ]
    application.refresh_from_db()
    assert (application.stage, application.approved_amount) == ("approved", BILLION)
    assert LoanScheme.objects.get(pk=application.scheme_id).committed == BILLION


def test_a_rejection_commits_nothing():
    application = loan_at("decision")

    application_transition(
        application_id=application.pk,
        actor=make_staff("MCLS", "manager"),
        name="reject",
        reason="بودجه اولویت",
    )

    application.refresh_from_db()
    assert (application.stage, application.approved_amount) == ("rejected", 0)
    assert LoanScheme.objects.get(pk=application.scheme_id).committed == 0


def test_approval_beyond_the_budget_is_refused_and_changes_nothing():
    scheme = LoanSchemeFactory(budget=BILLION + 500_000_000, committed=BILLION)
    application = loan_at("decision", scheme=scheme)
    before = state(application)

    with translation.override("en"), pytest.raises(ConflictError) as caught:
        application_transition(
            application_id=application.pk, actor=make_staff("MCLS", "manager"), name="approve"
        )

    assert (caught.value.code, caught.value.message) == (
        "budget_exhausted",
        "The scheme's budget cannot cover this loan: 500,000,000 Rials are left uncommitted.",
    )
    assert state(application) == before


# --- the priority score -------------------------------------------------------------------------------------


def test_the_priority_score_is_computed_on_submit_with_its_breakdown():
    scheme = LoanSchemeFactory(
        weight_knowledge_based=25, weight_jobs_per_rial=35, weight_environment=25, weight_county=15
    )
    business = verified_business(is_knowledge_based=True)
    application = loan_draft(scheme=scheme, business=business, amount=BILLION, jobs=3)  # 40,000 kWh a year
    assert (application.priority_score, application.score_breakdown) == (Decimal("0"), {})

    application_transition(application_id=application.pk, actor=application.applicant, name="submit")

    application.refresh_from_db()
    assert application.priority_score == Decimal("40.50")
    assert application.score_breakdown == {
        "knowledge_based": {"weight": 25, "value": "1.000", "points": "25.00"},
        "jobs_per_rial": {"weight": 35, "value": "0.300", "points": "10.50"},
        "environment": {"weight": 25, "value": "0.200", "points": "5.00"},
        "county": {"weight": 15, "value": "0.000", "points": "0.00"},
    }


def test_a_priority_county_adds_its_weight():
    scheme = LoanSchemeFactory()
    business = verified_business(is_knowledge_based=True)
    scheme.priority_counties.add(business.county)
    application = loan_draft(scheme=scheme, business=business, amount=BILLION, jobs=3)

    application_transition(application_id=application.pk, actor=application.applicant, name="submit")

    application.refresh_from_db()
    assert application.priority_score == Decimal("55.50")
    assert application.score_breakdown["county"] == {"weight": 15, "value": "1.000", "points": "15.00"}


# --- e-mails ------------------------------------------------------------------------------------------------


def english_subject(application, stage_label):
    return f"Green Jobs Qom: loan application {application.reference} is now “{stage_label}”"


def test_the_applicant_is_mailed_once_after_commit_in_their_language(django_capture_on_commit_callbacks):
    owner = ApplicantFactory(language="en")
    application = loan_draft(business=verified_business(owner=owner))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application_transition(application_id=application.pk, actor=owner, name="submit")
    assert (len(callbacks), mail.outbox) == (1, [])  # nothing before the commit

    callbacks[0]()

    [message] = mail.outbox
    assert message.to == [owner.email]
    assert message.subject == english_subject(application, "Submitted")
    assert "You submitted the application — Submitted" in message.body
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "incentives:application_detail", args=[application.pk]
    )
    assert link in message.body


def test_the_applicant_reads_english_whatever_language_the_staff_member_uses(
    django_capture_on_commit_callbacks,
):
    owner = ApplicantFactory(language="en")
    application = loan_at("submitted", business=verified_business(owner=owner))
    mail.outbox.clear()

    with translation.override("fa"), django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk,
            actor=make_staff("DOE", "reviewer"),
            name="start_environmental_review",
        )

    [message] = mail.outbox
    assert message.subject == english_subject(application, "Environmental review (DOE)")
    assert "DOE started the environmental review" in message.body


def test_a_persian_speaking_applicant_is_mailed_in_persian(django_capture_on_commit_callbacks):
    owner = ApplicantFactory(language="fa")
    application = loan_draft(business=verified_business(owner=owner))

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        application_transition(application_id=application.pk, actor=owner, name="submit")

    [message] = mail.outbox
    assert message.to == [owner.email]
    assert message.subject != english_subject(application, "Submitted")
    assert application.reference in message.subject


def test_every_move_on_the_path_mails_the_applicant_once(django_capture_on_commit_callbacks):
    application = loan_draft()
    doe, credit, manager = (
        make_staff("DOE", "reviewer"),
        make_staff("MCLS", "reviewer"),
        make_staff("MCLS", "manager"),
    )
    steps = [
        ("submit", application.applicant),
        ("start_environmental_review", doe),
        ("environment_accept", doe),
        ("credit_accept", credit),
        ("approve", manager),
    ]

    for name, actor in steps:
        with django_capture_on_commit_callbacks(execute=True):
            application_transition(application_id=application.pk, actor=actor, name=name)

    assert [m.to for m in mail.outbox] == [[application.applicant.email]] * 5
    assert application.events.count() == 6  # the draft's creation mails no one


def test_no_mail_when_the_surrounding_transaction_rolls_back(django_capture_on_commit_callbacks):
    application = loan_draft()
    before = state(application)

    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        application_transition(application_id=application.pk, actor=application.applicant, name="submit")
        raise Boom

    assert callbacks == []
    assert mail.outbox == []
    assert state(application) == before


def test_the_mail_task_run_twice_for_one_event_sends_once(django_capture_on_commit_callbacks):
    application = loan_draft()
    with django_capture_on_commit_callbacks(execute=False):
        application_transition(application_id=application.pk, actor=application.applicant, name="submit")
    event = application.events.get(action="submit")

    first = tasks.send_application_event_email(event.pk)
    second = tasks.send_application_event_email(event.pk)

    assert (first, second) == ("sent", "duplicate")
    assert len(mail.outbox) == 1


def test_emptying_redis_between_two_deliveries_of_the_mail_task_does_not_send_twice(
    django_capture_on_commit_callbacks,
):
    application = loan_draft()
    with django_capture_on_commit_callbacks(execute=False):
        application_transition(application_id=application.pk, actor=application.applicant, name="submit")
    event = application.events.get(action="submit")

    first = tasks.send_application_event_email(event.pk)
    cache.clear()
    second = tasks.send_application_event_email(event.pk)

    assert (first, second) == ("sent", "duplicate")
    assert len(mail.outbox) == 1
    assert list(SentMail.objects.values_list("key", flat=True)) == [f"incentives:event-mail:{event.pk}"]


def test_the_mail_task_for_a_vanished_event_sends_nothing():
    assert tasks.send_application_event_email(987654321) == "gone"
    assert mail.outbox == []


def test_a_mail_that_failed_to_send_is_sent_on_the_retry(django_capture_on_commit_callbacks, monkeypatch):
    """The de-duplication key is released when the mail server is down: the retry is not a repeat."""
    from incentives import emails

    application = loan_draft()
    with django_capture_on_commit_callbacks(execute=False):
        application_transition(application_id=application.pk, actor=application.applicant, name="submit")
    event = application.events.get(action="submit")
    real_send = emails.send_application_event

    def server_down(_event):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(emails, "send_application_event", server_down)
    with pytest.raises(OSError, match="smtp down"):
        tasks.send_application_event_email(event.pk)
    assert mail.outbox == []

    monkeypatch.setattr(emails, "send_application_event", real_send)
    assert tasks.send_application_event_email(event.pk) == "sent"
    assert tasks.send_application_event_email(event.pk) == "duplicate"
    assert len(mail.outbox) == 1
