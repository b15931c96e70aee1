import datetime
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from rest_framework.test import APIClient

from tests.factories import PASSWORD, ApplicantFactory, ProgrammeManagerFactory

pytestmark = pytest.mark.django_db

RESET_PATH = re.compile(r"/accounts/password/reset/[\w-]+/[\w-]+/")
NEW_PASSWORD = "Taze-Ramz-Sabz-1405"


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


# --- signing in ---


def test_staff_and_managers_sign_in_with_their_username(client):
    manager = ProgrammeManagerFactory(username="sara.kazemi", email="programme@example.ir")

    response = log_in(client, "sara.kazemi")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert signed_in_as(client) == str(manager.pk)


def test_the_username_is_not_case_sensitive(client):
    manager = ProgrammeManagerFactory(username="sara.kazemi", email="programme@example.ir")

    log_in(client, "  Sara.Kazemi ")

    assert signed_in_as(client) == str(manager.pk)


def test_applicants_sign_in_with_their_e_mail_in_any_letter_case(client):
    applicant = ApplicantFactory(username="narges@example.ir", email="narges@example.ir")

    response = log_in(client, "Narges@Example.IR")

    assert response.status_code == 302
    assert signed_in_as(client) == str(applicant.pk)


def test_a_staff_member_can_also_sign_in_with_their_e_mail(client):
    manager = ProgrammeManagerFactory(username="sara.kazemi", email="programme@example.ir")

    log_in(client, "programme@example.ir")

    assert signed_in_as(client) == str(manager.pk)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_a_wrong_password_is_refused_with_a_message_that_reveals_nothing(client, language):
    ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    client.cookies["django_language"] = language
    with translation.override(language):
        expected = translation.gettext("The username or password is not correct.")

    wrong_password = log_in(client, "narges@example.ir", "not-the-password")
    unknown_user = log_in(client, "nobody@example.ir")

    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert f"<div>{escape(expected)}</div>" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_disabled_account_cannot_sign_in(client):
    ApplicantFactory(username="narges@example.ir", email="narges@example.ir", is_active=False)

    response = log_in(client, "narges@example.ir")

    assert response.status_code == 200
    assert signed_in_as(client) is None


# --- lockout after repeated failures ---


def fail(client, username, times):
    return [log_in(client, username, "wrong-password").status_code for _ in range(times)]


def test_after_five_failures_even_the_right_password_is_refused(client):
    # given
    assert settings.AXES_FAILURE_LIMIT == 5
    applicant = ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    client.cookies["django_language"] = "en"

    # when
    statuses = fail(client, "narges@example.ir", 5)
    response = log_in(client, "narges@example.ir")

    # then
    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    content = response.content.decode()
    assert 'data-testid="locked-out"' in content
    assert "Too many failed sign-in attempts" in content
    assert signed_in_as(client) is None
    applicant.refresh_from_db()
    assert applicant.last_login is None


def test_four_failures_do_not_lock_the_account(client):
    applicant = ApplicantFactory(username="narges@example.ir", email="narges@example.ir")

    fail(client, "narges@example.ir", 4)
    response = log_in(client, "narges@example.ir")

    assert response.status_code == 302
    assert signed_in_as(client) == str(applicant.pk)


def test_the_lockout_is_per_username_so_others_can_still_sign_in(client):
    ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    other = ApplicantFactory(username="samira@example.ir", email="samira@example.ir")
    fail(client, "narges@example.ir", 5)

    # the same browser and address, another account
    response = log_in(client, "samira@example.ir")

    assert response.status_code == 302
    assert signed_in_as(client) == str(other.pk)
    assert AccessAttempt.objects.get().username == "narges@example.ir"


def test_failures_typed_in_other_letter_cases_count_towards_the_same_lockout(client):
    applicant = ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    for typed in [
        "narges@example.ir",
        "Narges@example.ir",
        "NARGES@example.ir",
        "narges@Example.ir",
        "nArges@example.ir",
    ]:
        log_in(client, typed, "wrong-password")

    response = log_in(client, "narges@example.ir")

    assert response.status_code == 429
    assert signed_in_as(client) is None
    applicant.refresh_from_db()
    assert applicant.last_login is None


