import io

import pytest
from django.core.management import call_command

from training.models import AwarenessActivity, Certificate, Enrolment, Session

pytestmark = pytest.mark.django_db


def test_the_demo_has_sessions_enrolments_in_every_state_certificates_and_activities(demo_once, agencies):
    assert set(Enrolment.objects.values_list("status", flat=True)) == set(Enrolment.Status.values)
    assert Enrolment.objects.filter(passed=True).count() == Certificate.objects.count() == 10
    assert Enrolment.objects.filter(passed=False).count() == 2
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 1
    assert {"finished", "planned"} <= set(Session.objects.values_list("status", flat=True))
    assert set(AwarenessActivity.objects.values_list("agency__code", flat=True)) == {"DOE", "MCLS", "TVTO"}


def test_loading_the_demo_twice_adds_no_training_data(demo_once, agencies):
    before = (Session.objects.count(), Enrolment.objects.count(), Certificate.objects.count())

    call_command("seed_demo", stdout=io.StringIO())

    assert (Session.objects.count(), Enrolment.objects.count(), Certificate.objects.count()) == before
