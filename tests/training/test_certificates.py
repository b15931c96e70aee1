"""Certificates: issued once per pass, numbered per Jalali year, printed with a QR code, checked in public
(rate-limited, not enumerable), revoked by TVTO only, downloaded by those who may."""

import base64
import datetime
import io
import re
import secrets
import unicodedata
import zoneinfo
from urllib.parse import urlparse

import pytest
import qrcode
import time_machine
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from pypdf import PdfReader

from tests.factories import (
    ApplicantFactory,
    BusinessFactory,
    CourseFactory,
    GreenJobFactory,
    ProgrammeManagerFactory,
    SessionFactory,
    make_staff,
)
from training import pdf, tasks
from training.models import Certificate, Enrolment
from training.selectors.certificates import certified_employees
from training.services import certificates

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
HOLDER = ("رحیم", "نوروزی")
COURSE_FA = "نصب سامانه‌های خورشیدی"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tvto(agencies):
    return make_staff("TVTO", "officer")


def enrolment_with(*, passed=True, status="enrolled", person=None, session=None):
    return Enrolment.objects.create(
        session=session or SessionFactory(), person=person or ApplicantFactory(), status=status, passed=passed
    )


def issued(**kwargs) -> Certificate:
    kwargs.setdefault("person", ApplicantFactory(first_name=HOLDER[0], last_name=HOLDER[1]))
    enrolment = enrolment_with(**kwargs)
    return certificates.certificate_issue(enrolment_id=enrolment.pk)


def fresh(certificate) -> Certificate:
    return Certificate.objects.select_related(
        "enrolment__person", "enrolment__session__course", "enrolment__session__centre"
    ).get(pk=certificate.pk)


# --- issuing ----------------------------------------------------------------------------------------------


def test_a_session_run_twice_issues_exactly_one_certificate_per_passed_enrolment(agencies):
    # given a finished session: two passed, one failed, one without a result, one passed but cancelled
    session = SessionFactory()
    passed = [enrolment_with(session=session) for _ in range(2)]
    enrolment_with(session=session, passed=False)
    enrolment_with(session=session, passed=None)
    enrolment_with(session=session, status="cancelled")

    # when the issuer runs, then runs again, once as the service and once as the task
    first = certificates.certificates_issue_for_session(session_id=session.pk)
    second = certificates.certificates_issue_for_session(session_id=session.pk)
    third = tasks.issue_certificates.delay(session.pk).get()

    # then
    assert (first, second, third) == (2, 0, 0)
    rows = Certificate.objects.filter(enrolment__session=session)
    assert sorted(rows.values_list("enrolment_id", flat=True)) == sorted(e.pk for e in passed)


def test_issuing_one_enrolment_twice_keeps_the_first_certificate(agencies):
    enrolment = enrolment_with()

    first = certificates.certificate_issue(enrolment_id=enrolment.pk)
    again = certificates.certificate_issue(enrolment_id=enrolment.pk)

    assert again is None
    assert list(Certificate.objects.values_list("pk", "serial")) == [(first.pk, first.serial)]


def test_a_failed_enrolment_gets_no_certificate(agencies):
    enrolment = enrolment_with(passed=False)

    assert certificates.certificate_issue(enrolment_id=enrolment.pk) is None
    assert Certificate.objects.count() == 0


def test_a_cancelled_enrolment_gets_no_certificate_even_when_issued_directly(agencies):
    enrolment = enrolment_with(status="cancelled")

    assert certificates.certificate_issue(enrolment_id=enrolment.pk) is None
    assert Certificate.objects.count() == 0


def test_serials_are_unique_and_run_from_one_in_each_jalali_year(agencies):
    # 1403/12/29 and 1404/01/01 in Tehran
    with time_machine.travel(datetime.datetime(2025, 3, 19, 10, tzinfo=TEHRAN), tick=False):
        late_1403 = [issued() for _ in range(2)]
    with time_machine.travel(datetime.datetime(2025, 3, 21, 10, tzinfo=TEHRAN), tick=False):
        early_1404 = [issued() for _ in range(3)]

    assert [c.serial for c in late_1403] == ["GJQ-1403-000001", "GJQ-1403-000002"]
    assert [c.serial for c in early_1404] == ["GJQ-1404-000001", "GJQ-1404-000002", "GJQ-1404-000003"]
    assert [c.issued_on for c in late_1403 + early_1404] == [datetime.date(2025, 3, 19)] * 2 + [
        datetime.date(2025, 3, 21)
    ] * 3


