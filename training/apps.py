from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training and culture-building")

    def ready(self):
        # They read the models, which only exist once the apps are loaded; notices registers this app's
        # kinds of notification (notifications.kinds).
        from . import notices, permissions  # noqa: F401

        permissions.register_rules()
