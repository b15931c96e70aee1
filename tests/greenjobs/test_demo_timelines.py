"""The demo tells coherent stories: every status of every workflow, in order, in the past, over quarters.

Each rule is checked over every demo record, so a new status without demo data, a new date field filled
with "now", or a step recorded out of order fails here.
"""

import datetime
import io
import re

import jdatetime
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models, transaction
from django.utils import timezone

from accounts.models import Kind
from agencies import seed as agencies_seed
from greenjobs import notes
from incentives.models import ApplicationEvent, LoanApplication, LoanScheme, Stage
from measurement import seed_indicators
from programs import seed as programs_seed
from programs.models import (
    Assessment,
    Business,
    GreenJob,
    Initiative,
    Project,
    RegistrationEvent,
    RegistrationStatus,
)
from training.models import AwarenessActivity, Certificate, Enrolment, Session

pytestmark = pytest.mark.django_db

# Statuses the demo cannot show, because no service can put a record in them (see the report of issue 9):
NOT_REACHABLE = {
    # Nothing moves a session from "planned" to "running"; sessions in progress stay "planned".
    (Session, Session.Status.RUNNING),
    # Projects are never cancelled by any service or page yet.
    (Project, Project.Status.CANCELLED),
}

WORKFLOWS = [
    (Business, "status", RegistrationStatus),
    (Assessment, "status", Assessment.Status),
    (LoanApplication, "stage", Stage),
    (Enrolment, "status", Enrolment.Status),
    (Session, "status", Session.Status),
    (Project, "status", Project.Status),
]

# Date fields that hold a plan or a deadline, which lies in the future by nature.
FUTURE_BY_NATURE = {
    ("programs", "Initiative", "ends_on"),
    ("programs", "Milestone", "due_on"),
    ("programs", "Project", "bids_close_on"),
    ("programs", "Business", "expires_on"),
    ("programs", "Business", "knowledge_based_expires_on"),
    ("incentives", "LoanScheme", "closes_on"),
    ("incentives", "Instalment", "due_on"),
    ("training", "Session", "starts_on"),
    ("training", "Session", "ends_on"),
}

DEMO_APPS = ("accounts", "agencies", "programs", "incentives", "training")


def _seed():
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction that is rolled back afterwards.

    Loading it takes seconds; each test runs in its own savepoint inside this transaction.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        agencies_seed.load()
        programs_seed.load()
        seed_indicators.load()
        _seed()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _quarter(value) -> tuple[int, int]:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    day = jdatetime.date.fromgregorian(date=value)
    return day.year, (day.month - 1) // 3 + 1


def _chain_is_coherent(events, from_field, to_field, final) -> None:
    """Each event starts where the previous one ended, in time order, and the last is where the record is."""
    previous = ""
    for event in events:
        assert getattr(event, from_field) == previous, event
        previous = getattr(event, to_field)
    assert previous == final
    by_id = [event.at for event in sorted(events, key=lambda e: e.pk)]
    assert by_id == sorted(by_id)


@pytest.mark.parametrize(("model", "field", "choices"), WORKFLOWS, ids=lambda v: getattr(v, "__name__", v))
def test_every_status_of_every_workflow_is_in_the_demo(demo, model, field, choices):
    present = set(model.objects.values_list(field, flat=True))
    expected = {value for value in choices.values if (model, value) not in NOT_REACHABLE}
    assert present == expected


def test_the_demo_has_certificates_issued_and_revoked(demo):
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == 9
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 1


def test_nothing_in_the_demo_is_dated_after_today(demo):
    now, today = timezone.now(), timezone.localdate()

    late = []
    for model in apps.get_models():
        if model._meta.app_label not in DEMO_APPS:
            continue
        for field in model._meta.concrete_fields:
            key = (model._meta.app_label, model.__name__, field.name)
            if not isinstance(field, models.DateField) or key in FUTURE_BY_NATURE:
                continue
            limit = now if isinstance(field, models.DateTimeField) else today
            if model.objects.filter(**{f"{field.name}__gt": limit}).exists():
                late.append(key)
    assert late == []


