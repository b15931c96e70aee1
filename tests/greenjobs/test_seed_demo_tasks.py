"""The demo runs its own tasks in process: nothing it does reaches a worker, so no fictional applicant's
mail is printed on the console of `make run` once the worker starts."""

import io

import pytest
import redis
from django.conf import settings
from django.core.management import call_command

from greenjobs.outbox.models import OutboxMessage
from tests.utils import celery_to_redis

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_seeding_the_demo_with_a_broker_sends_nothing_to_it(agencies):
    with celery_to_redis() as queue:
        call_command("seed_demo", stdout=io.StringIO())

        waiting = redis.Redis.from_url(settings.TEST_REDIS_URL).llen(queue)

    assert waiting == 0
    assert OutboxMessage.objects.exists()
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
