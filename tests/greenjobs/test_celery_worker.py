"""A real Celery worker consuming from the real Redis, as in production (not eager mode)."""

import pytest
from django.core import mail

from accounts import services
from greenjobs.celery import app
from greenjobs.tasks import ping
from tests.utils import celery_to_redis, real_worker, wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker():
    with celery_to_redis() as queue, real_worker(queue) as worker:
        yield worker


def test_a_worker_answers_a_task_through_redis(celery_worker):
    result = ping.delay()

    assert result.get(timeout=20) == "pong"
    assert app.conf.broker_url.startswith("redis://")
    # Answered by the worker thread, not run in this one.
    assert result.state == "SUCCESS" and result.__class__.__name__ == "AsyncResult"
    assert result.result == "pong" and celery_worker.hostname


def test_sign_up_e_mail_is_sent_by_the_worker_after_commit(agencies, celery_worker):
    # when: the sign-up commits, its verification e-mail is queued for the worker
    user = services.applicant_sign_up(
        email="Worker.Test@Example.ir",
        password="Long-Password-1405",
        national_id="0371234565",
        mobile="09125550000",
        first_name="سمیرا",
        last_name="امینی",
    )

    # then: the worker (not this thread) sends exactly one message to the new address
    wait_until(lambda: mail.outbox)
    assert [message.to for message in mail.outbox] == [["worker.test@example.ir"]]
    assert "/accounts/verify/" in mail.outbox[0].body
    user.refresh_from_db()
    assert user.email_verified_at is None
