"""Who may read /metrics: a scraper with the bearer token, or one inside an allowed network.

With neither configured nobody may, and the endpoint looks absent (404) rather than forbidden.
"""

import hmac
import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def metrics_allowed(*, authorization: str, address: str) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, given = (authorization or "").partition(" ")
        # Compared in constant time, so the answer's timing does not spell the token out.
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    return _in_networks(address, settings.METRICS_ALLOWED_NETWORKS)


def _in_networks(address: str, networks) -> bool:
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for network in networks:
        try:
            if ip in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            logger.warning("METRICS_ALLOWED_NETWORKS holds %r, which is not a network; ignored.", network)
    return False
