from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from greenjobs import uploads

from . import files, manifest, postgres
from .errors import BackupError


def restore_backup(
    source,
    *,
    force: bool = False,
    using: str = "default",
    lock_wait_timeout: float = 60,
    log=lambda line: None,
) -> dict:
    """Restores the backup in `source` into an empty system and proves it: the same rows per table and
    byte-identical files. Returns what was restored.

    Nothing is changed until the system is found empty (or `force` is given) and every checksum of the
    backup holds. With `force` the database's schema and the private storage are emptied first.
    """
    connection = connections[using]
    postgres.require_postgresql(connection)
    source = Path(source).absolute()
    backup = manifest.read(source)
    engine = backup["database"].get("engine")
    if engine != connection.vendor:
        raise BackupError(f"the backup is of a {engine} database, not {connection.vendor}")
    storage = uploads.private_storage()
    occupied = _occupied(connection, storage)
    if occupied and not force:
        raise BackupError(
            "restore goes into an empty system, and this one is not: "
            + "; ".join(occupied)
            + ". Nothing was changed. Give --force to delete all of it and restore the backup in its place."
        )
    log(f"Checking {len(backup['files']) + 1} files of the backup against the manifest…")
    manifest.verify(source, backup)

    log(f"Restoring database {connection.settings_dict['NAME']}…")
    try:
        # In one transaction, waiting at most lock_wait_timeout for a portal still running: when it
        # fails, nothing has changed yet.
        postgres.drop_everything(connection, lock_wait_timeout=lock_wait_timeout)
    except DatabaseError as exc:
        raise BackupError(f"the database could not be emptied, nothing was changed: {exc}") from exc
    postgres.restore(connection.settings_dict, source / manifest.DUMP_NAME)
    # Ids of content types cached before the restore may name other rows now.
    ContentType.objects.clear_cache()
    if force:
        # Only once the database is restored, so a restore that fails there leaves the files alone.
        names = list(files.walk(storage))
        log(f"Deleting {len(names)} files from the private storage…")
        for name in names:
            storage.delete(name)
    log(f"Restoring {len(backup['files'])} files into the private storage…")
    for entry in backup["files"]:
        files.copy_in(storage, entry["name"], source / manifest.FILES_DIR)

    tables = _verify(connection, storage, backup)
    pending = _pending_migrations(connection)
    return {
        "tables": len(tables),
        "rows": sum(tables.values()),
        "files": len(backup["files"]),
        "bytes": sum(entry["size"] for entry in backup["files"]),
        "created_at": backup.get("created_at"),
        "portal": backup.get("portal", {}),
        "pending_migrations": pending,
    }


def _occupied(connection, storage) -> list[str]:
    """Why this system is not empty; nothing when it is.

    A database counts as empty when it has no user account: a freshly migrated one holds only the
    reference data its migrations load (agencies, counties, indicators…), which the backup replaces.
    """
    reasons = []
    users = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        if users in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(users)}")  # noqa: S608 - a table name
            (count,) = cursor.fetchone()
            if count:
                reasons.append(f"the database {connection.settings_dict['NAME']} has {count} user accounts")
    example = files.first_file(storage)
    if example is not None:
        reasons.append(f"the private storage has files (such as {example})")
    return reasons


def _verify(connection, storage, backup) -> dict[str, int]:
    problems = []
    with connection.cursor() as cursor:
        tables = postgres.table_counts(connection, cursor)
    expected = backup["database"]["tables"]
    for table in sorted(set(tables) | set(expected)):
        if tables.get(table) != expected.get(table):
            problems.append(f"table {table}: {tables.get(table)} rows, the backup has {expected.get(table)}")
    for entry in backup["files"]:
        try:
            size, sha256 = files.stored_digest(storage, entry["name"])
        except FileNotFoundError:
            problems.append(f"{entry['name']} is missing from the storage")
            continue
        if (size, sha256) != (entry["size"], entry["sha256"]):
            problems.append(f"{entry['name']} in the storage does not match its checksum")
    if problems:
        raise BackupError("the restored system differs from the backup:\n" + manifest.listed(problems))
    return tables


def _pending_migrations(connection) -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
