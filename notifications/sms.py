"""SMS as a pluggable channel, chosen like Django's e-mail backend: settings.SMS_BACKEND names a class.

- `ConsoleBackend` (the default) logs the message: the demo and development send nothing.
- `LocmemBackend` keeps messages in `outbox`, for tests; `DummyBackend` drops them.
- `KavenegarBackend` sends through Kavenegar's REST API (https://kavenegar.com/rest.html):
  POST {SMS_API_BASE_URL}/v1/{SMS_API_KEY}/sms/send.json with receptor, message, sender and localid (our
  reference for the message); the answer's `return.status` is 200 on success.

A backend raises `SmsTemporaryError` for what may pass (a timeout, a provider that is down or busy),
which the task retries later, and `SmsRejected` for what will not (a bad number, a bad key), which it
does not.
"""

import logging

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

outbox: list[dict] = []


class SmsError(Exception):
    pass


class SmsTemporaryError(SmsError):
    """Worth trying again later."""


class SmsRejected(SmsError):
    """The provider refused this message for good."""


class BaseBackend:
    def send(self, *, to: str, text: str, reference: str = "") -> str:
        """Sends one message; returns the provider's id for it. `reference` is ours for the message, so
        a provider that keeps references refuses to send the same one twice."""
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send(self, *, to: str, text: str, reference: str = "") -> str:
        logger.info("SMS to %s: %s", mask(to), text)
        return "console"


class LocmemBackend(BaseBackend):
    def send(self, *, to: str, text: str, reference: str = "") -> str:
        outbox.append({"to": to, "text": text, "reference": reference})
        return f"locmem-{len(outbox)}"


class DummyBackend(BaseBackend):
    def send(self, *, to: str, text: str, reference: str = "") -> str:
        return "dummy"


class KavenegarBackend(BaseBackend):
    def __init__(self):
        self.api_key = settings.SMS_API_KEY
        self.sender = settings.SMS_SENDER
        self.base_url = settings.SMS_API_BASE_URL.rstrip("/")
        self.timeout = (settings.SMS_CONNECT_TIMEOUT, settings.SMS_TIMEOUT)
        if not self.api_key:
            raise ImproperlyConfigured("SMS_BACKEND is Kavenegar but SMS_API_KEY is not set")

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        url = f"{self.base_url}/v1/{self.api_key}/sms/send.json"
        data = {"receptor": to, "message": text}
        if self.sender:
            data["sender"] = self.sender
        if reference:
            # Kavenegar keeps `localid` (a number of ours) and does not send a second message with one it has.
            data["localid"] = reference
        try:
            response = requests.post(url, data=data, timeout=self.timeout)
        except requests.RequestException as exc:
            # The key is part of the address, and requests names the address in its errors.
            raise SmsTemporaryError(self._hide_key(f"{exc.__class__.__name__}: {exc}")) from None
        try:
            answer = response.json()
            status = int(answer["return"]["status"])
            message = str(answer["return"].get("message", ""))
        except (ValueError, KeyError, TypeError):
            status, message, answer = response.status_code, response.text[:200], {}
        if status == 200:
            entries = answer.get("entries") or [{}]
            return str(entries[0].get("messageid", ""))
        description = f"Kavenegar answered {status}: {message}"
        # 5xx: the provider's trouble; 429: too many at once. Anything else (a bad number, key, sender,
        # no credit) will not mend by itself and is not retried.
        if status >= 500 or status == 429:
            raise SmsTemporaryError(description)
        raise SmsRejected(description)

    def _hide_key(self, text: str) -> str:
        return text.replace(self.api_key, "***") if self.api_key else text


def backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


def mask(number: str) -> str:
    """A mobile number as logs may show it: 0912***4567."""
    return f"{number[:4]}***{number[-4:]}" if len(number) >= 8 else "***"
