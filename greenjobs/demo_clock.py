"""Moments in the past for the demo data, counted back from the day the demo is loaded.

The services stamp what they record with the present moment; the demo moves each record back to its
place in a story spread over the past quarters, so histories, ageing, trends and periods have something
to show. Nothing is ever placed after the present moment.
"""

import datetime

from django.utils import timezone


def day(days_ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def moment(days_ago: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """The local time hour:minute, days_ago days before today; today's moments never pass now."""
    now = timezone.localtime()
    value = timezone.make_aware(
        datetime.datetime.combine(day(days_ago), datetime.time(hour % 24, minute % 60)),
        timezone.get_current_timezone(),
    )
    return min(value, now)


def office_moment(days_ago: int, seed: int) -> datetime.datetime:
    """A working-hours moment (08:00–16:59) that differs from record to record, so histories read real."""
    return moment(days_ago, 8 + seed % 9, (seed * 17 + 7) % 60)
