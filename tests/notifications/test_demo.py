"""The demo of `make run` opens on inboxes that read real: its story's notifications, in the past,
the newest few unread."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from programs.models import RegistrationEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


@pytest.mark.parametrize("username", ["applicant", "doe_officer", "doe_reviewer", "mcls_manager"])
def test_each_demo_role_finds_a_few_unread_notifications_among_older_read_ones(username):
    person = get_user_model().objects.get(username=username)
    mine = Notification.objects.filter(recipient=person)

    assert mine.filter(read_at__isnull=True).count() == 3
    assert mine.filter(read_at__isnull=False).exists()


def test_the_notifications_keep_the_moments_of_their_events():
    applicant = get_user_model().objects.get(username="applicant")
    # The first move after the draft was opened (opening it mails no one).
    event = (
        RegistrationEvent.objects.filter(business__owner=applicant).exclude(from_status="").order_by("at")[0]
    )

    notification = Notification.objects.get(recipient=applicant, key=f"programs.event:{event.pk}")

    assert notification.created_at == event.at
    assert notification.created_at < timezone.now() - timezone.timedelta(days=30)


def test_the_applicants_inbox_opens_in_persian_with_its_cases(client):
    client.force_login(get_user_model().objects.get(username="applicant"))

    page = client.get(reverse("notifications:inbox")).content.decode()

    assert page.count(" data-unread>") == 3
    assert 'aria-label="اعلان‌ها: ۳ خوانده‌نشده"' in page
