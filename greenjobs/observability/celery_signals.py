"""Celery's side: task metrics, and the request id carried from the publisher into the task.

`connect()` is called once by greenjobs/celery.py. The receivers run in whichever process publishes or
runs a task: the web process (publishing, and running tasks itself in eager mode) and the worker's
processes.
"""

import logging
import time

from celery import signals
from celery import states as celery_states
from django.conf import settings

from . import context, exporter, metrics

logger = logging.getLogger(__name__)

HEADER = "request_id"
OUTCOMES = {
    celery_states.SUCCESS: "succeeded",
    celery_states.RETRY: "retried",
    celery_states.REJECTED: "rejected",
    celery_states.IGNORED: "ignored",
}

# Per process: task id -> (start time, context tokens). A task whose process died never pops its entry;
# the process is gone with it.
_running: dict[str, tuple[float, object]] = {}


def add_request_id(headers=None, **kwargs):
    """before_task_publish: the message carries the request id of the code publishing it, unless the
    publisher set one (the outbox relay sends the id stored with its row)."""
    request_id = context.current_request_id()
    if request_id and headers is not None:
        headers.setdefault(HEADER, request_id)


def task_started(task_id=None, task=None, **kwargs):
    request = task.request
    sent = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    # A task run in process (eager) inherits the id of the code that called it.
    request_id = context.valid_request_id(sent) or context.current_request_id()
    tokens = context.enter_task(request_id=request_id, task_id=task_id, task_name=task.name)
    _running[task_id] = (time.monotonic(), tokens)


def task_finished(task_id=None, task=None, state=None, **kwargs):
    started, tokens = _running.pop(task_id, (None, None))
    seconds = time.monotonic() - started if started is not None else None
    # A failure is counted by task_failed, which also hears of failures no postrun follows (a killed
    # child). No state at all is an eager task whose exception reached its caller before Celery could
    # record the failure (or send task_failure): a failure too.
    outcome = None if state == celery_states.FAILURE else OUTCOMES.get(state, "failed")
    metrics.observe_task(task=task.name, state=outcome, seconds=seconds)
    if tokens is not None:
        context.leave_task(tokens)


def task_failed(sender=None, **kwargs):
    metrics.observe_task(task=sender.name, state="failed", seconds=None)


def serve_worker_metrics(sender=None, **kwargs):
    """worker_ready: the worker's own /metrics, when WORKER_METRICS_PORT is set (it has no web server)."""
    port = settings.WORKER_METRICS_PORT
    if port:
        exporter.start(port=port)


def connect() -> None:
    signals.before_task_publish.connect(add_request_id, weak=False, dispatch_uid="obs-request-id")
    signals.task_prerun.connect(task_started, weak=False, dispatch_uid="obs-task-started")
    signals.task_postrun.connect(task_finished, weak=False, dispatch_uid="obs-task-finished")
    signals.task_failure.connect(task_failed, weak=False, dispatch_uid="obs-task-failed")
    signals.worker_ready.connect(serve_worker_metrics, weak=False, dispatch_uid="obs-worker-metrics")
