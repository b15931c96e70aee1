"""Backup and restore of a PostgreSQL deployment: its database and every file of the private storage.

A backup is a directory holding `database.dump` (pg_dump's custom format), `files/` (each stored file
under its storage name) and `manifest.json`, written last and renamed into place with the rest, so a
directory that has a manifest is a complete backup. See `manifest.py` for what the manifest holds.

The embedded demo (SQLite) is refused: its whole state is `db.sqlite3` and `var/private/`, which are
copied while the demo is stopped.
"""

from .create import make_backup
from .errors import BackupError
from .restore import restore_backup

__all__ = ["BackupError", "make_backup", "restore_backup"]
