"""Redis stops while people write: every write answers success and its mail or task is sent once later.

The test runs a Redis of its own on a free port (the shared one stays up for everyone else), points
Celery's broker and the cache at it, stops it for the requests, starts it again on the same port, and
lets the outbox relay and a real worker deliver what was recorded.
"""

import contextlib
import io
import shutil
import socket
import subprocess
import uuid

import pytest
import redis
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from greenjobs.celery import app
from greenjobs.outbox.models import OutboxMessage
from measurement.models import ReportJob
from tests.accounts.test_sign_up import sign_up_data
from tests.factories import PASSWORD, ApplicantFactory, ProgrammeManagerFactory, ready_to_submit
from tests.utils import real_worker, wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


class PrivateRedis:
    def __init__(self, executable: str):
        self.executable = executable
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - a fixed argument list, no shell
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.answers, timeout=10)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        assert not self.answers()

    def answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False


@pytest.fixture
def private_redis():
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(executable)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def _forget_broker_connections() -> None:
    # Celery keeps its connection and producer pools for the first broker URL it used.
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_on(url: str):
    """Celery publishes to `url` (not eagerly), on a queue of this test's own."""
    queue = f"outage-{uuid.uuid4().hex}"
    keys = ("CELERY_TASK_ALWAYS_EAGER", "CELERY_TASK_DEFAULT_QUEUE", "CELERY_BROKER_URL")
    saved = {key: app.conf.get(key) for key in keys}
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.CELERY_TASK_DEFAULT_QUEUE = queue
    app.conf.CELERY_BROKER_URL = url
    _forget_broker_connections()
    assert app.conf.broker_url == url and app.conf.task_always_eager is False
    try:
        yield queue
    finally:
        for key, value in saved.items():
            setattr(app.conf, key, value)
        _forget_broker_connections()


def test_writes_answer_success_while_redis_is_down_and_their_work_is_delivered_once_it_is_back(
    agencies, private_redis, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CACHES = {
        "default": {
            "BACKEND": "greenjobs.cache.FailSoftRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    business = ready_to_submit()
    owner_client, manager_client, visitor = Client(), Client(), Client()
    owner_client.force_login(business.owner)
    manager_client.force_login(ProgrammeManagerFactory())
    reader = ApplicantFactory()

    with celery_on(private_redis.url) as queue:
        # given: Redis stops
        private_redis.stop()

        # when: an applicant submits a registration, a visitor signs up, a manager asks for a report
        submitted = owner_client.post(
            reverse("programs:business_transition", args=[business.pk]),
            {"action": "submit", "expected_status": "draft"},
        )
        signed_up = visitor.post(reverse("accounts:sign_up"), sign_up_data())
        requested = manager_client.post(
            reverse("measurement:report_list"), {"period": "1405-Q3", "language": "fa"}
        )

        # then: each answers success, and its write is there
        assert submitted.status_code == 302
        assert signed_up.status_code == 302 and signed_up["Location"] == reverse("accounts:sign_up_done")
        job = ReportJob.objects.get()
        assert requested.status_code == 302
        assert requested["Location"] == reverse("measurement:report_detail", args=[job.pk])
        business.refresh_from_db()
        assert business.status == "submitted"
        assert User.objects.filter(email="narges.salehi@example.ir", email_verified_at__isnull=True).exists()
        # and the pages that only read keep answering
        assert visitor.get(reverse("measurement:public_dashboard")).status_code == 200
        assert visitor.get(reverse("training:verify", args=["NO-SUCH-CODE"])).status_code == 404
        token = visitor.post("/api/v1/auth/token/", {"username": reader.username, "password": PASSWORD})
        assert token.status_code == 200 and token.json()["token"]
        # nothing was sent; the work waits in the outbox, with the broker's refusal noted
        pending = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("task_name")
        assert [(m.task_name, m.attempts) for m in pending] == [
            ("accounts.tasks.send_verification_email", 1),
            ("programs.tasks.generate_report", 1),
            ("programs.tasks.send_registration_event_email", 1),
        ]
        assert all(m.last_error.startswith("OperationalError") for m in pending)
        assert mail.outbox == [] and job.status == "pending"

        # when: Redis is back, the relay publishes and a worker consumes
        private_redis.start()
        first_relay, second_relay = io.StringIO(), io.StringIO()
        call_command("relay_outbox", stdout=first_relay)
        with real_worker(queue):
            wait_until(lambda: len(mail.outbox) >= 2, timeout=40)
            wait_until(lambda: ReportJob.objects.get().status == "succeeded", timeout=40)
            call_command("relay_outbox", stdout=second_relay)

    # then: each mail went once, the report was prepared, and a second relay had nothing to send
    assert (first_relay.getvalue(), second_relay.getvalue()) == (
        "3 message(s) published.\n",
        "0 message(s) published.\n",
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [business.owner.email, "narges.salehi@example.ir"]
    )
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [2, 2, 2]
    job.refresh_from_db()
    assert job.status == "succeeded" and job.progress == 100
