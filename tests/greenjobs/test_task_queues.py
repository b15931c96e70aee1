"""Work waits in a queue of its kind, so a slow report never delays an e-mail, and every task is bounded.

The routing is read from each task's own `queue_kind`; a kind without a queue of its own (the test
settings give none) runs on the default queue.
"""

import pytest
import redis
from django.conf import settings

from greenjobs.celery import app, route_by_kind
from greenjobs.mail import retry_countdown
from tests.utils import celery_to_redis

KINDS = ["email", "reports", "imports"]
OURS = ("greenjobs.", "accounts.", "agencies.", "programs.", "incentives.", "training.", "measurement.")


@pytest.fixture(autouse=True)
def every_task_loaded():
    # Celery imports the apps' tasks modules lazily, as a worker starts; here it is done up front.
    app.loader.import_default_modules()


def our_tasks():
    return {name: task for name, task in app.tasks.items() if name.startswith(OURS)}


def queue_of(name):
    route = route_by_kind(name, (), {}, {})
    return route["queue"] if route else "default"


@pytest.fixture
def kind_queues(settings):
    settings.TASK_KIND_QUEUES = KINDS


@pytest.mark.usefixtures("kind_queues")
@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("accounts.tasks.send_verification_email", "email"),
        ("accounts.tasks.send_account_exists_notice", "email"),
        ("accounts.tasks.send_password_reset_email", "email"),
        ("incentives.tasks.send_application_event_email", "email"),
        ("programs.tasks.send_registration_event_email", "email"),
        ("training.tasks.send_promotion_email", "email"),
        ("programs.tasks.generate_report", "reports"),
        ("measurement.tasks.close_periods", "reports"),
        ("measurement.tasks.refresh_progress", "reports"),
        ("programs.tasks.run_import", "imports"),
        ("greenjobs.outbox.tasks.relay_outbox", "default"),
        ("programs.tasks.recover_stalled_reports", "default"),
    ],
)
def test_each_kind_of_work_has_its_queue(task, queue):
    assert task in app.tasks
    assert queue_of(task) == queue


def test_every_mail_sending_task_is_on_the_mail_queue(kind_queues):
    mailers = [name for name in our_tasks() if name.split(".")[-1].startswith("send_")]
    assert len(mailers) >= 5
    assert {queue_of(name) for name in mailers} == {"email"}


def test_a_kind_without_a_queue_of_its_own_runs_on_the_default_one(settings):
    settings.TASK_KIND_QUEUES = ["email"]
    assert route_by_kind("programs.tasks.generate_report", (), {}, {}) is None
    assert route_by_kind("no.such.task", (), {}, {}) is None


@pytest.mark.celery_worker
def test_a_published_mail_task_waits_in_the_mail_queue_of_redis(settings, kind_queues):
    from accounts.tasks import send_verification_email

    client = redis.Redis.from_url(settings.TEST_REDIS_URL)
    key = f"{settings.REDIS_KEY_PREFIX}email"
    client.delete(key)
    try:
        with celery_to_redis() as default_queue:
            send_verification_email.apply_async(args=[0])
            assert client.llen(key) == 1
            assert client.llen(f"{settings.REDIS_KEY_PREFIX}{default_queue}") == 0
    finally:
        client.delete(key)


def test_workers_take_one_long_task_at_a_time_and_give_back_what_they_die_with():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_every_task_has_a_time_limit():
    unbounded = [
        name for name, task in our_tasks().items() if not (task.time_limit or app.conf.task_time_limit)
    ]
    assert unbounded == []
    assert all(
        task.time_limit for task in our_tasks().values() if getattr(task, "queue_kind", None) == "email"
    )


def test_mail_retries_back_off_exponentially_with_a_little_jitter():
    for retries, base in [(0, 60), (1, 120), (2, 240), (4, 960), (10, 3600)]:
        waits = {retry_countdown(retries) for _ in range(50)}
        assert all(base <= wait <= base * 1.2 + 1 for wait in waits)
    assert len({retry_countdown(3) for _ in range(50)}) > 1


def test_the_deployed_settings_give_each_kind_a_queue():
    # The test settings run everything on one queue; production's come from base.
    from greenjobs.settings import base

    assert base.TASK_KIND_QUEUES == KINDS
    assert [queue.name for queue in base.CELERY_TASK_QUEUES] == ["default", *KINDS]
    assert settings.TASK_KIND_QUEUES == []
