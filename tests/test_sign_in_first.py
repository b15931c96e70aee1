"""Every page asks an anonymous visitor to sign in first, except the public ones listed here.

The URL patterns are read from the resolver, so a page added later is covered without touching this file:
it must either send an anonymous visitor to the sign-in page (with `next`) or be named below as public.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Open to everybody, by URL name (namespace:name): the landing pages, signing in and up, the catalogues,
# the public progress, certificate verification, the language switch and the health check.
PUBLIC = {
    "agencies:home",
    "agencies:memorandum",
    "measurement:public_dashboard",
    "accounts:login",
    "accounts:logout",
    "accounts:sign_up",
    "accounts:sign_up_done",
    "accounts:verify_email",
    "accounts:resend_verification",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "programs:occupation_list",
    "programs:occupation_detail",
    "incentives:scheme_list",
    "incentives:scheme_detail",
    "training:session_list",
    "training:session_detail",
    "training:verify_form",
    "training:verify",
    "healthz",
    "healthz_live",
    "healthz_ready",
    "set_language",
    "javascript-catalog",
    # Help is for everyone, before signing up too.
    "guide:index",
    "guide:role",
    "guide:schemes",
    "guide:faq",
}
# Files and a form target that answer "not found" to a stranger, signed in or not: asking them to sign in
# would tell them the thing exists.
NOT_FOUND_TO_STRANGERS = {
    "programs:document_download": "get",
    "programs:business_transition": "post",
    "measurement:report_download": "get",
    "measurement:report_export": "get",
    "incentives:document_download": "get",
    "monitoring:document_download": "get",
    "monitoring:photo_download": "get",
    "training:certificate_pdf": "get",
    # Operators' metrics: only a scraper with the token, or from an allowed network, sees they exist.
    "metrics": "get",
}
# Forms that only take a POST: after signing in, the visitor comes back to the page that holds the form.
POST_ONLY = {
    "training:enrol": "/training/sessions/1/",
    "training:cancel": "/training/my-training/",
    "training:certificate_revoke": "/training/certificates/",
    "notifications:read_all": "/notifications/",
}
# Whole trees with their own sign-in: the admin's login page, the API (DRF answers 401/403 itself).
PUBLIC_PREFIXES = ("/admin/", "/api/")

# Values for the URL's parameters: the pages answer before they look anything up, or 404 for a stranger.
SAMPLE = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001", "path": "x"}


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}" if entry.name else None


def _concrete(route: str) -> str:
    path = route
    while "<" in path:
        start = path.index("<")
        end = path.index(">", start)
        converter = path[start + 1 : end].split(":")[0] if ":" in path[start:end] else "str"
        path = path[:start] + SAMPLE.get(converter, "1") + path[end + 1 :]
    return "/" + path.lstrip("^").rstrip("$")


def _routes():
    for route, name in _patterns():
        path = _concrete(route)
        if "(?" in path or "\\" in path or path.startswith(PUBLIC_PREFIXES):
            continue
        yield path, name


def _asks_to_sign_in(response, path: str) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path == resolve_url(settings.LOGIN_URL) and parse_qs(location.query).get("next") == [path]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, id=name or path)
        for path, name in _routes()
        if name not in PUBLIC and name not in NOT_FOUND_TO_STRANGERS and name not in POST_ONLY
    ],
)
def test_an_anonymous_visitor_is_asked_to_sign_in(path, agencies):
    response = Client().get(path)

    assert _asks_to_sign_in(response, path), (path, response.status_code, response.get("Location"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_a_form_target_brings_the_visitor_back_to_its_form_after_signing_in(name, agencies):
    path = next(path for path, route_name in _routes() if route_name == name)

    response = Client().post(path)

    assert _asks_to_sign_in(response, POST_ONLY[name]), (path, response.status_code, response.get("Location"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(NOT_FOUND_TO_STRANGERS))
def test_a_private_file_is_not_found_by_an_anonymous_visitor(name, agencies):
    path = next(path for path, route_name in _routes() if route_name == name)

    response = getattr(Client(), NOT_FOUND_TO_STRANGERS[name])(path)

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_a_public_page_opens_without_signing_in(name, agencies):
    routes = [path for path, route_name in _routes() if route_name == name]
    assert routes, f"{name} is not a URL name"

    response = Client().get(routes[0])

    assert not _asks_to_sign_in(response, routes[0])
    assert response.status_code in (200, 302, 400, 404, 405)  # 400: a made-up verification link
