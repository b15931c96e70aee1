from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Staff search")

    def ready(self):
        from . import permissions  # the app registry must be ready before the rules import models

        permissions.register_rules()
