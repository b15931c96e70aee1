from django.core.management.base import BaseCommand

from greenjobs.outbox import services


class Command(BaseCommand):
    help = "Publishes the tasks recorded while the broker did not answer."

    def handle(self, *args, **options):
        sent = services.relay()
        self.stdout.write(f"{sent} message(s) published.")
