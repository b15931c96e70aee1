"""Request ids and request metrics, as middleware."""

import contextlib
import time
import uuid

from django.db import connections
from django.urls import resolve
from django.utils.log import log_response

from . import metrics
from .context import request_context, valid_request_id


class RequestIdMiddleware:
    """Gives each request an id: the proxy's or client's X-Request-ID when it is well-formed, else a new
    one. It is echoed in the response, named in every log record and sent with every task published
    while the request is handled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = valid_request_id(request.headers.get("X-Request-ID")) or uuid.uuid4().hex
        request.request_id = request_id
        with request_context(request_id):
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django logs a 4xx answer ("Not Found: /x") after the middleware has returned, where the
                # id is gone; logging it here, the same way, marks it logged and keeps the id on it.
                log_response(
                    "%s: %s", response.reason_phrase, request.path, response=response, request=request
                )
        response["X-Request-ID"] = request_id
        return response


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class MetricsMiddleware:
    """Counts each request by view, method and status, and times it and its database queries.

    First in the list, so the time includes the other middleware and the queries they run.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = _QueryCounter()
        started = time.perf_counter()
        status = 500
        try:
            with contextlib.ExitStack() as wrappers:
                for alias in connections:
                    wrappers.enter_context(connections[alias].execute_wrapper(queries))
                response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            metrics.observe_request(
                view=view_name(request),
                method=request.method,
                status=status,
                seconds=time.perf_counter() - started,
                queries=queries.count,
            )


def view_name(request) -> str:
    """The URL name ("incentives:loan_detail"): one label per view, whatever the path's ids."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else metrics.UNRESOLVED


class OperatorEndpointsMiddleware:
    """Answers /metrics and the health checks before the host name is checked.

    Prometheus finds each web container by its address and asks for /metrics under that address, and an
    orchestrator probes containers the same way: neither can name a host in ALLOWED_HOSTS, and with
    `--scale` the addresses come and go. These answers build no link from the host name (which is what
    ALLOWED_HOSTS protects), and /metrics keeps its own token or network check.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        from . import views  # views import the health checks, which need the apps loaded

        self.endpoints = {
            "/metrics": views.metrics,
            "/healthz": views.ready,
            "/healthz/live": views.live,
            "/healthz/ready": views.ready,
        }

    def __call__(self, request):
        view = self.endpoints.get(request.path_info)
        if view is not None:
            request.resolver_match = resolve(request.path_info)  # counted under its own name
            return view(request)
        return self.get_response(request)
