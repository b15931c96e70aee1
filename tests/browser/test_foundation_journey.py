import re

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_in_persian_then_english_then_sign_in_as_a_demo_applicant(page, demo_data):
    # given: a first visit, no language chosen yet
    page.goto("/")

    # then: Persian, right to left, with the six goals in Persian
    html = page.locator("html")
    assert html.get_attribute("lang") == "fa"
    assert html.get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    goal_titles = page.get_by_test_id("goal-title").all_inner_texts()
    assert len(goal_titles) == 6
    assert goal_titles[1] == "اعمال محدودیت‌های زیست‌محیطی"
    assert page.get_by_test_id("signed-on").inner_text() == "۳۰ فروردین ۱۳۹۴"

    # when: the visitor switches to English
    page.select_option("#language-select", "en")
    page.wait_for_function("document.documentElement.lang === 'en'")

    # then: left to right, English goals, and the choice survives a new page
    assert html.get_attribute("dir") == "ltr"
    assert page.get_by_test_id("goal-title").nth(1).inner_text() == "Applying environmental restrictions"
    page.goto("/memorandum/")
    assert page.locator("html").get_attribute("lang") == "en"

    # when: the demo applicant signs in
    page.get_by_role("link", name="Sign in").first.click()
    page.fill("#id_username", "applicant")
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.get_by_test_id("login-form").get_by_role("button", name="Sign in").click()

    # then: the applicant's own dashboard, with their profile
    page.wait_for_url(re.compile(r"/accounts/dashboard/applicant/$"))
    assert page.get_by_test_id("applicant-dashboard").is_visible()
    assert page.get_by_test_id("national-id").inner_text() == "0371234565"
