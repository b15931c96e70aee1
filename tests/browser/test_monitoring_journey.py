"""An applicant reports a monitoring round with two employees; MCLS imports the insurance list; one job is
verified, one not; the shortfall shows in MCLS's queue; a manager records a warning with a new deadline; the
applicant sees it; the progress report's section says promised 2, verified 1."""

import datetime
import re

import pytest
from django.utils import timezone

from greenjobs.jalali import to_jalali
from measurement import pdf
from measurement.periods import Period
from measurement.services.reports import build_snapshot
from monitoring import months
from monitoring.models import Round
from tests.factories import PASSWORD, make_staff
from tests.monitoring.factories import first_round, person, repaying_loan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKSHOP = "1234567890"


def jalali(day: datetime.date) -> str:
    jday = to_jalali(day)
    return f"{jday.year:04d}/{jday.month:02d}/{jday.day:02d}"


def test_a_shortfall_found_by_the_insurance_list_ends_in_a_warning_the_applicant_sees(
    agencies, private_media, login, tmp_path
):
    # given a loan paid out eight months ago that promised two jobs: its first round (6 months) is due
    today = timezone.localdate()
    loan = repaying_loan(jobs=(("GJ-EN-01", 2),), paid_on=today - datetime.timedelta(days=240))
    round_ = first_round(loan)
    assert round_.month <= today
    officer = make_staff("MCLS", "officer")
    manager = make_staff("MCLS", "manager")

    # the applicant finds the round on the dashboard and reports two employees with evidence
    applicant = login(loan.applicant.username, PASSWORD)
    applicant.goto("/accounts/dashboard/")
    applicant.get_by_test_id("dashboard-round").get_by_role("link").click()
    applicant.wait_for_url(re.compile(rf"/monitoring/rounds/{round_.pk}/$"))
    applicant.locator("#id_workshop_code").fill("۱۲۳۴۵۶۷۸۹۰")
    applicant.get_by_test_id("workshop-form").locator("button[type=submit]").click()
    started = jalali(round_.month)
    for n in (1, 2):
        form = applicant.get_by_test_id("employee-form")
        form.locator("#id_employee_national_id").fill(person(n))
        form.locator("#id_employee_name").fill(f"کارگر {n}")
        form.locator("#id_employee_occupation").select_option(str(loan.planned_jobs.get().occupation_id))
        form.locator("#id_employee_started_on").fill(started)
        applicant.get_by_test_id("add-employee").click()
        applicant.wait_for_selector(f"[data-testid=employee] >> nth={n - 1}")
    evidence = tmp_path / "contract.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    applicant.get_by_test_id("evidence-form").locator("#id_evidence_kind").select_option("contract")
    applicant.get_by_test_id("evidence-form").locator("#id_evidence_file").set_input_files(str(evidence))
    applicant.get_by_test_id("upload-evidence").click()
    applicant.get_by_test_id("send-report").click()
    applicant.wait_for_selector("[data-testid=round-status][data-status=reported]")

    # MCLS imports the workshop's list: the first person worked the month, the second is not on it
    staff = login(officer.username, PASSWORD)
    staff.goto("/monitoring/insurance-lists/")
    sheet = tmp_path / "bimeh.csv"
    sheet.write_text(
        "national_id,workshop_code,month,days\n"
        f"{person(1)},{WORKSHOP},{months.label(round_.month, persian=False)},30\n",
        encoding="utf-8",
    )
    staff.get_by_test_id("import-file").set_input_files(str(sheet))
    staff.get_by_test_id("import-button").click()
    staff.wait_for_selector("[data-testid=import-progress][data-status=succeeded]")
    assert staff.get_by_test_id("import-verified").inner_text().strip() == "۱"

    # the shortfall is in MCLS's queue
    staff.goto("/monitoring/?flag=shortfall")
    row = staff.locator(f"[data-testid=round-row][data-pk='{round_.pk}']")
    assert row.get_attribute("data-status") == "shortfall"

    # a manager records a warning with a new deadline
    deadline = today + datetime.timedelta(days=40)
    boss = login(manager.username, PASSWORD)
    boss.goto(f"/monitoring/rounds/{round_.pk}/")
    assert boss.get_by_test_id("total-promised").inner_text().strip() == "۲"
    assert boss.get_by_test_id("total-verified").inner_text().strip() == "۱"
    boss.locator("#id_decision_kind_0").check()
    boss.locator("#id_decision_new_deadline").fill(jalali(deadline))
    boss.locator("#id_decision_reason").fill("یکی از دو شغل وعده‌داده‌شده در فهرست بیمه نیست.")
    boss.get_by_test_id("record-decision").click()
    boss.wait_for_selector("[data-testid=round-status][data-status=decided]")

    # the applicant sees the warning and its deadline
    applicant.goto("/accounts/dashboard/")
    notice = applicant.get_by_test_id("dashboard-decision")
    assert notice.get_attribute("data-kind") == "warning"
    applicant.goto(f"/monitoring/rounds/{round_.pk}/")
    assert applicant.get_by_test_id("decision-deadline").is_visible()
    assert Round.objects.filter(loan=loan, kind="follow_up").count() == 1

    # the progress report's section for the month checked: promised 2, verified 1
    html = pdf.report_html(build_snapshot(Period.containing(round_.month, "month")), "en")
    assert 'data-testid="jobs-promised">2<' in html
    assert 'data-testid="jobs-verified">1<' in html
