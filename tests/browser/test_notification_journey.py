"""The notification centre in the browser: DOE returns a registration for changes, the applicant sees the
bell's count rise and opens the case from the inbox."""

import re

import pytest
from django.contrib.auth import get_user_model

from greenjobs.text import fold_digits
from programs import seed as programs_seed
from tests.factories import registration_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "پروانهٔ بهره‌برداری به‌روز را بارگذاری کنید"


@pytest.fixture
def registration_ready_for_decision(demo_data):
    programs_seed.load()
    users = get_user_model().objects
    return registration_in(
        "under_assessment",
        owner=users.get(username="applicant"),
        officer=users.get(username="doe_officer"),
        reviewer=users.get(username="doe_reviewer"),
        checklist_ready=True,
        legal_name="بازیافت سبز پردیسان",
    )


def unread(page) -> int:
    bell = page.get_by_test_id("nav-notifications")
    badge = bell.get_by_test_id("unread-count")
    count = int(fold_digits(badge.inner_text())) if badge.count() else 0
    assert re.fullmatch(r"اعلان‌ها: [۰-۹]+ خوانده‌نشده", bell.get_attribute("aria-label"))
    return count


def test_the_applicant_sees_the_count_rise_when_doe_requests_changes_and_opens_the_case_from_the_inbox(
    login, registration_ready_for_decision
):
    business = registration_ready_for_decision
    applicant = login("applicant")
    applicant.goto("/programs/businesses/")
    before = unread(applicant)

    reviewer = login("doe_reviewer")
    reviewer.goto(f"/programs/businesses/{business.pk}/")
    form = reviewer.get_by_test_id("action-request_changes").locator("xpath=ancestor::form")
    form.locator("textarea[name=reason]").fill(REASON)
    reviewer.get_by_test_id("action-request_changes").click()
    reviewer.wait_for_load_state()

    applicant.reload()
    assert unread(applicant) == before + 1
    applicant.get_by_test_id("nav-notifications").click()
    applicant.wait_for_url(re.compile(r"/notifications/$"))
    newest = applicant.get_by_test_id("inbox").locator("li").first
    assert newest.get_attribute("data-unread") is not None
    assert "بازیافت سبز پردیسان" in newest.inner_text()
    assert REASON in newest.inner_text()
    assert re.search(r"[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}", newest.locator("time").inner_text())

    newest.get_by_test_id("open-notification").click()
    applicant.wait_for_url(re.compile(rf"/programs/businesses/{business.pk}/$"))
    assert REASON in applicant.get_by_test_id("changes-requested-reason").inner_text()
    assert unread(applicant) == before
