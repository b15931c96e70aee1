from django.conf import settings
from django.core.management.base import BaseCommand

from accounts import demo as accounts_demo
from agencies import seed as agencies_seed


class Command(BaseCommand):
    help = "Loads the memorandum and the demo data (idempotent) and prints the demo accounts."

    def handle(self, *args, **options):
        agencies_seed.load()
        accounts = accounts_demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Demo accounts:"))
        width = max(len(username) for username, _description in accounts)
        for username, description in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
        self.stdout.write(f"  password for all: {settings.DEMO_PASSWORD}  (set DEMO_PASSWORD to change it)")
