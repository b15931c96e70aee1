"""The portal's public address, and every absolute link built from it.

E-mails are sent by a worker and QR codes are printed on paper: neither has a request whose host
could be trusted or even exists, so one setting, PORTAL_BASE_URL, says where people reach the
portal. Pages, e-mails, certificates and the API all build their absolute links here.
"""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """`path` (as reverse() gives it) on the portal's public address."""
    return settings.PORTAL_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def absolute_reverse(viewname: str, *, args=None, kwargs=None) -> str:
    return absolute_url(reverse(viewname, args=args, kwargs=kwargs))
