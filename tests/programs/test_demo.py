import io

import pytest
from django.core.management import call_command

from programs.models import Business, RegistrationEvent, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_registrations_in_every_status_so_every_queue_has_work(agencies):
    call_command("seed_demo", stdout=io.StringIO())

    statuses = set(Business.objects.values_list("status", flat=True))
    assert statuses == set(RegistrationStatus.values)
    verified = Business.objects.filter(status="verified")
    assert {business.verified_kind for business in verified} == {"new_green", "greened_existing"}
    assert all(business.events.exists() for business in Business.objects.all())


def test_loading_the_demo_twice_adds_no_registrations_or_events(agencies):
    call_command("seed_demo", stdout=io.StringIO())
    before = (Business.objects.count(), RegistrationEvent.objects.count())

    call_command("seed_demo", stdout=io.StringIO())

    assert (Business.objects.count(), RegistrationEvent.objects.count()) == before == (15, before[1])
