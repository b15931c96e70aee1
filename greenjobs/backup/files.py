"""The storage side, through Django's storage API only, so a filesystem and an object store are one case."""

import hashlib
import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.files import File

from .errors import BackupError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Copied:
    name: str
    size: int
    sha256: str


def walk(storage, folder: str = ""):
    """Every file's name in the storage, folders first-to-last in name order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        # A filesystem storage whose folder was never made holds nothing yet.
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for name in sorted(folders):
        yield from walk(storage, posixpath.join(folder, name) if folder else name)


def first_file(storage) -> str | None:
    return next(walk(storage), None)


def check_name(name: str) -> str:
    """A storage name that is safe as a path under a backup's files/ folder (a manifest may be forged)."""
    if not isinstance(name, str) or not name:
        raise BackupError(f"unsafe file name in the backup: {name!r}")
    parts = PurePosixPath(name).parts
    if (
        name.startswith("/")
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in parts)
        or "/".join(parts) != name
    ):
        raise BackupError(f"unsafe file name in the backup: {name!r}")
    return name


def referenced(connection, cursor, tables) -> dict[str, str]:
    """The files the database refers to, by name, with the SHA-256 it holds for each ('' when none).

    By the project's convention a model that keeps a file in the private storage names it in a
    `stored_name` field and its checksum in `sha256`, so documents, imports and reports of any app are
    found without this module importing them.
    """
    quote = connection.ops.quote_name
    found: dict[str, str] = {}
    for model in apps.get_models():
        opts = model._meta
        if not opts.managed or opts.proxy or opts.db_table not in tables:
            continue
        try:
            name_column = opts.get_field("stored_name").column
        except FieldDoesNotExist:
            continue
        try:
            sha_sql = quote(opts.get_field("sha256").column)
        except FieldDoesNotExist:
            sha_sql = "''"
        cursor.execute(
            f"SELECT {quote(name_column)}, {sha_sql} FROM {quote(opts.db_table)} "  # noqa: S608 - names from models
            f"WHERE {quote(name_column)} <> ''"
        )
        for name, sha256 in cursor.fetchall():
            found[name] = found.get(name) or (sha256 or "")
    return found


def copy_out(storage, name: str, root: Path) -> Copied:
    path = root / check_name(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as source, path.open("xb") as target:
        for chunk in source.chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return Copied(name=name, size=size, sha256=digest.hexdigest())


def copy_in(storage, name: str, root: Path) -> None:
    with (root / check_name(name)).open("rb") as source:
        saved = storage.save(name, File(source, name=name))
    if saved != name:
        # The storage renamed it (a file of that name appeared meanwhile): the rows would point elsewhere.
        raise BackupError(f"the storage saved {name} as {saved}; is something else writing to it?")


def stored_digest(storage, name: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as source:
        for chunk in source.chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def path_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()
