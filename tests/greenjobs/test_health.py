"""/healthz/live (the process answers), /healthz/ready (it can reach what it needs), /healthz (= ready)."""

import pytest
from django.urls import reverse

from greenjobs.uploads import private_storage

READY_URLS = ["healthz", "healthz_ready"]


@pytest.fixture
def redis_expected(settings):
    return "ok" if settings.REDIS_URL else "not configured"


@pytest.mark.django_db
@pytest.mark.parametrize("name", READY_URLS)
def test_ready_reports_the_database_redis_and_storage(client, private_media, redis_expected, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "redis": redis_expected, "storage": "ok"}


@pytest.mark.django_db
def test_the_storage_probe_leaves_no_file_behind(client, private_media):
    client.get(reverse("healthz_ready"))

    assert private_storage().listdir("healthz") == ([], [])


@pytest.mark.django_db
def test_ready_without_redis_is_ready_and_says_so(client, settings, private_media):
    settings.REDIS_URL = ""

    response = client.get(reverse("healthz_ready"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "not configured", "storage": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", READY_URLS)
def test_ready_with_an_unreachable_redis_is_unavailable_and_names_it(client, settings, private_media, name):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse(name))

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["storage"]) == ("unavailable", "ok", "ok")
    assert body["redis"] == "error: ConnectionError"


@pytest.mark.django_db
def test_ready_with_storage_that_cannot_be_written_is_unavailable_and_names_it(client, settings, tmp_path):
    # A folder that cannot be made, whoever runs the tests (root ignores permission bits, not this).
    (tmp_path / "a-file").write_bytes(b"")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "a-file" / "private"

    response = client.get(reverse("healthz_ready"))

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("unavailable", "ok")
    assert body["storage"] == "error: NotADirectoryError"


@pytest.mark.django_db
def test_live_answers_while_its_dependencies_do_not(client, settings, tmp_path, django_assert_num_queries):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    (tmp_path / "a-file").write_bytes(b"")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "a-file" / "private"

    with django_assert_num_queries(0):
        response = client.get(reverse("healthz_live"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["healthz", "healthz_live", "healthz_ready"])
def test_health_checks_are_never_cached(client, private_media, name):
    response = client.get(reverse(name))

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["healthz", "healthz_live", "healthz_ready"])
def test_health_checks_answer_only_get(client, name):
    response = client.post(reverse(name))

    assert response.status_code == 405
