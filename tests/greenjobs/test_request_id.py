"""A request id per request: echoed, in every log record of the request, and carried into its tasks."""

import io
import json
import logging
import re
import uuid

import pytest
import redis
from celery import signals
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from greenjobs.observability.context import current_request_id, current_task, enter_task, leave_task
from greenjobs.observability.context import request_context as bound_request_id
from greenjobs.observability.logs import JsonFormatter, RequestContextFilter, logging_config
from greenjobs.outbox import services as outbox
from greenjobs.outbox.models import OutboxMessage
from greenjobs.tasks import ping
from tests.accounts.test_sign_up import sign_up_data
from tests.utils import celery_to_redis, real_worker, wait_until

GENERATED = re.compile(r"[0-9a-f]{32}")
needs_redis = pytest.mark.skipif(not django_settings.REDIS_AVAILABLE, reason="Redis is not reachable")


@pytest.fixture
def console_lines():
    """What the configured console handler (LOGGING) writes, as JSON lines, during the test."""
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, RequestContextFilter) for f in h.filters)
    )
    stream, formatter = io.StringIO(), handler.formatter
    previous = handler.setStream(stream)
    handler.setFormatter(JsonFormatter())
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(previous)
        handler.setFormatter(formatter)


def queued_messages(queue: str) -> list[dict]:
    """The task messages waiting in a Celery queue in Redis, oldest first."""
    prefix = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("global_keyprefix", "")
    connection = redis.Redis.from_url(django_settings.REDIS_URL)
    try:
        return [json.loads(raw) for raw in reversed(connection.lrange(prefix + queue, 0, -1))]
    finally:
        connection.delete(prefix + queue)
        connection.close()


# --- the id itself ---


@pytest.mark.django_db
def test_a_request_without_an_id_gets_a_new_one_each_time(client):
    first = client.get(reverse("healthz_live"))["X-Request-ID"]
    second = client.get(reverse("healthz_live"))["X-Request-ID"]

    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second) and first != second


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["abcd1234", "Proxy-req_01.ab", "f" * 64])
def test_a_well_formed_id_from_the_proxy_is_kept(client, given):
    response = client.get(reverse("healthz_live"), HTTP_X_REQUEST_ID=given)

    assert response["X-Request-ID"] == given


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    ["short", "f" * 65, "abc12345\nlevel=ERROR", 'abc12345" onload="x', "abc 12345", "ابجد۱۲۳۴۵۶", ""],
)
def test_a_hostile_id_is_replaced(client, hostile):
    response = client.get(reverse("healthz_live"), HTTP_X_REQUEST_ID=hostile)

    assert GENERATED.fullmatch(response["X-Request-ID"])


# --- logs ---


@pytest.mark.django_db
def test_a_log_record_emitted_during_the_request_names_its_id(client, console_lines):
    response = client.get(f"/no-such-page/{uuid.uuid4().hex}/", HTTP_X_REQUEST_ID="trace-0001-abcd")

    assert response.status_code == 404
    not_found = [line for line in console_lines() if line["logger"] == "django.request"]
    assert [(line["level"], line["request_id"]) for line in not_found] == [("WARNING", "trace-0001-abcd")]
    assert current_request_id() is None  # and the id does not outlive its request


def test_a_json_line_has_the_expected_fields():
    record = logging.LogRecord("greenjobs.test", logging.ERROR, __file__, 1, "Loan %s failed", (7,), None)
    record.created = 1_700_000_000.25

    with bound_request_id("req-12345678"):
        tokens = enter_task(request_id="req-12345678", task_id="outbox-9", task_name="greenjobs.tasks.ping")
        RequestContextFilter().filter(record)
        leave_task(tokens)

    line = json.loads(JsonFormatter().format(record))
    assert line == {
        "time": "2023-11-14T22:13:20.250+00:00",
        "level": "ERROR",
        "logger": "greenjobs.test",
        "message": "Loan 7 failed",
        "request_id": "req-12345678",
        "task_id": "outbox-9",
        "task_name": "greenjobs.tasks.ping",
    }
    assert current_task() is None


