"""Uploaded documents: checked by content, stored privately under server-made names, read back by views
that have already checked permission. Nothing here is ever served by the web server directly."""

import hashlib
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .formats import format_number
from .storage import private_file_response, private_storage

ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# A scanned A4 page at 600 dpi is about 35 million pixels; anything far beyond that is not a document
# but a way to make the server decompress gigabytes (a "decompression bomb").
MAX_IMAGE_PIXELS = 60_000_000


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


__all__ = ["private_storage"]


def document_help_text() -> str:
    """What a document field accepts, with the configured size limit in the reader's digits."""
    return _("PDF, JPEG or PNG, at most %(limit)s MB.") % {
        "limit": format_number(settings.MAX_UPLOAD_BYTES // (1024 * 1024))
    }


def check_document(uploaded) -> str:
    """Returns the real content type of a PDF, JPEG or PNG upload; raises ValidationError otherwise."""
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")
    if uploaded.size > settings.MAX_UPLOAD_BYTES:
        limit = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB is accepted.") % {"limit": format_number(limit)},
            code="file_too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    content_type = kind.mime if kind else None
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "Only PDF, JPEG and PNG files are accepted, and this file is none of them, "
                "whatever its name says."
            ),
            code="file_type",
        )
    if content_type == "application/pdf":
        if not head.startswith(b"%PDF-"):
            raise ValidationError(_("This PDF file is damaged."), code="file_damaged")
    else:
        _check_image(uploaded)
    return content_type


def _check_image(uploaded) -> None:
    try:
        with Image.open(uploaded) as image:
            # The header alone gives the size: refuse before anything is decoded.
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image is too large; scan it at a lower resolution."), code="image_too_large"
                )
            image.verify()
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _("The image is too large; scan it at a lower resolution."), code="image_too_large"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("This image file is damaged."), code="file_damaged") from exc
    finally:
        uploaded.seek(0)


def clean_file_name(name: str | None) -> str:
    """The name a person gave a file, safe to store and show: no folders, no control characters (NUL)."""
    cleaned = "".join(char for char in (name or "") if unicodedata.category(char)[0] != "C")
    cleaned = cleaned.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return cleaned[:200] or "document"


def download_name(original_name: str, content_type: str) -> str:
    """The name a stored document is served under: the person's own stem, the extension of what the file is.

    The extension never comes from the uploader: `poly.html` holding a PDF is served as `poly.pdf`, and
    control characters (a NUL that would cut the name short) and path separators are dropped.
    """
    cleaned = "".join(
        char for char in (original_name or "") if unicodedata.category(char)[0] != "C" and char not in "/\\"
    ).strip()
    extension = ALLOWED_TYPES.get(content_type, "bin")
    stem = cleaned.rsplit(".", 1)[0] if "." in cleaned else cleaned
    if stem.lower().endswith(f".{extension}"):
        stem = stem[: -len(extension) - 1]
    # No hidden files, no names made only of dots.
    stem = stem.strip(" .")
    return f"{stem or 'document'}.{extension}"


def store_document(uploaded, folder: str) -> StoredFile:
    content_type = check_document(uploaded)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    name = f"{folder}/{uuid.uuid4().hex}.{ALLOWED_TYPES[content_type]}"
    stored = private_storage().save(name, uploaded)
    return StoredFile(
        stored_name=stored, content_type=content_type, size=uploaded.size, sha256=digest.hexdigest()
    )


@contextmanager
def document_stored(uploaded, folder: str) -> Iterator[StoredFile]:
    """Stores the upload for the database writes of the block, and removes it again if the block fails.

    The file has to exist before the row that names it; a row that is then refused (a constraint, a
    lost connection) must not leave its file behind in the store. A transaction further out that fails
    later is the orphan sweep's to clean (greenjobs.storage.orphans_sweep).
    """
    stored = store_document(uploaded, folder)
    try:
        yield stored
    except BaseException:
        delete_document(stored.stored_name)
        raise


def open_document(stored_name: str):
    return private_storage().open(stored_name, "rb")


def delete_document(stored_name: str) -> None:
    private_storage().delete(stored_name)


def document_response(document):
    """The file of a stored document as a private download. Call only after checking permission."""
    return private_file_response(
        document.stored_name,
        content_type=document.content_type,
        filename=download_name(document.original_name, document.content_type),
    )
