import pytest
import yaml
from rest_framework.test import APIClient

from agencies.models import Agency, Goal, Obligation

pytestmark = pytest.mark.django_db

AGENCIES_URL = "/api/v1/agencies/"
GOALS_URL = "/api/v1/goals/"


@pytest.fixture
def api():
    return APIClient()


def codes(response):
    assert response.status_code == 200
    return [row["code"] for row in response.json()["results"]]


# --- agencies ---


def test_anyone_can_list_the_agencies_page_by_page(api, agencies):
    response = api.get(AGENCIES_URL)

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    assert [row["code"] for row in body["results"]] == ["DOE", "MCLS", "TVTO"]


@pytest.mark.parametrize("typed", ["mcls", "MCLS", "Mcls"])
def test_the_agency_list_filters_by_code_in_any_letter_case(api, agencies, typed):
    assert codes(api.get(AGENCIES_URL, {"code": typed})) == ["MCLS"]


def test_an_unknown_agency_code_filters_to_nothing(api, agencies):
    assert codes(api.get(AGENCIES_URL, {"code": "XYZ"})) == []


def test_one_agency_with_its_undertakings(api, agencies):
    response = api.get(f"{AGENCIES_URL}DOE/")

    assert response.status_code == 200
    body = response.json()
    doe = agencies["DOE"]
    assert {key: body[key] for key in ("code", "name_fa", "name_en", "director_fa", "director_en")} == {
        "code": "DOE",
        "name_fa": doe.name_fa,
        "name_en": doe.name_en,
        "director_fa": "محمودعلی رکنی",
        "director_en": "Mahmoud-Ali Rokni",
    }
    expected = [
        {
            "id": o.pk,
            "text_fa": o.text_fa,
            "text_en": o.text_en,
            "goals": [g.code for g in o.goals.order_by("order")],
        }
        for o in Obligation.objects.filter(agency=doe).order_by("order")
    ]
    assert body["obligations"] == expected
    assert expected[0]["goals"] == ["G1", "G2", "G3", "G4", "G5", "G6"]


def test_an_unknown_agency_is_404(api, agencies):
    assert api.get(f"{AGENCIES_URL}ABC/").status_code == 404


def test_the_agencies_cannot_be_changed_through_the_api(api, agencies):
    created = api.post(AGENCIES_URL, {"code": "NEW", "name_fa": "تازه"}, format="json")
    deleted = api.delete(f"{AGENCIES_URL}DOE/")

    assert created.status_code == 405
    assert deleted.status_code == 405
    assert Agency.objects.count() == 3


# --- goals ---


def test_anyone_can_list_the_six_goals(api, memorandum):
    response = api.get(GOALS_URL)

    body = response.json()
    assert body["count"] == 6
    assert [row["code"] for row in body["results"]] == ["G1", "G2", "G3", "G4", "G5", "G6"]
    first = body["results"][0]
    assert first["title_fa"] == "شناسایی و توسعه مشاغل و کارآفرینی سبز از طریق به‌کارگیری مشوق‌های مناسب"
    assert first["signed_on"] == "2015-04-19"


@pytest.mark.parametrize("typed", ["G3", "g3"])
def test_the_goal_list_filters_by_code(api, memorandum, typed):
    assert codes(api.get(GOALS_URL, {"code": typed})) == ["G3"]


@pytest.mark.parametrize(
    ("agency", "goals"),
    [("MCLS", ["G1", "G4", "G5"]), ("mcls", ["G1", "G4", "G5"]), ("TVTO", ["G3", "G4", "G5"])],
)
def test_the_goal_list_filters_by_the_agency_whose_undertakings_serve_them(api, memorandum, agency, goals):
    response = api.get(GOALS_URL, {"agency": agency})

    assert codes(response) == goals
    assert response.json()["count"] == len(goals)


# --- query counts stay flat as rows grow ---

AGENCY_LIST_QUERIES = 4  # count, agencies, their obligations, the obligations' goals
GOAL_LIST_QUERIES = 2  # count, goals with their memorandum


def test_the_agency_list_costs_the_same_queries_however_many_undertakings(
    api, memorandum, django_assert_num_queries
):
    with django_assert_num_queries(AGENCY_LIST_QUERIES):
        small = api.get(AGENCIES_URL)

    goals = list(memorandum.goals.all())
    for agency in Agency.objects.all():
        for order in range(10, 20):
            obligation = Obligation.objects.create(
                memorandum=memorandum,
                agency=agency,
                order=order,
                text_fa=f"تعهد {order}",
                text_en=f"Duty {order}",
            )
            obligation.goals.set(goals[: order % 6 + 1])

    with django_assert_num_queries(AGENCY_LIST_QUERIES):
        large = api.get(AGENCIES_URL)

    assert sum(len(row["obligations"]) for row in small.json()["results"]) == 6
    assert sum(len(row["obligations"]) for row in large.json()["results"]) == 36


def test_the_goal_list_costs_the_same_queries_however_many_goals(api, memorandum, django_assert_num_queries):
    with django_assert_num_queries(GOAL_LIST_QUERIES):
        small = api.get(GOALS_URL)

    Goal.objects.bulk_create(
        Goal(memorandum=memorandum, code=f"G{n}", title_fa=f"هدف {n}", title_en=f"Goal {n}", order=n)
        for n in range(7, 20)
    )

    with django_assert_num_queries(GOAL_LIST_QUERIES):
        large = api.get(GOALS_URL)

    assert small.json()["count"] == 6
    assert large.json()["count"] == 19
    assert len(large.json()["results"]) == 19


# --- the API's description ---


def test_the_schema_is_an_openapi_3_document_describing_the_api(api):
    response = api.get("/api/schema/")

    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Green Jobs Qom API"
    for path in ("/api/v1/agencies/", "/api/v1/agencies/{code}/", "/api/v1/goals/", "/api/v1/auth/token/"):
        assert path in document["paths"], path
    assert "post" in document["paths"]["/api/v1/auth/token/"]


def test_the_schema_is_also_served_as_json(api):
    response = api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_the_api_docs_page_opens(api):
    response = api.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
