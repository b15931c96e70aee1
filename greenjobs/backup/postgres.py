"""The database side: a snapshot shared with pg_dump, row counts, an emptied schema and pg_restore.

pg_dump and pg_restore come from PATH and must be of the server's major version or newer. They get the
connection through PG* environment variables, so the password is never on a command line (where any
user of the machine could read it in the process list).
"""

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

from django.db import connections, transaction
from django.db.backends.postgresql.client import DatabaseClient

from .errors import BackupError

# What a relkind of pg_class is dropped as; Django makes only tables and their sequences, the rest is
# whatever an operator may have added to the schema by hand.
DROP_KINDS = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}


def require_postgresql(connection) -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            f"Backup and restore are for PostgreSQL deployments; this database is {connection.vendor}. "
            "The embedded demo keeps everything in db.sqlite3 and var/private/: stop it and copy those."
        )


def environment(settings_dict: dict) -> dict[str, str]:
    # Django's own psql command knows how OPTIONS map to libpq (sslmode, service, passfile…).
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(extra or {})
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def run(tool: str, arguments: list[str], settings_dict: dict) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"{tool} was not found on PATH: install the PostgreSQL client "
            "(apt-get install postgresql-client) of the server's major version or newer."
        )
    result = subprocess.run(  # noqa: S603 - a fixed tool with arguments made here, no shell
        [executable, "--no-password", *arguments],
        env=environment(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed (exit {result.returncode}): {result.stderr.strip()}")


@contextmanager
def snapshot(connection, *, lock_wait_timeout: float):
    """Yields (connection, cursor, snapshot id) inside a read-only repeatable-read transaction.

    pg_dump given the id sees exactly what the cursor sees, so the dump, the row counts and the list of
    referenced files all describe one moment, whatever is written meanwhile.
    """
    side = connections.create_connection(connection.alias)
    try:
        with side.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            lock_timeout(cursor, lock_wait_timeout)
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone()
            yield side, cursor, snapshot_id
            cursor.execute("COMMIT")
    finally:
        side.close()


def dump(settings_dict: dict, snapshot_id: str, path: Path, *, lock_wait_timeout: float) -> None:
    run(
        "pg_dump",
        [
            "--format=custom",
            f"--snapshot={snapshot_id}",
            f"--lock-wait-timeout={milliseconds(lock_wait_timeout)}",
            f"--file={path}",
        ],
        settings_dict,
    )


def restore(settings_dict: dict, path: Path) -> None:
    # One transaction: a dump that fails half-way leaves the schema as empty as it was.
    run(
        "pg_restore",
        [
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={settings_dict['NAME']}",
            str(path),
        ],
        settings_dict,
    )


def milliseconds(seconds: float) -> int:
    return max(int(seconds * 1000), 1)  # 0 would mean "wait forever"


def lock_timeout(cursor, seconds: float) -> None:
    """For the rest of the cursor's transaction."""
    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{milliseconds(seconds)}ms"])


def table_counts(connection, cursor) -> dict[str, int]:
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table name
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor, tables) -> dict[str, str]:
    """Each app's last applied migration, to tell which code the backup belongs with."""
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
    return dict(cursor.fetchall())


def server_version(connection) -> str:
    major, rest = divmod(connection.pg_version, 10000)
    return f"{major}.{rest}"


def drop_everything(connection, *, lock_wait_timeout: float) -> None:
    """Empties the connection's schema of tables, views and sequences (their indexes and constraints go
    with them), so pg_restore recreates exactly what the dump holds and nothing newer lingers."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        lock_timeout(cursor, lock_wait_timeout)
        cursor.execute(
            "SELECT relname, relkind FROM pg_class "
            "WHERE relnamespace = current_schema()::regnamespace AND relkind = ANY(%s)",
            [list(DROP_KINDS)],
        )
        rows = cursor.fetchall()
        for kind in dict.fromkeys(DROP_KINDS.values()):
            names = [connection.ops.quote_name(name) for name, relkind in rows if DROP_KINDS[relkind] == kind]
            if names:
                cursor.execute(f"DROP {kind} IF EXISTS {', '.join(names)} CASCADE")
