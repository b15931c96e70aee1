from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring of the jobs loans promised")

    def ready(self):
        # Imported once the apps are loaded: these modules read the models. The receiver plans a loan's
        # rounds when incentives starts its repayment (incentives.signals, a hook it owns).
        from . import permissions, receivers

        permissions.register_rules()
        receivers.connect()
