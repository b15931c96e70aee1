import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Kind
from agencies.models import Obligation, StaffRole
from measurement.services import progress
from tests.factories import ApplicantFactory, ProgrammeManagerFactory, StaffFactory, make_staff

User = get_user_model()

ROLES = {
    "applicant": lambda: ApplicantFactory(),
    "doe_officer": lambda: make_staff("DOE", StaffRole.OFFICER),
    "mcls_reviewer": lambda: make_staff("MCLS", StaffRole.REVIEWER),
    "tvto_officer": lambda: make_staff("TVTO", StaffRole.OFFICER),
    "programme_manager": lambda: ProgrammeManagerFactory(),
    "anonymous": lambda: None,
}
OWN_PAGE = {
    "applicant": "measurement:applicant_dashboard",
    "doe_officer": "measurement:staff_dashboard",
    "mcls_reviewer": "measurement:staff_dashboard",
    "tvto_officer": "measurement:staff_dashboard",
    "programme_manager": "measurement:programme_dashboard",
}
PAGES = ["measurement:applicant_dashboard", "measurement:staff_dashboard", "measurement:programme_dashboard"]


@pytest.fixture
def sign_in(client, agencies):
    def sign_in(role):
        user = ROLES[role]()
        if user is not None:
            client.force_login(user)
        return user

    return sign_in


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_only_its_own_landing_page(client, sign_in, role, page):
    sign_in(role)
    url = reverse(page)

    response = client.get(url)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
    elif OWN_PAGE[role] == page:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert 'data-testid="error-403"' in response.content.decode()


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_my_dashboard_sends_each_role_to_its_own_page(client, sign_in, role):
    sign_in(role)

    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse(OWN_PAGE[role])


def test_my_dashboard_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('accounts:dashboard')}"


def test_a_staff_account_without_an_agency_is_refused_the_staff_dashboard(client, agencies):
    staff = StaffFactory(membership=None)
    assert staff.kind == Kind.AGENCY_STAFF
    client.force_login(staff)

    response = client.get(reverse("measurement:staff_dashboard"))

    assert response.status_code == 403


def test_a_deactivated_membership_loses_the_staff_dashboard(client, agencies):
    staff = make_staff("DOE", StaffRole.OFFICER)
    staff.membership.is_active = False
    staff.membership.save()
    client.force_login(staff)

    response = client.get(reverse("measurement:staff_dashboard"))

    assert response.status_code == 403


@pytest.mark.parametrize("code", ["DOE", "MCLS", "TVTO"])
def test_the_staff_dashboard_shows_the_own_agency_and_only_its_obligations(client, agencies, code):
    client.force_login(make_staff(code, StaffRole.OFFICER))

    response = client.get(reverse("measurement:staff_dashboard"))

    content = response.content.decode()
    assert f'<h1 class="h3 mb-4">{escape(agencies[code].name_fa)}</h1>' in content
    own = Obligation.objects.filter(agency__code=code)
    others = Obligation.objects.exclude(agency__code=code)
    assert own.exists()
    assert others.exists()
    for obligation in own:
        assert escape(obligation.text_fa) in content
    for obligation in others:
        assert escape(obligation.text_fa) not in content


def test_the_staff_dashboard_in_english_shows_the_english_texts(client, agencies):
    client.cookies["django_language"] = "en"
    client.force_login(make_staff("MCLS", StaffRole.REVIEWER))

    content = client.get(reverse("measurement:staff_dashboard")).content.decode()

    assert escape(agencies["MCLS"].name_en) in content
    for obligation in Obligation.objects.filter(agency__code="MCLS"):
        assert escape(obligation.text_en) in content
    for obligation in Obligation.objects.exclude(agency__code="MCLS"):
        assert escape(obligation.text_en) not in content


def test_the_programme_dashboard_shows_all_three_agencies(client, agencies):
    client.force_login(ProgrammeManagerFactory())

    response = client.get(reverse("measurement:programme_dashboard"))

    content = response.content.decode()
    for agency in agencies.values():
        assert f'<h2 class="h6 fw-bold">{escape(agency.name_fa)}</h2>' in content
    for obligation in Obligation.objects.all():
        assert escape(obligation.text_fa) in content


def test_the_programme_dashboard_counts_accounts(client, agencies):
    ApplicantFactory.create_batch(2)
    ApplicantFactory(email_verified_at=None)
    make_staff("DOE", StaffRole.OFFICER)
    client.cookies["django_language"] = "en"
    client.force_login(ProgrammeManagerFactory())
    progress.progress_refresh()  # what Celery does after the events and every few minutes

    response = client.get(reverse("measurement:programme_dashboard"))

    assert response.context["accounts"] == {"applicants": 3, "verified_applicants": 2, "staff": 1}
    assert [agency.staff_count for agency in response.context["agencies"]] == [1, 0, 0]


def test_the_applicant_dashboard_lists_their_own_certificates_only(client, agencies):
    import io

    from django.core.management import call_command

    from training.models import Certificate

    call_command("seed_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    applicant = get_user_model().objects.get(username="applicant")
    client.force_login(applicant)

    html = client.get(reverse("measurement:applicant_dashboard")).content.decode()

    own = Certificate.objects.filter(enrolment__person=applicant)
    others = Certificate.objects.exclude(enrolment__person=applicant)
    assert own.exists() and others.exists()
    assert all(certificate.serial in html for certificate in own)
    assert not any(certificate.serial in html for certificate in others)
