"""The Celery worker's metrics endpoint: a small HTTP server in the worker's main process.

A worker has no Django web server, so its task metrics are served here, under the same rules as the
portal's /metrics (bearer token or allowed network, 404 otherwise). With PROMETHEUS_MULTIPROC_DIR set
the main process adds up what its prefork children wrote; without it only its own values are seen.
"""

import logging
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

from prometheus_client.exposition import ThreadingWSGIServer

from . import access, metrics

logger = logging.getLogger(__name__)


def application(environ, start_response):
    allowed = access.metrics_allowed(
        authorization=environ.get("HTTP_AUTHORIZATION", ""), address=environ.get("REMOTE_ADDR", "")
    )
    if not allowed or environ.get("PATH_INFO", "/") not in ("/", "/metrics"):
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b""]
    try:
        body, content_type = metrics.exposition()
    except Exception:  # the scrape fails, the worker goes on
        logger.exception("Worker metrics could not be collected")
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"metrics unavailable\n"]
    start_response("200 OK", [("Content-Type", content_type), ("Cache-Control", "no-store")])
    return [body]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # a scrape every few seconds is not worth a log line
        pass


def start(*, port: int, address: str = "0.0.0.0") -> ThreadingWSGIServer:  # noqa: S104 (inside the container network)
    if not metrics.multiprocess_dir():
        logger.warning(
            "PROMETHEUS_MULTIPROC_DIR is not set: the worker's metrics endpoint shows only its main "
            "process, not the tasks its prefork children run."
        )
    server = make_server(address, port, application, ThreadingWSGIServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="worker-metrics", daemon=True).start()
    logger.info("Worker metrics served on %s:%s", address, server.server_port)
    return server
