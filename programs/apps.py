from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Green job registry")

    def ready(self):
        # Imported once the apps are loaded: these modules read the models.
        # How this app's system notes read when a history is shown (greenjobs.notes).
        from greenjobs.permissions import register_rule

        from . import (
            notes,  # noqa: F401
            permissions,
        )
        from .services import reports, targets

        permissions.register_rules()
        # The measurement rules, until they move with their modules (issue 11: the measurement app).
        register_rule("request_reports", reports.can_request_reports)
        register_rule("set_targets", targets.can_set_targets)
