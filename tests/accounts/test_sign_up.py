import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode

from accounts import services
from accounts.models import Kind
from accounts.tokens import email_verification_token
from tests.factories import ApplicantFactory, valid_national_id

User = get_user_model()
NEW_PASSWORD = "Sabz-Qom-Bahar-1405"
VERIFY_PATH = re.compile(r"/accounts/verify/[\w-]+/[\w-]+/")

pytestmark = pytest.mark.django_db


def sign_up_data(**overrides):
    data = {
        "first_name": "نرگس",
        "last_name": "صالحی",
        "email": "Narges.Salehi@Example.IR",
        "national_id": "۰۳۷۱۲۳۴۵۶۵",
        "mobile": "+98 912 123 4567",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return {**data, **overrides}


def in_language(language, message):
    with translation.override(language):
        return translation.gettext(message)


def field_error(field, message):
    return f'data-testid="error-{field}">{escape(message)}</div>'


def verification_path(message):
    match = VERIFY_PATH.search(message.body)
    assert match, message.body
    return match.group(0)


def log_in(client, username, password=NEW_PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


# --- a good sign-up ---


def test_a_good_sign_up_creates_one_unverified_applicant_with_normalised_identifiers(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:sign_up"), sign_up_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_up_done")
    user = User.objects.get()
    assert user.kind == Kind.APPLICANT
    assert user.username == "narges.salehi@example.ir"
    assert user.email == "narges.salehi@example.ir"
    assert user.national_id == "0371234565"
    assert user.mobile == "09121234567"
    assert (user.first_name, user.last_name) == ("نرگس", "صالحی")
    assert user.email_verified_at is None
    assert user.language == "fa"
    assert user.check_password(NEW_PASSWORD)


def test_a_good_sign_up_sends_one_verification_e_mail_in_the_persons_language(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:sign_up"), sign_up_data())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["narges.salehi@example.ir"]
    assert message.subject == in_language("fa", "Green Jobs Qom: verify your e-mail address")
    assert message.subject != "Green Jobs Qom: verify your e-mail address"
    assert VERIFY_PATH.search(message.body)


def test_an_english_sign_up_gets_its_e_mail_in_english(client, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "en"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:sign_up"), sign_up_data())

    assert User.objects.get().language == "en"
    assert [message.subject for message in mail.outbox] == ["Green Jobs Qom: verify your e-mail address"]


def test_no_e_mail_leaves_before_the_sign_up_is_committed(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("accounts:sign_up"), sign_up_data())

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_the_e_mailed_link_verifies_the_account_and_lets_the_applicant_sign_in(
    client, django_capture_on_commit_callbacks
):
    # given: a fresh sign-up, not yet verified, cannot sign in
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:sign_up"), sign_up_data())
    assert log_in(client, "narges.salehi@example.ir").status_code == 200

    # when: the applicant opens the link from the e-mail
    before = timezone.now()
    response = client.get(verification_path(mail.outbox[0]))

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user = User.objects.get()
    assert before <= user.email_verified_at <= timezone.now()
    response = log_in(client, "Narges.Salehi@Example.IR")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_verification_page_confirms_in_the_readers_language(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:sign_up"), sign_up_data())

    response = client.get(verification_path(mail.outbox[0]), follow=True)

    assert response.status_code == 200
    assert escape(in_language("fa", "Your e-mail address is verified. You can sign in now.")) in (
        response.content.decode()
    )


# --- bad input ---

BAD_INPUT = {
    "invalid national ID": (
        {},
        {"national_id": "0371234566"},
        "national_id",
        "This national ID is not valid: its check digit does not match.",
    ),
    "landline instead of a mobile": (
        {},
        {"mobile": "025 3771 2345"},
        "mobile",
        "Enter an Iranian mobile number such as 0912 345 6789.",
    ),
    "mismatched passwords": (
        {},
        {"password2": NEW_PASSWORD + "x"},
        "password2",
        "The two passwords do not match.",
    ),
    "weak password": (
        {},
        {"password1": "qwertyuiop", "password2": "qwertyuiop"},
        "password1",
        "This password is among the most commonly used passwords.",
    ),
}


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize(("existing", "typed", "field", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_sign_up_input_is_explained_on_its_field_and_creates_no_account(
    client, django_capture_on_commit_callbacks, language, existing, typed, field, message
):
    # given
    if existing:
        ApplicantFactory(**existing)
    users_before = User.objects.count()
    client.cookies["django_language"] = language
    expected = in_language(language, message)
    if language == "fa":
        assert expected != message, "the Persian catalogue has no translation for this message"

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:sign_up"), sign_up_data(**typed))

    # then
    assert response.status_code == 200
    assert field_error(field, expected) in response.content.decode()
    assert User.objects.count() == users_before
    assert mail.outbox == []


def test_a_password_that_repeats_the_e_mail_address_is_refused(client):
    client.cookies["django_language"] = "en"
    email = "narges.salehi1405@example.ir"

    response = client.post(
        reverse("accounts:sign_up"), sign_up_data(email=email, password1=email, password2=email)
    )

    assert response.status_code == 200
    assert 'data-testid="error-password1">This password is too similar to your' in response.content.decode()
    assert User.objects.count() == 0


def test_every_identifier_problem_is_reported_at_once(client):
    ApplicantFactory(username="taken@example.ir", email="taken@example.ir")
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("accounts:sign_up"),
        sign_up_data(email="Taken@Example.ir", national_id="0371234566", mobile="02537712345"),
    )

    content = response.content.decode()
    # A taken address is never told on the form (see the tests below), only malformed identifiers.
    assert "already exists" not in content
    assert (
        field_error("national_id", "This national ID is not valid: its check digit does not match.")
        in content
    )
    assert field_error("mobile", "Enter an Iranian mobile number such as 0912 345 6789.") in content
    assert User.objects.count() == 1


def test_a_signed_in_person_is_sent_to_their_dashboard_instead_of_signing_up_again(client):
    client.force_login(ApplicantFactory())

    response = client.post(reverse("accounts:sign_up"), sign_up_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert User.objects.count() == 1


# --- uniqueness at the service level ---


PADDED_ID = valid_national_id("001234567")


@pytest.mark.parametrize(
    ("existing", "typed", "field"),
    [
        ({"username": "a@example.ir", "email": "a@example.ir"}, {"email": " A@EXAMPLE.IR "}, "email"),
        ({"national_id": "0371234565"}, {"national_id": "٠٣٧١٢٣٤٥٦٥"}, "national_id"),
        ({"national_id": PADDED_ID}, {"national_id": PADDED_ID[2:]}, "national_id"),
        ({"mobile": "09121234567"}, {"mobile": "0098 912 123 4567"}, "mobile"),
        ({"mobile": "09121234567"}, {"mobile": "9121234567"}, "mobile"),
    ],
)
def test_the_sign_up_service_refuses_identifiers_taken_after_normalisation(
    django_capture_on_commit_callbacks, existing, typed, field
):
    holder = ApplicantFactory(**existing)
    users_before = User.objects.count()
    arguments = {
        "email": "new@example.ir",
        "password": NEW_PASSWORD,
        "national_id": valid_national_id("498765432"),
        "mobile": "09351234567",
        "first_name": "سمیرا",
        "last_name": "امینی",
        **typed,
    }

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = services.applicant_sign_up(**arguments)

    assert created is None
    assert User.objects.count() == users_before
    assert len(callbacks) == 1
    assert [message.to for message in mail.outbox] == [[holder.email]]


def test_the_sign_up_service_stores_what_it_normalised(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.applicant_sign_up(
            email=" Samira.Amini@Example.IR ",
            password=NEW_PASSWORD,
            national_id=PADDED_ID[2:],
            mobile="۰۹۳۵ ۱۲۳ ۴۵۶۷",
            first_name=" سمیرا ",
            last_name="امینی ",
            language="de",
        )

    user.refresh_from_db()
    assert (user.username, user.email) == ("samira.amini@example.ir", "samira.amini@example.ir")
    assert (user.national_id, user.mobile) == (PADDED_ID, "09351234567")
    assert (user.first_name, user.last_name, user.language) == ("سمیرا", "امینی", "fa")
    assert [message.to for message in mail.outbox] == [["samira.amini@example.ir"]]


# --- unverified accounts and tampered links ---


def test_an_unverified_applicant_cannot_sign_in_and_is_told_why(client):
    applicant = ApplicantFactory(email_verified_at=None, password=NEW_PASSWORD)
    client.cookies["django_language"] = "en"
    message = "Your e-mail address is not verified yet. Open the link we sent you, or ask for a new one."

    response = log_in(client, applicant.email)

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert "_auth_user_id" not in client.session
    applicant.refresh_from_db()
    assert applicant.last_login is None


def test_the_not_verified_message_is_persian_under_persian(client):
    applicant = ApplicantFactory(email_verified_at=None, password=NEW_PASSWORD)
    message = "Your e-mail address is not verified yet. Open the link we sent you, or ask for a new one."

    response = log_in(client, applicant.email)

    assert escape(in_language("fa", message)) in response.content.decode()
    assert "_auth_user_id" not in client.session


def verification_url(user, token=None):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = token or email_verification_token.make_token(user)
    return reverse("accounts:verify_email", kwargs={"uidb64": uid, "token": token})


def test_a_tampered_verification_token_is_refused_and_verifies_nothing(client):
    applicant = ApplicantFactory(email_verified_at=None)
    token = email_verification_token.make_token(applicant)
    tampered = token[:-1] + ("a" if token[-1] != "a" else "b")
    client.cookies["django_language"] = "en"

    response = client.get(verification_url(applicant, tampered))

    assert response.status_code == 400
    assert escape("This verification link is not valid or has expired. Ask for a new one.") in (
        response.content.decode()
    )
    applicant.refresh_from_db()
    assert applicant.email_verified_at is None


def test_one_applicants_token_does_not_verify_another(client):
    first, second = ApplicantFactory(email_verified_at=None), ApplicantFactory(email_verified_at=None)

    response = client.get(verification_url(second, email_verification_token.make_token(first)))

    assert response.status_code == 400
    assert User.objects.filter(email_verified_at__isnull=False).count() == 0
    assert {first.pk, second.pk} == set(User.objects.values_list("pk", flat=True))


def test_a_link_for_no_such_account_is_refused(client):
    client.cookies["django_language"] = "en"
    url = reverse("accounts:verify_email", kwargs={"uidb64": "bm90LWFuLWlk", "token": "abc-123"})

    response = client.get(url)

    assert response.status_code == 400
    assert "This verification link is not valid." in response.content.decode()


def test_a_verification_link_expires_after_three_days(client):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        applicant = ApplicantFactory(email_verified_at=None)
        url = verification_url(applicant)

    with time_machine.travel(datetime.datetime(2026, 3, 4, 9, 1, tzinfo=datetime.UTC), tick=False):
        response = client.get(url)

    assert response.status_code == 400
    applicant.refresh_from_db()
    assert applicant.email_verified_at is None


def test_a_verification_link_still_works_on_the_third_day(client):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        applicant = ApplicantFactory(email_verified_at=None)
        url = verification_url(applicant)

    with time_machine.travel(datetime.datetime(2026, 3, 4, 8, 59, tzinfo=datetime.UTC), tick=False):
        response = client.get(url)

    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.email_verified_at == datetime.datetime(2026, 3, 4, 8, 59, tzinfo=datetime.UTC)


# --- the form is no oracle of who has an account ---

TAKEN = {
    "e-mail, in other letter case": (
        {"username": "narges.salehi@example.ir", "email": "narges.salehi@example.ir"},
        {"email": "NARGES.SALEHI@example.ir"},
    ),
    "national ID, typed in Persian digits": ({"national_id": "0371234565"}, {"national_id": "۰۳۷۱۲۳۴۵۶۵"}),
    "mobile, typed with +98": ({"mobile": "09121234567"}, {"mobile": "+989121234567"}),
}


@pytest.mark.parametrize(("existing", "typed"), TAKEN.values(), ids=TAKEN.keys())
def test_a_taken_identifier_answers_like_a_new_sign_up_and_tells_the_holder_by_mail(
    client, django_capture_on_commit_callbacks, existing, typed
):
    # given
    holder = ApplicantFactory(**{"email": "holder@example.ir", "language": "en", **existing})
    new_details = sign_up_data(
        email="someone.new@example.ir", national_id=valid_national_id("123456780"), mobile="09351112233"
    )
    fresh = client.post(reverse("accounts:sign_up"), new_details)
    User.objects.filter(email="someone.new@example.ir").delete()
    mail.outbox.clear()
    users_before = User.objects.count()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:sign_up"), sign_up_data(**typed))

    # then: the same answer as a sign-up with new details
    assert (response.status_code, response["Location"]) == (fresh.status_code, fresh["Location"])
    assert User.objects.count() == users_before
    # and the holder, only the holder, learns how to get back in
    assert [message.to for message in mail.outbox] == [[holder.email]]
    body = mail.outbox[0].body
    assert "You already have an account, so no new one was made." in body
    assert "/accounts/password/reset/" in body
    assert not VERIFY_PATH.search(body)


def test_identifiers_of_two_accounts_tell_each_holder_once(client, django_capture_on_commit_callbacks):
    first = ApplicantFactory(username="first@example.ir", email="first@example.ir", national_id="0371234565")
    second = ApplicantFactory(username="second@example.ir", email="second@example.ir", mobile="09121234567")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:sign_up"), sign_up_data(email="FIRST@example.ir"))

    assert sorted(message.to[0] for message in mail.outbox) == [first.email, second.email]


def test_sign_ups_from_one_address_are_limited(client, settings):
    settings.SIGN_UP_LIMIT = 3
    cache.clear()
    client.cookies["django_language"] = "en"
    statuses = []
    for n in range(4):
        data = sign_up_data(
            email=f"person{n}@example.ir",
            national_id=valid_national_id(f"20000000{n}"),
            mobile=f"0935000000{n}",
        )
        statuses.append(client.post(reverse("accounts:sign_up"), data).status_code)
    cache.clear()

    assert statuses == [302, 302, 302, 429]
    assert User.objects.count() == 3
