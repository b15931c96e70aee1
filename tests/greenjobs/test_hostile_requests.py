"""Requests nobody's browser sends: each is refused as a bad request and changes nothing."""

import json

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from incentives.models import LoanScheme
from tests.factories import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


@pytest.mark.parametrize(
    "url",
    [
        "/training/verify/%00/",
        "/api/v1/certificate-verification/%00/",
        "/programs/occupations/?q=%00",
        "/programs/occupations/?sector=%00",
        "/loans/schemes/?county=a%00b",
        "/training/sessions/?occupation=%00",
        "/programs/occupations/?%00=1",
    ],
)
def test_a_nul_character_in_a_url_is_a_bad_request_not_a_server_error(client, url):
    response = client.get(url)

    assert response.status_code == 400


def test_a_nul_character_in_a_form_is_a_bad_request_and_signs_nobody_in(client):
    before = get_user_model().objects.count()

    response = client.post("/accounts/login/", {"username": "admin\x00", "password": "x"})

    assert response.status_code == 400
    assert client.session.get("_auth_user_id") is None
    assert get_user_model().objects.count() == before


def manager_api():
    client = APIClient()
    client.force_authenticate(make_staff("MCLS", "manager"))
    return client


def test_deeply_nested_json_is_a_bad_request(client):
    body = "[" * 50_000 + "]" * 50_000

    response = manager_api().post("/api/v1/schemes/", body, content_type="application/json")

    assert response.status_code == 400
    assert LoanScheme.objects.count() == 0


def test_a_nul_character_inside_json_is_a_bad_request():
    body = json.dumps({"code": "GL1406", "title_fa": "طرح\u0000", "title_en": "Scheme"})

    response = manager_api().post("/api/v1/schemes/", body, content_type="application/json")

    assert response.status_code == 400
    assert LoanScheme.objects.count() == 0


def test_ordinary_json_is_still_read():
    response = manager_api().post(
        "/api/v1/schemes/", json.dumps({"code": ""}), content_type="application/json"
    )

    assert response.status_code == 400
    assert "code" in response.json()


@pytest.mark.parametrize("sent", [123, True, [None, None], {"year": 1405}])
@pytest.mark.parametrize(
    ("url", "field"), [("/api/v1/schemes/", "closes_on"), ("/api/v1/awareness-activities/", "held_on")]
)
def test_a_date_sent_as_anything_but_text_is_a_bad_request(url, field, sent):
    response = manager_api().post(url, json.dumps({field: sent}), content_type="application/json")

    assert response.status_code == 400
    assert field in response.json()
