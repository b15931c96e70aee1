import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
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


# The notification centre, as the demo leaves it (loaded here, where the demo is loaded anyway): each
# role opens on a few unread notifications among older read ones, dated as their events.


@pytest.mark.parametrize("username", ["applicant", "doe_officer", "doe_reviewer", "mcls_manager"])
def test_each_demo_role_finds_a_few_unread_notifications_among_older_read_ones(demo_once, agencies, username):
    person = get_user_model().objects.get(username=username)
    mine = Notification.objects.filter(recipient=person)

    assert mine.filter(read_at__isnull=True).count() == 3
    assert mine.filter(read_at__isnull=False).exists()


def test_the_demo_notifications_keep_the_moments_of_their_events(demo_once, agencies):
    applicant = get_user_model().objects.get(username="applicant")
    # The first move after the draft was opened (opening it mails no one).
    moves = RegistrationEvent.objects.filter(business__owner=applicant).exclude(from_status="")
    event = moves.order_by("at")[0]

    notification = Notification.objects.get(recipient=applicant, key=f"programs.event:{event.pk}")

    assert notification.created_at == event.at
    assert notification.created_at < timezone.now() - timezone.timedelta(days=30)


def test_the_demo_applicants_inbox_opens_in_persian_with_its_unread_ones_marked(demo_once, agencies, client):
    client.force_login(get_user_model().objects.get(username="applicant"))

    page = client.get(reverse("notifications:inbox")).content.decode()

    assert page.count(" data-unread>") == 3
    assert 'aria-label="اعلان‌ها: ۳ خوانده‌نشده"' in page
