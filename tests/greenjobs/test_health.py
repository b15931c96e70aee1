import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_reports_the_database_and_the_configured_broker(client, settings):
    expected_broker = "ok" if settings.REDIS_URL else "not configured"

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": expected_broker}


@pytest.mark.django_db
def test_healthz_without_a_broker_is_healthy_and_says_so(client, settings):
    settings.REDIS_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "not configured"}


@pytest.mark.django_db
def test_healthz_with_an_unreachable_broker_is_unavailable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_only_get(client):
    response = client.post(reverse("healthz"))

    assert response.status_code == 405
