"""Fixed-window rate limits per client address, counted in the shared cache.

Every web process counts into the same key, so the limit holds across processes and machines when the
cache is Redis. A cache that cannot be reached lets the request through (and says so in the log): a
limit is a brake on abuse, not a reason to take a public page down.
"""

import functools
import hashlib
import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_address(request) -> str:
    return known_address(request) or "unknown"


def known_address(request) -> str | None:
    """The address of the person at the other end, as far as the configuration allows trusting it.

    The connection's own address, unless it comes from one of TRUSTED_PROXIES (the reverse proxy in
    front of the portal). Then X-Forwarded-For is read from the right, the end our proxies append to,
    skipping the trusted hops; the first address no trusted proxy stands for is the client. Whatever a
    client writes into the header itself sits further left and is never reached, so nobody can pick the
    address their failed logins or rate limits are counted against.
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    networks = trusted_proxies()
    if not networks or not _within(remote, networks):
        return remote or None
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        try:
            address = ipaddress.ip_address(hop)
        except ValueError:
            break  # a malformed entry: nothing left of it can be trusted
        if not any(address in network for network in networks):
            return str(address)
    return remote or None


@functools.cache
def _networks(configured: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def trusted_proxies() -> tuple:
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _within(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def over_limit(request, *, scope: str, limit: int, window: int) -> bool:
    """Counts this request against the client's window; True once the window's allowance is used up."""
    key = f"ratelimit:{scope}:" + hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception:
        logger.warning("Rate limit %s not counted: the cache is unreachable.", scope, exc_info=True)
        return False
    return count > limit
