"""/metrics: Prometheus' text format, shown only to a scraper with the token or from an allowed network."""

import os
import subprocess
import sys
import urllib.request
import uuid

import pytest
import redis
from django.conf import settings as django_settings
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from greenjobs.observability import exporter
from greenjobs.tasks import ping

TOKEN = "a-long-scrape-token-0123456789"

pytestmark = pytest.mark.django_db


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = []
    return TOKEN


def scrape(client, token=TOKEN) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


def value(text: str, name: str, **labels) -> float:
    """The sample `name` with exactly these labels; 0 when the series does not exist yet."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def series(text: str, name: str) -> list[dict]:
    return [
        sample.labels
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    ]


# --- who may read it ---


def test_with_neither_token_nor_networks_configured_it_is_not_found(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []

    responses = [
        client.get("/metrics"),
        client.get("/metrics", HTTP_AUTHORIZATION="Bearer "),
        client.post("/metrics"),
    ]

    assert [(r.status_code, r.content) for r in responses] == [(404, b"")] * 3


@pytest.mark.parametrize(
    "authorization",
    ["", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Token {TOKEN}", TOKEN, "Bearer", "Bearer ﷽"],
)
def test_a_missing_or_wrong_token_is_not_found(client, metrics_token, authorization):
    response = client.get("/metrics", HTTP_AUTHORIZATION=authorization)

    assert (response.status_code, response.content) == (404, b"")


def test_the_token_opens_it_case_insensitive_scheme(client, metrics_token):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"bearer {TOKEN}")

    assert response.status_code == 200
    assert b"greenjobs_http_requests_total" in response.content
    assert "no-cache" in response["Cache-Control"]


def test_a_client_outside_the_allowed_networks_is_not_found_one_inside_is_served(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "not-a-network", "fd00::/8"]

    outside = client.get("/metrics", REMOTE_ADDR="192.0.2.7")
    inside = client.get("/metrics", REMOTE_ADDR="10.1.2.3")
    inside_v6 = client.get("/metrics", REMOTE_ADDR="fd00::7")
    mapped = client.get("/metrics", REMOTE_ADDR="::ffff:10.9.9.9")

    assert (outside.status_code, outside.content) == (404, b"")
    assert [inside.status_code, inside_v6.status_code, mapped.status_code] == [200, 200, 200]


def test_only_get_is_answered_to_an_allowed_scraper(client, metrics_token):
    response = client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 405


def test_a_scrape_that_cannot_be_collected_answers_503_not_500(client, metrics_token, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "/nonexistent/prometheus")

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert (response.status_code, response.content) == (503, b"metrics unavailable\n")


# --- what it counts ---


def test_a_request_is_counted_timed_and_its_queries_counted_under_its_view(client, metrics_token, agencies):
    labels = {"view": "incentives:scheme_list", "method": "GET", "status": "200"}
    before = scrape(client)

    assert client.get(reverse("incentives:scheme_list")).status_code == 200

    after = scrape(client)
    assert value(after, "greenjobs_http_requests_total", **labels) == (
        value(before, "greenjobs_http_requests_total", **labels) + 1
    )
    view = {"view": "incentives:scheme_list"}
    for histogram in ("greenjobs_http_request_duration_seconds", "greenjobs_http_request_db_queries"):
        assert value(after, f"{histogram}_count", **view) == value(before, f"{histogram}_count", **view) + 1
    queries = value(after, "greenjobs_http_request_db_queries_sum", **view) - value(
        before, "greenjobs_http_request_db_queries_sum", **view
    )
    assert queries >= 1
    assert value(after, "greenjobs_http_request_db_queries_bucket", le="+Inf", **view) >= 1


def test_an_unknown_path_is_counted_as_unresolved_never_by_its_path(client, metrics_token):
    path = f"/no-such-page/{uuid.uuid4().hex}/"
    labels = {"view": "unresolved", "method": "GET", "status": "404"}
    before = value(scrape(client), "greenjobs_http_requests_total", **labels)

    client.get(path)
    client.generic("BREW", path)

    after = scrape(client)
    assert value(after, "greenjobs_http_requests_total", **labels) == before + 1
    assert value(after, "greenjobs_http_requests_total", view="unresolved", method="other", status="404") >= 1
    assert path not in after and "BREW" not in after


def test_a_task_run_is_counted_by_name_and_outcome_and_timed(client, metrics_token):
    task = {"task": "greenjobs.tasks.ping"}
    before = scrape(client)

    assert ping.delay().get() == "pong"
    with pytest.raises(TypeError):
        ping.apply(args=(1,))  # a task that raises

    after = scrape(client)
    for state, added in (("succeeded", 1), ("failed", 1), ("retried", 0)):
        assert value(after, "greenjobs_celery_tasks_total", state=state, **task) == (
            value(before, "greenjobs_celery_tasks_total", state=state, **task) + added
        ), state
    assert value(after, "greenjobs_celery_task_duration_seconds_count", **task) == (
        value(before, "greenjobs_celery_task_duration_seconds_count", **task) + 2
    )


@pytest.mark.skipif(not django_settings.REDIS_AVAILABLE, reason="Redis is not reachable")
def test_queue_lengths_are_read_from_redis_at_scrape_time(client, metrics_token, settings):
    busy, idle = f"obs-{uuid.uuid4().hex}", f"obs-{uuid.uuid4().hex}"
    settings.CELERY_QUEUE_NAMES = [busy, idle]
    prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("global_keyprefix", "")
    connection = redis.Redis.from_url(settings.REDIS_URL)
    keys = [prefix + busy, f"{prefix}{busy}\x06\x169"]
    try:
        connection.rpush(keys[0], "m1", "m2", "m3")
        connection.rpush(keys[1], "urgent")  # kombu's list for priority 9 of the same queue

        text = scrape(client)
    finally:
        connection.delete(*keys)
        connection.close()

    assert value(text, "greenjobs_celery_queue_length", queue=busy) == 4
    assert value(text, "greenjobs_celery_queue_length", queue=idle) == 0
    assert {labels["queue"] for labels in series(text, "greenjobs_celery_queue_length")} == {busy, idle}


def test_without_redis_no_queue_lengths_are_reported(client, metrics_token, settings):
    settings.REDIS_URL = ""

    text = scrape(client)

    assert series(text, "greenjobs_celery_queue_length") == []


def test_a_broker_that_does_not_answer_leaves_queue_lengths_out_but_the_scrape_works(
    client, metrics_token, settings
):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    text = scrape(client)

    assert series(text, "greenjobs_celery_queue_length") == []
    assert "greenjobs_http_requests_total" in text


# --- several processes ---


def test_in_multiprocess_mode_a_scrape_adds_up_every_process(tmp_path):
    """Two processes (as two gunicorn workers) count one request each; the second one's scrape sees both."""
    count = (
        "import django; django.setup()\n"
        "from greenjobs.observability import metrics\n"
        "metrics.observe_request(view='obs:test', method='GET', status=200, seconds=0.1, queries=3)\n"
    )
    report = "import sys; sys.stdout.write(metrics.exposition()[0].decode())\n"
    environment = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "greenjobs.settings.test",
    }
    run = {"env": environment, "capture_output": True, "text": True, "timeout": 60, "check": True}

    subprocess.run([sys.executable, "-c", count], **run)  # noqa: S603 (our own interpreter and code)
    second = subprocess.run([sys.executable, "-c", count + report], **run)  # noqa: S603

    labels = {"view": "obs:test", "method": "GET", "status": "200"}
    assert value(second.stdout, "greenjobs_http_requests_total", **labels) == 2
    assert value(second.stdout, "greenjobs_http_request_db_queries_sum", view="obs:test") == 6
    assert len(list(tmp_path.glob("*.db"))) >= 2


