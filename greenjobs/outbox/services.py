"""Records tasks with the write that needs them and publishes each one once.

A message is published under a row lock (`select_for_update(skip_locked=True)`) and marked sent in the
same transaction, so the publish right after the commit and any number of relays never send it twice.
The only gap left is a process that dies between the broker accepting the task and the commit of
`sent_at`; the tasks sent this way are written to be safe to run again.
"""

import contextlib
import importlib
import logging
from datetime import timedelta

from celery import current_app
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from greenjobs.mail import retry_countdown
from greenjobs.observability.context import current_request_id, request_context

from .models import OutboxMessage, SentMail

logger = logging.getLogger(__name__)

RELAY_BATCH = 100
SENT, FAILED, BROKER_DOWN = "sent", "failed", "broker down"
# What a broker that does not answer raises (kombu wraps connection errors in OperationalError).
BROKER_ERRORS = (KombuOperationalError, ConnectionError, OSError)
KEEP_SENT = timedelta(days=30)


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Records `task(*args, **kwargs)` in the current transaction; it is published once that commits.

    `task` is a Celery task or its registered name (a name lets a lower layer start a higher one's
    task without importing it). Arguments must be JSON values, as for any task.
    """
    name = task if isinstance(task, str) else task.name
    _task(name)  # an unknown name is a mistake to fail on now, not a row the relay retries for ever
    message = OutboxMessage.objects.create(
        task_name=name, args=list(args), kwargs=kwargs, request_id=current_request_id() or ""
    )
    transaction.on_commit(lambda: publish(message.pk))
    return message


def nudge(task, *, on_failure=None) -> None:
    """Starts `task` (no arguments) once the current transaction commits, without recording it: for work
    a schedule does anyway (a refresh), where a lost message only means waiting for the next run. A broker
    that does not answer, or a task that fails in process, is logged and `on_failure()` is called; the
    request that committed never sees it."""
    name = task if isinstance(task, str) else task.name
    _task(name)

    def publish_now():
        try:
            _task(name).apply_async(ignore_result=True)
        except Exception as exc:  # best effort: the schedule runs it anyway
            logger.warning("Task %s not started: %s: %s", name, exc.__class__.__name__, exc)
            if on_failure is not None:
                on_failure()

    transaction.on_commit(publish_now)


def publish(message_id: int) -> bool:
    """Publishes one message unless it was sent already or is being sent; True when this call sent it.

    A broker that does not answer is logged and leaves the message for the relay; it never reaches
    the request that committed the write.
    """
    if _eager():
        return _run_in_process(message_id)
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        return message is not None and _send(message) == SENT


def relay(*, batch: int = RELAY_BATCH) -> int:
    """Publishes every unsent message, oldest first, and says how many; stops when the broker refuses."""
    sent = 0
    after = 0  # a cursor, so a message that keeps failing is tried once per run, not for ever
    while True:
        if _eager():
            pending = list(
                OutboxMessage.objects.filter(sent_at__isnull=True, pk__gt=after)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            sent += sum(_run_in_process(pk) for pk in pending)
        else:
            with transaction.atomic():
                pending = list(
                    OutboxMessage.objects.select_for_update(skip_locked=True)
                    .filter(sent_at__isnull=True, pk__gt=after)
                    .order_by("pk")[:batch]
                )
                for message in pending:
                    outcome = _send(message)
                    if outcome == BROKER_DOWN:
                        return sent  # the rest waits for the next run
                    sent += outcome == SENT
        if len(pending) < batch:
            return sent
        after = pending[-1] if _eager() else pending[-1].pk


def prune(*, now=None) -> int:
    """Deletes messages sent long ago; what is unsent is kept whatever its age."""
    cutoff = (now or timezone.now()) - KEEP_SENT
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def sent_mail_claim(*, key: str) -> bool:
    """Records that the mail named `key` is being sent; False when it was sent (or claimed) before.

    A task calls this before it sends, so a task delivered twice mails once. The mark is a unique row,
    so two workers running the same task at once cannot both win, and emptying Redis forgets nothing.
    """
    try:
        with transaction.atomic():
            SentMail.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def sent_mail_release(*, key: str) -> None:
    """Forgets a claim whose mail could not go out, so the task's retry sends it."""
    SentMail.objects.filter(key=key).delete()


def send_once(task, *, key: str, send, retry_on: tuple = (OSError,)) -> str:
    """Calls `send()` for the message named `key` once, however often the bound Celery `task` is delivered.

    "duplicate" when it was sent (or claimed) before, "sent" once it went out. A failure of a kind in
    `retry_on` (a mail server that does not answer) forgets the claim and retries the task with back-off.
    """
    if not sent_mail_claim(key=key):
        return "duplicate"
    try:
        send()
    except retry_on as exc:
        sent_mail_release(key=key)
        raise task.retry(exc=exc, countdown=retry_countdown(task.request.retries)) from exc
    return "sent"


def sent_mail_prune(*, now=None) -> int:
    """Forgets marks older than any re-delivery of their task could be."""
    cutoff = (now or timezone.now()) - KEEP_SENT
    deleted, _ = SentMail.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def _send(message: OutboxMessage) -> str:
    """Publishes a message the caller holds locked, and records the outcome on it."""
    message.attempts += 1
    try:
        # The task id names the row, so a task in the worker's log leads back to the write that sent it.
        options = {"task_id": f"outbox-{message.pk}", "ignore_result": True}
        if message.request_id:
            # The relay runs long after the request; the id recorded with the row is the one to send.
            options["headers"] = {"request_id": message.request_id}
        _task(message.task_name).apply_async(message.args, message.kwargs, **options)
    except Exception as exc:  # whatever the cause, the row stays unsent for the next relay
        message.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
        message.save(update_fields=["attempts", "last_error"])
        logger.warning("Outbox message %s not published: %s", message.pk, message.last_error)
        return BROKER_DOWN if isinstance(exc, BROKER_ERRORS) else FAILED
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "sent_at", "last_error"])
    return SENT


def _run_in_process(message_id: int) -> bool:
    """Eager mode (the embedded demo, the unit tests): claims the message, then runs its task here.

    The claim is committed before the task runs, so a task that fails is not run again by the relay,
    as a task that failed on a worker is not published again either.
    """
    claimed = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    with request_context(message.request_id or current_request_id()):
        _task(message.task_name).apply_async(message.args, message.kwargs)
    return True


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def _task(name: str):
    tasks = current_app.tasks
    if name not in tasks:
        # A task is registered when its module is imported, which a web process may not have done
        # yet; a shared task's name starts with its module's path.
        with contextlib.suppress(ImportError):
            importlib.import_module(name.rpartition(".")[0])
    try:
        return tasks[name]
    except KeyError:
        raise LookupError(f"No Celery task is registered as {name!r}.") from None