def test_registration_timelines_are_in_order(demo):
    for business in Business.objects.prefetch_related("events", "assessments"):
        events = list(business.events.all())
        _chain_is_coherent(events, "from_status", "to_status", business.status)
        assert events[0].at == business.created_at
        assert events[-1].at == business.status_changed_at
        if business.status != RegistrationStatus.DRAFT:
            submitted = next(e for e in events if e.to_status == RegistrationStatus.SUBMITTED)
            assert business.created_at < business.submitted_at == submitted.at
        for assessment in business.assessments.all():
            assert business.submitted_at < assessment.started_at
            steps = [assessment.started_at, assessment.ready_at, assessment.decided_at]
            reached = [step for step in steps if step is not None]
            assert reached == sorted(reached) and len(set(reached)) == len(reached)
            if assessment.decided_at:
                assert events[-1 if business.status != "expired" else -2].at == assessment.decided_at
        if business.verified_at:
            assert business.expires_on == timezone.localtime(
                business.verified_at
            ).date() + datetime.timedelta(days=settings.REGISTRATION_VALIDITY_DAYS)
        if business.status == RegistrationStatus.EXPIRED:
            assert timezone.localtime(events[-1].at).date() == business.expires_on + datetime.timedelta(
                days=1
            )
        assert business.owner.date_joined < business.created_at


def test_loan_timelines_are_in_order(demo):
    today = timezone.localdate()

    for application in LoanApplication.objects.select_related("business", "scheme"):
        events = list(application.events.all())
        _chain_is_coherent(events, "from_stage", "to_stage", application.stage)
        assert events[0].at == application.created_at
        assert events[-1].at == application.stage_changed_at
        assert application.business.verified_at < application.created_at
        if application.submitted_at is None:
            continue
        assert application.created_at < application.submitted_at
        assert application.scheme.opens_on <= timezone.localtime(application.submitted_at).date()
        at = {event.action: event.at for event in events}
        if application.contracted_on is None:
            continue
        assert application.submitted_at < at["approve"] < at["contract"]
        assert timezone.localtime(at["approve"]).date() <= application.contracted_on
        assert timezone.localtime(at["contract"]).date() == application.contracted_on
        tranches = list(application.disbursements.order_by("pk"))
        assert [t.paid_on for t in tranches] == sorted(t.paid_on for t in tranches)
        assert all(application.contracted_on <= t.paid_on <= today for t in tranches)
        disbursed = [e for e in events if e.action == "disburse"]
        assert [timezone.localtime(e.at).date() for e in disbursed] == [t.paid_on for t in tranches]
        if tranches:
            assert application.first_disbursed_on == tranches[0].paid_on
        for payment in application.payments.all():
            assert application.first_disbursed_on <= payment.paid_on <= today
            assert timezone.localtime(payment.recorded_at).date() == payment.paid_on


def test_the_repayment_stories_match_their_payments(demo):
    today = timezone.localdate()

    repaying = LoanApplication.objects.get(stage=Stage.REPAYING)
    due = repaying.instalments.filter(due_on__lt=today)
    assert all(instalment.paid == instalment.amount for instalment in due)
    assert [e.action for e in repaying.events.all()][-3:] == [
        "start_repayment",
        "fall_into_arrears",
        "catch_up",
    ]
    late = due.order_by("-number")[1]
    fell = repaying.events.get(action="fall_into_arrears")
    assert timezone.localtime(fell.at).date() == late.due_on + datetime.timedelta(days=1)
    assert fell.at < repaying.events.get(action="catch_up").at

    in_arrears = LoanApplication.objects.get(stage=Stage.IN_ARREARS)
    unpaid = in_arrears.instalments.filter(due_on__lt=today, paid=0).order_by("number")
    assert unpaid.count() == 3
    assert in_arrears.days_late == (today - unpaid[0].due_on).days
    assert in_arrears.overdue_amount == sum(i.amount for i in unpaid)
    fell = in_arrears.events.get(action="fall_into_arrears")
    assert timezone.localtime(fell.at).date() == unpaid[0].due_on + datetime.timedelta(days=1)

    settled = LoanApplication.objects.get(stage=Stage.SETTLED)
    payment = settled.payments.get()
    assert payment.paid_on < settled.instalments.order_by("number").first().due_on
    assert settled.events.order_by("at").last().at > payment.recorded_at


