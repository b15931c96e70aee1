"""Finding registrations: Persian search folding, the queue's filters and order, ageing, htmx, queries."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.services.registrations import business_create, business_transition
from tests.factories import (
    ApplicantFactory,
    GreenJobFactory,
    ProgrammeManagerFactory,
    make_staff,
    registration_in,
    valid_business_id,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.fixture
def doe(client):
    client.force_login(make_staff("DOE", "officer"))
    return client


def queue(client, **params):
    response = client.get(reverse("programs:assessment_queue"), params)
    assert response.status_code == 200
    return [b.pk for b in response.context["page"].object_list]


def submitted_named(name, **kwargs):
    return registration_in("submitted", legal_name=name, **kwargs)


# --- Persian search folding ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["شرکت کیمیا", "شركت كيميا", "كيميا", "کیمیا", "  شرکت   کیمیا "])
def test_a_persian_name_is_found_whether_typed_with_persian_or_arabic_letters(doe, query):
    kimia = submitted_named("شرکت کیمیا")
    submitted_named("شرکت پارس")

    assert queue(doe, q=query) == [kimia.pk]


@pytest.mark.parametrize("query", ["شرکت کیمیا", "شركت كيميا"])
def test_a_name_stored_with_arabic_letters_is_found_by_either_spelling(doe, query):
    # as a legacy import might have left it, unnormalised
    kimia = submitted_named("شركت كيميا")
    submitted_named("شرکت پارس")

    assert queue(doe, q=query) == [kimia.pk]


def test_a_name_typed_with_arabic_letters_is_stored_in_persian_and_found_by_both():
    owner = ApplicantFactory()

    business = business_create(owner=owner, data={"legal_name": "شركت  كيميا"})

    assert business.legal_name == "شرکت کیمیا"
    assert business.search_text == "شرکتکیمیا"


RECYCLERS = ["بازیافت\u200cگران", "بازیافت گران", "بازیافتگران"]


@pytest.mark.parametrize("stored", RECYCLERS, ids=["zwnj", "space", "joined"])
@pytest.mark.parametrize("query", RECYCLERS, ids=["zwnj", "space", "joined"])
def test_zwnj_space_and_joined_spellings_find_the_same_record(doe, stored, query):
    recyclers = submitted_named(f"تعاونی {stored} قم")
    submitted_named("تعاونی بازیافت کوثر")

    assert queue(doe, q=query) == [recyclers.pk]


BUSINESS_ID = valid_business_id("1086012345")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "query",
    [BUSINESS_ID, BUSINESS_ID.translate(PERSIAN_DIGITS), BUSINESS_ID.translate(ARABIC_DIGITS),
     BUSINESS_ID[3:9].translate(PERSIAN_DIGITS)],
    ids=["latin", "persian", "arabic-indic", "part-persian"],
)  # fmt: skip
def test_the_business_id_is_found_in_any_digits(doe, query):
    found = submitted_named("شرکت شناسه", national_business_id=BUSINESS_ID)
    submitted_named("شرکت دیگر", national_business_id=valid_business_id("1086099999"))

    assert queue(doe, q=query) == [found.pk]


def test_a_business_id_typed_in_persian_digits_is_stored_in_latin_digits():
    business = business_create(
        owner=ApplicantFactory(),
        data={"legal_name": "شرکت شناسه", "national_business_id": BUSINESS_ID.translate(PERSIAN_DIGITS)},
    )

    assert business.national_business_id == BUSINESS_ID


def test_the_registry_searches_the_same_way(client):
    kimia = registration_in("verified", legal_name="شرکت کیمیا")
    registration_in("verified", legal_name="شرکت پارس")
    client.force_login(make_staff("MCLS", "reviewer"))

    response = client.get(reverse("programs:registry"), {"q": "شركت كيميا"})

    assert [b.pk for b in response.context["page"].object_list] == [kimia.pk]


# --- the queue's filters ------------------------------------------------------------------------------------


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, 0, tzinfo=TEHRAN)


@pytest.fixture
def cases(time_machine):
    """Registrations differing in one thing each, submitted on known Jalali days."""

    def on(day, status, **kwargs):
        time_machine.move_to(at(day), tick=False)
        return registration_in(status, **kwargs)

    made = {
        # 1403/12/30
        "a": on(datetime.date(2025, 3, 20), "submitted", county=county_("qom"), sector="energy"),
        # 1404/01/01
        "b": on(
            datetime.date(2025, 3, 21), "under_assessment", county=county_("kahak"), sector="water",
            is_knowledge_based=True, knowledge_based_number="KB-77",
            knowledge_based_as_of=datetime.date(2024, 5, 1),
        ),
        # 1404/01/15
        "c": on(datetime.date(2025, 4, 4), "verified", county=county_("jafarabad"), sector="waste",
                verified_kind="new_green"),
        # 1404/01/16
        "d": on(datetime.date(2025, 4, 5), "verified", sector="energy", verified_kind="greened_existing"),
        "e": on(datetime.date(2025, 5, 1), "changes_requested", sector="agriculture"),
        "f": on(datetime.date(2025, 5, 2), "rejected", sector="agriculture"),
        "g": on(datetime.date(2025, 5, 3), "draft", sector="energy"),
    }  # fmt: skip
    time_machine.move_to(at(datetime.date(2025, 5, 10)), tick=False)
    return {key: business.pk for key, business in made.items()}


def county_(code):
    from tests.factories import county

    return county(code)


def keys(cases, pks):
    by_pk = {pk: key for key, pk in cases.items()}
    return [by_pk[pk] for pk in pks]


def test_the_default_queue_is_what_waits_for_doe_oldest_first(doe, cases):
    assert keys(cases, queue(doe)) == ["a", "b"]
    assert keys(cases, queue(doe, status="open")) == ["a", "b"]


def test_all_statuses_except_drafts_oldest_first(doe, cases):
    assert keys(cases, queue(doe, status="")) == ["a", "b", "c", "d", "e", "f"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "submitted"}, ["a"]),
        ({"status": "verified"}, ["c", "d"]),
        ({"status": "rejected"}, ["f"]),
        ({"status": "", "county": "kahak"}, ["b"]),
        ({"status": "", "county": "qom"}, ["a", "d", "e", "f"]),
        ({"status": "", "sector": "energy"}, ["a", "d"]),
        ({"status": "", "verified_kind": "new_green"}, ["c"]),
        ({"status": "", "verified_kind": "greened_existing"}, ["d"]),
        ({"status": "", "knowledge_based": "yes"}, ["b"]),
        ({"status": "", "knowledge_based": "no"}, ["a", "c", "d", "e", "f"]),
        ({"status": "", "submitted_from": "۱۴۰۴/۰۱/۰۱", "submitted_to": "۱۴۰۴/۰۱/۱۵"}, ["b", "c"]),
        ({"status": "", "submitted_from": "1404/01/16"}, ["d", "e", "f"]),
        ({"status": "", "submitted_to": "١٤٠٣/١٢/٣٠"}, ["a"]),
        ({"status": "verified", "sector": "energy"}, ["d"]),
        ({"sector": "water"}, ["b"]),
        ({"status": "", "sector": "tourism"}, []),
    ],
)
def test_queue_filters(doe, cases, params, expected):
    assert keys(cases, queue(doe, **params)) == expected


def test_a_mistyped_date_keeps_the_other_filters(doe, cases):
    response = doe.get(
        reverse("programs:assessment_queue"), {"sector": "energy", "submitted_from": "۱۴۰۴/۱۳/۰۱"}
    )

    assert "submitted_from" in response.context["form"].errors
    assert keys(cases, [b.pk for b in response.context["page"].object_list]) == ["a"]


def test_the_registry_lists_verified_and_expired_newest_verification_first(client, time_machine):
    time_machine.move_to(at(datetime.date(2025, 1, 1)), tick=False)
    older = registration_in("expired")
    time_machine.move_to(at(datetime.date(2025, 2, 1)), tick=False)
    newer = registration_in("verified")
    registration_in("submitted")
    client.force_login(ProgrammeManagerFactory())

    response = client.get(reverse("programs:registry"))

    assert [b.pk for b in response.context["page"].object_list] == [newer.pk, older.pk]


# --- ageing -------------------------------------------------------------------------------------------------

AGEING = re.compile(r'<span class="badge ([^"]+)" data-testid="ageing"[^>]*>([^<]*)</span>')


@pytest.mark.parametrize(
    ("days", "badge", "shown"),
    [(0, "text-bg-light border", "۰"), (14, "text-bg-light border", "۱۴"), (15, "text-bg-danger", "۱۵")],
)
def test_the_ageing_badge_turns_red_past_the_service_level(doe, settings, time_machine, days, badge, shown):
    settings.ASSESSMENT_SLA_DAYS = 14
    start = at(datetime.date(2025, 6, 1))
    time_machine.move_to(start, tick=False)
    registration_in("submitted")
    time_machine.move_to(start + datetime.timedelta(days=days, hours=1), tick=False)

    response = doe.get(reverse("programs:assessment_queue"))

    assert AGEING.findall(response.content.decode()) == [(badge, shown)]


def test_ageing_counts_from_the_last_change_of_status(doe, settings, time_machine):
    settings.ASSESSMENT_SLA_DAYS = 3
    start = at(datetime.date(2025, 6, 1))
    time_machine.move_to(start, tick=False)
    business = registration_in("submitted")
    time_machine.move_to(start + datetime.timedelta(days=10), tick=False)
    business_transition(business_id=business.pk, actor=make_staff("DOE", "officer"), name="start_assessment")
    time_machine.move_to(start + datetime.timedelta(days=12), tick=False)

    response = doe.get(reverse("programs:assessment_queue"))

    assert AGEING.findall(response.content.decode()) == [("text-bg-light border", "۲")]


# --- htmx ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["programs:assessment_queue", "programs:registry"])
def test_an_htmx_request_gets_only_the_table(doe, page):
    registration_in("verified", legal_name="شرکت کیمیا")
    registration_in("submitted", legal_name="شرکت پارس")

    full = doe.get(reverse(page))
    partial = doe.get(reverse(page), HTTP_HX_REQUEST="true")

    assert partial.status_code == 200
    body = partial.content.decode().strip()
    assert body.startswith('<div id="queue-table">')
    assert body.endswith("</div>")
    assert "<html" not in body and 'data-testid="queue-filters"' not in body
    assert [t.name for t in partial.templates] == [
        "programs/queue/_table.html",
        "partials/status_badge.html",
        "partials/pagination.html",
    ]
    assert "<html" in full.content.decode() and 'data-testid="queue-filters"' in full.content.decode()
    assert body in full.content.decode()


# --- constant query counts ----------------------------------------------------------------------------------


def with_jobs(business, count=2):
    for _ in range(count - 1):  # ready_to_submit already listed one
        GreenJobFactory(business=business)
    return business


# Measured at 3 registrations; the same number must hold at 20. The green-job counts are one query over
# the page's ids; the queue's four status badges are one bounded count each; the header's unread
# notifications one more.
MY_BUSINESSES_QUERIES = 6
QUEUE_QUERIES = 12
REGISTRY_QUERIES = 8


@pytest.mark.parametrize("size", [3, 20])
def test_my_businesses_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    owner = ApplicantFactory()
    statuses = ["draft", "submitted", "under_assessment", "verified"]
    for i in range(size):
        with_jobs(registration_in(statuses[i % 4], owner=owner))
    client.force_login(owner)

    with django_assert_num_queries(MY_BUSINESSES_QUERIES):
        response = client.get(reverse("programs:my_businesses"))

    assert len(response.context["page"].object_list) == size
    assert {b.green_jobs_count for b in response.context["page"].object_list} == {2}


@pytest.mark.parametrize("size", [3, 20])
def test_the_assessment_queue_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    for i in range(size):
        with_jobs(registration_in("submitted" if i % 2 else "under_assessment"))
    client.force_login(make_staff("DOE", "reviewer"))

    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("programs:assessment_queue"))

    assert len(response.context["page"].object_list) == size


@pytest.mark.parametrize("size", [3, 20])
def test_the_registry_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    for i in range(size):
        with_jobs(registration_in("verified" if i % 2 else "expired"))
    client.force_login(make_staff("TVTO", "officer"))

    with django_assert_num_queries(REGISTRY_QUERIES):
        response = client.get(reverse("programs:registry"))

    assert len(response.context["page"].object_list) == size


def test_the_registry_groups_green_jobs_over_the_page_only_and_counts_them_right(client):
    # given: more verified registrations than a page holds, with different numbers of jobs
    businesses = [with_jobs(registration_in("verified"), count=1 + i % 3) for i in range(30)]
    client.force_login(make_staff("TVTO", "officer"))

    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("programs:registry"))

    # then: the rows and the pager's count never group the whole table; the one grouping names the page's ids
    page = response.context["page"]
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    listing = [q["sql"] for q in queries.captured_queries if 'FROM "programs_business"' in q["sql"]]
    assert all("GROUP BY" not in sql for sql in listing)
    assert len([sql for sql in grouped if "programs_greenjob" in sql]) == 1
    assert len(page.object_list) == 25 and page.paginator.count == 30
    expected = {business.pk: 1 + i % 3 for i, business in enumerate(businesses)}
    assert {b.pk: b.green_jobs_count for b in page.object_list} == {
        b.pk: expected[b.pk] for b in page.object_list
    }


def test_the_queue_badges_count_up_to_the_pagers_limit_and_say_more_than_beyond(client, settings):
    settings.PAGING_EXACT_COUNT_LIMIT = 2
    for _ in range(3):
        registration_in("submitted")
    registration_in("under_assessment")
    client.force_login(make_staff("DOE", "officer"))
    client.cookies["django_language"] = "en"

    content = client.get(reverse("programs:assessment_queue")).content.decode()

    badges = content.split('data-testid="status-counts"')[1].split("</div>")[0]
    assert "Submitted: more than 2" in badges
    assert "Under assessment: 1" in badges
