from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training and culture-building")

    def ready(self):
        from . import permissions  # it reads the models, which only exist once the apps are loaded

        permissions.register_rules()
