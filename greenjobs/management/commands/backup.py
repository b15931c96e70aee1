from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from greenjobs.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Backs up the PostgreSQL database (pg_dump, one snapshot) and every file of the private storage, "
        "with a manifest of checksums, into a new directory."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            dest="target",
            metavar="DIR",
            required=True,
            help="The new directory to write; it must not exist.",
        )
        parser.add_argument(
            "--lock-wait-timeout",
            type=float,
            metavar="SECONDS",
            default=60,
            help="Seconds to wait for a table another transaction holds (a migration) before failing.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, target, lock_wait_timeout, database, **options):
        try:
            result = make_backup(
                target, using=database, lock_wait_timeout=lock_wait_timeout, log=self.stdout.write
            )
        except BackupError as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        tables = result["database"]["tables"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {target}: {len(tables)} tables, {sum(tables.values())} rows, "
                f"{result['storage']['files']} files ({result['storage']['bytes']} bytes)."
            )
        )
