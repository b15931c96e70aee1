from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    name = "measurement"
    verbose_name = _("Measurement of the programme")

    def ready(self):
        # The report tasks keep the names they had in programs.tasks, so the outbox cannot find their
        # module from the name: they are registered as the app loads, in web processes and workers alike.
        from . import notes, permissions, signals, tasks  # noqa: F401

        permissions.register_rules()
        signals.connect()
