"""Help for every role: what to do in order, what each status means, the schemes' rules, the FAQ."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guide import content
from tests.factories import ApplicantFactory, LoanSchemeFactory, ProgrammeManagerFactory, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


def page(client, url, language="fa"):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("guide", content.GUIDES, ids=lambda guide: guide.slug)
def test_every_role_guide_lists_its_steps_and_explains_every_status(client, guide, language):
    html = page(client, reverse("guide:role", args=[guide.slug]), language)
    assert html.count("list-group-item") >= len(guide.steps)
    assert "No explanation yet." not in html and "هنوز توضیحی" not in html
    for table in content.status_tables(guide.statuses):
        assert f'data-kind="{table["key"]}"' in html
        assert (
            len(table["rows"])
            == html.split(f'data-kind="{table["key"]}"')[1].split("</table>")[0].count("<tr>") - 1
        )


def test_every_status_the_models_know_has_an_explanation():
    for key in content.STATUS_MEANINGS:
        for row in content.status_tables([key])[0]["rows"]:
            assert str(row["meaning"]) != "No explanation yet.", (key, row["value"])


@pytest.mark.parametrize(
    ("make_user", "slug"),
    [
        (ApplicantFactory, "applicant"),
        (lambda: make_staff("DOE", "officer"), "doe"),
        (lambda: make_staff("MCLS", "reviewer"), "mcls"),
        (lambda: make_staff("TVTO", "officer"), "tvto"),
        (ProgrammeManagerFactory, "programme"),
    ],
)
def test_the_index_points_each_person_to_their_own_guide(client, make_user, slug):
    client.force_login(make_user())
    html = page(client, reverse("guide:index"), "en")
    assert f'data-slug="{slug}" aria-current="true"' in html


def test_the_schemes_rules_are_in_plain_words_with_persian_digits(client):
    today = timezone.localdate()
    window = {"opens_on": today - datetime.timedelta(days=1), "closes_on": today + datetime.timedelta(30)}
    LoanSchemeFactory(code="GL-HELP", term_months=36, grace_months=6, **window)
    html = page(client, reverse("guide:schemes"))
    assert 'data-code="GL-HELP"' in html
    assert "۳۶" in html and "۶" in html
    assert "Your business must be verified" not in html  # Persian page


def test_an_unknown_guide_is_not_found(client):
    assert client.get(reverse("guide:role", args=["nobody"])).status_code == 404


def test_help_is_linked_from_every_page_and_from_a_status(client):
    assert 'data-testid="nav-help"' in page(client, reverse("agencies:home"))
    assert "memorandum" in page(client, reverse("guide:faq"), "en")
