"""The portal as two web nodes and one worker node sharing nothing but PostgreSQL, Redis and an S3 server.

Each node is a separate process (gunicorn for the web, Celery for the worker) started from its own
working directory, with its own PRIVATE_MEDIA_ROOT that must stay empty: anything one node writes
that another needs must travel through the shared services. The S3 server is moto's, from PyPI,
spoken to over HTTP like MinIO or AWS.
"""

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse

from incentives.models import ApplicationDocument
from measurement import seed_indicators
from measurement.models import ReportJob
from tests import s3
from tests.factories import (
    MINIMAL_PDF,
    PASSWORD,
    ApplicantFactory,
    LoanSchemeFactory,
    ProgrammeManagerFactory,
    loan_draft,
    verified_business,
)
from tests.utils import wait_until

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the nodes share a PostgreSQL database"),
]

BASE_DIR = Path(settings.BASE_DIR)
# Django's default hashers: the nodes run the deployed settings, not the tests' fast MD5.
DEPLOYED_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Node:
    """One machine's worth of portal: a process, its own folder, the shared services' addresses."""

    def __init__(self, name: str, root: Path, s3_env: dict, command: list[str], port: int | None = None):
        self.name, self.port = name, port
        self.folder = root / name
        self.private = self.folder / "private"
        self.private.mkdir(parents=True)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "DJANGO_"))}
        env.update(
            s3_env,
            DJANGO_SETTINGS_MODULE="greenjobs.settings.local",
            DEBUG="false",
            SECRET_KEY="multi-node-test-shared-secret-0123456789-abcdefghijklmnop",
            DATABASE_URL=database_url(),
            REDIS_URL=settings.TEST_REDIS_URL,
            PORTAL_BASE_URL=f"http://127.0.0.1:{port or 8000}",
            PRIVATE_MEDIA_ROOT=str(self.private),
            CERTIFICATE_VERIFY_LIMIT="6",
            PYTHONPATH=str(BASE_DIR),
        )
        self.log = (self.folder / "node.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            cwd=self.folder,
            env=env,
            start_new_session=True,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()

    def files_on_its_own_disk(self) -> list[str]:
        return sorted(
            str(path.relative_to(self.private)) for path in self.private.rglob("*") if path.is_file()
        )

    def tail(self) -> str:
        return (self.folder / "node.log").read_text(errors="replace")[-3000:]


def web_node(name, root, s3_env) -> Node:
    port = s3.free_port()
    command = [sys.executable, "-m", "gunicorn", "greenjobs.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", "1", "--timeout", "120"]  # fmt: skip
    return Node(name, root, s3_env, command, port)


def worker_node(name, root, s3_env) -> Node:
    # No --queues: it consumes every queue the settings list (default, email, reports, imports).
    command = [sys.executable, "-m", "celery", "-A", "greenjobs", "worker", "--pool=solo", "--without-gossip",
               "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"]  # fmt: skip
    return Node(name, root, s3_env, command)


def answers(node: Node) -> bool:
    assert node.process.poll() is None, f"{node.name} stopped:\n{node.tail()}"
    try:
        return requests.get(f"{node.url}/healthz", timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or still warming up
        return False


class Visitor:
    """A browser's cookies, carried from one node to the other as a load balancer would let them."""

    def __init__(self):
        self.session = requests.Session()

    def get(self, node, path, **kwargs):
        return self.session.get(node.url + path, allow_redirects=False, timeout=60, **kwargs)

    def post(self, node, path, data=None, **kwargs):
        if "csrftoken" not in self.session.cookies:
            self.get(node, reverse("accounts:login"))
        data = {**(data or {}), "csrfmiddlewaretoken": self.session.cookies["csrftoken"]}
        return self.session.post(node.url + path, data=data, allow_redirects=False, timeout=120, **kwargs)

    def sign_in(self, node, username, password=PASSWORD):
        return self.post(node, reverse("accounts:login"), {"username": username, "password": password})


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3.s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def cluster(settings, tmp_path, s3_endpoint, agencies):
    bucket = s3.new_bucket(s3_endpoint)
    # The test itself writes its fixtures' documents to the same bucket, as a fourth node would.
    settings.STORAGES = {**settings.STORAGES, "private": s3.private_storage_settings(s3_endpoint, bucket)}
    settings.PASSWORD_HASHERS = DEPLOYED_HASHERS
    shared = redis.Redis.from_url(settings.TEST_REDIS_URL)
    for key in shared.scan_iter("*ratelimit:*"):
        shared.delete(key)
    for queue in ["default", "email", "reports", "imports"]:
        shared.delete(queue)
    s3_env = s3.storage_env(s3_endpoint, bucket)
    nodes = {
        "a": web_node("web-a", tmp_path, s3_env),
        "b": web_node("web-b", tmp_path, s3_env),
        "worker": worker_node("worker", tmp_path, s3_env),
    }
    try:
        wait_until(lambda: answers(nodes["a"]) and answers(nodes["b"]), timeout=90, interval=0.3)
        yield nodes
    finally:
        for node in nodes.values():
            node.stop()
    for node in nodes.values():
        assert node.files_on_its_own_disk() == [], node.name


def test_two_web_nodes_and_a_worker_share_nothing_but_the_services(cluster):
    a, b = cluster["a"], cluster["b"]

    # A session signed in on A is valid on B.
    owner = ApplicantFactory()
    application = loan_draft(scheme=LoanSchemeFactory(), business=verified_business(owner=owner))
    applicant = Visitor()
    assert applicant.sign_in(a, owner.username).status_code == 302
    dashboard = applicant.get(b, reverse("accounts:dashboard"))
    assert dashboard.status_code in (200, 302)
    assert "/accounts/login/" not in dashboard.headers.get("Location", "")

    # A document uploaded through A downloads through B, byte for byte.
    scan = MINIMAL_PDF + b"%% scanned on node A\n"
    uploaded = applicant.post(
        a,
        reverse("incentives:document_upload", args=[application.pk]),
        {"kind": "quotation"},
        files={"file": ("quote.pdf", scan, "application/pdf")},
    )
    assert uploaded.status_code == 302, uploaded.text[:500]
    document = ApplicationDocument.objects.get(application=application, kind="quotation")
    downloaded = applicant.get(b, reverse("incentives:document_download", args=[application.pk, document.pk]))
    assert downloaded.status_code == 200
    assert downloaded.content == scan

    # A report asked for on B is produced by the worker node and downloaded on A.
    seed_indicators.load()
    manager = ProgrammeManagerFactory()
    programme = Visitor()
    assert programme.sign_in(b, manager.username).status_code == 302
    asked = programme.post(b, reverse("measurement:report_list"), {"period": "1405-Q2", "language": "fa"})
    assert asked.status_code == 302, asked.text[:500]
    job = ReportJob.objects.get(requested_by=manager)
    wait_until(
        lambda: ReportJob.objects.get(pk=job.pk).status in ("succeeded", "failed"), timeout=180, interval=0.5
    )
    job.refresh_from_db()
    assert job.status == "succeeded", f"{job.message}\n{cluster['worker'].tail()}"
    pdf = programme.get(a, reverse("measurement:report_download", args=[job.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    assert hashlib.sha256(pdf.content).hexdigest() == job.sha256 == pdf.headers["X-Content-SHA256"]


def test_failed_sign_ins_spread_over_both_nodes_lock_the_account(cluster):
    a, b = cluster["a"], cluster["b"]
    person = ApplicantFactory(username="target@example.ir", email="target@example.ir")
    attacker = Visitor()

    statuses = [
        attacker.sign_in(node, person.username, "wrong-password").status_code for node in (a, b, a, b, a)
    ]
    right_password_on_b = attacker.sign_in(b, person.username)

    assert statuses == [200, 200, 200, 200, 429]
    assert right_password_on_b.status_code == 429


def test_the_certificate_verification_limit_counts_requests_on_both_nodes(cluster):
    a, b = cluster["a"], cluster["b"]
    visitor = Visitor()

    statuses = [
        visitor.get(node, reverse("training:verify", args=[f"GJQ-NONE-{index:04d}"])).status_code
        for index, node in enumerate((a, b) * 4)
    ]

    # Six lookups per address and window, wherever they land; the seventh is refused on either node.
    assert statuses == [404] * 6 + [429, 429]
