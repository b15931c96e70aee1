from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Green job registry")

    def ready(self):
        # Imported once the apps are loaded: these modules read the models.
        # How this app's system notes read when a history is shown (greenjobs.notes).
        # Its kinds of notification and its SLA reminders (notifications.kinds, .reminders).
        from . import (
            notes,  # noqa: F401
            notices,  # noqa: F401
            permissions,
        )

        permissions.register_rules()