def test_verification_codes_are_long_random_and_unrelated_to_the_serial(agencies):
    made = [issued() for _ in range(5)]

    codes = [c.verification_code for c in made]
    assert len(set(codes)) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{24}", code) for code in codes)
    assert not any(c.serial.rsplit("-", 1)[1] in c.verification_code for c in made)


# --- the PDF ----------------------------------------------------------------------------------------------

_INVISIBLE = re.compile(r"[\s\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\u0640]")


def pdf_text(data: bytes) -> str:
    """Every text run of the PDF, in both of pypdf's reading orders, NFKC-folded, without spaces or ZWNJ."""
    reader = PdfReader(io.BytesIO(data))
    runs = []
    for page in reader.pages:
        runs.append(page.extract_text())
        runs.append(page.extract_text(extraction_mode="layout"))
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", "\n".join(runs)))


def printed(text: str, needle: str) -> bool:
    """Whether `needle` is in the text read either way round (RTL runs may come out in visual order)."""
    needle = _INVISIBLE.sub("", unicodedata.normalize("NFKC", needle))
    return needle in text or needle[::-1] in text


def test_the_persian_pdf_prints_the_holder_the_course_and_the_serial(agencies):
    certificate = fresh(issued())

    data = pdf.render_certificate(certificate, "fa")

    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert printed(text, "رحیم نوروزی")
    assert printed(text, COURSE_FA)
    assert certificate.serial in text
    assert certificate.enrolment.session.course.standard_code in text
    # the check itself can fail: a name that is not on the certificate is not found
    assert not printed(text, "کاوه مرادی")


def test_the_persian_pdf_is_laid_out_right_to_left_on_a_landscape_a4(agencies):
    certificate = fresh(issued())

    html = pdf.certificate_html(certificate, "fa")
    page = PdfReader(io.BytesIO(pdf.render_certificate(certificate, "fa"))).pages[0]

    assert '<html lang="fa" dir="rtl">' in html
    assert "Vazirmatn-Regular.ttf" in html
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points


def test_the_english_pdf_prints_the_english_title_and_gregorian_date(agencies):
    certificate = fresh(issued(session=SessionFactory(course=CourseFactory(title_en="Solar panel fitting"))))

    html = pdf.certificate_html(certificate, "en")
    text = pdf_text(pdf.render_certificate(certificate, "en"))

    assert '<html lang="en" dir="ltr">' in html
    assert "Solarpanelfitting" in text
    assert certificate.issued_on.strftime("%Y") in text
    assert printed(text, "رحیم نوروزی")


def test_a_revoked_certificate_prints_a_revoked_mark(agencies, tvto):
    certificate = issued()
    certificates.certificate_revoke(certificate_id=certificate.pk, actor=tvto, reason="Exam fraud")

    text = pdf_text(pdf.render_certificate(fresh(certificate), "en"))
    valid_text = pdf_text(pdf.render_certificate(fresh(issued()), "en"))

    assert "REVOKED" in text
    assert "Examfraud" in text
    assert "REVOKED" not in valid_text


def modules_of(svg: str) -> set[tuple[int, int]]:
    """The dark modules of an SVG QR code drawn by qrcode's SvgPathImage (one square per module)."""
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", svg)}


def test_the_qr_code_opens_the_verification_page_of_that_code(agencies, settings):
    settings.PORTAL_BASE_URL = "https://greenjobs-qom.ir"
    certificate = fresh(issued())
    code = certificate.verification_code

    url = pdf.verification_url(code)
    html = pdf.certificate_html(certificate, "fa")

    # the address: absolute, on the portal, and routed to the public check of this very code
    assert url == f"https://greenjobs-qom.ir/training/verify/{code}/"
    match = resolve(urlparse(url).path)
    assert (match.view_name, match.kwargs) == ("training:verify", {"code": code})
    # the picture: the data URI in the printed page draws exactly the QR modules of that address
    embedded = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html).group(1)
    svg = base64.b64decode(embedded).decode()
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    expected = {(x, y) for y, row in enumerate(qr.get_matrix()) for x, dark in enumerate(row) if dark}
    assert modules_of(svg) == expected
    other = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    other.add_data(pdf.verification_url("another-code-entirely-xyz"))
    assert modules_of(svg) != {
        (x, y) for y, row in enumerate(other.get_matrix()) for x, d in enumerate(row) if d
    }


# --- downloading the PDF ------------------------------------------------------------------------------------


def test_the_holder_tvto_and_the_programme_manager_download_the_pdf(agencies, client, tvto):
    certificate = issued()
    url = reverse("training:certificate_pdf", args=[certificate.pk])

    for user in (certificate.enrolment.person, tvto, ProgrammeManagerFactory()):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{certificate.serial}.pdf"'
        assert response["Cache-Control"] == "private, no-store"
        assert response.content.startswith(b"%PDF-")


