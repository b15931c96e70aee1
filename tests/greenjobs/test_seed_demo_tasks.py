"""The demo runs its own tasks in process: nothing it does reaches a worker, so no fictional applicant's
mail is printed on the console of `make run` once the worker starts."""

import io

import pytest
import redis
from django.conf import settings
from django.core.management import call_command

from greenjobs.celery import app
from greenjobs.outbox.models import OutboxMessage
from tests.utils import celery_to_redis

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_seeding_the_demo_with_a_broker_sends_nothing_to_it(agencies):
    server = redis.Redis.from_url(settings.TEST_REDIS_URL)
    with celery_to_redis() as queue:
        # The queue's list in Redis carries this test process's key prefix.
        key = f"{settings.REDIS_KEY_PREFIX}{queue}"
        call_command("seed_demo", stdout=io.StringIO())

        waiting = server.llen(key)
        # The same count sees a message that does reach the broker, so the zero above means nothing came.
        app.send_task("tests.no_such_task", queue=queue)
        seen = server.llen(key)
        server.delete(key)

    assert (waiting, seen) == (0, 1)
    assert OutboxMessage.objects.exists()
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
