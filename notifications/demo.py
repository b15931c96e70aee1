"""The demo's inboxes: its story happened over past months, so most of it has been read already."""

from django.db.models import F

from .models import Notification


def settle(*, unread: int = 3) -> int:
    """Leaves each person's `unread` newest notifications unread and marks the older ones read."""
    marked = 0
    recipients = Notification.objects.order_by().values_list("recipient_id", flat=True).distinct()
    for recipient_id in list(recipients):
        newest = list(
            Notification.objects.filter(recipient_id=recipient_id)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)[:unread]
        )
        marked += (
            Notification.objects.filter(recipient_id=recipient_id, read_at__isnull=True)
            .exclude(pk__in=newest)
            .update(read_at=F("created_at"))
        )
    return marked
