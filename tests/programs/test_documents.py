"""Registration documents through the pages: checked by content, stored privately, served after a check."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override
from PIL import Image

from greenjobs.exceptions import DomainError
from programs.models import BusinessDocument
from programs.services import registrations as services
from tests.factories import (
    MINIMAL_PDF,
    ApplicantFactory,
    ProgrammeManagerFactory,
    make_staff,
    registration_in,
    registration_state,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]

STORED_NAME = re.compile(r"business-documents/[0-9a-f]{32}\.(pdf|png|jpg)")


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (30, 140, 60)).save(buffer, fmt)
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


def files_on_disk(root) -> list[str]:
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def owner():
    """The applicant reads the portal in English here, so messages can be compared word for word."""
    return ApplicantFactory(language="en")


@pytest.fixture
def draft(owner, private_media):
    return registration_in("draft", owner=owner)


def upload(client, business, name, content, content_type="application/pdf", kind="licence"):
    return client.post(
        reverse("programs:business_edit", args=[business.pk, "documents"]),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type)},
    )


# --- uploading ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("mojavez.pdf", MINIMAL_PDF, "application/pdf", "pdf"),
        ("scan.png", PNG, "image/png", "png"),
        ("photo.jpeg", JPEG, "image/jpeg", "jpg"),
    ],
)
def test_an_upload_is_stored_privately_under_a_server_made_name(
    client, owner, draft, private_media, name, content, content_type, extension
):
    client.force_login(owner)
    files_before = files_on_disk(private_media)

    response = upload(client, draft, name, content, content_type, kind="permit")

    assert response.status_code == 302
    assert response["Location"] == reverse("programs:business_edit", args=[draft.pk, "documents"])
    document = BusinessDocument.objects.get(business=draft, kind="permit")
    assert STORED_NAME.fullmatch(document.stored_name)
    assert document.stored_name.endswith(f".{extension}")
    assert name.rsplit(".", 1)[0] not in document.stored_name
    assert (document.original_name, document.content_type, document.size, document.uploaded_by) == (
        name,
        content_type,
        len(content),
        owner,
    )
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    stored = Path(private_media) / document.stored_name
    assert stored.read_bytes() == content
    assert files_on_disk(private_media) == sorted([*files_before, document.stored_name])


def test_the_content_decides_the_type_not_the_name_or_the_browser(client, owner, draft, private_media):
    client.force_login(owner)

    upload(client, draft, "scan.pdf", PNG, "application/pdf", kind="other")

    document = BusinessDocument.objects.get(business=draft, kind="other")
    assert document.content_type == "image/png"
    assert document.stored_name.endswith(".png")


def rejected_upload(client, business, private_media, name, content, content_type="application/pdf"):
    before = registration_state(business)
    response = upload(client, business, name, content, content_type, kind="other")
    assert response.status_code == 200
    assert registration_state(business) == before
    assert not BusinessDocument.objects.filter(business=business, kind="other").exists()
    return response, before


HTML = b"<!DOCTYPE html><html><body><script>alert('x')</script></body></html>"


def test_html_renamed_pdf_is_rejected_and_nothing_is_stored(client, owner, draft, private_media):
    client.force_login(owner)

    response, before = rejected_upload(client, draft, private_media, "licence.pdf", HTML)

    message = (
        "Only PDF, JPEG and PNG files are accepted, and this file is none of them, whatever its name says."
    )
    assert response.context["form"].errors["file"] == [message]
    assert escape(message) in response.content.decode()
    assert files_on_disk(private_media) == before["files"]


def test_the_rejection_is_told_in_persian_to_a_persian_reader(client, draft, private_media):
    draft.owner.language = "fa"
    draft.owner.save(update_fields=["language"])
    client.force_login(draft.owner)

    response, _before = rejected_upload(client, draft, private_media, "licence.pdf", HTML)

    english = (
        "Only PDF, JPEG and PNG files are accepted, and this file is none of them, whatever its name says."
    )
    [shown] = response.context["form"].errors["file"]
    with override("fa"):
        assert shown == gettext(english)
    assert shown != english


def test_a_file_over_the_limit_is_rejected(client, owner, draft, private_media, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(owner)
    content = MINIMAL_PDF + b"%" * (settings.MAX_UPLOAD_BYTES + 1 - len(MINIMAL_PDF))

    response, before = rejected_upload(client, draft, private_media, "big.pdf", content)

    assert response.context["form"].errors["file"] == ["The file is too large: at most 1 MB is accepted."]
    assert files_on_disk(private_media) == before["files"]


def test_a_file_exactly_at_the_limit_is_accepted(client, owner, draft, private_media, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(owner)
    content = MINIMAL_PDF + b"%" * (settings.MAX_UPLOAD_BYTES - len(MINIMAL_PDF))

    response = upload(client, draft, "big.pdf", content, kind="other")

    assert response.status_code == 302
    assert BusinessDocument.objects.get(business=draft, kind="other").size == 1024 * 1024


def test_an_empty_file_is_rejected(client, owner, draft, private_media):
    client.force_login(owner)

    response, before = rejected_upload(client, draft, private_media, "empty.pdf", b"")

    assert response.context["form"].errors["file"] == ["The submitted file is empty."]
    assert files_on_disk(private_media) == before["files"]


def test_the_service_refuses_an_empty_file_too(draft, private_media):
    before = registration_state(draft)

    with override("en"), pytest.raises(ValidationError) as caught:
        services.document_upload(
            business_id=draft.pk, actor=draft.owner, kind="other", uploaded=SimpleUploadedFile("e.pdf", b"")
        )

    assert caught.value.messages == ["The file is empty."]
    assert registration_state(draft) == before


@pytest.mark.parametrize(
    "content",
    [PNG[:-12], b"\x89PNG\r\n\x1a\n" + b"\x00" * 100],
    ids=["truncated", "garbage-after-signature"],
)
def test_a_corrupt_png_is_rejected(client, owner, draft, private_media, content):
    client.force_login(owner)

    response, before = rejected_upload(client, draft, private_media, "scan.png", content, "image/png")

    assert response.context["form"].errors["file"] == ["This image file is damaged."]
    assert files_on_disk(private_media) == before["files"]


def test_a_pdf_signature_inside_the_file_is_not_enough(client, owner, draft, private_media):
    client.force_login(owner)

    response, before = rejected_upload(client, draft, private_media, "x.pdf", b"garbage" + MINIMAL_PDF)

    assert "file" in response.context["form"].errors
    assert files_on_disk(private_media) == before["files"]


def test_an_unknown_kind_of_document_is_rejected(client, owner, draft, private_media):
    client.force_login(owner)
    before = registration_state(draft)

    response = upload(client, draft, "a.pdf", MINIMAL_PDF, kind="passport")

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["kind"]
    assert registration_state(draft) == before


def test_another_applicant_cannot_upload_to_a_draft(client, draft, private_media):
    client.force_login(ApplicantFactory())
    before = registration_state(draft)

    response = upload(client, draft, "a.pdf", MINIMAL_PDF, kind="other")

    assert response.status_code == 404
    assert registration_state(draft) == before


def test_the_owner_deletes_a_document_of_a_draft_and_its_file_goes(
    client, owner, draft, private_media, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    document = draft.documents.get()
    stored = Path(private_media) / document.stored_name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programs:document_delete", args=[draft.pk, document.pk]))

    assert response.status_code == 302
    assert not BusinessDocument.objects.filter(pk=document.pk).exists()
    assert not stored.exists()


# --- once submitted, documents are fixed --------------------------------------------------------------------


@pytest.fixture
def submitted(owner, private_media):
    return registration_in("submitted", owner=owner)


def test_the_service_refuses_to_add_or_delete_documents_once_submitted(submitted, private_media):
    document = submitted.documents.get()
    before = registration_state(submitted)

    with override("en"), pytest.raises(DomainError) as on_upload:
        services.document_upload(
            business_id=submitted.pk,
            actor=submitted.owner,
            kind="other",
            uploaded=SimpleUploadedFile("a.pdf", MINIMAL_PDF),
        )
    with override("en"), pytest.raises(DomainError) as on_delete:
        services.document_delete(business_id=submitted.pk, actor=submitted.owner, document_id=document.pk)

    for caught in (on_upload, on_delete):
        assert (caught.value.code, caught.value.status_code) == ("not_editable", 409)
        assert (
            caught.value.message == "This registration cannot be changed in its current status (Submitted)."
        )
    assert registration_state(submitted) == before


def test_the_upload_page_of_a_submitted_registration_redirects_with_a_message(
    client, owner, submitted, private_media
):
    client.force_login(owner)
    before = registration_state(submitted)

    response = upload(client, submitted, "late.pdf", MINIMAL_PDF, kind="other")

    assert response.status_code == 302
    assert response["Location"] == reverse("programs:business_detail", args=[submitted.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This registration cannot be changed in its current status."
    ]
    assert registration_state(submitted) == before


def test_the_delete_button_of_a_submitted_registration_changes_nothing(
    client, owner, submitted, private_media, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    document = submitted.documents.get()
    before = registration_state(submitted)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programs:document_delete", args=[submitted.pk, document.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("programs:business_edit", args=[submitted.pk, "documents"])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This registration cannot be changed in its current status (Submitted)."
    ]
    assert registration_state(submitted) == before
    assert (Path(private_media) / document.stored_name).read_bytes() == MINIMAL_PDF


# --- downloading --------------------------------------------------------------------------------------------


def download(client, business, document):
    return client.get(reverse("programs:document_download", args=[business.pk, document.pk]))


def assert_served(response, content, name="licence.pdf", content_type="application/pdf"):
    try:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
    finally:
        response.close()


@pytest.mark.parametrize("status", ["draft", "submitted", "verified"])
def test_the_owner_downloads_the_exact_bytes(client, owner, private_media, status):
    business = registration_in(status, owner=owner)
    client.force_login(owner)

    assert_served(download(client, business, business.documents.get()), MINIMAL_PDF)


def test_an_uploaded_image_comes_back_byte_for_byte(client, owner, draft, private_media):
    client.force_login(owner)
    upload(client, draft, "scan.png", PNG, "image/png", kind="other")
    document = BusinessDocument.objects.get(business=draft, kind="other")

    assert_served(download(client, draft, document), PNG, name="scan.png", content_type="image/png")


def staff_or_manager(who):
    if who == "programme_manager":
        return ProgrammeManagerFactory()
    agency, role = who.split(":")
    return make_staff(agency, role)


@pytest.mark.parametrize("status", ["submitted", "under_assessment", "verified", "rejected"])
@pytest.mark.parametrize("who", ["DOE:officer", "DOE:reviewer", "DOE:manager", "programme_manager"])
def test_doe_staff_and_the_programme_manager_download_documents_of_a_submitted_case(
    client, owner, private_media, status, who
):
    business = registration_in(status, owner=owner)
    client.force_login(staff_or_manager(who))

    assert_served(download(client, business, business.documents.get()), MINIMAL_PDF)


@pytest.mark.parametrize("who", ["DOE:officer", "DOE:reviewer", "DOE:manager", "programme_manager"])
def test_documents_of_a_draft_are_hidden_from_doe_and_the_manager(client, draft, private_media, who):
    client.force_login(staff_or_manager(who))

    assert download(client, draft, draft.documents.get()).status_code == 404


@pytest.mark.parametrize("status", ["draft", "submitted", "verified"])
@pytest.mark.parametrize(
    "who", ["other_applicant", "anonymous", "TVTO:officer", "MCLS:reviewer", "MCLS:manager"]
)
def test_others_get_404_for_a_document(client, owner, private_media, status, who):
    business = registration_in(status, owner=owner)
    if who == "other_applicant":
        client.force_login(ApplicantFactory())
    elif who != "anonymous":
        client.force_login(staff_or_manager(who))

    response = download(client, business, business.documents.get())

    assert response.status_code == 404
    assert "Location" not in response
    assert MINIMAL_PDF not in response.content


def test_a_document_of_another_registration_is_404_through_my_own(client, owner, private_media):
    mine = registration_in("draft", owner=owner)
    theirs = registration_in("draft")
    client.force_login(owner)

    assert download(client, mine, theirs.documents.get()).status_code == 404


# --- hostile files ---------------------------------------------------------------------------------------


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` × `height` pixels, as a decompression bomb's does."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(20_000, 20_000), (60_000, 60_000)])
def test_a_decompression_bomb_is_refused_with_a_clear_message(client, owner, draft, private_media, size):
    client.force_login(owner)

    response, before = rejected_upload(
        client, draft, private_media, "bomb.png", png_header_only(*size), "image/png"
    )

    assert response.context["form"].errors["file"] == [
        "The image is too large; scan it at a lower resolution."
    ]
    assert files_on_disk(private_media) == before["files"]


def test_a_large_but_reasonable_scan_is_accepted(client, owner, draft, private_media):
    client.force_login(owner)
    buffer = io.BytesIO()
    Image.new("1", (4960, 7016)).save(buffer, "PNG")  # A4 at 600 dpi

    upload(client, draft, "scan.png", buffer.getvalue(), "image/png", kind="other")

    assert BusinessDocument.objects.filter(business=draft, kind="other").count() == 1


@pytest.mark.parametrize(
    ("typed_name", "served_name"),
    [
        ("poly.html", "poly.pdf"),
        ("report.pdf\x00.html", "report.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("scan.v2.PDF", "scan.v2.pdf"),
        (" .pdf", "document.pdf"),
    ],
)
def test_a_download_is_named_after_what_the_file_is_not_what_the_uploader_called_it(
    client, owner, draft, private_media, typed_name, served_name
):
    client.force_login(owner)
    stored = services.document_upload(
        business_id=draft.pk,
        kind="other",
        uploaded=SimpleUploadedFile(typed_name, MINIMAL_PDF, "text/html"),
        actor=owner,
    )

    assert_served(download(client, draft, stored), MINIMAL_PDF, name=served_name)