LOCKED_AT = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def test_the_lockout_still_holds_after_29_minutes(client):
    ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    with time_machine.travel(LOCKED_AT, tick=False):
        fail(client, "narges@example.ir", 5)

    with time_machine.travel(LOCKED_AT + datetime.timedelta(minutes=29), tick=False):
        response = log_in(client, "narges@example.ir")

    assert response.status_code == 429
    assert signed_in_as(client) is None


def test_the_lockout_lifts_after_half_an_hour(client):
    applicant = ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    with time_machine.travel(LOCKED_AT, tick=False):
        fail(client, "narges@example.ir", 5)

    with time_machine.travel(LOCKED_AT + datetime.timedelta(minutes=31), tick=False):
        response = log_in(client, "narges@example.ir")
        # read while the clock is still in March, or the eight-hour session has long expired
        assert signed_in_as(client) == str(applicant.pk)

    assert response.status_code == 302


# --- signing out ---


def test_signing_out_by_post_ends_the_session(client):
    client.force_login(ApplicantFactory())

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("agencies:home")
    assert signed_in_as(client) is None


def test_signing_out_by_get_is_refused(client):
    applicant = ApplicantFactory()
    client.force_login(applicant)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert signed_in_as(client) == str(applicant.pk)


# --- password reset ---


def ask_reset(client, capture, email, **extra):
    """Posts the reset form and runs what its commit queued (the mail task), as the worker would."""
    with capture(execute=True):
        return client.post(reverse("accounts:password_reset"), {"email": email}, **extra)


def test_a_forgotten_password_is_reset_through_the_e_mailed_link(client, django_capture_on_commit_callbacks):
    # given
    applicant = ApplicantFactory(username="narges@example.ir", email="narges@example.ir")

    # when: the applicant asks for a link
    response = ask_reset(client, django_capture_on_commit_callbacks, "Narges@Example.ir")

    # then: one e-mail with a link
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["narges@example.ir"]
    path = RESET_PATH.search(mail.outbox[0].body).group(0)

    # when: they open it and choose a new password
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)
    assert not applicant.check_password(PASSWORD)
    assert log_in(client, "narges@example.ir", NEW_PASSWORD).status_code == 302


def test_a_reset_link_works_only_once(client, django_capture_on_commit_callbacks):
    ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    ask_reset(client, django_capture_on_commit_callbacks, "narges@example.ir")
    path = RESET_PATH.search(mail.outbox[0].body).group(0)
    set_password_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    second_visit = client.get(path, follow=True)

    assert second_visit.context["validlink"] is False


def test_asking_a_reset_for_an_unknown_address_sends_nothing_and_looks_the_same(
    client, django_capture_on_commit_callbacks
):
    response = ask_reset(client, django_capture_on_commit_callbacks, "nobody@example.ir")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_the_reset_mail_is_in_the_language_of_the_account_not_of_the_page(
    client, django_capture_on_commit_callbacks
):
    ApplicantFactory(username="sara@example.ir", email="sara@example.ir", language="en")

    ask_reset(client, django_capture_on_commit_callbacks, "sara@example.ir", HTTP_ACCEPT_LANGUAGE="fa")

    [message] = mail.outbox
    assert message.subject == "Green Jobs Qom: reset your password"
    assert "Someone asked to reset the password" in message.body


