"""The one pager: exact counts up to the limit, an estimate past it, honest wording, forgiving ?page."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from greenjobs.paging import ABOUT, EXACT, MORE_THAN, CheapPaginator, count_rows
from programs.models import Business
from tests.factories import BusinessFactory, ProgrammeManagerFactory, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


def verified(n):
    return [
        BusinessFactory(status="verified", verified_kind="new_green", verified_at=timezone.now())
        for _ in range(n)
    ]


def test_a_list_is_counted_exactly_up_to_the_limit():
    verified(3)

    assert count_rows(Business.objects.filter(status="verified"), limit=3) == (3, EXACT)
    assert count_rows([1, 2, 3, 4], limit=3) == (4, EXACT)


def test_a_filtered_list_past_the_limit_is_counted_only_to_the_limit():
    verified(4)

    assert count_rows(Business.objects.filter(status="verified"), limit=3) == (3, MORE_THAN)


def analyse_businesses():
    with connection.cursor() as cursor:
        # ANALYZE writes pg_class in place: the statistics outlive the test's transaction, so each
        # test that relies on them takes them afresh.
        cursor.execute("ANALYZE programs_business")


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the estimate is PostgreSQL's"
)


@needs_postgresql
def test_a_whole_table_past_the_limit_is_estimated_from_the_statistics():
    verified(5)
    analyse_businesses()

    assert count_rows(Business.objects.select_related("county"), limit=3) == (5, ABOUT)
    # Below the limit the same table is counted, exactly.
    assert count_rows(Business.objects.all(), limit=10) == (5, EXACT)


@needs_postgresql
def test_a_whole_table_whose_statistics_are_below_the_limit_is_counted_not_guessed():
    verified(2)
    analyse_businesses()
    verified(3)

    assert count_rows(Business.objects.all(), limit=3) == (3, MORE_THAN)
    assert count_rows(Business.objects.all(), limit=10) == (5, EXACT)


def test_the_paginator_reads_its_count_once(django_assert_num_queries):
    verified(3)
    paginator = CheapPaginator(Business.objects.order_by("pk"), 2)

    with django_assert_num_queries(1):
        assert (paginator.count, paginator.num_pages, paginator.count_is_estimate) == (3, 2, False)


@pytest.mark.parametrize(
    ("language", "exact", "capped"),
    [("fa", "۳", "بیش از ۲"), ("en", "3", "more than 2")],
)
def test_the_count_reads_as_exact_or_as_more_than_in_the_readers_language(settings, language, exact, capped):
    verified(3)
    queryset = Business.objects.filter(status="verified").order_by("pk")
    with translation.override(language):
        assert CheapPaginator(queryset, 1).count_display == exact
        settings.PAGING_EXACT_COUNT_LIMIT = 2
        paginator = CheapPaginator(queryset, 1)
        assert paginator.count_display == capped
        html = render_to_string("partials/pagination.html", {"page": paginator.page(1), "query": ""})
    assert capped in html
    assert 'data-testid="count-capped"' in html


@pytest.mark.parametrize(
    ("language", "shown"), [("fa", "بیش از ۲ پرونده"), ("en", "more than 2 registrations")]
)
def test_the_registry_says_more_than_when_the_count_is_capped(client, settings, language, shown):
    settings.PAGING_EXACT_COUNT_LIMIT = 2
    verified(3)
    client.force_login(make_staff("TVTO", "officer"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(reverse("programs:registry"))

    assert response.context["page"].paginator.count_kind == MORE_THAN
    assert shown in response.content.decode()


def test_the_page_links_lead_to_the_next_page(client):
    businesses = verified(27)
    client.force_login(make_staff("TVTO", "officer"))

    first = client.get(reverse("programs:registry"))
    second = client.get(reverse("programs:registry"), {"page": "2"})

    assert 'href="?page=2"' in first.content.decode()
    shown = [b.pk for b in first.context["page"].object_list] + [
        b.pk for b in second.context["page"].object_list
    ]
    assert sorted(shown) == sorted(b.pk for b in businesses)


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1.5", "۹۹۹۹۹۹۹", "9" * 40, "9" * 5000, "", "%00"])
def test_a_hostile_page_number_answers_a_page_never_an_error(client, page):
    verified(3)
    client.force_login(make_staff("TVTO", "officer"))

    response = client.get(reverse("programs:registry"), {"page": page})

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3


def test_the_api_says_when_its_count_is_an_estimate(client, settings):
    verified(3)
    client.force_login(ProgrammeManagerFactory())

    exact = client.get("/api/v1/businesses/").json()
    settings.PAGING_EXACT_COUNT_LIMIT = 2
    capped = client.get("/api/v1/businesses/").json()

    assert (exact["count"], exact["count_is_estimate"]) == (3, False)
    assert (capped["count"], capped["count_is_estimate"]) == (2, True)
    assert list(capped) == ["count", "count_is_estimate", "next", "previous", "results"]
    assert len(capped["results"]) == 3


@pytest.mark.parametrize("page", ["abc", "-1", "0", "۹۹۹۹۹۹۹", "9" * 40, "9" * 5000])
def test_the_api_answers_a_hostile_page_number_with_a_clean_404(client, page):
    verified(3)
    client.force_login(ProgrammeManagerFactory())

    response = client.get("/api/v1/businesses/", {"page": page})

    assert response.status_code == 404
    assert "detail" in response.json()
