"""The request id (and, in a worker, the task) that the code running now works for.

Kept in context variables, so every log record emitted while handling a request or running a task can
name it (greenjobs.observability.logs), and a task published meanwhile carries it in its headers.
"""

import contextlib
import re
from contextvars import ContextVar

# Strict, so a client-chosen id can neither forge log lines nor grow without bound.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{8,64}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_task: ContextVar[tuple[str, str] | None] = ContextVar("task", default=None)


def valid_request_id(value) -> str | None:
    """The value when it is an acceptable request id, else None."""
    if isinstance(value, str) and REQUEST_ID_PATTERN.fullmatch(value):
        return value
    return None


def current_request_id() -> str | None:
    return _request_id.get()


def current_task() -> tuple[str, str] | None:
    """(task id, task name) of the Celery task running in this context, if any."""
    return _task.get()


@contextlib.contextmanager
def request_context(request_id: str | None):
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


def enter_task(*, request_id: str | None, task_id: str, task_name: str):
    """Binds a task's context; returns what `leave_task` needs to restore the one before it."""
    return _request_id.set(request_id), _task.set((task_id, task_name))


def leave_task(tokens) -> None:
    request_token, task_token = tokens
    try:
        _task.reset(task_token)
        _request_id.reset(request_token)
    except ValueError:
        # Tokens made in another context (a pool that ran prerun and postrun apart) cannot be reset;
        # clearing is the safe fallback, the next task binds its own.
        _task.set(None)
        _request_id.set(None)
