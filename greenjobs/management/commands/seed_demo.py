from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from accounts import demo as accounts_demo
from agencies import demo as agencies_demo
from agencies import seed as agencies_seed
from greenjobs.celery import app as celery_app
from incentives import demo as incentives_demo
from incentives.models import ApplicationEvent
from measurement import notes as figure_notes
from measurement import seed_indicators
from measurement.services import progress, snapshots
from monitoring import demo as monitoring_demo
from notifications import demo as notifications_demo
from notifications import reminders
from notifications.services import notification_times_set
from programs import demo as programs_demo
from programs import demo_initiatives
from programs.models import Assessment, RegistrationEvent
from training import demo as training_demo
from training.models import TrainingEvent


@contextmanager
def tasks_in_process():
    # Celery reads Django's settings under the CELERY_ namespace: once they are loaded only the
    # prefixed key changes what it does, and setting `task_always_eager` alone is silently ignored.
    eager = celery_app.conf.get("CELERY_TASK_ALWAYS_EAGER")
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    try:
        yield
    finally:
        celery_app.conf.CELERY_TASK_ALWAYS_EAGER = eager


def _date_notifications() -> None:
    """The notifications follow their events back to the moments the demo's story gives them, and only
    each person's newest few are left unread, so `make run` opens on inboxes that read real."""
    times = {}
    for prefix, model in (
        ("programs.event", RegistrationEvent),
        ("incentives.event", ApplicationEvent),
        ("training.event", TrainingEvent),
    ):
        times.update({f"{prefix}:{pk}": at for pk, at in model.objects.values_list("pk", "at")})
    keys = list(times)
    for start in range(0, len(keys), 500):
        notification_times_set(times={key: times[key] for key in keys[start : start + 500]})
    for assessment_id, ready_at in Assessment.objects.filter(ready_at__isnull=False).values_list(
        "pk", "ready_at"
    ):
        notification_times_set(prefix=f"programs.ready:{assessment_id}:", at=ready_at)
    # Staff see which of the demo's cases are close to their deadline.
    reminders.run()
    notifications_demo.settle()


class Command(BaseCommand):
    help = "Loads the memorandum and the demo data (idempotent) and prints the demo accounts."

    def handle(self, *args, **options):
        agencies_seed.load()
        seed_indicators.load()
        try:
            # Every sign-in account or none of them.
            with transaction.atomic():
                accounts = accounts_demo.load() + agencies_demo.load()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        # The demo's own workflow would otherwise mail its fictional applicants on every transition:
        # its tasks run here, in process, where mail goes nowhere (a worker would print them all),
        # and the demo is complete (certificates issued) when the command ends.
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                SMS_BACKEND="notifications.sms.DummyBackend",
            ),
            tasks_in_process(),
        ):
            registrations = programs_demo.load()
            loans = incentives_demo.load()
            monitoring_demo.load()
            training_demo.load()
            demo_initiatives.load()
        _date_notifications()
        # The demo writes history into past periods: figures stored while it loaded are dropped (and the
        # drop recorded), then the dashboards' figures are prepared once it is complete.
        snapshots.figures_rebuild(reason=figure_notes.demo_loaded())
        progress.progress_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data is loaded ({registrations} new registrations, {loans} new loan applications). "
                "Demo accounts:"
            )
        )
        width = max(len(username) for username, _description in accounts)
        for username, description in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
        if settings.COMMITTED_DEMO_PASSWORD_ALLOWED:
            self.stdout.write(
                f"  password for all: {settings.DEMO_PASSWORD}  (set DEMO_PASSWORD to change it)"
            )
        else:
            self.stdout.write("  password for all: the value of DEMO_PASSWORD")