def test_training_timelines_are_in_order(demo):
    today = timezone.localdate()

    for session in Session.objects.prefetch_related("meetings", "enrolments"):
        held = [meeting.held_on for meeting in session.meetings.all()]
        assert len(held) == len(set(held))
        assert all(session.starts_on <= day <= min(session.ends_on, today) for day in held)
        for enrolment in session.enrolments.all():
            assert timezone.localtime(enrolment.requested_at).date() < session.starts_on
            if enrolment.result_recorded_at is not None:
                assert timezone.localtime(enrolment.result_recorded_at).date() > max(held)
    for certificate in Certificate.objects.select_related("enrolment"):
        recorded = timezone.localtime(certificate.enrolment.result_recorded_at).date()
        assert recorded < certificate.issued_on <= today
        year = jdatetime.date.fromgregorian(date=certificate.issued_on).year
        assert certificate.serial.startswith(f"GJQ-{year}-")
        if certificate.revoked_at:
            assert certificate.issued_on < timezone.localtime(certificate.revoked_at).date()


def test_initiative_and_project_timelines_are_in_order(demo):
    for initiative in Initiative.objects.prefetch_related("milestones"):
        for milestone in initiative.milestones.all():
            assert initiative.starts_on <= milestone.due_on <= initiative.ends_on
            assert milestone.completed_on is None or initiative.starts_on <= milestone.completed_on
    for project in Project.objects.prefetch_related("bids"):
        assert all(bid.submitted_on <= project.bids_close_on for bid in project.bids.all())
        if project.awarded_on:
            assert project.bids_close_on < project.awarded_on


def test_the_demo_spreads_over_the_past_quarters_at_distinct_moments(demo):
    for values in (
        RegistrationEvent.objects.values_list("at", flat=True),
        ApplicationEvent.objects.values_list("at", flat=True),
        AwarenessActivity.objects.values_list("held_on", flat=True),
    ):
        assert len({_quarter(value) for value in values}) >= 4, values.model
    # Two finished sessions, in two different quarters.
    assert len({_quarter(day) for day in Certificate.objects.values_list("issued_on", flat=True)}) == 2
    # A person or the nightly run acts at one moment; two steps of one record never share a minute.
    for model, key in ((RegistrationEvent, "business_id"), (ApplicationEvent, "application_id")):
        rows = list(model.objects.values_list(key, "at"))
        minutes = {(record, at.replace(second=0, microsecond=0)) for record, at in rows}
        assert len(minutes) == len(rows), model


def test_loading_the_demo_twice_changes_no_counts(demo):
    counted = [model for model in apps.get_models() if model._meta.app_label in DEMO_APPS]
    before = {model._meta.label: model.objects.count() for model in counted}

    _seed()

    assert {model._meta.label: model.objects.count() for model in counted} == before


PERSIAN_TEXTS = [
    (LoanApplication, ("purpose", "commitments")),
    (ApplicationEvent, ("reason",)),
    (RegistrationEvent, ("reason",)),
    (Business, ("legal_name", "address")),
    (GreenJob, ("holder_name",)),
    (AwarenessActivity, ("title",)),
    (Session, ("instructor",)),
    (Certificate, ("revoked_reason",)),
]


@pytest.mark.parametrize(("model", "fields"), PERSIAN_TEXTS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_the_demos_persian_texts_are_human_text_without_internal_codes(demo, model, fields):
    with_latin = [
        (field, value)
        for field in fields
        for value in model.objects.values_list(field, flat=True)
        # A note of the system is stored as a code and written out in the reader's language when shown.
        if re.search("[A-Za-z_]", value) and not value.startswith(notes.PREFIX)
    ]
    assert with_latin == []


def test_the_demo_people_have_persian_names_and_the_schemes_english_ones(demo):
    applicants = get_user_model().objects.filter(kind=Kind.APPLICANT)
    assert all(re.fullmatch("[\u0600-\u06ff\u200c ]+", f"{u.first_name} {u.last_name}") for u in applicants)
    for scheme in LoanScheme.objects.all():
        assert re.fullmatch("[A-Z0-9]+", scheme.code)
        assert scheme.title_en and scheme.description_en and scheme.title_en.isascii()
