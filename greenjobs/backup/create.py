import os
import shutil
import tempfile
from pathlib import Path

from django.db import DatabaseError, connections
from django.utils import timezone

from greenjobs import uploads

from . import files, manifest, postgres
from .errors import BackupError


def make_backup(
    target, *, using: str = "default", lock_wait_timeout: float = 60, log=lambda line: None
) -> dict:
    """Writes a backup into the new directory `target` and returns its manifest.

    Everything is written into a hidden sibling directory first and renamed to `target` once the manifest
    is written, so a backup that fails half-way leaves nothing that looks like a backup.
    """
    connection = connections[using]
    postgres.require_postgresql(connection)
    target = Path(target).absolute()
    if target.exists():
        raise BackupError(f"{target} already exists; a backup goes into a new directory")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a directory")
    # mkdtemp makes it readable by its owner only: the backup holds personal data.
    partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        result = _write(partial, connection, lock_wait_timeout, log)
        os.rename(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return result


def _write(directory: Path, connection, lock_wait_timeout: float, log) -> dict:
    storage = uploads.private_storage()
    # Listed before the snapshot: a file written after it and named by no row of it is not needed.
    present = set(files.walk(storage))
    dump_path = directory / manifest.DUMP_NAME
    try:
        with postgres.snapshot(connection, lock_wait_timeout=lock_wait_timeout) as (side, cursor, snapshot):
            cursor.execute("SELECT now()")
            (snapshot_at,) = cursor.fetchone()
            log(f"Dumping database {connection.settings_dict['NAME']} (snapshot {snapshot})…")
            postgres.dump(connection.settings_dict, snapshot, dump_path, lock_wait_timeout=lock_wait_timeout)
            tables = postgres.table_counts(side, cursor)
            migrations = postgres.applied_migrations(cursor, tables)
            referenced = files.referenced(side, cursor, tables)
            version = postgres.server_version(side)
    except DatabaseError as exc:
        raise BackupError(f"the database could not be read: {exc}".strip()) from exc
    dump_size, dump_sha256 = files.path_digest(dump_path)

    names = sorted(present | set(referenced))
    log(f"Copying {len(names)} files from the private storage…")
    copied, problems = [], []
    for name in names:
        if not storage.exists(name):
            if name in referenced:
                problems.append(f"{name} is named by the database but missing from the storage")
            continue  # deleted since it was listed, and no row of the snapshot names it
        entry = files.copy_out(storage, name, directory / manifest.FILES_DIR)
        if referenced.get(name) and referenced[name] != entry.sha256:
            problems.append(f"{name} does not match the SHA-256 the database holds for it")
        copied.append(entry)
    if problems:
        raise BackupError(
            "the storage does not match the database; no backup was made:\n" + manifest.listed(problems)
        )

    result = {
        "format": manifest.FORMAT,
        "format_version": manifest.FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "snapshot_at": snapshot_at.isoformat(),
        "portal": manifest.portal_version(),
        "database": {
            "engine": connection.vendor,
            "server_version": version,
            "name": connection.settings_dict["NAME"],
            "dump": {"name": manifest.DUMP_NAME, "size": dump_size, "sha256": dump_sha256},
            "tables": tables,
            "migrations": migrations,
        },
        "storage": {
            "backend": f"{type(storage).__module__}.{type(storage).__qualname__}",
            "files": len(copied),
            "bytes": sum(entry.size for entry in copied),
        },
        "files": [
            {
                "name": entry.name,
                "size": entry.size,
                "sha256": entry.sha256,
                "referenced": entry.name in referenced,
            }
            for entry in copied
        ],
    }
    manifest.write(directory, result)
    return result