def test_the_english_pdf_is_there_on_request(agencies, client):
    certificate = issued()
    client.force_login(certificate.enrolment.person)

    response = client.get(reverse("training:certificate_pdf", args=[certificate.pk]) + "?lang=en")

    text = pdf_text(response.content)
    assert "Solarinstallation" in text
    assert not printed(text, COURSE_FA)


def test_anyone_else_is_told_the_certificate_does_not_exist(agencies, client):
    certificate = issued()
    url = reverse("training:certificate_pdf", args=[certificate.pk])
    missing = reverse("training:certificate_pdf", args=[certificate.pk + 1000])

    assert client.get(url).status_code == 404  # anonymous
    for user in (ApplicantFactory(), make_staff("DOE", "manager"), make_staff("MCLS", "reviewer")):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(certificate.enrolment.person)
    assert client.get(missing).status_code == 404


# --- public verification --------------------------------------------------------------------------------


def verify(client, code, **extra):
    return client.get(reverse("training:verify", args=[code]), **extra)


def result_block(response) -> str:
    html = response.content.decode()
    return re.search(r'<div data-testid="verify-result".*?<p class="mt-4">', html, re.S).group(0)


def test_a_valid_code_shows_the_masked_holder_course_standard_and_date(agencies, client):
    with time_machine.travel(datetime.datetime(2025, 3, 21, 10, tzinfo=TEHRAN), tick=False):
        certificate = issued()

    response = verify(client, certificate.verification_code)

    assert response.status_code == 200
    assert response.templates[0].name == "training/certificates/verify.html"
    block = result_block(response)
    assert 'data-status="valid"' in block
    assert '<dd class="col-sm-8" data-testid="masked-name"><bdi>ر*** ن*****</bdi></dd>' in block
    assert "رحیم" not in block and "نوروزی" not in block
    assert COURSE_FA in block
    assert certificate.enrolment.session.course.standard_code in block
    assert "۱ فروردین ۱۴۰۴" in block
    assert certificate.serial in block
    assert certificate.enrolment.person.national_id not in response.content.decode()


def test_a_revoked_code_says_so_with_the_reason_and_date(agencies, client, tvto):
    certificate = issued()
    with time_machine.travel(datetime.datetime(2025, 4, 10, 9, tzinfo=TEHRAN), tick=False):
        certificates.certificate_revoke(
            certificate_id=certificate.pk, actor=tvto, reason="تقلب در آزمون عملی"
        )

    response = verify(client, certificate.verification_code)

    assert response.status_code == 200
    block = result_block(response)
    assert 'data-status="revoked"' in block
    assert '<span data-testid="revoked-reason">تقلب در آزمون عملی</span>' in block
    assert "۲۱ فروردین ۱۴۰۴" in block
    assert "alert-danger" in block and "alert-success" not in block


def test_an_unknown_code_is_404_and_looks_the_same_whatever_was_typed(agencies, client):
    issued()
    typed = [
        secrets.token_urlsafe(18),  # looks like a real code
        "x",
        "GJQ-1404-000001",  # a serial is not a code
        "' OR 1=1 --",
        "گواهی",
        "A" * 300,
    ]

    responses = [verify(client, code) for code in typed]

    assert {r.status_code for r in responses} == {404}
    assert {r.templates[0].name for r in responses} == {"training/certificates/verify.html"}
    # one and the same result block for all of them: nothing typed is echoed or told apart
    blocks = {result_block(r) for r in responses}
    assert len(blocks) == 1
    block = blocks.pop()
    assert 'data-status="unknown"' in block
    assert typed[0] not in block


def test_the_form_sends_a_typed_code_to_its_page(agencies, client):
    certificate = issued()
    form = client.get(reverse("training:verify_form"))
    typed = client.get(reverse("training:verify_form"), {"code": f"  {certificate.verification_code} "})
    odd = client.get(reverse("training:verify_form"), {"code": "a/b"})

    assert form.status_code == 200
    assert typed.status_code == 302
    assert typed["Location"] == reverse("training:verify", args=[certificate.verification_code])
    assert odd.status_code == 404
    assert 'data-status="unknown"' in result_block(odd)


