"""Every role, over the demo data, in Persian and in English: every link and every filter option it can
reach answers without a server error, Persian pages are right to left and their prose has no Latin digits.

This is the suite's guard against the class of defect that a walk through the portal finds and unit tests
miss: a record in an unusual state that breaks its page, a filter value nobody tried, a count formatted by
hand. The demo data is loaded once for the module (inside a transaction that is rolled back at the end),
and each crawl is bounded so the whole module stays within a couple of minutes.
"""

import os
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client

ROLES = [
    None,
    "applicant",
    "doe_officer",
    "doe_reviewer",
    "mcls_officer",
    "mcls_reviewer",
    "mcls_manager",
    "tvto_officer",
    "programme_manager",
    "admin",
]
LANGUAGES = ["fa", "en"]

# Bounds: the demo has a handful of records per status; more of the same shape adds time, not coverage.
PER_SHAPE = 40
PER_PATH_QUERIES = 16
PER_CRAWL = 700
# The admin is Django's own, generic over every model: a few pages of each kind prove the registrations.
ADMIN_PER_SHAPE = 2
ADMIN_PER_PATH_QUERIES = 1

# Never followed: they change state on GET in no view, but they end the session or leave the site.
SKIPPED_PREFIXES = ("/accounts/logout", "/i18n/", "/static/", "/jsi18n/", "/api/docs/", "/api/redoc/")
# Pages whose text is data or Django's own (the admin is IT's tool, the API shows JSON): checked for
# server errors and direction, not for digits in prose.
DATA_PREFIXES = ("/admin/", "/api/")