# --- the worker's own endpoint ---


def _call(environ) -> tuple[str, bytes]:
    answer = {}

    def start_response(status, headers):
        answer["status"] = status

    body = b"".join(exporter.application(environ, start_response))
    return answer["status"], body


def test_the_worker_endpoint_follows_the_same_rules(metrics_token):
    base = {"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics", "REMOTE_ADDR": "192.0.2.7"}

    refused = _call(base)
    wrong = _call({**base, "HTTP_AUTHORIZATION": "Bearer nope"})
    served = _call({**base, "HTTP_AUTHORIZATION": f"Bearer {TOKEN}"})

    assert refused == ("404 Not Found", b"") and wrong == ("404 Not Found", b"")
    assert served[0] == "200 OK" and b"greenjobs_celery_tasks_total" in served[1]


def test_the_worker_endpoint_serves_over_http(metrics_token):
    server = exporter.start(port=0, address="127.0.0.1")
    try:
        url = f"http://127.0.0.1:{server.server_port}/metrics"
        # A local test server over http.
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            status, body = response.status, response.read().decode()
    finally:
        server.shutdown()
        server.server_close()

    assert status == 200
    assert "# TYPE greenjobs_celery_tasks_total counter" in body


def test_scrapers_and_probes_reach_a_container_by_its_address(client, metrics_token, settings):
    # Prometheus and the orchestrator name a container by its address, which no ALLOWED_HOSTS can list
    # when containers come and go; the rest of the portal still refuses that host.
    settings.ALLOWED_HOSTS = ["portal.example.ir", "testserver"]
    container = {"HTTP_HOST": "172.28.0.23:8000"}
    live = {"view": "healthz_live", "method": "GET", "status": "200"}
    before = value(scrape(client), "greenjobs_http_requests_total", **live)

    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **container).status_code == 200
    assert client.get("/healthz/live", **container).status_code == 200
    assert client.get("/healthz/ready", **container).status_code == 200
    assert client.get("/metrics", **container).status_code == 404  # no token: still nothing
    assert client.get(reverse("incentives:scheme_list"), **container).status_code == 400

    assert value(scrape(client), "greenjobs_http_requests_total", **live) == before + 1
