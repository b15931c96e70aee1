"""axe-core in the real browser over every page each demo role reaches, in Persian and in English.

Each role starts from the home page and its dashboard and follows the portal's own links (the navigation,
then list → detail → form), one page per shape of address (/loans/applications/#/ once, not once per
application), so the walk covers every template a role is shown and stays bounded. A public page that a
signed-in role sees with the same controls as the visitor (the catalogue) is checked once, in the
visitor's walk. Error pages (404, 403), a certificate's verification page and a form sent back with
errors are checked too, since that is where announced errors and aria-describedby matter. In English,
the visitor and the applicant walk everything and the other roles their start pages (see
ENGLISH_FULL_WALK). On each role's first page the navigation bar is measured at the common desktop
widths: it must stay on one line.

The test fails on any violation axe rates "serious" or "critical"; moderate and minor ones are counted
in the summary it prints (and writes to $AXE_REPORT as JSON when set), so they can be followed over time.
"""

import json
import os
import re
import time
from collections import Counter, defaultdict, deque
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from training.models import Certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
# In English the templates are the same as in Persian, only the words and the direction change: the roles
# below walk every page in English too, the others their start pages (navigation and dashboard), so the
# test stays within a few minutes on a busy machine.
ENGLISH_FULL_WALK = {None, "applicant"}
FAILING_IMPACTS = {"serious", "critical"}

# Never followed: they end the session, leave the portal, are files (PDF, CSV) or Django's own admin and
# API pages, which are IT's tools with their own markup.
SKIPPED = re.compile(
    r"^/(accounts/logout|i18n/|static/|jsi18n/|api/|admin/|healthz|metrics)"
    r"|/(download|export/[^/]+|pdf|template\.csv)/?$"
)
# Bounds: a role reaches a few dozen kinds of page; more of one kind adds time, not coverage.
PER_ROLE = 60

CONTROLS = "main a[href], main button, main input, main select, main textarea, main summary"
DESKTOP_WIDTHS = [1280, 1366, 1440, 1920]
# Where the navigation's top-level items sit: on one line their middles align within a few pixels, the
# bar keeps its one-line height, and nothing sticks out of it.
NAV_LINE = """() => {
  const nav = document.querySelector('nav.navbar');
  const items = [...document.querySelectorAll('#mainnav > .navbar-nav > .nav-item, #mainnav > form')]
    .filter(el => el.offsetParent !== null);
  const boxes = items.map(el => el.getBoundingClientRect());
  const middles = boxes.map(box => box.top + box.height / 2);
  return {items: items.length, spread: Math.max(...middles) - Math.min(...middles),
          height: nav.getBoundingClientRect().height,
          overflow: Math.max(...boxes.map(b => b.right)) > window.innerWidth
                    || Math.min(...boxes.map(b => b.left)) < 0 || nav.scrollWidth > nav.clientWidth};
}"""

# Extra pages that no link leads to: the error pages and the sign-in pages of a signed-in person's walk.
ANONYMOUS_EXTRA = [
    "/accounts/login/",
    "/accounts/sign-up/",
    "/accounts/password/reset/",
    "/accounts/verify/resend/",
    "/no-such-page/",
]
SIGNED_IN_EXTRA = ["/no-such-page/", "/accounts/password/change/"]


def shape_of(path: str) -> str:
    """/loans/applications/12/ and /loans/applications/13/ are one kind of page, as are two codes."""
    return "/".join("#" if re.search(r"\d|[A-Z]", part) else part for part in path.split("/"))


