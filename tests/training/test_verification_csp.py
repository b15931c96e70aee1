"""The public verification pages render under the portal's CSP without inline styles (issue 9, 15)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tests.factories import ApplicantFactory, SessionFactory
from training.models import Enrolment
from training.services import certificates

pytestmark = pytest.mark.django_db

# Pages rendered for a browser; the PDF templates go to WeasyPrint, which no CSP governs.
BROWSER_TEMPLATES = [
    path
    for pattern in ("*/templates/**/*.html", "templates/**/*.html")
    for path in Path(settings.BASE_DIR).glob(pattern)
    if not path.name.startswith("pdf") and ".venv" not in path.parts and "email" not in path.parts
]
INLINE_STYLE = re.compile(r"""<[^>]*\sstyle\s*=|<style[\s>]""", re.I)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def style_policy(response) -> str:
    header = response["Content-Security-Policy"]
    return next(part.strip() for part in header.split(";") if part.strip().startswith("style-src"))


def test_the_verification_templates_have_no_inline_style():
    names = {path.name for path in BROWSER_TEMPLATES}
    assert {"verify.html", "verify_form.html"} <= names
    offenders = [str(path) for path in BROWSER_TEMPLATES if INLINE_STYLE.search(path.read_text())]
    assert offenders == []


def test_the_verification_pages_render_without_an_inline_style_the_csp_would_block(client, agencies):
    enrolment = Enrolment.objects.create(
        session=SessionFactory(), person=ApplicantFactory(), status="enrolled", passed=True
    )
    certificate = certificates.certificate_issue(enrolment_id=enrolment.pk)

    pages = [
        client.get(reverse("training:verify_form")),
        client.get(reverse("training:verify", args=[certificate.verification_code])),
    ]

    assert [page.status_code for page in pages] == [200, 200]
    for page in pages:
        assert style_policy(page) == "style-src 'self'"
        assert not INLINE_STYLE.search(page.content.decode())
        assert "page-narrow" in page.content.decode()
