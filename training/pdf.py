"""The printable certificate: A4 landscape, Persian or English, with a QR code to its public check."""

import base64

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import translation

from agencies.models import Agency
from greenjobs import pdf
from greenjobs.links import absolute_reverse

LANGUAGES = ("fa", "en")


def verification_url(code: str) -> str:
    """The absolute address the QR code opens: the public verification page of this code."""
    return absolute_reverse("training:verify", args=[code])


def qr_svg(data: str) -> str:
    """An SVG QR code of `data`: vector, so it prints sharp at any size, and needs no image library."""
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    qr.add_data(data)
    qr.make(fit=True)
    return qr.make_image().to_string(encoding="unicode")


def qr_data_uri(data: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data).encode()).decode("ascii")


def _tvto_name() -> str:
    agency = Agency.objects.filter(code="TVTO").first()
    return agency.name if agency else ""


def certificate_html(certificate, language: str = "fa") -> str:
    """The certificate as the HTML WeasyPrint lays out (kept apart so tests can read what is printed)."""
    language = language if language in LANGUAGES else "fa"
    enrolment = certificate.enrolment
    session = enrolment.session
    url = verification_url(certificate.verification_code)
    with translation.override(language):
        context = {
            "certificate": certificate,
            "person": enrolment.person,
            "holder_name": enrolment.person.get_full_name() or enrolment.person.username,
            "course": session.course,
            "session": session,
            "centre": session.centre,
            "issuer": _tvto_name(),
            "verification_url": url,
            "qr_data_uri": qr_data_uri(url),
            **pdf.fonts(),
            "language": language,
            "rtl": language == "fa",
        }
        return render_to_string("training/certificates/pdf.html", context)


def render_certificate(certificate, language: str = "fa") -> bytes:
    """The certificate's PDF. `certificate` should come with enrolment__person/session__course/centre."""
    return pdf.write_pdf(certificate_html(certificate, language))
