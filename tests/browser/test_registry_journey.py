import re

import pytest

from programs import seed as programs_seed
from tests.factories import MINIMAL_PDF, occupation, valid_business_id, valid_national_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def accounts(demo_data):
    programs_seed.load()


def test_a_business_is_registered_assessed_verified_and_the_owner_sees_it_in_persian(
    login, accounts, tmp_path
):
    licence = tmp_path / "parvaneh.pdf"
    licence.write_bytes(MINIMAL_PDF)

    # The applicant registers the business step by step and uploads the licence.
    applicant = login("applicant")
    applicant.get_by_test_id("nav-my-businesses").click()
    applicant.get_by_test_id("register-business").click()
    applicant.fill("#id_legal_name", "نیروی خورشید کویر")
    applicant.fill("#id_national_business_id", valid_business_id("1400301234"))
    applicant.select_option("#id_legal_form", "llc")
    applicant.select_option("#id_sector", "energy")
    applicant.get_by_test_id("business-form").locator("button[type=submit]").click()
    applicant.select_option("#id_county", label="کهک")
    applicant.fill("#id_address", "کهک، جاده قم، کیلومتر ۵")
    applicant.fill("#id_employees_total", "6")
    applicant.get_by_test_id("business-form").locator("button[type=submit]").click()
    applicant.select_option("#id_occupation", str(occupation("GJ-EN-01").pk))
    applicant.fill("#id_holder_name", "بهرام صادقی")
    applicant.fill("#id_holder_national_id", valid_national_id("512345678"))
    applicant.get_by_test_id("green-job-form").locator("button[type=submit]").click()
    assert "بهرام صادقی" in applicant.get_by_test_id("green-jobs").inner_text()
    applicant.get_by_test_id("green-job-form").get_by_role("link").click()
    applicant.select_option("#id_kind", "licence")
    applicant.set_input_files("#id_file", str(licence))
    applicant.get_by_test_id("document-form").locator("button[type=submit]").click()
    applicant.get_by_test_id("submit-registration").click()
    assert applicant.get_by_test_id("status").inner_text() == "ارسال‌شده"
    business_url = applicant.url

    # A DOE officer finds it in the queue, assesses it and fills the checklist.
    officer = login("doe_officer")
    officer.get_by_test_id("nav-queue").click()
    officer.get_by_role("link", name="نیروی خورشید کویر").click()
    officer.get_by_test_id("action-start_assessment").click()
    measurements = [
        ("energy", "برق سالانه", "24000", "18000"),
        ("water", "آب سالانه", "800", "760"),
        ("materials", "مواد اولیه", "12", "11"),
        ("waste", "پسماند", "3", "1"),
        ("emissions", "انتشار", "50", "40"),
        ("permits", "پروانه محیط زیستی", "", ""),
    ]
    for category, description, baseline, current in measurements:
        form = officer.get_by_test_id("item-form")
        form.locator("select[name=category]").select_option(category)
        form.locator("input[name=description]").fill(description)
        form.locator("input[name=baseline]").fill(baseline)
        form.locator("input[name=current]").fill(current)
        form.locator("button[type=submit]").click()
    assert "۶٬۰۰۰" in officer.get_by_test_id("checklist").inner_text()  # 24000 − 18000 kWh, computed
    officer.get_by_test_id("ready-form").locator("textarea").fill("کاهش ۲۵ درصدی مصرف برق تأیید شد.")
    officer.get_by_test_id("ready-form").locator("button[type=submit]").click()

    # A DOE reviewer verifies it as a new green business.
    reviewer = login("doe_reviewer")
    reviewer.goto(business_url)
    reviewer.get_by_test_id("actions").locator("select[name=verified_kind]").select_option("new_green")
    reviewer.get_by_test_id("action-verify").click()
    assert reviewer.get_by_test_id("status").inner_text() == "تأییدشده سبز"

    # The applicant sees it verified, with the whole history, in Persian.
    applicant.reload()
    assert applicant.locator("html").get_attribute("dir") == "rtl"
    assert applicant.get_by_test_id("status").inner_text() == "تأییدشده سبز"
    history = applicant.get_by_test_id("history").inner_text()
    for status in ("پیش‌نویس", "ارسال‌شده", "در حال ارزیابی زیست‌محیطی", "تأییدشده سبز"):
        assert status in history
    assert re.search(r"[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}", applicant.get_by_test_id("expires-on").inner_text())
