import io

import pytest
from django.core.management import call_command

from programs import demo
from programs.models import Business, RegistrationEvent, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_registrations_in_every_status_so_every_queue_has_work(demo_once, agencies):
    statuses = set(Business.objects.values_list("status", flat=True))
    assert statuses == set(RegistrationStatus.values)
    verified = Business.objects.filter(status="verified")
    assert {business.verified_kind for business in verified} == {"new_green", "greened_existing"}
    assert all(business.events.exists() for business in Business.objects.all())


def test_loading_the_demo_twice_adds_no_registrations_or_events(demo_once, agencies):
    before = (Business.objects.count(), RegistrationEvent.objects.count())

    call_command("seed_demo", stdout=io.StringIO())

    assert (Business.objects.count(), RegistrationEvent.objects.count()) == before
    # One event per step taken: opened, submitted, assessment started, decided, expired (marking the
    # checklist ready is not a status change). 7 verified × 4, the expired one 5, ready and under
    # assessment 3 each, 2 submitted × 2, changes requested 4, rejected 4, the draft 1: 52.
    assert before == (len(demo.REGISTRATIONS), 52) == (15, 52)
