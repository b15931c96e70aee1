"""The transactional outbox: a task is recorded with the write that needs it and published once."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction
from kombu.exceptions import OperationalError

from accounts.tasks import send_verification_email
from greenjobs.outbox import services as outbox
from greenjobs.outbox.models import OutboxMessage, SentMail
from greenjobs.tasks import ping
from tests.factories import ApplicantFactory
from tests.utils import celery_to_redis

pytestmark = pytest.mark.django_db


def test_a_task_is_recorded_in_the_callers_transaction_and_published_after_commit(
    django_capture_on_commit_callbacks,
):
    user = ApplicantFactory(email="outbox@example.ir", email_verified_at=None)

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        outbox.enqueue(send_verification_email, user.pk)
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.args, message.kwargs) == (
        "accounts.tasks.send_verification_email",
        [user.pk],
        {},
    )
    assert message.sent_at is None and len(callbacks) == 1 and mail.outbox == []

    # when the transaction's commit hooks run, the task is published (in process here) exactly once
    callbacks[0]()
    callbacks[0]()

    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
    assert [m.to for m in mail.outbox] == [["outbox@example.ir"]]


def test_a_rolled_back_write_records_and_sends_nothing(django_capture_on_commit_callbacks):
    user = ApplicantFactory(email_verified_at=None)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue("accounts.tasks.send_verification_email", user.pk)
        raise RuntimeError("the write failed")

    assert OutboxMessage.objects.count() == 0
    assert callbacks == [] and mail.outbox == []


def test_an_unknown_task_name_is_refused_when_enqueued():
    with pytest.raises(LookupError):
        outbox.enqueue("programs.tasks.no_such_task", 1)

    assert OutboxMessage.objects.count() == 0


def test_a_publish_the_broker_refuses_leaves_the_message_for_the_relay(monkeypatch):
    message = outbox.enqueue(ping)  # no commit hook runs in this test's transaction

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    with celery_to_redis():
        monkeypatch.setattr(ping, "apply_async", broker_down)
        assert outbox.publish(message.pk) is False
        assert outbox.relay() == 0

    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 2
    assert message.last_error == "OperationalError: Error 111 connecting to 127.0.0.1:1. Connection refused."


def test_the_relay_publishes_each_unsent_message_once_in_order(monkeypatch):
    first, second, third = (outbox.enqueue(ping) for _ in range(3))
    OutboxMessage.objects.filter(pk=first.pk).update(sent_at="2026-01-01T00:00:00Z")
    published = []
    monkeypatch.setattr(ping, "apply_async", lambda args, kwargs, **options: published.append(options))

    with celery_to_redis():
        assert outbox.relay() == 2
        assert outbox.relay() == 0
        assert outbox.publish(second.pk) is False

    assert published == [
        {"task_id": f"outbox-{second.pk}", "ignore_result": True},
        {"task_id": f"outbox-{third.pk}", "ignore_result": True},
    ]
    assert list(OutboxMessage.objects.filter(sent_at__isnull=True)) == []
    assert OutboxMessage.objects.get(pk=third.pk).attempts == 1


def test_a_message_that_cannot_be_published_does_not_hold_up_the_ones_after_it(monkeypatch):
    # a task renamed by a later release, recorded before it
    stale = OutboxMessage.objects.create(task_name="programs.tasks.renamed_since")
    later = outbox.enqueue(ping)
    published = []
    monkeypatch.setattr(ping, "apply_async", lambda args, kwargs, **options: published.append(options))

    with celery_to_redis():
        assert outbox.relay(batch=1) == 1
        assert outbox.relay(batch=1) == 0

    stale.refresh_from_db()
    later.refresh_from_db()
    assert published == [{"task_id": f"outbox-{later.pk}", "ignore_result": True}]
    assert later.sent_at is not None and stale.sent_at is None and stale.attempts == 2
    assert stale.last_error == "LookupError: No Celery task is registered as 'programs.tasks.renamed_since'."


def test_in_eager_mode_the_relay_runs_each_task_once():
    users = [ApplicantFactory(email=f"relay{n}@example.ir", email_verified_at=None) for n in range(3)]
    for user in users:
        outbox.enqueue(send_verification_email, user.pk)

    assert outbox.relay(batch=2) == 3
    assert outbox.relay() == 0

    assert sorted(m.to[0] for m in mail.outbox) == [
        "relay0@example.ir",
        "relay1@example.ir",
        "relay2@example.ir",
    ]


def test_the_relay_command_reports_what_it_published(capsys):
    from django.core.management import call_command

    outbox.enqueue(ping)

    call_command("relay_outbox")

    assert capsys.readouterr().out == "1 message(s) published.\n"
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_relays_never_publish_a_message_twice(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL")
    # written as a web process would leave them when the broker was down
    ids = [OutboxMessage.objects.create(task_name=ping.name).pk for _ in range(12)]
    published = []
    lock = threading.Lock()

    def slow_publish(args, kwargs, **options):
        time.sleep(0.02)  # keeps each relay inside its locked batch while the other one runs
        with lock:
            published.append(threading.current_thread().name)

    monkeypatch.setattr(ping, "apply_async", slow_publish)
    counts = {}

    def run(name):
        try:
            counts[name] = outbox.relay(batch=4)
        finally:
            connection.close()

    with celery_to_redis():
        threads = [threading.Thread(target=run, args=(f"relay-{n}",), name=f"relay-{n}") for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sum(counts.values()) == len(published) == 12
    sent = OutboxMessage.objects.filter(pk__in=ids)
    assert [m.attempts for m in sent] == [1] * 12 and all(m.sent_at for m in sent)


def test_a_mail_is_claimed_once_and_a_released_claim_can_be_taken_again():
    assert outbox.sent_mail_claim(key="programs:event-mail:7") is True
    assert outbox.sent_mail_claim(key="programs:event-mail:7") is False
    assert outbox.sent_mail_claim(key="programs:event-mail:8") is True

    outbox.sent_mail_release(key="programs:event-mail:7")

    assert sorted(SentMail.objects.values_list("key", flat=True)) == ["programs:event-mail:8"]
    assert outbox.sent_mail_claim(key="programs:event-mail:7") is True


def test_a_claim_inside_a_transaction_that_loses_leaves_the_transaction_usable():
    outbox.sent_mail_claim(key="incentives:event-mail:1")

    with transaction.atomic():
        assert outbox.sent_mail_claim(key="incentives:event-mail:1") is False
        assert SentMail.objects.count() == 1
