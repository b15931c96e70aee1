"""The notification centre: what happened to a person's cases, in the portal, by e-mail and by SMS.

It sits low, just above the core, so every app that records an event (accounts, programs, incentives,
training) can write the person's notification in the event's own transaction by calling
`services.notify`. It knows none of them: each registers its kinds of notification (how one reads,
where it leads, whether it is urgent) in `kinds` when it loads, and its SLA reminders in `reminders`.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"
