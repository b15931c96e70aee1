"""Log records that name their request (and task), and the JSON form production writes them in."""

import logging
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from .context import current_request_id, current_task

LOG_FORMATS = ("text", "json")


class RequestContextFilter(logging.Filter):
    """Adds `request_id` to every record, and `task_id`/`task_name` inside a Celery task.

    It sits on the handlers, not on loggers, so records of every logger (Django's, Celery's, ours)
    pass through it, in the thread and context that emitted them.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        task = current_task()
        if task is not None:
            record.task_id, record.task_name = task
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, request_id, and any extra
    fields of the record (task_id and task_name inside a task, exc_info with a traceback)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", ["asctime", "levelname", "name", "message", "request_id"])
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        super().__init__(*args, **kwargs)

    def formatTime(self, record, datefmt=None):  # logging.Formatter's name
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def logging_config(*, log_format: str, level: str) -> dict:
    """Django's LOGGING: everything to the console, as plain text (as the console always showed it) or
    as JSON lines for a log collector."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    console = {"class": "logging.StreamHandler", "filters": ["request_context"]}
    if log_format == "json":
        console["formatter"] = "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "greenjobs.observability.logs.RequestContextFilter"}},
        "formatters": {"json": {"()": "greenjobs.observability.logs.JsonFormatter"}},
        "handlers": {"console": console},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"axes": {"level": "WARNING"}},
    }
