"""The daily SLA reminder: the staff who work a stage hear of a case whose deadline is near, once."""

import datetime

import pytest
from django.utils import timezone

from agencies.models import StaffMembership
from incentives import notices as loan_notices
from incentives.models import LoanApplication
from notifications import reminders
from notifications.tasks import send_sla_reminders
from programs import notices as registry_notices
from programs.models import Business
from tests.factories import loan_at, make_staff, registration_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]


def days_ago(days: float):
    return timezone.now() - datetime.timedelta(days=days)


def reminded(kind):
    from notifications.models import Notification

    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "params__business_id"))


def test_doe_officers_are_reminded_once_of_a_submitted_registration_near_its_deadline(settings):
    settings.ASSESSMENT_SLA_DAYS, settings.SLA_REMINDER_DAYS = 14, 2
    officers = [make_staff("DOE", "officer") for _ in range(2)]
    make_staff("MCLS", "officer")
    near = registration_in("submitted")
    fresh = registration_in("submitted")
    lapsed = registration_in("submitted")
    Business.objects.filter(pk=near.pk).update(status_changed_at=days_ago(13))
    Business.objects.filter(pk=fresh.pk).update(status_changed_at=days_ago(5))
    Business.objects.filter(pk=lapsed.pk).update(status_changed_at=days_ago(15))

    first = send_sla_reminders.apply().get()
    second = send_sla_reminders.apply().get()

    doe_officers = StaffMembership.objects.filter(agency__code="DOE", role="officer").count()
    assert doe_officers == len(officers) + 3  # registration_in made one for each registration
    assert first["registrations"] == doe_officers
    assert second == {"registrations": 0, "loans": 0}
    told = reminded(registry_notices.SLA)
    assert {business for _officer, business in told} == {near.pk}
    assert {o.pk for o in officers} <= {officer for officer, _business in told}


def test_a_case_under_assessment_reminds_its_officer_and_once_ready_the_reviewers(settings):
    settings.ASSESSMENT_SLA_DAYS, settings.SLA_REMINDER_DAYS = 14, 2
    officer, reviewer = make_staff("DOE", "officer"), make_staff("DOE", "reviewer")
    other_officer = make_staff("DOE", "officer")
    in_progress = registration_in("under_assessment", officer=officer, reviewer=reviewer)
    ready = registration_in("under_assessment", officer=officer, reviewer=reviewer, checklist_ready=True)
    Business.objects.filter(pk__in=[in_progress.pk, ready.pk]).update(status_changed_at=days_ago(13))

    reminders.run()

    told = reminded(registry_notices.SLA)
    assert (officer.pk, in_progress.pk) in told
    assert (other_officer.pk, in_progress.pk) not in told
    assert (reviewer.pk, ready.pk) in told
    assert (officer.pk, ready.pk) not in told


def test_a_case_that_leaves_and_comes_back_to_a_stage_is_reminded_again(settings):
    settings.SLA_REMINDER_DAYS = 2
    make_staff("MCLS", "reviewer")
    application = loan_at("credit_review")
    LoanApplication.objects.filter(pk=application.pk).update(stage_changed_at=days_ago(9))

    reminders.run()
    reminders.run()
    LoanApplication.objects.filter(pk=application.pk).update(stage_changed_at=days_ago(9.5))
    reminders.run()

    from notifications.models import Notification

    notes = Notification.objects.filter(kind=loan_notices.SLA, params__application_id=application.pk)
    mcls_reviewers = set(notes.values_list("recipient_id", flat=True))
    assert notes.count() == 2 * len(mcls_reviewers)
    assert {n.params["stage"] for n in notes} == {"credit_review"}


def test_loan_reminders_go_to_the_stage_agency_only(settings):
    settings.SLA_REMINDER_DAYS = 2
    application = loan_at("decision")
    managers = [make_staff("MCLS", "manager") for _ in range(2)]
    doe = make_staff("DOE", "manager")
    LoanApplication.objects.filter(pk=application.pk).update(stage_changed_at=days_ago(6))

    reminders.run()

    from notifications.models import Notification

    told = set(Notification.objects.filter(kind=loan_notices.SLA).values_list("recipient_id", flat=True))
    assert {m.pk for m in managers} <= told
    assert doe.pk not in told
