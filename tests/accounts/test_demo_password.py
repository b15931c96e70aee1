"""The README publishes the demo password: outside the local demo it can neither be seeded nor used."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import PASSWORD, ApplicantFactory

pytestmark = pytest.mark.django_db

PUBLISHED = "GreenQom-1405"


@pytest.fixture
def deployed(settings):
    """The settings of a deployment: the published password is not allowed."""
    settings.COMMITTED_DEMO_PASSWORD_ALLOWED = False
    return settings


def test_a_deployment_without_its_own_demo_password_refuses_to_seed(deployed, agencies):
    deployed.DEMO_PASSWORD = ""

    with pytest.raises(CommandError, match="Set DEMO_PASSWORD"):
        call_command("seed_demo")


def test_a_deployment_refuses_to_seed_with_the_published_password(deployed, agencies):
    from django.contrib.auth import get_user_model

    deployed.DEMO_PASSWORD = PUBLISHED

    with pytest.raises(CommandError, match="published in the README"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="admin").exists()


def test_no_account_signs_in_with_the_published_password_in_a_deployment(client, deployed):
    # given: an account whose password is the published one (put there before, or by hand)
    person = ApplicantFactory(username="admin@example.ir", email="admin@example.ir", password=PUBLISHED)

    # when
    response = client.post(reverse("accounts:login"), {"username": "admin@example.ir", "password": PUBLISHED})

    # then
    assert response.status_code == 200
    assert client.session.get("_auth_user_id") is None
    person.refresh_from_db()
    assert person.last_login is None


def test_the_local_demo_still_signs_in_with_it(client, settings):
    assert settings.COMMITTED_DEMO_PASSWORD_ALLOWED is True
    ApplicantFactory(username="demo@example.ir", email="demo@example.ir", password=PUBLISHED)

    response = client.post(reverse("accounts:login"), {"username": "demo@example.ir", "password": PUBLISHED})

    assert response.status_code == 302


def test_other_passwords_work_in_a_deployment(client, deployed):
    ApplicantFactory(username="real@example.ir", email="real@example.ir")

    response = client.post(reverse("accounts:login"), {"username": "real@example.ir", "password": PASSWORD})

    assert response.status_code == 302


def test_the_compose_stack_does_not_seed_demo_data_unless_asked():
    from pathlib import Path

    compose = (Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text()

    assert "SEED_DEMO: ${SEED_DEMO:-0}" in compose
    assert "GreenQom" not in compose
