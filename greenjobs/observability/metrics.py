"""The portal's Prometheus metrics, and the registry a scrape reads.

Labels stay bounded: a request is labelled with its view's URL name (never its path), a task with its
registered name. With PROMETHEUS_MULTIPROC_DIR set (gunicorn's workers, Celery's prefork children),
prometheus_client writes every process's values to files in that folder and a scrape adds them up;
the folder must be emptied before the processes start, or the counts of a previous run are added in.
"""

import functools
import logging
import os

import redis
from django.conf import settings
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

# A "_created" timestamp per series doubles the output and no dashboard of ours reads it.
disable_created_metrics()

DEFAULT_QUEUE_NAMES = ("default", "email", "reports", "imports")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNRESOLVED = "unresolved"

REQUESTS = Counter(
    "greenjobs_http_requests",
    "HTTP requests answered, by view (URL name), method and status.",
    ["view", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "greenjobs_http_request_duration_seconds",
    "Time to produce a response (not to stream it), by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
REQUEST_QUERIES = Histogram(
    "greenjobs_http_request_db_queries",
    "Database queries run while handling one request, by view.",
    ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
)
TASKS = Counter(
    "greenjobs_celery_tasks",
    "Celery tasks run, by task name and outcome (succeeded, failed, retried, rejected, ignored).",
    ["task", "state"],
)
TASK_SECONDS = Histogram(
    "greenjobs_celery_task_duration_seconds",
    "Time a Celery task ran, by task name.",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800),
)


def _never_fails(record):
    """Measuring must not fail what it measures: an error (a PROMETHEUS_MULTIPROC_DIR that cannot be
    written) is logged once per process and the request or task goes on."""
    failed_before = False

    @functools.wraps(record)
    def wrapper(**kwargs):
        nonlocal failed_before
        try:
            record(**kwargs)
        except Exception:
            if not failed_before:
                failed_before = True
                logger.exception("A metric could not be recorded; further failures are not logged")

    return wrapper


@_never_fails
def observe_request(*, view: str, method: str, status: int, seconds: float, queries: int) -> None:
    method = method if method in METHODS else "other"
    REQUESTS.labels(view, method, str(status)).inc()
    REQUEST_SECONDS.labels(view).observe(seconds)
    REQUEST_QUERIES.labels(view).observe(queries)


@_never_fails
def observe_task(*, task: str, state: str | None, seconds: float | None) -> None:
    """Counts a task's outcome (state None: only its time, the outcome is counted elsewhere)."""
    if state is not None:
        TASKS.labels(task, state).inc()
    if seconds is not None:
        TASK_SECONDS.labels(task).observe(seconds)


def queue_names() -> list[str]:
    return list(getattr(settings, "CELERY_QUEUE_NAMES", DEFAULT_QUEUE_NAMES))


def queue_lengths() -> dict[str, int]:
    """Messages waiting in each of the app's queues, read from the Redis broker now; {} without Redis.

    Kombu keeps a queue as a Redis list, plus one list per priority step beyond the first; all count.
    """
    broker = settings.CELERY_BROKER_URL
    if not settings.REDIS_URL or not broker.startswith(("redis://", "rediss://")):
        return {}
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    prefix = options.get("global_keyprefix", "")
    separator = options.get("sep", "\x06\x16")
    steps = options.get("priority_steps", [0, 3, 6, 9])
    names = queue_names()
    client = redis.Redis.from_url(broker, socket_connect_timeout=1, socket_timeout=2)
    try:
        pipeline = client.pipeline(transaction=False)
        for name in names:
            for step in steps:
                pipeline.llen(prefix + (f"{name}{separator}{step}" if step else name))
        counts = pipeline.execute()
    finally:
        client.close()
    per_queue = len(steps)
    return {name: sum(counts[i * per_queue : (i + 1) * per_queue]) for i, name in enumerate(names)}


class QueueLengthCollector:
    """Reads the queue lengths at scrape time, so every web process reports the same current figure."""

    def collect(self):
        try:
            lengths = queue_lengths()
        except redis.RedisError as exc:
            # A broker that does not answer leaves the gauge out; the scrape itself still succeeds.
            logger.warning("Queue lengths not read: %s: %s", exc.__class__.__name__, exc)
            return
        if not lengths:
            return
        family = GaugeMetricFamily(
            "greenjobs_celery_queue_length", "Messages waiting in each Celery queue.", labels=["queue"]
        )
        for name, length in lengths.items():
            family.add_metric([name], length)
        yield family


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def scrape_registry() -> CollectorRegistry:
    """What one scrape reads: every process's metrics (multi-process mode) or this process's, plus the
    queue lengths."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(QueueLengthCollector())
    return registry


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its content type."""
    return generate_latest(scrape_registry()), CONTENT_TYPE_LATEST
