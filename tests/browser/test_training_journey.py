import re
from urllib.parse import urlparse

import pytest
from django.utils import translation

from greenjobs.jalali import format_date_input
from programs import seed as programs_seed
from tests.factories import SessionFactory
from training.models import Certificate, Enrolment
from training.pdf import verification_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session(demo_data):
    programs_seed.load()
    return SessionFactory(capacity=10)


def test_enrolment_attendance_pass_certificate_and_public_verification(login, session, browser, live_server):
    # The applicant enrols in an upcoming session.
    applicant = login("applicant")
    applicant.goto(f"/training/sessions/{session.pk}/")
    applicant.get_by_test_id("enrol").click()
    assert applicant.get_by_test_id("my-enrolment").is_visible()
    enrolment = Enrolment.objects.get(session=session, person__username="applicant")
    assert enrolment.status == "enrolled"

    # A TVTO officer takes the roll call and records a pass.
    officer = login("tvto_officer")
    officer.goto(f"/training/sessions/{session.pk}/attendance/")
    # The session has not begun, so the form suggests no date: the meeting is its first day.
    with translation.override("fa"):
        officer.fill("input[name=held_on]", format_date_input(session.starts_on))
    officer.check(f"#present-{enrolment.pk}")
    officer.get_by_test_id("save-attendance").click()
    officer.goto(f"/training/sessions/{session.pk}/results/")
    officer.fill(f"input[name=theory_{enrolment.pk}]", "۸۵")
    officer.fill(f"input[name=practical_{enrolment.pk}]", "90")
    officer.get_by_test_id("save-results").click()
    assert officer.get_by_test_id("result-passed").count() == 1

    # The certificate appears on the applicant's training page.
    certificate = Certificate.objects.get(enrolment=enrolment)
    applicant.goto("/training/my-training/")
    link = applicant.locator(
        f'[data-testid=certificate-link][href="/training/certificates/{certificate.pk}/pdf/"]'
    )
    assert link.is_visible()

    # Anyone who scans the QR code reaches the public verification page, which confirms it.
    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto(urlparse(verification_url(certificate.verification_code)).path)
    result = public.get_by_test_id("verify-result").inner_text()
    assert certificate.serial in result or re.search(r"[۰-۹]", result)
    assert public.get_by_test_id("masked-name").inner_text().startswith("ر")
    assert public.get_by_test_id("revoked-reason").count() == 0
    public.context.close()
