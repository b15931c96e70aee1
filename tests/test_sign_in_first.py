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

# Open to everybody, by URL name (namespace:name).
PUBLIC = {
    "agencies:landing",
    "agencies:public_dashboard",
    "accounts:login",
    "accounts:signup",
    "accounts:signup_done",
    "accounts:verify_email",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:logout",
    "training:verify_form",
    "training:verify",
    "healthz",
    "set_language",
    "javascript-catalog",
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


def _pages():
    for route, name in _patterns():
        path = _concrete(route)
        if "(?" in path or "\\" in path or path.startswith(PUBLIC_PREFIXES) or name in PUBLIC:
            continue
        yield pytest.param(path, id=name or path)


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(_pages()))
def test_an_anonymous_visitor_is_asked_to_sign_in(path, agencies):
    response = Client().get(path)

    assert response.status_code == 302, (path, response.status_code)
    location = urlsplit(response["Location"])
    assert location.path == resolve_url(settings.LOGIN_URL)
    assert parse_qs(location.query)["next"] == [path]
