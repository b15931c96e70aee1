"""Writes of the notification centre.

`notify` is called by the app that records an event, inside the event's transaction: the inbox row,
and the SMS or e-mail it needs, commit with the event or not at all (the outbox publishes the tasks
once it commits). The apps' own event e-mails are sent as before, by their tasks, which ask
`selectors.wants` first.
"""

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenjobs.exceptions import DomainError
from greenjobs.outbox.services import enqueue

from . import kinds, selectors
from .models import Notification, Preference

logger = logging.getLogger(__name__)

SEND_SMS = "notifications.tasks.send_sms"
SEND_EMAIL = "notifications.tasks.send_notification_email"


def notify(
    *, recipients: Iterable[int], kind: str, params: dict, key: str = "", at=None
) -> list[Notification]:
    """Puts a notification in each recipient's inbox (once per `key`) and starts its SMS and e-mail.

    `recipients` are user ids; `params` JSON values the kind renders from. Returns the rows created.
    """
    spec = kinds.KINDS[kind]  # an unregistered kind is a programming error, found here and not later
    recipient_ids = list(dict.fromkeys(r for r in recipients if r is not None))
    if key and recipient_ids:
        told = set(
            Notification.objects.filter(key=key, recipient_id__in=recipient_ids).values_list(
                "recipient_id", flat=True
            )
        )
        recipient_ids = [r for r in recipient_ids if r not in told]
    if not recipient_ids:
        return []
    at = at or timezone.now()
    rows = [
        Notification(recipient_id=r, kind=kind, params=params, key=key, created_at=at) for r in recipient_ids
    ]
    created = _create(rows)
    if spec.urgent or not spec.emailed_by_app:
        wanted = selectors.channels(user_ids=[n.recipient_id for n in created], kind_code=kind)
        for notification in created:
            if spec.urgent and wanted[notification.recipient_id][selectors.SMS]:
                enqueue(SEND_SMS, notification.pk)
            if not spec.emailed_by_app and wanted[notification.recipient_id][selectors.EMAIL]:
                enqueue(SEND_EMAIL, notification.pk)
    return created


def _create(rows: list[Notification]) -> list[Notification]:
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows)
    except IntegrityError:
        # Another run told some of them meanwhile (the same key): the others are still told, one by one.
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                continue
            created.append(row)
        return created


def notification_open(*, notification_id: int, user) -> Notification:
    """Marks one of the person's notifications read and returns it; another's does not exist for them."""
    notification = selectors.notification_of(user=user, notification_id=notification_id)
    if notification is None:
        raise DomainError(_("No such notification."), code="not_found", status_code=404)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_read_all(*, user) -> int:
    """Marks every unread notification of the person read; says how many."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(*, user, choices: dict[str, dict[str, bool]]) -> None:
    """Records the person's channels per kind: {"loan.decision": {"email": True, "sms": False}, …}.

    Kinds they cannot receive are ignored; e-mail a kind must send stays on; SMS only where urgent.
    """
    offered = {kind.code: kind for kind in kinds.ordered(user)}
    for code, wanted in choices.items():
        kind = offered.get(code)
        if kind is None:
            continue
        Preference.objects.update_or_create(
            user_id=user.pk,
            kind=code,
            defaults={
                "email": bool(wanted.get(selectors.EMAIL)) or not kind.email_optional,
                "sms": bool(wanted.get(selectors.SMS)) and kind.urgent,
            },
        )


def notification_times_set(*, times: dict | None = None, prefix: str = "", at=None) -> int:
    """Moves notifications back in time (the demo places its story in the past): those of each key of
    `times` to its moment, or those whose key starts with `prefix` to `at`."""
    if prefix:
        return Notification.objects.filter(key__startswith=prefix).update(created_at=at)
    if not times:
        return 0
    return Notification.objects.filter(key__in=list(times)).update(
        created_at=Case(*(When(key=key, then=moment) for key, moment in times.items()))
    )
