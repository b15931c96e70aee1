"""Every form each role can reach, posted with hostile values: never a server error, and nothing stored
by such a post may break a page afterwards.

The forms come from the pages themselves (the crawl of tests/test_crawl.py finds them over the demo
data), so a new form is fuzzed without anyone listing it. Each form is posted once per hostile value,
with that value in every field a person types into and the page's own values elsewhere (hidden fields,
the first real option of each choice). Bounded: a fixed set of values, a cap of forms per shape of
URL, and a run of a few minutes.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.test_crawl import LANDING, Crawl, demo, shape_of  # noqa: F401 - demo is a fixture

HOSTILE = [
    "۱۲۳۴٫۵",  # Persian digits and decimal separator
    "-999999999999999999999",  # huge and negative
    "9999/12/31",  # a far date in either calendar
    "9999-12-31",
    "1e400",
    "x" * 10_000,  # 10k characters
    "<script>alert(1)</script>' OR 1=1 --",
    "٣٤٥ 12,5 ۶۷",  # mixed digits
    "\u200c\u200f",  # invisible characters only
]
FORMS_PER_SHAPE = 2
SKIPPED_ACTIONS = ("/accounts/logout", "/i18n/", "/accounts/password/")
ROLES = ["applicant", "doe_officer", "doe_reviewer", "mcls_officer", "mcls_reviewer", "mcls_manager",
         "tvto_officer", "programme_manager"]  # fmt: skip


class PostForms(HTMLParser):
    """The POST forms of a page: their action, fixed values, fields people type into, and choices."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fixed": {}, "typed": [], "files": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("hidden", "submit") or (kind in ("checkbox", "radio") and "checked" in attrs):
                self._form["fixed"].setdefault(name, attrs.get("value") or "on")
            elif kind == "file":
                self._form["files"].append(name)
            elif kind not in ("checkbox", "radio", "button", "reset", "image"):
                self._form["typed"].append(name)
        elif tag == "textarea" and name:
            self._form["typed"].append(name)
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and attrs.get("value"):
            self._form["fixed"].setdefault(self._select, attrs["value"])
        elif tag == "button" and name and attrs.get("value"):
            self._form["fixed"].setdefault(name, attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


class FormCollector(Crawl):
    """The crawl, keeping the POST forms of every page it reads."""

    def __init__(self, client, language):
        super().__init__(client, language)
        self.post_forms: dict[str, tuple[str, dict]] = {}

    def visit(self, url):
        html = self.fetch(url)
        if html is None:
            return
        parser = PostForms()
        parser.feed(html)
        for form in parser.forms:
            action = urlsplit(urljoin("http://testserver" + url, form["action"] or url)).path
            if action.startswith(SKIPPED_ACTIONS) or not (form["typed"] or form["files"]):
                continue
            key = f"{shape_of(action)} {sorted(form['typed'])}"
            if sum(k.startswith(shape_of(action) + " ") for k in self.post_forms) < FORMS_PER_SHAPE:
                self.post_forms.setdefault(key, (action, form))
        for link in re.findall(r'href="([^"#]+)"', html):
            self.offer(link, base=url)


@pytest.mark.parametrize("username", ROLES)
def test_hostile_values_in_every_form_never_break_a_page(demo, db, username):  # noqa: F811
    # given: the forms this role reaches over the demo data
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    client.force_login(get_user_model().objects.get(username=username))
    collector = FormCollector(client, "fa")
    collector.run(LANDING)
    assert collector.post_forms, "the crawl found no form"

    # when: each is posted with each hostile value in every field a person types into
    problems = list(collector.problems)
    for action, form in collector.post_forms.values():
        for value in HOSTILE:
            data = {**form["fixed"], **dict.fromkeys(form["typed"], value)}
            for name in form["files"]:
                data[name] = SimpleUploadedFile("x.pdf", value.encode()[:2000], "application/pdf")
            response = client.post(action, data)
            if response.status_code >= 500:
                problems.append(f"POST {action} with {value[:30]!r}: answered {response.status_code}")

    # then: no server error, and every page still renders with whatever was stored
    after = Crawl(client, "fa")
    after.run(LANDING)
    problems += [problem for problem in after.problems if "Latin digits" not in problem]
    assert not problems, f"{len(problems)} problems on {len(collector.post_forms)} forms:\n" + "\n".join(
        problems[:40]
    )
