"""The printable certificate: A4 landscape, Persian or English, with a QR code to its public check."""

import base64
import logging

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import translation

from agencies.models import Agency
from greenjobs import pdf, uploads
from greenjobs.links import absolute_reverse

from .models import CertificateArtwork

logger = logging.getLogger(__name__)

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


def _image_uri(artwork) -> str:
    """The stored image as a data URI, so WeasyPrint needs no access to the private storage."""
    if artwork is None:
        return ""
    try:
        with uploads.open_document(artwork.stored_name) as fileobj:
            data = fileobj.read()
    except OSError:  # a lost image must not stop the certificate: it prints without it
        logger.warning("Certificate image %s could not be read", artwork.stored_name, exc_info=True)
        return ""
    return f"data:{artwork.content_type};base64," + base64.b64encode(data).decode("ascii")


def _latest(kind: str, centre=None):
    return CertificateArtwork.objects.filter(kind=kind, centre=centre).order_by("-uploaded_at", "-pk").first()


def holder_name(person, language: str) -> str:
    """The holder as the certificate's language writes them: the Latin name on the English one."""
    if language == "en" and person.latin_name:
        return person.latin_name
    return person.get_full_name() or person.username


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
            "holder_name": holder_name(enrolment.person, language),
            "holder_in_latin": language == "en" and bool(enrolment.person.latin_name),
            "course": session.course,
            "session": session,
            "centre": session.centre,
            "issuer": _tvto_name(),
            "emblem_uri": _image_uri(_latest(CertificateArtwork.Kind.EMBLEM)),
            "signature_uri": _image_uri(_latest(CertificateArtwork.Kind.SIGNATURE, session.centre)),
            "signatory_name": session.centre.tr("signatory_name"),
            "signatory_title": session.centre.tr("signatory_title"),
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
