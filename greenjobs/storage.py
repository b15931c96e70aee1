"""Where the portal's private files live, and how they leave it.

Documents, import files and report PDFs are written and read through one Django storage: a folder on the
embedded default, an S3-compatible object store (a private bucket) wherever more than one machine runs the
portal. Nothing else in the code knows which: it asks `private_storage()`.

A file is handed to a person only by a view that has checked permission, either streamed through the
portal or, when PRIVATE_DOWNLOADS is "redirect" and the store can sign, as a redirect to a signed address
that expires within a minute. No file ever has a public or guessable address.
"""

import datetime
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)

S3_BACKEND = "storages.backends.s3.S3Storage"
# Every model that keeps a file in the private storage names it in a field of this name.
REFERENCE_FIELD = "stored_name"


def private_storage() -> Storage:
    config = settings.STORAGES.get("private")
    if config is None or config["BACKEND"] == "django.core.files.storage.FileSystemStorage":
        # Built per call so tests (and deployments) can move PRIVATE_MEDIA_ROOT through settings.
        return FileSystemStorage(location=Path(settings.PRIVATE_MEDIA_ROOT), base_url=None)
    return storages["private"]


def is_object_store(storage: Storage) -> bool:
    return hasattr(storage, "bucket")


def private_file_response(name: str, *, content_type: str, filename: str, headers: dict | None = None):
    """The stored file `name` as a download. Call only after checking the person may have it."""
    storage = private_storage()
    if settings.PRIVATE_DOWNLOADS == "redirect" and is_object_store(storage):
        # The address is signed for this one file and this one disposition, and lapses within a minute.
        url = storage.url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition_header(True, filename),
                "ResponseCacheControl": "private, no-store",
            },
            expire=settings.PRIVATE_DOWNLOAD_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(
            storage.open(name, "rb"), content_type=content_type, as_attachment=True, filename=filename
        )
    # Personal documents: never kept by shared caches, never sniffed into something executable.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    for header, value in (headers or {}).items():
        response[header] = value
    return response


def referencing_models() -> list:
    """The models that keep files in the private storage (found by their field, so no app is named here)."""
    return [
        model
        for model in apps.get_models()
        if not model._meta.abstract and any(field.name == REFERENCE_FIELD for field in model._meta.fields)
    ]


def referenced(names: Iterable[str]) -> set[str]:
    """Which of `names` a row of the database still points at."""
    names = list(names)
    found: set[str] = set()
    for model in referencing_models():
        found.update(
            model._base_manager.filter(**{f"{REFERENCE_FIELD}__in": names}).values_list(
                REFERENCE_FIELD, flat=True
            )
        )
    return found


def walk(storage: Storage | None = None) -> Iterator[tuple[str, datetime.datetime]]:
    """Every file in the storage with its last modification, without reading any of them."""
    storage = storage or private_storage()
    if is_object_store(storage):
        prefix = storage.location.rstrip("/") + "/" if storage.location else ""
        # One listing request per thousand objects, each with its date: no request per file.
        for summary in storage.bucket.objects.filter(Prefix=prefix):
            yield summary.key[len(prefix) :], summary.last_modified
        return
    root = Path(storage.location)
    if not root.exists():
        return
    for folder, _dirs, files in os.walk(root):
        for file_name in files:
            path = Path(folder) / file_name
            modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
            yield path.relative_to(root).as_posix(), modified


def orphans_sweep(*, now: datetime.datetime | None = None, dry_run: bool = False, batch: int = 1000) -> dict:
    """Finds the files no row points at and removes them (reporting them in the log).

    A file is written a moment before the row that names it is committed, so only files older than
    ORPHAN_GRACE_SECONDS are judged: a younger one may belong to a transaction still running. What is
    left is a file whose transaction failed after it was written, or whose row was deleted while its
    file could not be.
    """
    storage = private_storage()
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.ORPHAN_GRACE_SECONDS)
    result = {"scanned": 0, "orphans": 0, "removed": 0, "bytes": 0, "names": []}
    pending: list[str] = []

    def judge(names: list[str]) -> None:
        kept = referenced(names)
        for name in names:
            if name in kept:
                continue
            result["orphans"] += 1
            if len(result["names"]) < 100:
                result["names"].append(name)
            try:
                result["bytes"] += storage.size(name)
                if not dry_run:
                    storage.delete(name)
                    result["removed"] += 1
            except (OSError, FileNotFoundError):
                logger.warning("Orphan file %s could not be removed", name, exc_info=True)

    for name, modified in walk(storage):
        result["scanned"] += 1
        if modified >= cutoff:
            continue
        pending.append(name)
        if len(pending) >= batch:
            judge(pending)
            pending = []
    if pending:
        judge(pending)
    if result["orphans"]:
        logger.warning(
            "Orphan files: %(orphans)s found, %(removed)s removed (%(bytes)s bytes), e.g. %(sample)s",
            {**result, "sample": ", ".join(result["names"][:10])},
        )
    return result
