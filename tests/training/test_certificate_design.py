"""The certificate looks official: TVTO's emblem and each centre's signatory (name, title, signature image)
are set by TVTO staff, printed on every certificate, the English one carries the holder's Latin name,
and the page is filled, not half empty. Pictures of both pages are kept under var/test-artifacts/."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw

from tests.factories import MINIMAL_PDF, ApplicantFactory, SessionFactory, make_staff
from training import pdf
from training.models import Certificate, CertificateArtwork, Enrolment
from training.services import certificates

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies", "private_media")]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


def png(draw, size=(240, 120)) -> bytes:
    image = Image.new("RGB", size, "white")
    draw(ImageDraw.Draw(image))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


EMBLEM = png(lambda d: d.ellipse((20, 20, 220, 220), outline="darkgreen", width=12), size=(240, 240))
SIGNATURE = png(
    lambda d: d.line([(10, 90), (60, 20), (110, 100), (160, 30), (230, 80)], fill="navy", width=6)
)


@pytest.fixture
def tvto(client):
    officer = make_staff("TVTO", "officer")
    client.force_login(officer)
    return officer


@pytest.fixture
def certificate():
    person = ApplicantFactory(first_name="رحیم", last_name="نوروزی", latin_name="Rahim Nowruzi")
    enrolment = Enrolment.objects.create(
        session=SessionFactory(), person=person, status="enrolled", passed=True
    )
    return certificates.certificate_issue(enrolment_id=enrolment.pk)


def fresh(certificate) -> Certificate:
    return Certificate.objects.select_related(
        "enrolment__person", "enrolment__session__course", "enrolment__session__centre"
    ).get(pk=certificate.pk)


def set_up_signatory(client, centre):
    response = client.post(
        reverse("training:centre_edit", args=[centre.pk]),
        {
            "name_fa": centre.name_fa,
            "name_en": centre.name_en,
            "kind": centre.kind,
            "county": centre.county_id,
            "address": centre.address,
            "accreditation_number": centre.accreditation_number,
            "is_active": "on",
            "signatory_name_fa": "مهندس زهرا کریمی",
            "signatory_name_en": "Zahra Karimi",
            "signatory_title_fa": "رئیس مرکز آموزش",
            "signatory_title_en": "Head of the training centre",
            "signature": SimpleUploadedFile("emza.png", SIGNATURE, "image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_tvto_sets_the_emblem_and_signatory_and_every_certificate_carries_them(client, tvto, certificate):
    centre = certificate.enrolment.session.centre
    response = client.post(
        reverse("training:certificate_emblem"),
        {"image": SimpleUploadedFile("nesan.png", EMBLEM, "image/png")},
    )
    assert response.status_code == 302
    set_up_signatory(client, centre)

    persian = pdf.certificate_html(fresh(certificate), "fa")
    english = pdf.certificate_html(fresh(certificate), "en")

    assert "مهندس زهرا کریمی" in persian and "رئیس مرکز آموزش" in persian
    assert "Zahra Karimi" in english and "Head of the training centre" in english
    for html in (persian, english):
        assert html.count("data:image/png;base64,") == 2  # the emblem and the signature (the QR is SVG)
        assert 'data-testid="signature-block"' in html and 'data-testid="emblem"' in html
    assert 'lang="en" dir="ltr" data-testid="holder">Rahim Nowruzi<' in english
    assert "رحیم نوروزی" in persian and "Rahim Nowruzi" not in persian
    assert CertificateArtwork.objects.filter(kind="signature", centre=centre).count() == 1


def test_without_a_latin_name_the_english_certificate_keeps_the_persian_one(certificate):
    person = certificate.enrolment.person
    person.latin_name = ""
    person.save()
    assert "رحیم نوروزی" in pdf.certificate_html(fresh(certificate), "en")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("nesan.pdf", MINIMAL_PDF, "application/pdf"), "Use a PNG or JPEG image."),
        (SimpleUploadedFile("nesan.png", b"<svg onload=alert(1)>", "image/png"), "whatever its name says"),
    ],
)
def test_what_is_no_image_is_refused_and_nothing_is_stored(client, tvto, upload, message):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("training:certificate_emblem"), {"image": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CertificateArtwork.objects.exists()


def test_only_tvto_sets_what_certificates_carry(client):
    client.force_login(make_staff("DOE", "officer"))
    assert client.get(reverse("training:certificate_emblem")).status_code == 403


def largest_blank_band(png_path: Path) -> float:
    """The tallest run of rows with nothing printed inside the frame, as a share of the page height."""
    image = Image.open(png_path).convert("L")
    width, height = image.size
    inner = image.crop((int(width * 0.06), int(height * 0.06), int(width * 0.94), int(height * 0.94)))
    pixels = inner.load()
    blank_run = longest = 0
    for y in range(inner.size[1]):
        if any(pixels[x, y] < 200 for x in range(0, inner.size[0], 2)):
            blank_run = 0
        else:
            blank_run += 1
            longest = max(longest, blank_run)
    return longest / height


@pytest.mark.skipif(shutil.which("pdftoppm") is None and not settings.REQUIRE_SERVICES, reason="poppler")
def test_both_pages_are_filled_with_no_wide_blank_band(client, tvto, certificate, tmp_path):
    client.post(
        reverse("training:certificate_emblem"), {"image": SimpleUploadedFile("n.png", EMBLEM, "image/png")}
    )
    set_up_signatory(client, certificate.enrolment.session.centre)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for language in ("fa", "en"):
        document = tmp_path / f"certificate-{language}.pdf"
        document.write_bytes(pdf.render_certificate(fresh(certificate), language))
        picture = ARTIFACTS / f"certificate-{language}"
        command = ["pdftoppm", "-r", "40", "-png", "-singlefile", str(document), str(picture)]
        subprocess.run(command, check=True, timeout=60)  # noqa: S603 - poppler's tool on our own file
        assert largest_blank_band(ARTIFACTS / f"certificate-{language}.png") < 0.12, language
