"""Reads of the notification centre; every one is scoped to the person who asks."""

from . import kinds
from .models import Notification, Preference

# The header shows up to this many unread, then "99+": the count stops there, on every page.
UNREAD_CAP = 99
EMAIL, SMS = "email", "sms"


def unread_count(user) -> int:
    """Unread notifications of `user`, counted up to UNREAD_CAP + 1 in one query on a partial index."""
    if user is None or not user.is_authenticated:
        return 0
    return (
        Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).values("pk")[: UNREAD_CAP + 1]
    ).count()


def inbox(*, user, unread_only: bool = False):
    """The person's notifications, newest first; no one else's, whoever asks."""
    queryset = Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset


def notification_of(*, user, notification_id: int) -> Notification | None:
    """One notification of this person; None for another's, as for one that does not exist."""
    if not user.is_authenticated:
        return None
    return Notification.objects.filter(pk=notification_id, recipient_id=user.pk).first()


def default_channels(kind: kinds.Kind) -> dict[str, bool]:
    return {EMAIL: kind.email_default or not kind.email_optional, SMS: kind.urgent}


def channels(*, user_ids, kind_code: str) -> dict[int, dict[str, bool]]:
    """Per person, whether they get this kind by e-mail and by SMS: their choice, else the default."""
    kind = kinds.get(kind_code)
    chosen = {
        preference.user_id: preference
        for preference in Preference.objects.filter(user_id__in=list(user_ids), kind=kind_code)
    }
    answer = {}
    for user_id in user_ids:
        preference = chosen.get(user_id)
        wanted = default_channels(kind)
        if preference is not None:
            wanted = {EMAIL: preference.email or not kind.email_optional, SMS: preference.sms}
        wanted[SMS] = wanted[SMS] and kind.urgent
        answer[user_id] = wanted
    return answer


def wants(*, user_id: int, kind_code: str, channel: str) -> bool:
    """Whether this person gets this kind of event on this channel (one query)."""
    return channels(user_ids=[user_id], kind_code=kind_code)[user_id][channel]


def preferences(*, user) -> list[tuple[kinds.Kind, dict[str, bool]]]:
    """Every kind this person can receive with the channels they get it on, for the preferences page."""
    offered = kinds.ordered(user)
    chosen = {p.kind: p for p in Preference.objects.filter(user_id=user.pk)}
    rows = []
    for kind in offered:
        wanted = default_channels(kind)
        preference = chosen.get(kind.code)
        if preference is not None:
            wanted = {EMAIL: preference.email or not kind.email_optional, SMS: preference.sms and kind.urgent}
        rows.append((kind, wanted))
    return rows
