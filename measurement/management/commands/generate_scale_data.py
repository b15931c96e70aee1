import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from measurement import scale


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Adds N records of realistic data (40 % business registrations, 30 % loan applications, 30 % "
        "training enrolments, each with its children) spread over --days days ending at --end, with COPY. "
        "PostgreSQL only. Additive: running it again adds N more records. "
        "Example: generate_scale_data --records 1000000"
    )

    def add_arguments(self, parser):
        parser.add_argument("--records", required=True, help="how many records to add (at least 1)")
        parser.add_argument("--days", default="900", help="the window's length in days (default 900)")
        parser.add_argument("--seed", default="1", help="the random seed (default 1)")
        parser.add_argument("--end", help="the window's last day, YYYY-MM-DD (default today)")

    def handle(self, *args, **options):
        records = self._number(options["records"], "--records")
        days = self._number(options["days"], "--days")
        try:
            seed = int(options["seed"])
        except ValueError as exc:
            raise CommandError(f"--seed must be a whole number, not {options['seed']!r}.") from exc
        end = timezone.localdate()
        if options["end"]:
            try:
                end = datetime.date.fromisoformat(options["end"])
            except ValueError as exc:
                raise CommandError(f"--end must be a date as YYYY-MM-DD, not {options['end']!r}.") from exc
            if end > timezone.localdate():
                raise CommandError("--end cannot be after today: the data would describe the future.")
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_scale_data writes with PostgreSQL's COPY; point DATABASE_URL at PostgreSQL "
                f"(this database is {connection.vendor})."
            )
        generator = scale.Generator(records=records, days=days, seed=seed, end=end, out=self.stdout.write)
        try:
            summary = generator.run()
        except scale.ScaleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {summary['seconds']:.1f} s, peak RSS {summary['peak_rss_mb']:.0f} MB."
            )
        )
        for label, count in summary["rows"].items():
            self.stdout.write(f"  {label:<32} {count:>12,}")

    @staticmethod
    def _number(value: str, name: str) -> int:
        try:
            return _positive(value)
        except ValueError as exc:
            raise CommandError(f"{name} must be a whole number of at least 1, not {value!r}.") from exc
