import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from agencies.models import Goal, Obligation
from tests.factories import ApplicantFactory

User = get_user_model()

pytestmark = pytest.mark.django_db


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def switch_language(client, language, next_url="/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_the_home_page_is_persian_and_right_to_left_by_default(client, agencies):
    content = html_of(client.get(reverse("agencies:home")))

    assert '<html lang="fa" dir="rtl">' in content
    assert "bootstrap.rtl.min.css" in content
    for goal in Goal.objects.all():
        assert f'data-testid="goal-title">{escape(goal.title_fa)}</h3>' in content
    for agency in agencies.values():
        assert f'<h3 class="h6 fw-bold">{escape(agency.name_fa)}</h3>' in content


def test_the_home_page_shows_the_signing_date_in_the_jalali_calendar(client, agencies):
    content = html_of(client.get(reverse("agencies:home")))

    assert '<time datetime="2015-04-19" data-testid="signed-on">۳۰ فروردین ۱۳۹۴</time>' in content


def test_switching_to_english_turns_the_home_page_left_to_right(client, agencies):
    # when
    response = switch_language(client, "en", reverse("agencies:home"))

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("agencies:home")
    content = html_of(client.get(reverse("agencies:home")))
    assert '<html lang="en" dir="ltr">' in content
    assert "bootstrap.rtl.min.css" not in content
    for goal in Goal.objects.all():
        assert f'data-testid="goal-title">{escape(goal.title_en)}</h3>' in content
        assert escape(goal.title_fa) not in content
    assert '<time datetime="2015-04-19" data-testid="signed-on">19 April 2015</time>' in content


def test_switching_back_to_persian(client, agencies):
    switch_language(client, "en")

    switch_language(client, "fa")

    assert '<html lang="fa" dir="rtl">' in html_of(client.get(reverse("agencies:home")))


def test_an_unknown_language_is_ignored(client, agencies):
    switch_language(client, "de")

    assert '<html lang="fa" dir="rtl">' in html_of(client.get(reverse("agencies:home")))


def test_the_browsers_language_does_not_override_persian(client, agencies):
    response = client.get(reverse("agencies:home"), headers={"accept-language": "en-US,en;q=0.9"})

    assert '<html lang="fa" dir="rtl">' in html_of(response)


def test_a_signed_in_persons_choice_is_saved_on_their_account(client, agencies):
    applicant = ApplicantFactory(language="fa")
    client.force_login(applicant)

    switch_language(client, "en")

    applicant.refresh_from_db()
    assert applicant.language == "en"


def test_the_saved_choice_follows_the_person_to_another_browser(agencies):
    applicant = ApplicantFactory(language="fa")
    first_browser, second_browser = Client(), Client()
    first_browser.force_login(applicant)
    switch_language(first_browser, "en")

    second_browser.force_login(applicant)
    content = html_of(second_browser.get(reverse("agencies:home")))

    assert '<html lang="en" dir="ltr">' in content


def test_an_anonymous_switch_saves_nothing_on_any_account(client, agencies):
    applicant = ApplicantFactory(language="fa")

    switch_language(client, "en")

    applicant.refresh_from_db()
    assert applicant.language == "fa"


def test_the_language_switch_only_accepts_post(client, agencies):
    applicant = ApplicantFactory(language="fa")
    client.force_login(applicant)

    response = client.get(reverse("set_language"), {"language": "en"})

    assert response.status_code == 405
    applicant.refresh_from_db()
    assert applicant.language == "fa"


@pytest.mark.parametrize(("language", "field"), [("fa", "text_fa"), ("en", "text_en")])
def test_the_memorandum_page_lists_every_obligation(client, agencies, language, field):
    client.cookies["django_language"] = language

    content = html_of(client.get(reverse("agencies:memorandum")))

    obligations = Obligation.objects.all()
    assert obligations.count() == 6
    for obligation in obligations:
        assert f"<li>{escape(getattr(obligation, field))} " in content
    for agency in agencies.values():
        assert escape(agency.name_fa if language == "fa" else agency.name_en) in content


@pytest.mark.parametrize(("language", "direction"), [("fa", "rtl"), ("en", "ltr")])
def test_a_missing_page_shows_the_portals_own_404(client, agencies, language, direction):
    client.cookies["django_language"] = language

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    content = response.content.decode()
    assert 'data-testid="error-404"' in content
    assert f'<html lang="{language}" dir="{direction}">' in content
