import json

import pytest
from django.db import connection


@pytest.fixture
def unreachable_database(transactional_db):
    """Points the live connection at a closed port, then restores it for the test's teardown."""
    original = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict["PORT"] = "1"
    else:
        connection.settings_dict["NAME"] = "/nonexistent/dir/db.sqlite3"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)


@pytest.mark.parametrize("path", ["/healthz", "/healthz/ready"])
def test_ready_answers_503_naming_the_database_when_it_cannot_be_reached(client, unreachable_database, path):
    response = client.get(path)

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["database"] == "error: OperationalError"
    assert body["storage"] == "ok"


def test_live_answers_200_when_the_database_cannot_be_reached(client, unreachable_database):
    response = client.get("/healthz/live")

    assert response.status_code == 200


def test_healthz_answers_200_when_the_database_is_up(client, transactional_db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content)["database"] == "ok"
