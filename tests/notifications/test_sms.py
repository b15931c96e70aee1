"""SMS backends: the console one logs, Kavenegar's is driven against a fake provider on a local port."""

import http.server
import json
import logging
import threading
import time
import urllib.parse

import pytest
from celery.exceptions import Retry
from django.core.exceptions import ImproperlyConfigured

from notifications import sms
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import send_sms
from programs import notices
from tests.factories import ApplicantFactory

API_KEY = "7A3B-test-key"


class FakeKavenegar(http.server.BaseHTTPRequestHandler):
    """Answers as Kavenegar does; what it answers is set on the server (`answers` in turn, `delay`)."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        self.server.requests.append({"path": self.path, "form": {k: v[0] for k, v in form.items()}})
        time.sleep(self.server.delay)
        # The next answer in line; the last one holds for every later request.
        answers = self.server.answers
        status, body = answers.pop(0) if len(answers) > 1 else answers[0]
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


OK = (
    200,
    {"return": {"status": 200, "message": "تایید شد"}, "entries": [{"messageid": 8792343, "status": 1}]},
)
BAD_NUMBER = (411, {"return": {"status": 411, "message": "گیرنده نامعتبر است"}, "entries": None})
DOWN = (502, {"return": {"status": 502, "message": "Bad gateway"}, "entries": None})


@pytest.fixture
def provider(settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeKavenegar)
    server.requests, server.answers, server.delay = [], [OK], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "notifications.sms.KavenegarBackend"
    settings.SMS_API_KEY = API_KEY
    settings.SMS_SENDER = "10004346"
    settings.SMS_API_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SMS_CONNECT_TIMEOUT = 1
    settings.SMS_TIMEOUT = 0.5
    yield server
    server.shutdown()
    server.server_close()


def test_kavenegar_sends_the_receptor_message_and_sender_to_the_keyed_address(provider):
    message_id = sms.backend().send(to="09121234567", text="مشاغل سبز قم: وام شما تأیید شد")

    assert message_id == "8792343"
    assert provider.requests == [
        {
            "path": f"/v1/{API_KEY}/sms/send.json",
            "form": {
                "receptor": "09121234567",
                "message": "مشاغل سبز قم: وام شما تأیید شد",
                "sender": "10004346",
            },
        }
    ]


def test_a_refusal_of_the_provider_is_final(provider):
    provider.answers = [BAD_NUMBER]

    with pytest.raises(sms.SmsRejected, match="411"):
        sms.backend().send(to="0912", text="x")


def test_a_provider_that_is_down_is_worth_another_try(provider):
    provider.answers = [DOWN]

    with pytest.raises(sms.SmsTemporaryError, match="502"):
        sms.backend().send(to="09121234567", text="x")


def test_a_provider_that_does_not_answer_in_time_is_worth_another_try(provider):
    provider.delay = 1.5

    started = time.monotonic()
    with pytest.raises(sms.SmsTemporaryError) as raised:
        sms.backend().send(to="09121234567", text="x")

    assert time.monotonic() - started < 1.4
    assert "timed out" in str(raised.value)


def test_a_provider_that_cannot_be_reached_is_worth_another_try_and_the_key_stays_secret(provider, settings):
    # requests names the address, key included, in a connection error.
    provider.shutdown()
    provider.server_close()

    with pytest.raises(sms.SmsTemporaryError) as raised:
        sms.backend().send(to="09121234567", text="x")

    assert "ConnectionError" in str(raised.value)
    assert API_KEY not in str(raised.value)
    assert "/v1/***/sms/send.json" in str(raised.value)


def test_kavenegar_without_a_key_is_a_configuration_error(settings):
    settings.SMS_BACKEND = "notifications.sms.KavenegarBackend"
    settings.SMS_API_KEY = ""

    with pytest.raises(ImproperlyConfigured):
        sms.backend()


def test_the_console_backend_logs_the_message_with_the_number_masked(settings, caplog):
    settings.SMS_BACKEND = "notifications.sms.ConsoleBackend"

    with caplog.at_level(logging.INFO, logger="notifications.sms"):
        sms.backend().send(to="09121234567", text="سلام")

    assert caplog.messages == ["SMS to 0912***4567: سلام"]


# The task: loads the notification, asks the preference, claims the message once, and retries what may pass.


def urgent_notification(person) -> Notification:
    [notification] = notify(
        recipients=[person.pk],
        kind=notices.CHANGES_REQUESTED,
        params={"business_id": 3, "name": "کارگاه", "from": "under_assessment", "to": "changes_requested"},
    )
    return notification


@pytest.mark.django_db
def test_the_task_texts_through_the_provider_once_in_the_persons_language(provider):
    person = ApplicantFactory(language="en", mobile="09121234567")
    notification = urgent_notification(person)

    assert send_sms.apply(args=[notification.pk]).get() == "sent"
    assert send_sms.apply(args=[notification.pk]).get() == "duplicate"

    [request] = provider.requests
    assert request["form"]["receptor"] == "09121234567"
    assert request["form"]["localid"] == str(notification.pk)
    assert request["form"]["message"].startswith("Green Jobs Qom: DOE asked for changes to the registration")
    assert request["form"]["message"].endswith(f"/notifications/{notification.pk}/open/")


@pytest.mark.django_db
def test_the_task_retries_a_provider_that_is_down_with_back_off_and_then_sends(provider, monkeypatch):
    waits = []
    monkeypatch.setattr("notifications.tasks.retry_countdown", lambda retries: waits.append(retries) or 60)
    person = ApplicantFactory()
    notification = urgent_notification(person)
    provider.answers = [DOWN, OK]

    with pytest.raises(Retry) as retried:
        send_sms.apply(args=[notification.pk])
    assert retried.value.when == 60
    assert waits == [0]
    # The claim was given back, so the retry (here run by hand, on a worker after 60 s) sends it.
    assert send_sms.apply(args=[notification.pk]).get() == "sent"
    assert send_sms.apply(args=[notification.pk]).get() == "duplicate"

    assert len(provider.requests) == 2


@pytest.mark.django_db
def test_the_task_does_not_retry_a_refused_message(provider):
    person = ApplicantFactory()
    notification = urgent_notification(person)
    provider.answers = [BAD_NUMBER]

    assert send_sms.apply(args=[notification.pk]).get() == "refused"
    assert send_sms.apply(args=[notification.pk]).get() == "duplicate"
    assert len(provider.requests) == 1


@pytest.mark.django_db
def test_no_text_without_a_mobile_number(sms_outbox):
    person = ApplicantFactory(mobile=None)
    notification = urgent_notification(person)

    assert send_sms.apply(args=[notification.pk]).get() == "no mobile"
    assert sms_outbox == []