def test_outside_a_request_the_id_is_null_and_no_task_fields_appear():
    record = logging.LogRecord("greenjobs.test", logging.INFO, __file__, 1, "started", (), None)
    RequestContextFilter().filter(record)

    line = json.loads(JsonFormatter().format(record))

    assert (line["request_id"], "task_id" in line, "task_name" in line) == (None, False, False)


def test_log_format_chooses_the_console_formatter():
    assert logging_config(log_format="json", level="INFO")["handlers"]["console"]["formatter"] == "json"
    assert "formatter" not in logging_config(log_format="text", level="INFO")["handlers"]["console"]
    with pytest.raises(ImproperlyConfigured):
        logging_config(log_format="xml", level="INFO")


# --- into the tasks ---


@needs_redis
def test_a_task_published_during_a_request_carries_its_id_in_the_headers():
    with celery_to_redis() as queue:
        with bound_request_id("req-direct-0001"):
            ping.delay()
        ping.delay()  # outside any request: no id

    headers = [message["headers"] for message in queued_messages(queue)]
    assert [h.get("request_id") for h in headers] == ["req-direct-0001", None]
    assert [h["task"] for h in headers] == ["greenjobs.tasks.ping"] * 2


@needs_redis
@pytest.mark.django_db
def test_a_task_recorded_in_the_outbox_keeps_the_requests_id_until_it_is_relayed(client):
    response = client.post(reverse("accounts:sign_up"), sign_up_data(), HTTP_X_REQUEST_ID="req-outbox-0001")
    assert response.status_code == 302 and response["X-Request-ID"] == "req-outbox-0001"
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.request_id, message.sent_at) == (
        "accounts.tasks.send_verification_email",
        "req-outbox-0001",
        None,
    )

    # when: the relay publishes it later, in no request at all
    with celery_to_redis() as queue:
        assert outbox.relay() == 1

    (published,) = queued_messages(queue)
    assert published["headers"]["request_id"] == "req-outbox-0001"
    assert published["headers"]["id"] == f"outbox-{message.pk}"


@pytest.mark.django_db
def test_a_task_run_in_process_during_a_request_logs_with_its_id(django_capture_on_commit_callbacks):
    seen = []

    def record_context(sender=None, **kwargs):
        seen.append((current_request_id(), current_task()))

    signals.task_success.connect(record_context, weak=False)
    try:
        with bound_request_id("req-eager-0001"):
            ping.delay()
    finally:
        signals.task_success.disconnect(record_context)

    ((request_id, (task_id, task_name)),) = seen
    assert (request_id, task_name) == ("req-eager-0001", "greenjobs.tasks.ping") and task_id
    assert current_task() is None


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_requests_task_in_its_log_context(client, agencies):
    """Sign-up, outbox, Redis, a worker: the worker's log records of the e-mail task name the request."""
    seen = []

    def record_context(sender=None, **kwargs):
        record = logging.LogRecord("worker", logging.INFO, __file__, 1, "done", (), None)
        RequestContextFilter().filter(record)
        seen.append((record.request_id, record.task_name, record.task_id))

    signals.task_success.connect(record_context, weak=False)
    try:
        with celery_to_redis() as queue, real_worker(queue):
            response = client.post(
                reverse("accounts:sign_up"), sign_up_data(), HTTP_X_REQUEST_ID="req-worker-0001"
            )
            wait_until(lambda: mail.outbox)
    finally:
        signals.task_success.disconnect(record_context)

    assert response["X-Request-ID"] == "req-worker-0001"
    message = OutboxMessage.objects.get()
    assert seen == [("req-worker-0001", "accounts.tasks.send_verification_email", f"outbox-{message.pk}")]
    assert current_request_id() is None
