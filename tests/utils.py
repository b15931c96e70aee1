"""Helpers several test modules share: API clients and their pages, concurrent calls, waiting on workers."""

import contextlib
import threading
import time
import uuid

from django.db import connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from greenjobs.exceptions import DomainError


def client_for(user=None):
    """A client that authenticates by token, as an API consumer would; anonymous without a user."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def results(response):
    """The rows of one page of an API list, which must have answered 200."""
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return [row["id"] for row in results(response)]


def run_together(calls):
    """Starts every call at the same moment, each in its own thread and connection.

    Returns one outcome per call, in order: ("done", what it returned), ("told", the DomainError's code)
    or ("error", anything else it raised, which the assertions must then show).
    """
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            start.wait(timeout=60)
            outcomes[index] = ("done", call())
        except DomainError as exc:
            outcomes[index] = ("told", exc.code)
        except Exception as exc:  # anything else is a failure the assertions must show
            outcomes[index] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


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
    from celery._state import _set_task_join_will_block
    from celery.contrib.testing.worker import start_worker

    from greenjobs.celery import app

    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=30, queues=[queue]
        ) as worker:
            yield worker
    finally:
        # The worker's pool marks the whole process as "inside a task"; the tests after this one are not.
        _set_task_join_will_block(False)
