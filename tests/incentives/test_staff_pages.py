"""Staff side of the loans: stage queues, moves posted from an application, money in and out, schemes."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from greenjobs.jalali import to_jalali
from greenjobs.text import to_persian_digits
from incentives import selectors
from incentives.models import Disbursement, LoanApplication, LoanScheme, Payment
from incentives.services import applications, repayments
from incentives.workflow import MOVES
from tests.factories import (
    ApplicantFactory,
    LoanSchemeFactory,
    ProgrammeManagerFactory,
    county,
    loan_at,
    loan_draft,
    make_staff,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

TEHRAN = ZoneInfo("Asia/Tehran")


def staff(agency, role):
    """Staff who read the portal in English, so messages can be compared word for word."""
    return make_staff(agency, role, language="en")


def messages_of(response) -> list[str]:
    """The messages this response left for the next page, which then counts as shown."""
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    response.client.cookies.pop("messages", None)
    return shown


def state(application) -> dict:
    """Everything a refused action must leave as it was, read fresh."""
    fresh = LoanApplication.objects.select_related("scheme").get(pk=application.pk)
    return {
        "stage": fresh.stage,
        "stage_changed_at": fresh.stage_changed_at,
        "events": list(fresh.events.values_list("action", flat=True)),
        "approved_amount": fresh.approved_amount,
        "disbursed_amount": fresh.disbursed_amount,
        "contract_number": fresh.contract_number,
        "committed": fresh.scheme.committed,
        "disbursed": fresh.scheme.disbursed,
    }


def post_move(client, application, action, *, expected_stage=None, **extra):
    data = {"action": action, "expected_stage": expected_stage or application.stage, **extra}
    return client.post(reverse("incentives:transition", args=[application.pk]), data)


def contracted(**kwargs):
    application = loan_at("approved", **kwargs)
    applications.application_transition(
        application_id=application.pk, actor=make_staff("MCLS", "officer"), name="contract",
        contract_number="QOM-1404-1", contracted_on=timezone.localdate(),
    )  # fmt: skip
    application.refresh_from_db()
    return application


def jalali_today(persian_digits=False) -> str:
    day = to_jalali(timezone.localdate())
    text = f"{day.year:04d}/{day.month:02d}/{day.day:02d}"
    return to_persian_digits(text) if persian_digits else text


def render_panel(application, user) -> str:
    """The panel as the application page includes it, with the context that page gives it."""
    request = RequestFactory().get(reverse("incentives:application_detail", args=[application.pk]))
    request.user = user
    detail = selectors.application_detail(user=user, application_id=application.pk) or application
    return render_to_string(
        "incentives/applications/_staff_panel.html",
        {"application": detail, "request": request},
        request=request,
    )


def queue_rows(client, **params) -> list[int]:
    response = client.get(reverse("incentives:queue"), params)
    assert response.status_code == 200
    return [application.pk for application in response.context["page"].object_list]


# --- who sees which queue ---------------------------------------------------------------------------------


@pytest.fixture
def pipeline():
    """One application in every stage a staff queue can show, under one scheme."""
    scheme = LoanSchemeFactory()
    return {
        stage: loan_at(stage, scheme=scheme)
        for stage in ("submitted", "environmental_review", "credit_review", "decision", "approved")
    } | {"contracted": contracted(scheme=scheme)}


@pytest.mark.parametrize(
    ("agency", "role", "stages"),
    [
        ("DOE", "reviewer", {"submitted", "environmental_review"}),
        ("MCLS", "reviewer", {"credit_review"}),
        ("MCLS", "manager", {"decision", "approved"}),
        ("MCLS", "officer", {"approved", "contracted"}),
    ],
)
def test_each_role_sees_only_its_own_stages(client, pipeline, agency, role, stages):
    client.force_login(staff(agency, role))

    shown = queue_rows(client)

    assert set(shown) == {pipeline[stage].pk for stage in stages}
    assert {LoanApplication.objects.get(pk=pk).stage for pk in shown} == stages


def test_a_stage_outside_the_role_cannot_be_asked_for(client, pipeline):
    client.force_login(staff("MCLS", "manager"))

    assert set(queue_rows(client, stage="credit_review")) == {
        pipeline["decision"].pk,
        pipeline["approved"].pk,
    }
    assert queue_rows(client, stage="approved") == [pipeline["approved"].pk]


def test_the_queue_filters_by_scheme_and_county(client):
    mine, other = LoanSchemeFactory(), LoanSchemeFactory()
    wanted = loan_at("credit_review", scheme=mine)
    unwanted = loan_at("credit_review", scheme=other)
    client.force_login(staff("MCLS", "reviewer"))

    assert queue_rows(client, scheme=mine.code) == [wanted.pk]
    assert queue_rows(client, scheme=mine.code, county="qom") == [wanted.pk]
    assert queue_rows(client, county="kahak") == []
    # an unknown value is ignored rather than emptying the queue
    assert set(queue_rows(client, county="nowhere")) == {wanted.pk, unwanted.pk}


@pytest.mark.parametrize(
    "maker", [lambda: make_staff("TVTO", "officer"), ApplicantFactory, ProgrammeManagerFactory]
)
def test_anyone_without_a_loan_queue_is_refused(client, maker):
    loan_at("submitted")
    client.force_login(maker())

    response = client.get(reverse("incentives:queue"))

    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("incentives:queue"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_queue_orders_by_score_then_by_the_longest_wait(client):
    scheme = LoanSchemeFactory()
    now = timezone.now()
    low_recent, high, low_old = (loan_at("credit_review", scheme=scheme) for _ in range(3))
    for application, score, days in ((low_recent, "50.00", 1), (high, "70.00", 0), (low_old, "50.00", 5)):
        LoanApplication.objects.filter(pk=application.pk).update(
            priority_score=score, stage_changed_at=now - datetime.timedelta(days=days)
        )
    client.force_login(staff("MCLS", "reviewer"))

    assert queue_rows(client) == [high.pk, low_old.pk, low_recent.pk]


def test_the_queue_shows_the_score_breakdown_and_the_amount(client):
    application = loan_at("credit_review")
    client.force_login(staff("MCLS", "reviewer"))

    html = client.get(reverse("incentives:queue")).content.decode()

    assert application.reference in html
    assert "1,000,000,000 Rial" in html
    assert set(re.findall(r'data-factor="([a-z_]+)"', html)) == set(application.score_breakdown) == {
        "knowledge_based", "jobs_per_rial", "environment", "county",
    }  # fmt: skip


def test_an_htmx_request_gets_only_the_table(client):
    loan_at("submitted")
    client.force_login(staff("DOE", "reviewer"))

    response = client.get(reverse("incentives:queue"), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="queue-table">')
    assert "<html" not in html


def ageing(html) -> list[tuple[str, str]]:
    return re.findall(r'data-testid="ageing" data-late="(yes|no)"[^>]*>([^<]+)<', html)


def test_the_ageing_badge_turns_red_past_the_stages_service_level(client, time_machine):
    time_machine.move_to(datetime.datetime(2025, 5, 1, 9, tzinfo=TEHRAN), tick=False)
    loan_at("environmental_review")  # 10 days allowed
    loan_at("submitted")  # 5 days allowed
    reviewer = staff("DOE", "reviewer")

    def badges_on(day):
        time_machine.move_to(datetime.datetime(2025, 5, day, 10, tzinfo=TEHRAN), tick=False)
        client.force_login(reviewer)  # sessions last a working day
        return sorted(ageing(client.get(reverse("incentives:queue")).content.decode()))

    assert badges_on(6) == [("no", "5"), ("no", "5")]
    assert badges_on(7) == [("no", "6"), ("yes", "6")]
    assert badges_on(11) == [("no", "10"), ("yes", "10")]
    assert badges_on(12) == [("yes", "11"), ("yes", "11")]


# Measured at 3 applications; the same number must hold at 15.
QUEUE_QUERIES = 8  # with the header's unread notifications


@pytest.mark.parametrize("size", [3, 15])
def test_the_queue_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    scheme = LoanSchemeFactory(budget=100_000_000_000)
    for _ in range(size):
        loan_at("credit_review", scheme=scheme)
    client.force_login(staff("MCLS", "reviewer"))

    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("incentives:queue"))

    assert len(response.context["page"].object_list) == size


# --- moves posted from the application's page -------------------------------------------------------------

STAFF_MOVES = [
    ("start_environmental_review", "submitted", ("DOE", "reviewer"), ""),
    ("environment_accept", "environmental_review", ("DOE", "reviewer"), ""),
    ("environment_reject", "environmental_review", ("DOE", "reviewer"), "مصرف آب بیش از حد مجاز است"),
    ("environment_return", "environmental_review", ("DOE", "reviewer"), "تعهد پسماند را کامل کنید"),
    ("credit_accept", "credit_review", ("MCLS", "reviewer"), ""),
    ("credit_reject", "credit_review", ("MCLS", "reviewer"), "ضمانت کافی نیست"),
    ("credit_return", "credit_review", ("MCLS", "reviewer"), "صورت مالی را بارگذاری کنید"),
    ("approve", "decision", ("MCLS", "manager"), ""),
    ("reject", "decision", ("MCLS", "manager"), "اولویت پایین"),
    ("decision_return", "decision", ("MCLS", "manager"), "مبلغ را اصلاح کنید"),
]


@pytest.mark.parametrize(("action", "stage", "who", "reason"), STAFF_MOVES, ids=[m[0] for m in STAFF_MOVES])
def test_each_move_by_the_right_role_moves_the_stage_and_writes_one_event(client, action, stage, who, reason):
    application = loan_at(stage)
    events_before = application.events.count()
    actor = staff(*who)
    client.force_login(actor)

    response = post_move(client, application, action, reason=reason)

    assert response.status_code == 302
    assert response.url == reverse("incentives:application_detail", args=[application.pk])
    assert messages_of(response) == [f"Done: {MOVES[action].label}."]
    application.refresh_from_db()
    assert application.stage == MOVES[action].target
    assert application.events.count() == events_before + 1
    event = application.events.order_by("-at", "-pk").first()
    assert (event.action, event.from_stage, event.to_stage, event.actor, event.reason) == (
        action, stage, MOVES[action].target, actor, reason,
    )  # fmt: skip


def test_approving_commits_the_amount_against_the_scheme(client):
    application = loan_at("decision")
    client.force_login(staff("MCLS", "manager"))

    post_move(client, application, "approve")

    application.refresh_from_db()
    assert (application.stage, application.approved_amount) == ("approved", 1_000_000_000)
    assert LoanScheme.objects.get(pk=application.scheme_id).committed == 1_000_000_000


def test_the_officer_records_the_signed_contract(client, time_machine):
    # reviewed and approved in time for the contract signed on 1404/05/10
    time_machine.move_to(datetime.datetime(2025, 8, 1, 8, 30, tzinfo=datetime.UTC))
    application = loan_at("approved")
    officer = staff("MCLS", "officer")
    client.force_login(officer)

    response = post_move(
        client, application, "contract",
        contract_number="QOM-۱۴۰۴-17", contracted_on="۱۴۰۴/۰۵/۱۰", operation_starts_on="1404/07/01",
    )  # fmt: skip

    assert messages_of(response) == [f"Done: {MOVES['contract'].label}."]
    application.refresh_from_db()
    assert application.stage == "contracted"
    assert application.contract_number == "QOM-1404-17"
    assert application.contracted_on == datetime.date(2025, 8, 1)
    assert application.operation_starts_on == datetime.date(2025, 9, 23)
    assert list(application.events.filter(action="contract").values_list("actor", flat=True)) == [officer.pk]


def test_a_contract_without_its_date_is_refused_and_nothing_changes(client):
    application = loan_at("approved")
    before = state(application)
    client.force_login(staff("MCLS", "officer"))

    response = post_move(client, application, "contract", contract_number="QOM-1")

    assert response.status_code == 200
    contract_form = response.context["posted_forms"]["contract"]
    assert (contract_form.errors, contract_form["contract_number"].value()) == (
        {"contracted_on": ["This field is required."]},
        "QOM-1",
    )
    assert state(application) == before


def test_a_refusal_without_a_reason_is_refused_and_nothing_changes(client):
    application = loan_at("credit_review")
    before = state(application)
    client.force_login(staff("MCLS", "reviewer"))

    response = post_move(client, application, "credit_reject", reason="  ")

    assert messages_of(response) == ["Write the reason; the applicant will read it."]
    assert state(application) == before


WRONG_ROLE = [
    ("start_environmental_review", "submitted", ("MCLS", "reviewer")),
    ("environment_accept", "environmental_review", ("MCLS", "reviewer")),
    ("credit_accept", "credit_review", ("DOE", "reviewer")),
    ("approve", "decision", ("MCLS", "reviewer")),
    ("approve", "decision", ("MCLS", "officer")),
    ("contract", "approved", ("MCLS", "reviewer")),
]


@pytest.mark.parametrize(
    ("action", "stage", "who"), WRONG_ROLE, ids=[f"{m[0]}-{'-'.join(m[2])}" for m in WRONG_ROLE]
)
def test_a_move_by_the_wrong_role_is_refused_and_nothing_changes(client, action, stage, who):
    application = loan_at(stage)
    before = state(application)
    client.force_login(staff(*who))

    response = post_move(
        client, application, action, contract_number="QOM-1", contracted_on="1404/05/10", reason="x"
    )

    assert messages_of(response) == ["You may not do this."]
    assert state(application) == before


def test_staff_of_an_agency_that_cannot_see_the_application_get_404(client):
    application = loan_at("decision")
    before = state(application)
    client.force_login(staff("TVTO", "manager"))

    response = post_move(client, application, "approve")

    assert response.status_code == 404
    assert state(application) == before


def test_a_stale_page_gets_the_conflict_message_and_nothing_changes(client):
    # given the reviewer's page was rendered while the application was still "submitted"
    application = loan_at("environmental_review")
    before = state(application)
    client.force_login(staff("DOE", "reviewer"))

    # when they press a button that page showed
    response = post_move(client, application, "environment_accept", expected_stage="submitted")

    # then
    assert messages_of(response) == [
        "Someone else acted on this application a moment ago; it is now “Environmental review (DOE)”. "
        "Reload and check."
    ]
    assert state(application) == before


def test_approving_beyond_the_remaining_budget_is_refused_with_the_budget_message(client):
    scheme = LoanSchemeFactory(budget=1_500_000_000)
    loan_at("approved", scheme=scheme)
    waiting = loan_at("decision", scheme=scheme)
    before = state(waiting)
    assert before["committed"] == 1_000_000_000
    client.force_login(staff("MCLS", "manager"))

    response = post_move(client, waiting, "approve")

    assert messages_of(response) == [
        "The scheme's budget cannot cover this loan: 500,000,000 Rials are left uncommitted."
    ]
    assert state(waiting) == before
    assert LoanScheme.objects.get(pk=scheme.pk).committed == 1_000_000_000


def test_an_incomplete_post_changes_nothing(client):
    application = loan_at("decision")
    before = state(application)
    client.force_login(staff("MCLS", "manager"))

    response = client.post(reverse("incentives:transition", args=[application.pk]), {"action": "fly"})

    assert messages_of(response) == ["The request was incomplete; nothing was changed."]
    assert state(application) == before


def test_the_applicant_submits_and_withdraws_through_the_same_door(client):
    application = loan_draft()
    owner = application.applicant
    owner.language = "en"
    owner.save(update_fields=["language"])
    client.force_login(owner)

    response = post_move(client, application, "submit")
    application.refresh_from_db()
    assert application.stage == "submitted"
    assert messages_of(response) == [f"Done: {MOVES['submit'].label}."]

    response = post_move(client, application, "withdraw", reason="")
    application.refresh_from_db()
    assert application.stage == "withdrawn"
    assert messages_of(response) == [f"Done: {MOVES['withdraw'].label}."]
    assert list(application.events.values_list("action", flat=True)) == ["create", "submit", "withdraw"]


def test_another_applicant_cannot_move_the_application(client):
    application = loan_at("submitted")
    before = state(application)
    client.force_login(ApplicantFactory())

    response = post_move(client, application, "withdraw")

    assert response.status_code == 404
    assert state(application) == before


def test_an_anonymous_post_goes_to_sign_in_and_changes_nothing(client):
    application = loan_at("decision")
    before = state(application)

    response = post_move(client, application, "approve")

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert state(application) == before


# --- money: disbursements and repayments ------------------------------------------------------------------


def request_keys(html) -> list[str]:
    return re.findall(r'name="request_key" value="([0-9a-f]{32})"', html)


def test_the_same_rendered_disbursement_form_posted_twice_pays_out_once(client):
    application = contracted()
    officer = staff("MCLS", "officer")
    [key] = request_keys(render_panel(application, officer))
    client.force_login(officer)
    data = {"amount": "۴۰۰٬۰۰۰٬۰۰۰", "paid_on": jalali_today(persian_digits=True), "request_key": key}

    said = [
        messages_of(client.post(reverse("incentives:disburse", args=[application.pk]), data)) for _ in "12"
    ]

    assert said == [["The disbursement of 400,000,000 Rial is recorded."]] * 2
    assert list(Disbursement.objects.values_list("application", "amount", "paid_on", "request_key")) == [
        (application.pk, 400_000_000, timezone.localdate(), key)
    ]
    application.refresh_from_db()
    assert (application.stage, application.disbursed_amount) == ("disbursed", 400_000_000)
    assert LoanScheme.objects.get(pk=application.scheme_id).disbursed == 400_000_000
    assert list(application.events.filter(action="disburse").values_list("actor", flat=True)) == [officer.pk]


def test_each_rendering_of_the_panel_carries_a_new_request_key(client):
    application = contracted()
    officer = staff("MCLS", "officer")

    first, second = (
        request_keys(render_panel(application, officer)),
        request_keys(render_panel(application, officer)),
    )

    assert len(first) == len(second) == 1
    assert first != second


def test_a_tranche_above_what_is_left_is_refused_and_nothing_changes(client):
    application = contracted()
    before = state(application)
    client.force_login(staff("MCLS", "officer"))

    response = client.post(
        reverse("incentives:disburse", args=[application.pk]),
        {"amount": "1,000,000,001", "paid_on": jalali_today(), "request_key": "a" * 32},
    )

    assert messages_of(response) == [
        "A tranche must be between 1 and the 1,000,000,000 Rials still to pay out."
    ]
    assert state(application) == before
    assert Disbursement.objects.count() == 0


@pytest.mark.parametrize(("agency", "role"), [("MCLS", "reviewer"), ("DOE", "reviewer")])
def test_only_the_mcls_money_desk_may_disburse(client, agency, role):
    application = contracted()
    before = state(application)
    client.force_login(staff(agency, role))

    response = client.post(
        reverse("incentives:disburse", args=[application.pk]),
        {"amount": "1000", "paid_on": jalali_today(), "request_key": "b" * 32},
    )

    assert response.status_code == 403
    assert state(application) == before
    assert Disbursement.objects.count() == 0


@pytest.fixture
def repaying():
    application = contracted()
    repayments.disbursement_record(
        application_id=application.pk, actor=make_staff("MCLS", "officer"),
        amount=application.approved_amount, paid_on=timezone.localdate(), request_key="c" * 32,
    )  # fmt: skip
    application.refresh_from_db()
    assert application.stage == "repaying"
    return application


def test_the_same_payment_posted_twice_is_recorded_once(client, repaying):
    officer = staff("MCLS", "officer")
    [key] = request_keys(render_panel(repaying, officer))
    client.force_login(officer)
    data = {"amount": "10,000,000", "paid_on": jalali_today(), "reference": "BMI-۹۹۱۲", "request_key": key}

    said = [messages_of(client.post(reverse("incentives:payment", args=[repaying.pk]), data)) for _ in "12"]

    assert said == [["The payment of 10,000,000 Rial is recorded."]] * 2
    assert list(Payment.objects.values_list("application", "amount", "reference", "request_key")) == [
        (repaying.pk, 10_000_000, "BMI-9912", key)
    ]
    assert sum(repaying.instalments.values_list("paid", flat=True)) == 10_000_000


def test_a_reviewer_cannot_record_a_payment(client, repaying):
    client.force_login(staff("MCLS", "reviewer"))

    response = client.post(
        reverse("incentives:payment", args=[repaying.pk]),
        {"amount": "1000", "paid_on": jalali_today(), "reference": "R", "request_key": "d" * 32},
    )

    assert response.status_code == 403
    assert Payment.objects.count() == 0


# --- the staff panel on the application page --------------------------------------------------------------


def test_the_staff_panel_is_absent_for_the_applicant_and_for_people_without_a_staff_role():
    application = loan_at("environmental_review")

    assert render_panel(application, application.applicant).strip() == ""
    assert render_panel(application, ProgrammeManagerFactory()).strip() == ""


def test_the_application_page_carries_the_panel_for_staff_only(client):
    application = loan_at("environmental_review")
    page = reverse("incentives:application_detail", args=[application.pk])

    client.force_login(application.applicant)
    as_owner = client.get(page)
    client.force_login(staff("DOE", "reviewer"))
    as_reviewer = client.get(page)

    assert (as_owner.status_code, as_reviewer.status_code) == (200, 200)
    assert 'data-testid="staff-panel"' not in as_owner.content.decode()
    assert 'data-testid="staff-panel"' in as_reviewer.content.decode()


def test_the_reviewer_sees_the_score_breakdown_and_only_their_moves():
    application = loan_at("environmental_review")

    html = render_panel(application, staff("DOE", "reviewer"))

    assert 'data-testid="staff-panel"' in html
    assert 'data-testid="score-breakdown"' in html
    assert set(re.findall(r'data-testid="action-([a-z_]+)"', html)) == {
        "environment_accept", "environment_reject", "environment_return",
    }  # fmt: skip
    assert set(re.findall(r'name="expected_stage" value="([a-z_]+)"', html)) == {"environmental_review"}
    # the two moves that need a reason ask for it
    assert re.findall(r'<textarea name="reason"[^>]* required id="id_([a-z_]+)_reason"', html) == [
        "environment_reject", "environment_return",
    ]  # fmt: skip
    assert re.findall(r'data-factor="([a-z_]+)"', html) == [
        "knowledge_based",
        "jobs_per_rial",
        "environment",
        "county",
    ]


def test_the_officer_sees_the_contract_form_then_the_disbursement_form():
    officer = staff("MCLS", "officer")
    approved = loan_at("approved")

    html = render_panel(approved, officer)
    assert re.findall(r'data-testid="action-([a-z_]+)"', html) == ["contract"]
    assert 'name="contract_number"' in html

    html = render_panel(contracted(), officer)
    assert re.findall(r'data-testid="action-([a-z_]+)"', html) == ["disburse"]
    assert 'value="1,000,000,000"' in html


def test_the_panel_shows_the_arrears_figures(repaying):
    LoanApplication.objects.filter(pk=repaying.pk).update(
        stage="in_arrears", overdue_amount=31_000_000, days_late=12
    )
    repaying.refresh_from_db()

    html = render_panel(repaying, staff("MCLS", "manager"))

    assert re.search(r'data-testid="overdue">\s*31,000,000 Rial', html)
    assert re.search(r'data-testid="days-late">\s*12<', html)
    assert 'data-testid="payment-form"' in html


# --- schemes ----------------------------------------------------------------------------------------------


def scheme_post(**overrides):
    data = {
        "code": "gl1404",
        "title_fa": "تسهیلات سبز ۱۴۰۴",
        "title_en": "Green loans 1404",
        "description_fa": "",
        "description_en": "For green jobs.",
        "budget": "۵۰٬۰۰۰٬۰۰۰٬۰۰۰",
        "max_amount": "3,000,000,000",
        "min_amount": "0",
        "interest_rate": "4.5",
        "term_months": "48",
        "grace_months": "6",
        "grace_starts": "operation",
        "grace_interest": "waived",
        "opens_on": "۱۴۰۴/۰۷/۰۱",
        "closes_on": "1404/12/29",
        "requires_verified_registration": "on",
        "weight_knowledge_based": "30",
        "weight_jobs_per_rial": "30",
        "weight_environment": "30",
        "weight_county": "10",
        "priority_counties": [county("qom").pk],
    }
    data.update(overrides)
    return data


def test_an_mcls_manager_creates_a_scheme_with_exactly_what_was_typed(client):
    manager = staff("MCLS", "manager")
    client.force_login(manager)

    response = client.post(reverse("incentives:scheme_create"), scheme_post())

    assert response.status_code == 302
    assert response.url == reverse("incentives:scheme_detail", args=["GL1404"])
    scheme = LoanScheme.objects.get()
    assert {
        field: getattr(scheme, field)
        for field in (
            "code", "title_fa", "title_en", "description_en", "budget", "max_amount", "min_amount",
            "term_months", "grace_months", "grace_starts", "grace_interest", "opens_on", "closes_on",
            "requires_verified_registration", "weight_knowledge_based", "weight_jobs_per_rial",
            "weight_environment", "weight_county", "is_published", "committed", "disbursed", "created_by",
        )
    } == {
        "code": "GL1404", "title_fa": "تسهیلات سبز ۱۴۰۴", "title_en": "Green loans 1404",
        "description_en": "For green jobs.", "budget": 50_000_000_000, "max_amount": 3_000_000_000,
        "min_amount": 0, "term_months": 48, "grace_months": 6, "grace_starts": "operation",
        "grace_interest": "waived", "opens_on": datetime.date(2025, 9, 23),
        "closes_on": datetime.date(2026, 3, 20),
        "requires_verified_registration": True, "weight_knowledge_based": 30, "weight_jobs_per_rial": 30,
        "weight_environment": 30, "weight_county": 10, "is_published": False, "committed": 0, "disbursed": 0,
        "created_by": manager,
    }  # fmt: skip
    assert str(scheme.interest_rate) == "4.50"
    assert [c.code for c in scheme.priority_counties.all()] == ["qom"]


def test_the_scheme_form_renders_for_a_manager(client):
    client.force_login(staff("MCLS", "manager"))

    response = client.get(reverse("incentives:scheme_create"))

    assert response.status_code == 200
    assert 'name="priority_counties"' in response.content.decode()


@pytest.mark.parametrize(("agency", "role"), [("MCLS", "officer"), ("MCLS", "reviewer"), ("DOE", "manager")])
def test_other_staff_cannot_create_or_edit_schemes(client, agency, role):
    existing = LoanSchemeFactory(title_en="Unchanged")
    client.force_login(staff(agency, role))

    created = client.post(reverse("incentives:scheme_create"), scheme_post())
    edited = client.post(
        reverse("incentives:scheme_edit", args=[existing.code]), scheme_post(code=existing.code)
    )

    assert (created.status_code, edited.status_code) == (403, 403)
    assert list(LoanScheme.objects.values_list("code", "title_en")) == [(existing.code, "Unchanged")]


def test_an_applicant_cannot_open_the_scheme_form(client):
    client.force_login(ApplicantFactory())

    assert client.get(reverse("incentives:scheme_create")).status_code == 403


def test_a_manager_edits_a_scheme(client):
    manager = staff("MCLS", "manager")
    scheme = LoanSchemeFactory(created_by=manager)
    client.force_login(manager)

    response = client.post(
        reverse("incentives:scheme_edit", args=[scheme.code]),
        scheme_post(code=scheme.code, title_en="Renamed", budget="20,000,000,000", priority_counties=[]),
    )

    assert response.status_code == 302
    scheme.refresh_from_db()
    assert (scheme.title_en, scheme.budget, scheme.closes_on) == (
        "Renamed",
        20_000_000_000,
        datetime.date(2026, 3, 20),
    )
    assert list(scheme.priority_counties.all()) == []


def test_a_scheme_without_a_recorded_creator_can_be_edited(client):
    scheme = LoanSchemeFactory(created_by=None)
    client.force_login(staff("MCLS", "manager"))

    response = client.post(
        reverse("incentives:scheme_edit", args=[scheme.code]),
        scheme_post(code=scheme.code, title_en="Renamed"),
    )

    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.title_en == "Renamed"


def test_the_budget_cannot_go_below_what_is_committed(client):
    manager = staff("MCLS", "manager")
    scheme = LoanSchemeFactory(title_en="Before", created_by=manager)
    loan_at("approved", scheme=scheme)
    client.force_login(manager)

    response = client.post(
        reverse("incentives:scheme_edit", args=[scheme.code]),
        scheme_post(code=scheme.code, budget="999,999,999", title_en="After"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["budget"] == [
        "The budget cannot go below what is already committed (1,000,000,000 Rials)."
    ]
    scheme.refresh_from_db()
    assert (scheme.budget, scheme.committed, scheme.title_en) == (10_000_000_000, 1_000_000_000, "Before")


def test_a_duplicate_code_is_refused_on_its_field(client):
    LoanSchemeFactory(code="GL1404")
    client.force_login(staff("MCLS", "manager"))

    response = client.post(reverse("incentives:scheme_create"), scheme_post(code="gl1404"))

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert LoanScheme.objects.count() == 1
