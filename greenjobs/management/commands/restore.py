from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from greenjobs.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restores a backup made by `backup` into an empty system (a database with no user account and an "
        "empty private storage), then checks every table's rows and every file's SHA-256 against it. "
        "Stop the web, worker and beat processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="source", metavar="DIR", required=True, help="The backup directory."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete everything in the database's schema and in the private storage before restoring.",
        )
        parser.add_argument(
            "--lock-wait-timeout",
            type=float,
            metavar="SECONDS",
            default=60,
            help="Seconds to wait for a table another connection holds before failing (stop the portal).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, source, force, lock_wait_timeout, database, **options):
        try:
            result = restore_backup(
                source,
                force=force,
                using=database,
                lock_wait_timeout=lock_wait_timeout,
                log=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        portal = result["portal"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {result['created_at']} (portal {portal.get('version')}, "
                f"{portal.get('git') or 'no git description'}): {result['tables']} tables, "
                f"{result['rows']} rows and {result['files']} files ({result['bytes']} bytes), "
                "all matching the manifest."
            )
        )
        if result["pending_migrations"]:
            self.stdout.write(
                self.style.WARNING(
                    f"This code has {result['pending_migrations']} migrations the backup lacks: "
                    "run `manage.py migrate` before starting the portal."
                )
            )