def test_the_21st_lookup_from_one_address_within_the_window_is_refused(agencies, client, settings):
    settings.CERTIFICATE_VERIFY_LIMIT = 20
    settings.CERTIFICATE_VERIFY_WINDOW = 600
    certificate = issued()
    statuses = []
    with time_machine.travel(datetime.datetime(2025, 5, 1, 10, tzinfo=TEHRAN), tick=False):
        for n in range(20):
            code = certificate.verification_code if n % 2 else secrets.token_urlsafe(18)
            statuses.append(verify(client, code, REMOTE_ADDR="203.0.113.7").status_code)
        refused = verify(client, certificate.verification_code, REMOTE_ADDR="203.0.113.7")
        other_address = verify(client, certificate.verification_code, REMOTE_ADDR="198.51.100.9")

    assert statuses == [404, 200] * 10
    assert refused.status_code == 429
    assert refused.templates[0].name == "training/certificates/rate_limited.html"
    assert refused["Retry-After"] == "600"
    assert 'data-testid="rate-limited"' in refused.content.decode()
    assert certificate.serial not in refused.content.decode()
    assert other_address.status_code == 200


# --- revocation -----------------------------------------------------------------------------------------


def revocation(certificate):
    fresh_row = Certificate.objects.get(pk=certificate.pk)
    return fresh_row.revoked_at, fresh_row.revoked_reason, fresh_row.revoked_by_id


