import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from measurement import pdf as report_pdf
from measurement.periods import Period, PeriodError
from measurement.services import reports


class Command(BaseCommand):
    help = (
        "Computes the progress report of one period and writes its PDF, here and now "
        "(no Celery, no job row). Example: generate_report --period 1405-Q3 --lang fa --output report.pdf"
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="1405 (a fiscal year), 1405-Q3 or 1405-07")
        parser.add_argument("--lang", choices=report_pdf.LANGUAGES, default="fa", help="fa (default) or en")
        parser.add_argument("--output", help="where to write the PDF (default: report-<period>-<lang>.pdf)")

    def handle(self, *args, **options):
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            # The console speaks English, as the rest of this command does, whatever language is active.
            with translation.override("en"):
                raise CommandError(f"{options['period']!r}: {exc}") from exc
        language = options["lang"]
        output = Path(options["output"] or f"report-{period.key}-{language}.pdf")
        snapshot = reports.build_snapshot(period)
        with translation.override(language):
            pdf = report_pdf.render(snapshot, language)
        try:
            output.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc}") from exc
        digest = hashlib.sha256(pdf).hexdigest()
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {output} ({len(pdf):,} bytes, {period.key}, {language}); SHA-256 {digest}"
            )
        )