class Walk:
    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.findings: list[dict] = []
        self.pages = 0
        self.public_controls: dict[tuple[str, str], int] = {}
        self.wrapped: list[str] = []
        self.checked: list[tuple] = []

    def context(self, role, language):
        context = self.browser.new_context(
            base_url=self.base_url, locale="en-US", viewport={"width": 1280, "height": 900}
        )
        context.add_init_script(script=AXE_SCRIPT)
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": self.base_url}]
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        if role:
            page.goto("/accounts/login/")
            page.fill("#id_username", role)
            page.fill("#id_password", settings.DEMO_PASSWORD)
            page.get_by_test_id("login-form").locator("button[type=submit]").click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return context, page

    def check(self, page, *, role, language, label):
        self.pages += 1
        started = time.monotonic()
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        self.checked.append((role or "anonymous", language, label, round(time.monotonic() - started, 2)))
        for violation in results["violations"]:
            self.findings.append(
                {
                    "rule": violation["id"],
                    "impact": violation["impact"],
                    "role": role or "anonymous",
                    "language": language,
                    "page": label,
                    "targets": [" ".join(map(str, node["target"])) for node in violation["nodes"]],
                }
            )

    def measure_navigation(self, page, *, role, language):
        """The navigation bar on one line at each common desktop width (resized, not reloaded)."""
        for width in DESKTOP_WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            measured = page.evaluate(NAV_LINE)
            if measured["spread"] > 6 or measured["height"] > 64 or measured["overflow"]:
                self.wrapped.append(f"{role or 'anonymous'} {language} {width}px: {measured}")
        page.set_viewport_size({"width": 1280, "height": 900})

    def links(self, page) -> list[str]:
        hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(a => a.href)")
        found = []
        for href in hrefs:
            parts = urlsplit(href)
            if (
                f"{parts.scheme}://{parts.netloc}" != self.base_url
                or parts.query
                or SKIPPED.search(parts.path)
            ):
                continue
            found.append(parts.path)
        return found

    def walk(self, role, language, start, extra, *, follow=True):
        context, page = self.context(role, language)
        try:
            seen: set[str] = set()
            queue = deque(start)
            visited = 0
            while queue and visited < (PER_ROLE if follow else len(start)):
                path = queue.popleft()
                shape = shape_of(path)
                if shape in seen:
                    continue
                seen.add(shape)
                try:
                    response = page.goto(path)
                except PlaywrightError as error:
                    if "Download is starting" in str(error):  # a document link: a file, not a page
                        continue
                    raise
                if response is None or response.status >= 500:
                    self.findings.append(
                        {
                            "rule": "server-error",
                            "impact": "critical",
                            "role": role or "anonymous",
                            "language": language,
                            "page": path,
                            "targets": [str(response and response.status)],
                        }
                    )
                    continue
                landed = urlsplit(page.url).path
                if landed != path and shape_of(landed) in seen:
                    continue
                seen.add(shape_of(landed))
                visited += 1
                if visited == 1:
                    self.measure_navigation(page, role=role, language=language)
                controls = page.locator(CONTROLS).count()
                if role is None:
                    self.public_controls[(language, shape)] = controls
                # A public page a signed-in role sees as the visitor does (the same controls in its main
                # part) was checked in the visitor's walk; only its links are followed.
                if not (
                    role and path not in start and self.public_controls.get((language, shape)) == controls
                ):
                    self.check(page, role=role, language=language, label=landed)
                queue.extend(self.links(page))
            for path in extra:
                page.goto(path)
                visited += 1
                self.check(page, role=role, language=language, label=path)
            if role is None:
                self.form_with_errors(page, language)
        finally:
            context.close()

    def form_with_errors(self, page, language):
        """The sign-up form sent back with errors: each error tied to its field and announced."""
        page.goto("/accounts/sign-up/")
        page.fill("#id_national_id", "1234567890")
        page.fill("#id_email", "not-an-email")
        page.get_by_test_id("sign-up-form").locator("button[type=submit]").click()
        page.wait_for_load_state()
        self.check(page, role=None, language=language, label="/accounts/sign-up/ (with errors)")


def summary(findings) -> str:
    pages = defaultdict(set)
    nodes = Counter()
    impacts = {}
    for finding in findings:
        key = finding["rule"]
        pages[key].add((finding["role"], finding["language"], finding["page"]))
        nodes[key] += len(finding["targets"])
        impacts[key] = finding["impact"]
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    lines = [f"{'rule':32} {'impact':9} {'pages':>6} {'nodes':>6}"]
    for key in sorted(pages, key=lambda k: (order.get(impacts[k], 9), k)):
        lines.append(f"{key:32} {impacts[key]:9} {len(pages[key]):6} {nodes[key]:6}")
    return "\n".join(lines)


def test_every_page_of_every_role_passes_axe_and_keeps_the_navigation_on_one_line(
    browser, live_server, demo_data
):
    certificate = Certificate.objects.filter(status=Certificate.Status.ISSUED).first()
    extra = {
        None: [
            *ANONYMOUS_EXTRA,
            f"/training/verify/{certificate.verification_code}/",
            "/training/verify/NO-SUCH/",
        ],
        # A page of another role's: the 403 page.
        "applicant": [*SIGNED_IN_EXTRA, "/loans/queue/"],
    }
    walk = Walk(browser, live_server.url)
    started = time.monotonic()
    for language in LANGUAGES:
        for role in ROLES:
            start = ["/", "/accounts/dashboard/"] if role else ["/"]
            follow = language == "fa" or role in ENGLISH_FULL_WALK
            walk.walk(
                role, language, start, extra.get(role, SIGNED_IN_EXTRA) if follow else [], follow=follow
            )
    elapsed = time.monotonic() - started

    report = summary(walk.findings)
    print(f"\naxe: {walk.pages} pages in {elapsed:.0f} s\n{report}")
    if os.environ.get("AXE_REPORT"):
        with open(os.environ["AXE_REPORT"], "w") as out:
            json.dump(
                {"pages": walk.pages, "seconds": elapsed, "checked": walk.checked, "findings": walk.findings},
                out,
                indent=1,
            )

    failing = [finding for finding in walk.findings if finding["impact"] in FAILING_IMPACTS]
    details = "\n".join(
        f"{f['rule']} ({f['impact']}) {f['role']}/{f['language']} {f['page']}: {', '.join(f['targets'][:5])}"
        for f in failing
    )
    wrapped = "\n".join(walk.wrapped)
    assert not failing and not walk.wrapped, (
        f"{len(failing)} serious or critical violations:\n{details}\n\n{report}\n\n"
        f"The navigation bar wraps or overflows:\n{wrapped}"
    )
    assert walk.pages >= 100, "the walk reached too few pages to mean anything"
