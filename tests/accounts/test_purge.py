"""The nightly purge frees the identifiers of abandoned sign-ups, and nothing else."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts import services
from accounts.tasks import purge_unverified_signups
from tests.factories import ApplicantFactory, registration_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

User = get_user_model()


def signed_up(days_ago: int, **fields):
    user = ApplicantFactory(email_verified_at=None, **fields)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - datetime.timedelta(days=days_ago))
    return user


def agency_made(days_ago: int):
    """An account the registry import or the training roster made: no usable password, never verified."""
    user = signed_up(days_ago)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def test_an_abandoned_sign_up_is_purged_and_everyone_else_stays():
    # given
    abandoned = signed_up(8)
    recent = signed_up(6)
    verified = ApplicantFactory()
    User.objects.filter(pk=verified.pk).update(date_joined=timezone.now() - datetime.timedelta(days=30))
    signed_in = signed_up(8)
    User.objects.filter(pk=signed_in.pk).update(last_login=timezone.now())

    # when
    purged = services.unverified_signups_purge()

    # then
    assert purged == 1
    assert set(User.objects.values_list("pk", flat=True)) == {recent.pk, verified.pk, signed_in.pk}
    assert not User.objects.filter(pk=abandoned.pk).exists()


def test_accounts_made_by_an_agency_are_never_purged_and_the_nightly_run_does_not_fail():
    # given: an owner the registry import created a week and more ago, holding a registration
    imported_owner = agency_made(30)
    registration_in("verified", owner=imported_owner)
    idle_imported = agency_made(30)
    abandoned = signed_up(9)

    # when: the nightly task runs
    purged = purge_unverified_signups()

    # then
    assert purged == 1
    assert User.objects.filter(pk__in=[imported_owner.pk, idle_imported.pk]).count() == 2
    assert not User.objects.filter(pk=abandoned.pk).exists()


def test_a_sign_up_something_refers_to_is_kept_and_the_others_are_still_purged():
    # given: an unverified sign-up that nevertheless owns a registration (made by staff on their behalf)
    owner = signed_up(10)
    registration_in("draft", owner=owner)
    abandoned = signed_up(10)

    # when
    purged = services.unverified_signups_purge()

    # then
    assert purged == 1
    assert User.objects.filter(pk=owner.pk).exists()
    assert not User.objects.filter(pk=abandoned.pk).exists()
