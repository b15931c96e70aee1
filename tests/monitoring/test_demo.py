"""The demo of `make run` has monitoring to show: a warned shortfall, a report waiting, reports missed."""

import pytest

from monitoring.models import Decision, Round, SiteVisit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


def test_the_demo_has_rounds_in_every_state_the_pages_show():
    statuses = set(Round.objects.values_list("status", flat=True))
    assert {"decided", "reported", "overdue", "pending"} <= statuses
    assert Decision.objects.filter(kind="warning", follow_up__isnull=False).count() == 1
    assert Round.objects.filter(flag="repeated_missed").exists()
    assert SiteVisit.objects.filter(status="planned").count() == 1
