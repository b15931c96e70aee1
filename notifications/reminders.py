"""SLA reminders: each app that keeps deadlines registers a scan; the daily task runs them all.

A scan finds the cases whose deadline falls within the next few days and tells the staff who work
them, through `services.notify` with a key per case and stage, so the daily run tells each person once
per case per stage, however many days the case stays in the window.
"""

import logging
from collections.abc import Callable

from django.conf import settings

logger = logging.getLogger(__name__)

_SCANS: dict[str, Callable[..., int]] = {}


def register(name: str, scan: Callable[..., int]) -> None:
    """`scan(now=..., within_days=..., limit=...)` returns how many notifications it created."""
    _SCANS[name] = scan


def run(*, now=None) -> dict[str, int]:
    """Runs every registered scan; one that fails is logged and does not stop the others."""
    results = {}
    for name, scan in _SCANS.items():
        try:
            results[name] = scan(
                now=now, within_days=settings.SLA_REMINDER_DAYS, limit=settings.SLA_REMINDER_BATCH
            )
        except Exception:  # one app's broken scan must not keep the others' staff uninformed
            logger.exception("SLA reminder scan %s failed", name)
            results[name] = -1
    return results
