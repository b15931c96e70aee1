"""Whose address a request is counted against: the connection's, or the one a trusted proxy names.

Rate limits and the sign-in lockout are only as good as the address they count: a client that could
choose it by sending X-Forwarded-For could spread its guesses over invented addresses, or lock somebody
else out.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from greenjobs.ratelimit import client_address
from tests.factories import ApplicantFactory

PROXY = "10.0.0.2"


def request_from(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from("203.0.113.9", "8.8.8.8")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (PROXY, "8.8.8.8", "8.8.8.8"),  # one proxy appended the client's address
        (PROXY, "1.2.3.4, 8.8.8.8", "8.8.8.8"),  # whatever the client wrote itself is further left
        (PROXY, "1.2.3.4, 8.8.8.8, 10.0.0.7", "8.8.8.8"),  # two trusted hops
        (PROXY, "2001:db8::1", "2001:db8::1"),
        (PROXY, None, PROXY),  # a health check from the proxy's own network
        (PROXY, "not-an-address", PROXY),
        (PROXY, "8.8.8.8, ", PROXY),
        ("203.0.113.9", "8.8.8.8", "203.0.113.9"),  # not from our proxy: its header means nothing
    ],
)
def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(
    settings, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from(remote, forwarded)) == expected


@pytest.mark.django_db
def test_invented_forwarded_addresses_do_not_escape_the_lockout(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    statuses = []
    for attempt in range(6):
        response = client.post(
            reverse("accounts:login"),
            {"username": "narges@example.ir", "password": "wrong-password"},
            REMOTE_ADDR=PROXY,
            # The attacker writes a new address each time; the proxy appends the real one.
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 8.8.4.4",
        )
        statuses.append(response.status_code)
    assert statuses[-2:] == [429, 429]


@pytest.mark.django_db
def test_the_lockout_counts_the_address_the_proxy_names(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    from axes.models import AccessAttempt

    ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    client.post(
        reverse("accounts:login"),
        {"username": "narges@example.ir", "password": "wrong-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="8.8.4.4",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["8.8.4.4"]


def test_a_trusted_proxy_that_is_no_address_stops_the_start():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "greenjobs.settings.test",
        "TRUSTED_PROXIES": "10.0.0.0/8,nginx",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'nginx' is not an address or a network" in result.stderr
