"""Operators' endpoints: metrics for Prometheus, liveness and readiness for the orchestrator.

None of them renders a template or needs a session: they must answer while the rest of the portal
cannot.
"""

import logging

from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotFound, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from greenjobs.ratelimit import client_address

from . import access, health
from .metrics import exposition

logger = logging.getLogger(__name__)


@never_cache
def metrics(request):
    allowed = access.metrics_allowed(
        authorization=request.headers.get("Authorization", ""), address=client_address(request)
    )
    if not allowed:
        # Refused before the method is looked at: a stranger learns nothing, not even that it exists.
        return HttpResponseNotFound(b"", content_type="text/plain")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    try:
        body, content_type = exposition()
    except Exception:  # a scrape that fails must say so, not take the error page's path
        logger.exception("Metrics could not be collected")
        return HttpResponse(b"metrics unavailable\n", status=503, content_type="text/plain")
    return HttpResponse(body, content_type=content_type)


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request):
    is_ready, body = health.readiness()
    return JsonResponse(body, status=200 if is_ready else 503)
