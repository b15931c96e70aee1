"""Fixed-window rate limits per client address, counted in the shared cache.

Every web process counts into the same key, so the limit holds across processes and machines when the
cache is Redis. A cache that cannot be reached lets the request through (and says so in the log): a
limit is a brake on abuse, not a reason to take a public page down.
"""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_address(request) -> str:
    # The connection's address; behind a reverse proxy the proxy must be trusted to set it.
    return request.META.get("REMOTE_ADDR") or "unknown"


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
