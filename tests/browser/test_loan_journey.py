import re

import pytest
from django.utils import timezone, translation

from greenjobs.jalali import format_date
from programs import seed as programs_seed
from tests.factories import MINIMAL_PDF, LoanSchemeFactory, occupation, verified_business

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_scheme_and_business(demo_data):
    from django.contrib.auth import get_user_model

    programs_seed.load()
    applicant = get_user_model().objects.get(username="applicant")
    business = verified_business(owner=applicant, legal_name="نیروگاه خورشیدی کهک")
    scheme = LoanSchemeFactory(
        code="GL-TEST", title_fa="تسهیلات آزمایشی مشاغل سبز", title_en="Test green loans"
    )
    return scheme, business


def test_a_loan_is_applied_for_reviewed_approved_paid_out_and_scheduled(
    login, open_scheme_and_business, tmp_path
):
    scheme, business = open_scheme_and_business
    plan = tmp_path / "tarh.pdf"
    plan.write_bytes(MINIMAL_PDF)

    # The applicant applies under the open scheme and completes the file.
    applicant = login("applicant")
    applicant.goto(f"/loans/apply/?scheme={scheme.code}")
    form = applicant.get_by_test_id("application-form")
    form.locator("select[name=business]").select_option(str(business.pk))
    form.locator("input[name=amount]").fill("۱٬۵۰۰٬۰۰۰٬۰۰۰")
    form.locator("textarea[name=purpose]").fill("خرید و نصب پنل‌های خورشیدی برای کارگاه")
    form.locator("input[name=energy_saving_kwh]").fill("60000")
    applicant.get_by_test_id("save-application").click()
    applicant.wait_for_url(re.compile(r"/loans/applications/\d+/$"))
    application_url = applicant.url
    jobs = applicant.get_by_test_id("planned-job-form")
    jobs.locator("select[name=occupation]").select_option(str(occupation("GJ-EN-01").pk))
    jobs.locator("input[name=count]").fill("3")
    jobs.locator("button[type=submit]").click()
    documents = applicant.get_by_test_id("document-form")
    documents.locator("select[name=kind]").select_option("business_plan")
    documents.locator("input[type=file]").set_input_files(str(plan))
    documents.locator("button[type=submit]").click()
    applicant.get_by_test_id("action-submit").click()
    assert applicant.get_by_test_id("event-submit").is_visible()

    # DOE checks the environmental side, MCLS the credit, an MCLS manager approves: four different people.
    for username, moves in [
        ("doe_reviewer", ["start_environmental_review", "environment_accept"]),
        ("mcls_reviewer", ["credit_accept"]),
        ("mcls_manager", ["approve"]),
    ]:
        staff = login(username)
        staff.goto(application_url)
        for move in moves:
            staff.get_by_test_id(f"action-{move}").click()
            staff.wait_for_load_state()

    # An MCLS officer records the contract and pays the whole loan out in one tranche.
    officer = login("mcls_officer")
    officer.goto(application_url)
    contract = officer.get_by_test_id("move-contract")
    contract.locator("input[name=contract_number]").fill("GJ-TEST-001")
    # Signed today: a contract may not be dated before the application was submitted and approved.
    with translation.override("fa"):
        signed_on = format_date(timezone.localdate())
    contract.locator("input[name=contracted_on]").fill(signed_on)
    officer.get_by_test_id("action-contract").click()
    payout = officer.get_by_test_id("disbursement-form")
    payout.locator("input[name=amount]").fill("1500000000")
    payout.locator("button[type=submit]").click()
    assert "۱٬۵۰۰٬۰۰۰٬۰۰۰" in officer.get_by_test_id("disbursements").inner_text()

    # The applicant sees the repayment schedule, its due dates in the Jalali calendar.
    applicant.goto(application_url)
    applicant.get_by_test_id("schedule-link").click()
    rows = applicant.get_by_test_id("instalment")
    assert rows.count() == scheme.term_months
    due_dates = applicant.get_by_test_id("due-on").all_inner_texts()
    assert all(re.fullmatch(r"[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}", date) for date in due_dates)
    assert due_dates[0].startswith("۱۴۰۶/")
