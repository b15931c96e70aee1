"""Lists the private files no row points at, and removes them unless --dry-run is given."""

from django.core.management.base import BaseCommand

from greenjobs import storage


class Command(BaseCommand):
    help = "Report and remove private files that no database row refers to (older than ORPHAN_GRACE_SECONDS)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only report; remove nothing.")

    def handle(self, *args, dry_run=False, **options):
        result = storage.orphans_sweep(dry_run=dry_run)
        for name in result["names"]:
            self.stdout.write(name)
        self.stdout.write(
            f"scanned {result['scanned']} files: {result['orphans']} orphans ({result['bytes']} bytes), "
            f"{result['removed']} removed"
        )