def test_a_second_request_within_minutes_does_not_send_a_second_mail_but_answers_the_same(
    client, empty_cache, django_capture_on_commit_callbacks
):
    """Asking again and again cannot fill someone's mailbox; the page does not tell the asker either."""
    ApplicantFactory(username="narges@example.ir", email="narges@example.ir")

    first = ask_reset(client, django_capture_on_commit_callbacks, "narges@example.ir")
    second = ask_reset(client, django_capture_on_commit_callbacks, "narges@example.ir")

    assert first["Location"] == second["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    empty_cache.clear()  # the interval is over
    ask_reset(client, django_capture_on_commit_callbacks, "narges@example.ir")
    assert len(mail.outbox) == 2


def test_too_many_reset_requests_from_one_address_are_refused_with_a_message(
    client, settings, empty_cache, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_LIMIT = 2
    client.cookies["django_language"] = "en"
    for number in range(2):
        assert (
            ask_reset(client, django_capture_on_commit_callbacks, f"x{number}@example.ir").status_code == 302
        )

    response = ask_reset(
        client, django_capture_on_commit_callbacks, "x3@example.ir", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 429
    assert "Too many reset requests from your connection" in response.content.decode()
    assert 'value="x3@example.ir"' in response.content.decode()


def test_the_reset_page_answers_at_once_when_the_mail_server_is_down_and_the_mail_is_retried(
    client, settings, django_capture_on_commit_callbacks
):
    """The mail goes through the outbox and the worker; a dead SMTP server is the task's problem, retried
    with back-off, and never the page's."""
    from accounts import tasks
    from greenjobs.outbox.models import OutboxMessage

    ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("accounts:password_reset"), {"email": "narges@example.ir"})

    assert response.status_code == 302
    [message] = OutboxMessage.objects.filter(task_name="accounts.tasks.send_password_reset_email")
    with pytest.raises(OSError):
        tasks.send_password_reset_email(*message.args)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.send_password_reset_email(*message.args) == "sent"
    assert len(mail.outbox) == 1


# --- password change ---


def test_a_signed_in_person_changes_their_password_and_stays_signed_in(client):
    applicant = ApplicantFactory()
    client.force_login(applicant)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)
    assert signed_in_as(client) == str(applicant.pk)
    assert client.get(reverse("measurement:applicant_dashboard")).status_code == 200


def test_a_password_change_with_the_wrong_old_password_changes_nothing(client):
    applicant = ApplicantFactory()
    client.force_login(applicant)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["old_password"]
    applicant.refresh_from_db()
    assert applicant.check_password(PASSWORD)


def test_the_password_change_page_needs_a_signed_in_person(client):
    response = client.get(reverse("accounts:password_change"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('accounts:password_change')}"


# --- ways around the lockout ---


def test_failures_under_the_username_lock_the_same_account_typed_as_its_e_mail(client):
    cache.clear()  # the token endpoint's throttle lives in the cache
    # given: a staff account that signs in with its username, five failures under that username
    staff = ProgrammeManagerFactory(username="someone", email="someone@example.ir")
    fail(client, "someone", 5)

    # when: the right password, typed with the account's e-mail address instead
    page = log_in(client, "someone@example.ir")
    token = APIClient().post("/api/v1/auth/token/", {"username": "SomeOne@Example.ir", "password": PASSWORD})

    # then: still locked, on the page and on the token endpoint
    assert page.status_code == 429
    assert signed_in_as(client) is None
    assert token.status_code in (400, 403, 429)
    assert "token" not in token.json()
    staff.refresh_from_db()
    assert staff.last_login is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL folds ı to i")
def test_a_look_alike_letter_counts_against_the_account_it_resolves_to(client):
    # given: PostgreSQL matches a dotless ı to i, so "nargıs" signs in as "nargis"
    applicant = ApplicantFactory(username="nargis@example.ir", email="nargis@example.ir")
    for typed in [
        "nargis@example.ir",
        "nargıs@example.ir",
        "NARGIS@example.ir",
        "nargıs@example.ır",
        "nargis@example.ir",
    ]:
        log_in(client, typed, "wrong-password")

    # when
    response = log_in(client, "nargis@example.ir")

    # then
    assert response.status_code == 429
    applicant.refresh_from_db()
    assert applicant.last_login is None
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"nargis@example.ir"}


def test_a_stranger_cannot_lock_a_person_out_from_another_address(client):
    # given: five failures from an attacker's address
    applicant = ApplicantFactory(username="narges@example.ir", email="narges@example.ir")
    for _ in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": "narges@example.ir", "password": "wrong"},
            REMOTE_ADDR="127.0.0.66",
        )
    assert log_in(client, "narges@example.ir").status_code == 302  # the owner's own address (127.0.0.1)
    client.logout()

    # when: the attacker tries the right password from their address
    attacker = client.post(
        reverse("accounts:login"),
        {"username": "narges@example.ir", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.66",
    )

    # then: locked there, not for the owner
    assert attacker.status_code == 429
    applicant.refresh_from_db()
    assert applicant.last_login is not None
