"""Roles the user record alone decides (accounts.permissions), and the pages that ask for them."""

import pytest
from django.urls import reverse

from accounts import permissions
from tests.people import PEOPLE, person, who_may

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


def test_applicants_and_programme_managers():
    assert who_may(permissions.is_applicant) == {"applicant"}
    assert who_may(permissions.is_programme_manager) == {"programme_manager"}
    assert not permissions.is_applicant(None)


@pytest.mark.parametrize("who", PEOPLE)
def test_the_applicant_dashboard_is_the_applicants_alone(client, who):
    user = person(who)
    url = reverse("measurement:applicant_dashboard")
    if user.is_authenticated:
        client.force_login(user)

    response = client.get(url)

    if who == "anonymous":
        assert (response.status_code, response["Location"]) == (
            302,
            f"{reverse('accounts:login')}?next={url}",
        )
    else:
        assert response.status_code == (200 if who == "applicant" else 403)


@pytest.mark.parametrize("who", PEOPLE)
def test_the_dashboard_asks_for_signing_in_and_sends_each_person_to_their_own(client, who):
    user = person(who)
    url = reverse("accounts:dashboard")
    if user.is_authenticated:
        client.force_login(user)

    response = client.get(url)

    expected = {
        "anonymous": f"{reverse('accounts:login')}?next={url}",
        "applicant": reverse("measurement:applicant_dashboard"),
        "programme_manager": reverse("measurement:programme_dashboard"),
    }.get(who, reverse("measurement:staff_dashboard"))
    assert (response.status_code, response["Location"]) == (302, expected)