LATIN_DIGIT_TOKEN = re.compile(r"\S*[0-9]\S*")
# A token with Latin letters or an @ is an identifier (GJ-WS-01, G1.2, an e-mail, a URL), not prose.
IDENTIFIER = re.compile(r"[A-Za-z@]")
# Text inside these elements is code or data meant to be shown as typed.
VERBATIM_TAGS = {"script", "style", "code", "kbd", "samp", "pre", "textarea", "template"}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class PageReader(HTMLParser):
    """Collects the links, the GET forms with their choices, the html element's dir and the prose."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self.html_dir: str | None = None
        self.prose: list[str] = []
        self._stack: list[bool] = []  # per open element: is its text verbatim (excluded from prose)?
        self._form: dict | None = None
        self._select: str | None = None
        self._in_body = False

    def _verbatim(self) -> bool:
        return bool(self._stack) and self._stack[-1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_dir = attrs.get("dir")
        if tag == "body":
            self._in_body = True
        excluded = (
            self._verbatim()
            or tag in VERBATIM_TAGS
            or attrs.get("dir") == "ltr"
            or (attrs.get("lang") or "").startswith("en")
            or attrs.get("translate") == "no"
        )
        if tag not in VOID_TAGS:
            self._stack.append(excluded)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form = {"action": attrs.get("action") or "", "fixed": [], "choices": []}
            self.forms.append(self._form)
        elif self._form is not None and tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind == "hidden":
                self._form["fixed"].append((attrs["name"], attrs.get("value") or ""))
            elif kind in ("checkbox", "radio"):
                self._form["choices"].append((attrs["name"], attrs.get("value") or "on"))
        elif self._form is not None and tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
        elif self._form is not None and tag == "option" and self._select:
            value = attrs.get("value")
            if value:
                self._form["choices"].append((self._select, value))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        if tag not in VOID_TAGS and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._in_body and not self._verbatim() and data.strip():
            self.prose.append(data)


def latin_digits_in(prose: list[str]) -> list[str]:
    found = []
    for chunk in prose:
        for token in LATIN_DIGIT_TOKEN.findall(chunk):
            if not IDENTIFIER.search(token):
                found.append(token)
    return found


def shape_of(path: str) -> str:
    return re.sub(r"\d+", "#", path)


class Crawl:
    def __init__(self, client: Client, language: str):
        self.client = client
        self.language = language
        self.problems: list[str] = []
        self.seen: set[str] = set()
        self.shapes: Counter = Counter()
        self.queries: Counter = Counter()
        self.queue: deque[str] = deque()

    def offer(self, url: str, *, base: str) -> None:
        absolute = urljoin("http://testserver" + base, url)
        parts = urlsplit(absolute)
        if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
            return
        path = parts.path
        if path.startswith(SKIPPED_PREFIXES):
            return
        target = path + (f"?{parts.query}" if parts.query else "")
        if target in self.seen:
            return
        admin = path.startswith("/admin/")
        if parts.query:
            if self.queries[path] >= (ADMIN_PER_PATH_QUERIES if admin else PER_PATH_QUERIES):
                return
            self.queries[path] += 1
        elif path not in self.seen:
            shape = shape_of(path)
            if self.shapes[shape] >= (ADMIN_PER_SHAPE if admin else PER_SHAPE):
                return
            self.shapes[shape] += 1
        self.seen.add(target)
        self.queue.append(target)

    def run(self, start: list[str]) -> int:
        for url in start:
            self.offer(url, base="/")
        visited = 0
        while self.queue and visited < PER_CRAWL:
            url = self.queue.popleft()
            visited += 1
            self.visit(url)
        return visited

    def fetch(self, url: str) -> str | None:
        """The page's HTML; None for a server error (recorded), a redirect (followed later) or no page."""
        try:
            response = self.client.get(url)
        except Exception as error:  # a view that raises is the defect this test is for
            self.problems.append(f"{url}: raised {type(error).__name__}: {error}")
            return None
        if response.status_code >= 500:
            self.problems.append(f"{url}: answered {response.status_code}")
            return None
        if response.status_code in (301, 302, 303, 307, 308):
            self.offer(response["Location"], base=url)
            return None
        if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
            return None
        return response.content.decode(response.charset or "utf-8", errors="replace")

    def visit(self, url: str) -> None:
        html = self.fetch(url)
        if html is None:
            return
        reader = PageReader()
        reader.feed(html)
        path = urlsplit(url).path
        wanted_dir = "rtl" if self.language == "fa" else "ltr"
        if reader.html_dir != wanted_dir:
            self.problems.append(f"{url}: <html dir={reader.html_dir!r}>, expected {wanted_dir!r}")
        if self.language == "fa" and not path.startswith(DATA_PREFIXES):
            digits = latin_digits_in(reader.prose)
            if digits:
                self.problems.append(f"{url}: Latin digits in Persian prose: {sorted(set(digits))[:8]}")
        for link in reader.links:
            self.offer(link, base=url)
        for form in reader.forms:
            action = form["action"] or path
            for name, value in form["choices"]:
                query = urlencode([*form["fixed"], (name, value)])
                self.offer(f"{urljoin(url, action)}?{query}", base=url)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data of `make run`, loaded once and rolled back when the module is done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


LANDING = [
    "/",
    "/memorandum/",
    "/accounts/dashboard/",
    "/programs/occupations/",
    "/loans/schemes/",
    "/training/sessions/",
    "/training/verify/",
    "/progress/",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", ROLES, ids=lambda name: name or "visitor")
def test_every_reachable_page_of_every_role_renders(demo, db, username, language):
    # given: the role signed in (or not) and the language chosen as a visitor chooses it
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    start = list(LANDING)
    if username:
        client.force_login(get_user_model().objects.get(username=username))
        if username == "admin":
            start.append("/admin/")

    # when: every link and filter option it can reach is followed
    crawl = Crawl(client, language)
    visited = crawl.run(start)

    # then
    assert visited > 10, f"the crawl reached only {visited} pages"
    assert not crawl.problems, f"{len(crawl.problems)} problems on {visited} pages:\n" + "\n".join(
        crawl.problems[:60]
    )


def test_the_reader_finds_latin_digits_in_prose_but_not_in_identifiers_or_code():
    reader = PageReader()
    reader.feed(
        '<html dir="rtl"><body><p>3 درخواست و ۴ پرونده</p><p>کد GJ-WS-01 و G1.2</p>'
        '<span dir="ltr">0012345678</span><code>x = 12</code><p>1405/08/01</p></body></html>'
    )
    assert reader.html_dir == "rtl"
    assert latin_digits_in(reader.prose) == ["3", "1405/08/01"]
