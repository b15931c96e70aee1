import re

import pytest

from measurement.models import ReportJob
from tests.utils import celery_to_redis, real_worker

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queued_tasks():
    """Tasks go to a queue of their own in Redis and wait there until the test starts a real worker."""
    with celery_to_redis() as queue:
        yield lambda: real_worker(queue)


def test_a_programme_manager_requests_a_quarterly_report_watches_it_and_downloads_the_pdf(
    login, demo_data, queued_tasks
):
    manager = login("programme_manager")
    manager.goto("/programs/reports/")
    form = manager.get_by_test_id("report-form")
    form.locator("select[name=kind]").select_option("quarter")
    form.locator("input[name=year]").fill("۱۴۰۵")
    form.locator("input[name=number]").fill("3")
    form.locator("select[name=language]").select_option("fa")
    manager.get_by_test_id("report-request").click()
    manager.wait_for_url(re.compile(r"/programs/reports/\d+/$"))

    # The request waits in the queue: the bar is at the start, and the page keeps polling.
    assert manager.get_by_test_id("report-status").get_attribute("data-status") == "pending"
    assert int(manager.get_by_test_id("report-progress-bar").get_attribute("value")) == 0

    # A worker takes it; the polled bar advances to the end and the download appears.
    with queued_tasks():
        manager.wait_for_selector("[data-testid=report-status][data-status=succeeded]", timeout=60_000)
    assert int(manager.get_by_test_id("report-progress-bar").get_attribute("value")) == 100
    job = ReportJob.objects.get()
    assert (job.period, job.language, job.status) == ("1405-Q3", "fa", "succeeded")

    with manager.expect_download() as download:
        manager.get_by_test_id("report-download").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
