"""A progress report prepared by a real Celery worker consuming from Redis, as in production."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from agencies.seed import GOALS
from greenjobs.templatetags.portal import quantity
from measurement import seed_indicators
from measurement.models import ReportJob
from tests.factories import ProgrammeManagerFactory
from tests.measurement.test_reports import pdf_text, printed
from tests.utils import celery_to_redis, real_worker, wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report_worker():
    """A worker on a queue of its own: workers of other test runs sharing this Redis never take its tasks."""
    with celery_to_redis() as queue, real_worker(queue) as worker:
        yield worker


@pytest.fixture
def demo(agencies):
    seed_indicators.load()  # transactional tests flush what the data migration loaded
    call_command("seed_demo", stdout=io.StringIO())


def test_a_worker_prepares_the_persian_report_the_page_polls_and_the_manager_downloads(
    demo, report_worker, client, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    manager = ProgrammeManagerFactory()
    client.force_login(manager)

    # when the manager asks for the quarter's report in Persian
    response = client.post(reverse("measurement:report_list"), {"period": "1405-Q3", "language": "fa"})

    # then the worker (not this thread) prepares it while the page polls the job row
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("measurement:report_detail", args=[job.pk])
    progress_url = reverse("measurement:report_progress", args=[job.pk])
    wait_until(lambda: 'data-status="succeeded"' in client.get(progress_url).content.decode(), timeout=60)
    job.refresh_from_db()
    download = client.get(reverse("measurement:report_download", args=[job.pk]))
    data = b"".join(download.streaming_content)
    assert data.startswith(b"%PDF-")
    assert download["X-Content-SHA256"] == job.sha256 == hashlib.sha256(data).hexdigest()
    assert sorted(p.name for p in (tmp_path / "private").rglob("*.pdf")) == [job.stored_name.split("/")[-1]]

    # and the PDF prints the six goals in Persian and the snapshot's own numbers in Persian digits
    text = pdf_text(data)
    for goal in GOALS:
        assert printed(text, goal["title_fa"]), goal["code"]
    rows = {row["code"]: row for goal in job.snapshot["goals"] for row in goal["indicators"]}
    assert rows["G1.1"]["actual"] > 0 and rows["G1.4"]["actual"] >= 10**9
    with translation.override("fa"):
        expected = {code: quantity(row["actual"]) for code, row in rows.items() if row["actual"] is not None}
        expected["G1.1 %"] = quantity(rows["G1.1"]["percent"])
    # billions of Rials applied for in the quarter, printed in Persian digits
    assert expected["G1.4"][0] in "۱۲۳۴۵۶۷۸۹"
    missing = [code for code, number in expected.items() if not printed(text, number)]
    assert missing == []
