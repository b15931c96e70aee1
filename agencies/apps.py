from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies and the memorandum")

    def ready(self):
        from . import permissions  # it reads the models, which only exist once the apps are loaded

        permissions.register()
