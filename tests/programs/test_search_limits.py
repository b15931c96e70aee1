"""Searching the catalogue by sector name, and what every registry search box does with a text too long."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from programs import seed
from programs.forms.search import SEARCH_MAX_LENGTH
from tests.factories import ProgrammeManagerFactory, make_staff, registration_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

LIST_URL = reverse("programs:occupation_list")
AGRICULTURE = ["GJ-AG-01", "GJ-AG-02", "GJ-AG-03"]
TOO_LONG = "کشاورزی " * 38  # 304 characters, 303 once the box strips the trailing space
TOO_LONG_EN = "A search has at most 100 characters; this one has 303. Shorten it to a few words."
TOO_LONG_FA = "متن جست‌وجو حداکثر ۱۰۰ نویسه است؛ این یکی ۳۰۳ نویسه دارد. آن را به چند واژه کوتاه کنید."


@pytest.fixture(autouse=True)
def catalogue():
    seed.load()


def codes_in(content):
    return re.findall(r'data-testid="occupation-code">([^<]+)<', content)


def listed(client, **params):
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return codes_in(response.content.decode())


# --- the catalogue searches the sector by its name ------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "کشاورزی",
        "كشاورزي",  # Arabic kaf and yeh
        "کشاورزی پایدار",
        "کشاورزی\u200cپایدار",  # joined by a ZWNJ
        "کشاورزیپایدار",
        "agriculture",
        "Sustainable Agriculture",
    ],
)
def test_a_sector_name_finds_the_occupations_of_that_sector(client, query):
    assert listed(client, q=query) == AGRICULTURE


def test_a_sector_search_combines_with_the_kind_filter(client):
    assert listed(client, q="کشاورزی", kind="greened_existing") == ["GJ-AG-03"]


def test_the_english_sector_name_finds_its_sector(client):
    assert listed(client, q="Water and irrigation") == ["GJ-WA-01", "GJ-WA-02", "GJ-WA-03"]


@pytest.mark.parametrize("query", ["GJ-AG-۰۲", "gj-ag-02", "گیاهان دارویی"])
def test_code_and_name_searches_still_work(client, query):
    assert listed(client, q=query) == ["GJ-AG-02"]


def test_the_api_searches_the_sector_too():
    response = APIClient().get("/api/v1/occupations/", {"q": "كشاورزي"})

    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == AGRICULTURE


# --- a search text too long ---------------------------------------------------------------------------------


def test_the_longest_search_is_still_run(client):
    query = "کشاورزی" + " " * (SEARCH_MAX_LENGTH - 13) + "پایدار"
    assert len(query) == SEARCH_MAX_LENGTH

    assert listed(client, q=query) == AGRICULTURE


@pytest.mark.parametrize(("language", "message"), [("en", TOO_LONG_EN), ("fa", TOO_LONG_FA)])
def test_a_catalogue_search_too_long_says_so_lists_nothing_and_keeps_the_text(client, language, message):
    client.cookies["django_language"] = language

    response = client.get(LIST_URL, {"q": TOO_LONG})

    content = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<div class="alert alert-warning" role="alert" data-testid="search-error">{message}</div>' in content
    )
    assert codes_in(content) == []
    assert 'data-testid="occupation-count"' not in content
    assert 'data-testid="occupation-none"' not in content
    assert f'value="{TOO_LONG}"' in content


def test_htmx_gets_the_message_in_the_results_it_swaps(client):
    client.cookies["django_language"] = "en"

    response = client.get(LIST_URL, {"q": TOO_LONG, "sector": "water"}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert TOO_LONG_EN in content
    assert codes_in(content) == []


@pytest.mark.parametrize(
    ("page", "user"),
    [
        ("programs:assessment_queue", lambda: make_staff("DOE", "officer")),
        ("programs:registry", lambda: make_staff("MCLS", "reviewer")),
        ("programs:registry", ProgrammeManagerFactory),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_registry_search_too_long_says_so_and_lists_nothing(client, page, user, htmx):
    registration_in("submitted")
    registration_in("verified")
    client.force_login(user())
    client.cookies["django_language"] = "en"

    response = client.get(reverse(page), {"q": TOO_LONG}, headers={"HX-Request": "true"} if htmx else {})

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    content = response.content.decode()
    assert f'data-testid="search-error">{TOO_LONG_EN}</div>' in content
    assert 'data-testid="queue-row"' not in content
    assert 'data-testid="result-count"' not in content


def test_the_queue_with_a_short_search_and_other_filters_still_works(client):
    wanted = registration_in("submitted", legal_name="شرکت کیمیا")
    registration_in("submitted", legal_name="شرکت پارس")
    client.force_login(make_staff("DOE", "officer"))

    response = client.get(reverse("programs:assessment_queue"), {"q": "كيميا", "status": "open"})

    assert [b.pk for b in response.context["page"].object_list] == [wanted.pk]
    assert 'data-testid="search-error"' not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "user"),
    [
        ("/api/v1/occupations/", None),
        ("/api/v1/businesses/", lambda: make_staff("DOE", "officer")),
    ],
)
def test_the_api_answers_a_search_too_long_with_400(url, user):
    client = APIClient()
    client.cookies["django_language"] = "en"
    if user:
        client.force_authenticate(user())

    response = client.get(url, {"q": TOO_LONG})

    assert response.status_code == 400
    assert response.json() == {"q": [TOO_LONG_EN]}
