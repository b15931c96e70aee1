from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from greenjobs.formats import format_digits

from . import selectors


class Badge:
    """The header's unread count: one bounded query, run only when a page shows the bell."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def count(self) -> int:
        return selectors.unread_count(self._user)

    @property
    def shown(self) -> str:
        if self.count > selectors.UNREAD_CAP:
            return format_digits(selectors.UNREAD_CAP) + "+"
        return format_digits(self.count)

    @property
    def label(self) -> str:
        if not self.count:
            return _("Notifications: none unread")
        if self.count > selectors.UNREAD_CAP:
            return _("Notifications: more than %(count)s unread") % {
                "count": format_digits(selectors.UNREAD_CAP)
            }
        return ngettext("Notifications: %(count)s unread", "Notifications: %(count)s unread", self.count) % {
            "count": self.shown
        }


def notifications(request):
    return {"notification_badge": Badge(getattr(request, "user", None))}
