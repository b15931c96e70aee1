"""Every absolute link the portal gives out is on its configured public address, and every e-mail
subject is plain text."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import resolve, reverse

from accounts.emails import send_verification
from greenjobs.links import absolute_reverse, absolute_url
from greenjobs.mail import render_subject
from incentives.services.applications import application_transition
from programs.services.registrations import business_transition
from tests.factories import (
    ApplicantFactory,
    CourseFactory,
    SessionFactory,
    UserFactory,
    loan_draft,
    ready_to_submit,
    verified_business,
)
from training import tasks as training_tasks
from training.services import enrolment as enrolment_services

pytestmark = pytest.mark.django_db

# Where `PORT=18801 make run` serves, as scripts/run.sh passes it on.
BASE = "http://192.0.2.7:18801"
NAME = "<A & B's>"


@pytest.fixture(autouse=True)
def portal(settings):
    settings.PORTAL_BASE_URL = BASE + "/"  # a trailing slash makes no double one


def links_in(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def the_link(message) -> tuple[str, dict]:
    """The one link of an e-mail, on the portal's address: (view name, its arguments)."""
    [link] = links_in(message.body)
    assert link.startswith(BASE + "/"), link
    match = resolve(urlsplit(link).path)
    return match.view_name, match.kwargs


def test_absolute_urls_are_built_on_the_setting():
    assert absolute_url("/training/verify/ABC/") == "http://192.0.2.7:18801/training/verify/ABC/"
    assert absolute_url("training/") == "http://192.0.2.7:18801/training/"
    assert absolute_reverse("training:verify", args=["ABC"]) == "http://192.0.2.7:18801/training/verify/ABC/"


def test_the_verification_mail_links_to_the_portal():
    user = UserFactory(language="en", email_verified_at=None)

    send_verification(user)

    [message] = mail.outbox
    view_name, kwargs = the_link(message)
    assert view_name == "accounts:verify_email"
    assert set(kwargs) == {"uidb64", "token"}


def test_the_password_reset_mail_links_to_the_portal_whatever_host_the_request_named(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(language="en")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"email": user.email}, HTTP_HOST="elsewhere.example"
        )

    assert response.status_code == 302
    [message] = mail.outbox
    view_name, kwargs = the_link(message)
    assert view_name == "accounts:password_reset_confirm"
    assert set(kwargs) == {"uidb64", "token"}
    assert "elsewhere.example" not in message.body


def test_a_registration_mail_links_to_the_portal_and_its_subject_is_plain_text(
    django_capture_on_commit_callbacks,
):
    business = ready_to_submit(legal_name=NAME)
    business.owner.language = "en"
    business.owner.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        business_transition(business_id=business.pk, actor=business.owner, name="submit")

    [message] = mail.outbox
    assert the_link(message) == ("programs:business_detail", {"pk": business.pk})
    assert message.subject == "Green Jobs Qom: “<A & B's>” is now Submitted"


def test_a_loan_mail_links_to_the_portal(django_capture_on_commit_callbacks):
    owner = ApplicantFactory(language="en")
    application = loan_draft(business=verified_business(owner=owner))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application_id=application.pk, actor=owner, name="submit")

    [message] = mail.outbox
    assert the_link(message) == ("incentives:application_detail", {"pk": application.pk})
    assert message.subject == f"Green Jobs Qom: loan application {application.reference} is now “Submitted”"


def test_a_wait_list_promotion_mail_links_to_the_portal_and_its_subject_is_plain_text(agencies):
    session = SessionFactory(capacity=1, course=CourseFactory(title_en=NAME))
    first, second = ApplicantFactory(language="en"), ApplicantFactory(language="en")
    enrolment_services.enrolment_create(session_id=session.pk, person=first, actor=first)
    waiting = enrolment_services.enrolment_create(session_id=session.pk, person=second, actor=second)
    waiting.status = waiting.Status.ENROLLED
    waiting.save(update_fields=["status"])
    mail.outbox.clear()

    assert training_tasks.send_promotion_email(waiting.pk) == "sent"

    [message] = mail.outbox
    assert the_link(message) == ("training:my_training", {})
    assert message.subject == "Green Jobs Qom: a seat is yours in “<A & B's>”"


def test_a_subject_is_one_line_of_unescaped_text(tmp_path, settings):
    (tmp_path / "subject.txt").write_text("{{ name }}\n is  \r\n{{ other }}\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    subject = render_subject("subject.txt", {"name": NAME, "other": "<b>"})

    assert subject == "<A & B's> is <b>"