def test_tvto_revokes_a_certificate_with_a_reason(agencies, client, tvto):
    certificate = issued()
    client.force_login(tvto)

    response = client.post(
        reverse("training:certificate_revoke", args=[certificate.pk]), {"reason": "  مدرک جعلی  "}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("training:certificate_list")
    revoked_at, reason, by = revocation(certificate)
    assert (revoked_at is not None, reason, by) == (True, "مدرک جعلی", tvto.pk)


def test_no_one_but_tvto_revokes_and_nothing_changes(agencies, client):
    certificate = issued()
    url = reverse("training:certificate_revoke", args=[certificate.pk])
    before = revocation(certificate)

    anonymous = client.post(url, {"reason": "x"})
    assert anonymous.status_code == 302 and "/accounts/" in anonymous["Location"]
    for user in (
        certificate.enrolment.person,
        ProgrammeManagerFactory(),
        make_staff("DOE", "manager"),
        make_staff("MCLS", "manager"),
    ):
        client.force_login(user)
        assert client.post(url, {"reason": "حذف"}).status_code == 403
        # a missing certificate answers the same, so nothing is learnt about numbers
        assert (
            client.post(reverse("training:certificate_revoke", args=[9999]), {"reason": "x"}).status_code
            == 403
        )
    assert revocation(certificate) == before == (None, "", None)


def test_a_revocation_without_a_reason_changes_nothing(agencies, client, tvto):
    certificate = issued()
    client.force_login(tvto)

    response = client.post(reverse("training:certificate_revoke", args=[certificate.pk]), {"reason": "   "})

    assert response.status_code == 302
    assert revocation(certificate) == (None, "", None)


def test_revoking_twice_keeps_the_first_reason(agencies, client, tvto):
    certificate = issued()
    client.force_login(tvto)
    url = reverse("training:certificate_revoke", args=[certificate.pk])

    client.post(url, {"reason": "اول"})
    first = revocation(certificate)
    client.post(url, {"reason": "دوم"})

    assert revocation(certificate) == first
    assert first[1] == "اول"


# --- lists ----------------------------------------------------------------------------------------------


def listed(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="certificate-(\d+)"', response.content.decode())]


def test_a_person_lists_only_their_own_certificates(agencies, client):
    mine = issued()
    issued()  # someone else's
    client.force_login(mine.enrolment.person)

    response = client.get(reverse("training:certificate_list"))

    assert response.status_code == 200
    assert listed(response) == [mine.pk]
    assert 'data-testid="revoke-' not in response.content.decode()


def test_tvto_lists_every_certificate_filters_them_and_may_revoke(agencies, client, tvto):
    valid = issued()
    revoked = issued()
    certificates.certificate_revoke(certificate_id=revoked.pk, actor=tvto, reason="خطا")
    client.force_login(tvto)

    everything = client.get(reverse("training:certificate_list"))
    only_revoked = client.get(reverse("training:certificate_list"), {"status": "revoked"})
    by_serial = client.get(reverse("training:certificate_list"), {"q": valid.serial})

    assert sorted(listed(everything)) == sorted([valid.pk, revoked.pk])
    assert listed(only_revoked) == [revoked.pk]
    assert listed(by_serial) == [valid.pk]
    html = everything.content.decode()
    assert f'data-testid="revoke-{valid.pk}"' in html
    assert f'data-testid="revoke-{revoked.pk}"' not in html


def test_other_agencies_do_not_open_the_certificate_list(agencies, client):
    for user in (make_staff("DOE", "manager"), make_staff("MCLS", "officer")):
        client.force_login(user)
        assert client.get(reverse("training:certificate_list")).status_code == 403


def list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_certificate_list_costs_the_same_queries_at_two_sizes(agencies, client, tvto):
    holder = ApplicantFactory()
    url = reverse("training:certificate_list")
    for _ in range(2):
        issued(person=holder)
    client.force_login(tvto)
    small_tvto = list_queries(client, url)
    client.force_login(holder)
    small_holder = list_queries(client, url)

    for _ in range(8):
        issued(person=holder)
    client.force_login(tvto)
    large_tvto = list_queries(client, url)
    client.force_login(holder)
    large_holder = list_queries(client, url)

    assert small_tvto == large_tvto
    assert small_holder == large_holder


# --- links to the registry -------------------------------------------------------------------------------


def test_certified_employees_counts_holders_with_a_valid_certificate_in_one_query(
    agencies, tvto, django_assert_num_queries
):
    business = BusinessFactory()
    jobs = [GreenJobFactory(business=business) for _ in range(4)]
    certified_person = ApplicantFactory(national_id=jobs[0].holder_national_id)
    revoked_person = ApplicantFactory(national_id=jobs[1].holder_national_id)
    twice_person = ApplicantFactory(national_id=jobs[2].holder_national_id)
    issued(person=certified_person)
    certificates.certificate_revoke(certificate_id=issued(person=revoked_person).pk, actor=tvto, reason="خطا")
    issued(person=twice_person)
    issued(person=twice_person)  # two courses still count as one holder
    issued()  # someone who works elsewhere
    GreenJobFactory(holder_national_id=certified_person.national_id)  # the same person in another business

    with django_assert_num_queries(1):
        counts = certified_employees(business)

    assert counts == (2, 4)


def test_the_registry_partial_says_how_many_holders_are_certified(agencies):
    business = BusinessFactory()
    job = GreenJobFactory(business=business)
    GreenJobFactory(business=business)
    issued(person=ApplicantFactory(national_id=job.holder_national_id))

    html = Template('{% include "programs/businesses/_certified.html" %}').render(
        Context({"business": business})
    )

    assert 'data-certified="1" data-total="2"' in html


def test_the_pages_speak_english_on_request_and_filters_answer_htmx_with_the_table(agencies, client, tvto):
    certificate = issued()
    client.cookies["django_language"] = "en"

    page = client.get(reverse("training:verify", args=[certificate.verification_code]))
    client.force_login(tvto)
    partial = client.get(reverse("training:certificate_list"), {"status": "valid"}, HTTP_HX_REQUEST="true")

    assert page.status_code == 200
    assert '<html lang="en" dir="ltr">' in page.content.decode()
    assert "Valid certificate" in page.content.decode()
    assert certificate.issued_on.strftime("%Y-%m-%d") not in page.content.decode()  # long date, not ISO
    assert partial.status_code == 200
    assert partial.templates[0].name == "training/certificates/_table.html"
    assert listed(partial) == [certificate.pk]


def test_the_qr_code_carries_the_address_the_portal_serves_on(agencies, settings, monkeypatch):
    # As `PORT=18801 make run` sets it: not the fixed http://127.0.0.1:8000 of old.
    settings.PORTAL_BASE_URL = "http://192.0.2.7:18801"
    certificate = fresh(issued())
    encoded = []
    add_data = qrcode.QRCode.add_data

    def spy(self, data, *args, **kwargs):
        encoded.append(data)
        return add_data(self, data, *args, **kwargs)

    monkeypatch.setattr(qrcode.QRCode, "add_data", spy)

    document = pdf.render_certificate(certificate, "fa")

    assert document.startswith(b"%PDF")
    assert encoded == [f"http://192.0.2.7:18801/training/verify/{certificate.verification_code}/"]


def test_the_api_gives_the_certificate_links_on_the_portal_address_whatever_the_request_host(
    agencies, client, settings
):
    settings.PORTAL_BASE_URL = "http://192.0.2.7:18801"
    certificate = issued()
    client.force_login(certificate.enrolment.person)

    response = client.get(f"/api/v1/certificates/{certificate.pk}/", HTTP_HOST="elsewhere.example")

    assert response.status_code == 200
    assert response.json()["verification_url"] == (
        f"http://192.0.2.7:18801/training/verify/{certificate.verification_code}/"
    )
    assert response.json()["pdf_url"] == f"http://192.0.2.7:18801/training/certificates/{certificate.pk}/pdf/"
