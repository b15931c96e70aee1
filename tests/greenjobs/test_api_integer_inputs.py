"""Every integer the API reads from a query string or a path, generated from the URL configuration.

Whatever the value (beyond the 64-bit range, negative, not a number, in Persian digits), the answer is
a 2xx, 400 or 404, never a server error, on PostgreSQL and on SQLite alike.
"""

import re

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver
from django_filters import ModelChoiceFilter

from agencies.models import StaffRole
from tests.factories import ApplicantFactory, ProgrammeManagerFactory, make_staff

pytestmark = pytest.mark.django_db

API_PREFIX = "api/v1/"
BAD_INTEGERS = [
    "718011967706737016832",
    "9223372036854775808",
    "-718011967706737016832",
    "-1",
    "abc",
    "۷۱۸۰۱۱۹۶۷۷۰۶۷۳۷۰۱۶۸۳۲",
]
_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")


def _api_patterns(resolver=None, prefix=""):
    """(path regex without anchors, view callback) for every route under the API prefix."""
    for entry in (resolver or get_resolver()).url_patterns:
        text = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from _api_patterns(entry, text)
        elif isinstance(entry, URLPattern) and text.startswith(API_PREFIX):
            yield text, entry.callback


def _integer_filters(filterset_class) -> list[str]:
    return [
        name
        for name, filter_ in filterset_class.base_filters.items()
        if issubclass(filter_.field_class, forms.IntegerField | forms.DecimalField)
        or isinstance(filter_, ModelChoiceFilter)
    ]


def list_endpoints():
    """(path, integer query parameters) of every list the router serves."""
    endpoints = []
    for text, callback in _api_patterns():
        actions = getattr(callback, "actions", None) or {}
        if actions.get("get") != "list" or "(?P<format>" in text:
            continue
        filterset_class = getattr(callback.cls, "filterset_class", None)
        params = _integer_filters(filterset_class) if filterset_class else []
        if getattr(callback.cls, "pagination_class", None) is not None:
            params += ["page", "page_size"]
        endpoints.append(("/" + text, params))
    return endpoints


def path_id_routes():
    """(path template, HTTP methods it answers) of every route with a path parameter."""
    return [
        ("/" + text, sorted(callback.actions))
        for text, callback in _api_patterns()
        if _GROUP.search(text) and "(?P<format>" not in text and getattr(callback, "actions", None)
    ]


def _callers(agencies):
    # One of each way the selectors narrow a list: nobody, an applicant, agency staff, everything.
    return {
        "anonymous": None,
        "applicant": ApplicantFactory(),
        "tvto_officer": make_staff("TVTO", StaffRole.OFFICER),
        "programme_manager": ProgrammeManagerFactory(),
    }


def test_the_generated_cases_cover_the_api():
    # Guards the generator itself: if the walk found nothing, the tests below would pass vacuously.
    endpoints = dict(list_endpoints())
    assert {"centre", "course", "page", "page_size"} <= set(endpoints["/api/v1/training-sessions/"])
    assert {"business"} <= set(endpoints["/api/v1/assessments/"])
    assert {"year", "course"} <= set(endpoints["/api/v1/certificates/"])
    assert len(endpoints) >= 12
    routes = dict(path_id_routes())
    assert routes["/api/v1/training-sessions/(?P<pk>[0-9]{1,18})/"] == ["get"]
    assert len(routes) >= 30


def test_no_integer_filter_of_any_list_is_a_server_error(client, agencies):
    failures = []
    for role, user in _callers(agencies).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for path, params in list_endpoints():
            for param in params:
                for value in BAD_INTEGERS:
                    response = client.get(path, {param: value})
                    if response.status_code >= 500:
                        failures.append(f"{role} GET {path}?{param}={value} → {response.status_code}")
    assert failures == []


def test_no_path_id_is_a_server_error(client, agencies):
    failures = []
    callers = _callers(agencies)
    for role in ("applicant", "programme_manager"):
        client.force_login(callers[role])
        for route, methods in path_id_routes():
            for value in BAD_INTEGERS:
                path = _GROUP.sub(value, route)
                for method in methods:
                    response = getattr(client, method)(path)
                    if response.status_code >= 500:
                        failures.append(f"{role} {method.upper()} {path} → {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("value", ["718011967706737016832", "-1", "۹۹۹"])
def test_an_unknown_centre_is_an_empty_list_or_a_400(client, agencies, value):
    client.force_login(ProgrammeManagerFactory())

    response = client.get("/api/v1/training-sessions/", {"centre": value})

    if value == "718011967706737016832":
        assert response.status_code == 400
        assert list(response.json()) == ["centre"]
    else:
        assert response.status_code == 200
        assert response.json()["results"] == []


def test_a_year_the_calendar_cannot_hold_is_a_400(client, agencies):
    client.force_login(ProgrammeManagerFactory())

    response = client.get("/api/v1/certificates/", {"year": "99999"})

    assert response.status_code == 400
    assert list(response.json()) == ["year"]


def test_page_size_is_read_in_persian_digits_and_capped(client, agencies):
    client.force_login(ProgrammeManagerFactory())

    persian = client.get("/api/v1/goals/", {"page_size": "۲"})
    huge = client.get("/api/v1/goals/", {"page_size": "718011967706737016832"})

    assert len(persian.json()["results"]) == 2
    assert huge.status_code == 200
    assert len(huge.json()["results"]) == 6
