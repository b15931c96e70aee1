import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agencies.models import StaffRole
from tests.factories import PASSWORD, ApplicantFactory, ProgrammeManagerFactory, make_staff

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/auth/me/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The token endpoint is throttled per client in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def test_a_username_and_password_are_exchanged_for_a_token(api, agencies):
    staff = make_staff("MCLS", StaffRole.REVIEWER, username="hossein.rezaei", email="hossein@example.ir")

    response = api.post(TOKEN_URL, {"username": "hossein.rezaei", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=staff).key}


def test_an_applicant_gets_a_token_with_their_e_mail(api):
    applicant = ApplicantFactory(username="narges@example.ir", email="narges@example.ir")

    response = api.post(TOKEN_URL, {"username": "Narges@Example.ir", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=applicant).key


def test_asking_twice_gives_the_same_token(api):
    ApplicantFactory(username="narges@example.ir", email="narges@example.ir")

    first = api.post(TOKEN_URL, {"username": "narges@example.ir", "password": PASSWORD}).json()
    second = api.post(TOKEN_URL, {"username": "narges@example.ir", "password": PASSWORD}).json()

    assert first == second
    assert Token.objects.count() == 1


def test_the_token_tells_a_staff_member_their_agency_and_role(api, agencies):
    staff = make_staff(
        "MCLS", StaffRole.REVIEWER, username="hossein.rezaei", first_name="حسین", last_name="رضایی"
    )
    token = api.post(TOKEN_URL, {"username": "hossein.rezaei", "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api.get(ME_URL)

    assert response.status_code == 200
    assert response.json() == {
        "username": staff.username,
        "full_name": "حسین رضایی",
        "kind": "agency_staff",
        "agency": "MCLS",
        "role": "reviewer",
    }


@pytest.mark.parametrize(
    ("factory", "kind"),
    [(ApplicantFactory, "applicant"), (ProgrammeManagerFactory, "programme_manager")],
)
def test_people_outside_an_agency_have_no_agency_or_role(api, factory, kind):
    user = factory()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    body = api.get(ME_URL).json()

    assert (body["username"], body["kind"], body["agency"], body["role"]) == (user.username, kind, None, None)


def test_a_wrong_password_gets_no_token(api):
    ApplicantFactory(username="narges@example.ir", email="narges@example.ir")

    response = api.post(TOKEN_URL, {"username": "narges@example.ir", "password": "not-the-password"})

    assert response.status_code == 400
    assert "token" not in response.json()
    assert list(response.json()) == ["non_field_errors"]
    assert Token.objects.count() == 0


def test_an_unverified_applicant_gets_no_token(api):
    ApplicantFactory(username="narges@example.ir", email="narges@example.ir", email_verified_at=None)
    api.cookies["django_language"] = "en"

    response = api.post(TOKEN_URL, {"username": "narges@example.ir", "password": PASSWORD})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Your e-mail address is not verified yet."]}
    assert Token.objects.count() == 0


def test_the_token_endpoint_is_locked_after_five_failures_like_the_sign_in_page(api, client):
    ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    for _ in range(5):
        api.post(TOKEN_URL, {"username": "narges@example.ir", "password": "not-the-password"})

    through_api = api.post(TOKEN_URL, {"username": "narges@example.ir", "password": PASSWORD})
    through_page = client.post(
        reverse("accounts:login"), {"username": "narges@example.ir", "password": PASSWORD}
    )

    assert through_api.status_code == 400
    assert Token.objects.count() == 0
    assert through_page.status_code == 429
    assert "_auth_user_id" not in client.session


def test_who_am_i_needs_credentials(api):
    api.cookies["django_language"] = "en"

    response = api.get(ME_URL)

    # Session authentication comes first, so DRF answers 403 rather than 401 with a challenge.
    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_made_up_token_is_refused(api):
    api.cookies["django_language"] = "en"
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = api.get(ME_URL)

    assert response.status_code == 403
    assert response.json() == {"detail": "Invalid token."}


def test_a_deleted_token_stops_working(api):
    token = Token.objects.create(user=ApplicantFactory())
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(ME_URL).status_code == 200

    token.delete()

    assert api.get(ME_URL).status_code == 403
