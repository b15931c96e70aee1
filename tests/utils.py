import contextlib
import time
import uuid


def wait_until(predicate, *, timeout: float = 20.0, interval: float = 0.05):
    """Waits for work another thread or process does (a Celery worker, a browser); fails on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


@contextlib.contextmanager
def celery_to_redis(*, queue: str | None = None):
    """Sends tasks to Redis instead of running them in process, on a queue of their own.

    Celery reads its settings from Django with the CELERY_ prefix, and once loaded only the prefixed
    keys change what it does: setting `task_always_eager` alone is silently ignored.
    """
    from greenjobs.celery import app

    queue = queue or f"test-{uuid.uuid4().hex}"
    saved = {key: app.conf.get(key) for key in ("CELERY_TASK_ALWAYS_EAGER", "CELERY_TASK_DEFAULT_QUEUE")}
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.CELERY_TASK_DEFAULT_QUEUE = queue
    assert app.conf.task_always_eager is False and app.conf.task_default_queue == queue
    try:
        yield queue
    finally:
        for key, value in saved.items():
            setattr(app.conf, key, value)


@contextlib.contextmanager
def real_worker(queue: str):
    """A Celery worker thread consuming `queue` from Redis (use inside `celery_to_redis`)."""
    from celery.contrib.testing.worker import start_worker

    from greenjobs.celery import app

    with start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=30, queues=[queue]
    ) as worker:
        yield worker
