from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Apps load before their modules may touch models; notices registers this app's kinds of
        # notification (notifications.kinds).
        from . import notices, permissions  # noqa: F401

        permissions.register_roles()
