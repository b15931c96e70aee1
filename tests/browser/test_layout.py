"""Layout in the real browser: lists become cards on a phone with their filters behind a button, and
amount fields group digits as they are typed and say the amount in words. (That the navigation bar keeps
to one line at desktop widths, for every role, is measured in test_accessibility's walk, which already
opens every role's pages in both languages.)"""

import pytest
from django.conf import settings
from django.test import Client

from incentives.models import LoanApplication
from tests.factories import (
    LoanSchemeFactory,
    loan_at,
    loan_draft,
    make_staff,
    registration_in,
    verified_business,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def open_as(browser, live_server, user, language, viewport):
    """A browser session of `user` (signed in through the session cookie, not the sign-in form)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def assert_cards(page, testid):
    table = page.get_by_test_id(testid)
    assert table.evaluate("el => getComputedStyle(el.querySelector('thead')).position") == "absolute"
    first_row = table.locator(":scope > tbody > tr").first
    assert first_row.evaluate("el => getComputedStyle(el).display") == "block"
    labels = first_row.locator(":scope > td").evaluate_all("cells => cells.map(c => c.dataset.label)")
    assert all(labels) and len(labels) >= 5, labels
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(
        "[document.documentElement.scrollWidth, innerWidth]"
    )


def test_on_a_phone_lists_are_cards_with_filters_behind_a_button(
    browser, live_server, agencies, private_media
):
    # given: an applicant with two applications, one of them at MCLS's credit review, and a registration
    # waiting for DOE
    business = verified_business()
    loan_at("credit_review", business=business)
    loan_draft(business=business)
    registration_in("submitted")
    applicant = business.owner
    mcls_reviewer = make_staff("MCLS", "reviewer")
    doe_officer = make_staff("DOE", "officer")
    for language, filters_label in (("fa", "فیلترها"), ("en", "Filters")):
        # given: the applicant on a 390 px wide phone
        context, page = open_as(browser, live_server, applicant, language, PHONE)
        try:
            page.goto("/loans/applications/")
            # then: each application is a card of labelled fields, and nothing scrolls sideways
            assert_cards(page, "my-applications")
            assert page.get_by_test_id("my-applications").locator("tbody > tr").count() == 2
        finally:
            context.close()

        # given: the loan queue of an MCLS reviewer on the same phone
        context, page = open_as(browser, live_server, mcls_reviewer, language, PHONE)
        try:
            page.goto("/loans/queue/")
            assert_cards(page, "queue")
            # then: the filters wait behind a button, which the keyboard opens
            filters = page.get_by_test_id("queue-filters")
            assert not filters.is_visible()
            toggle = page.get_by_test_id("filters-toggle")
            assert toggle.inner_text().strip() == filters_label
            toggle.focus()
            page.keyboard.press("Enter")
            filters.wait_for(state="visible")
            assert toggle.get_attribute("aria-expanded") == "true"
            assert page.evaluate(NO_SIDEWAYS_SCROLL)

            # and on a desktop the same page shows the filters and a table, without the button
            page.set_viewport_size({"width": 1366, "height": 900})
            page.reload()
            assert page.get_by_test_id("queue-filters").is_visible()
            assert not page.get_by_test_id("filters-toggle").is_visible()
            assert page.get_by_test_id("queue").evaluate("el => getComputedStyle(el).display") == "table"
        finally:
            context.close()

        # and the assessment queue of DOE is cards too
        context, page = open_as(browser, live_server, doe_officer, language, PHONE)
        try:
            page.goto("/programs/queue/")
            assert_cards(page, "queue")
        finally:
            context.close()


def test_an_amount_is_grouped_as_it_is_typed_and_said_in_words(browser, live_server, agencies, private_media):
    # given: an applicant with a verified business and two open schemes that lend up to 6 billion
    business = verified_business()
    schemes = {
        language: LoanSchemeFactory(budget=50_000_000_000, max_amount=6_000_000_000)
        for language in ("fa", "en")
    }
    expected = {
        "fa": ("۵٬۰۰۰٬۰۰۰٬۰۰۰", "پنج میلیارد ریال"),
        "en": ("5,000,000,000", "five billion rials"),
    }
    for language, (grouped, words) in expected.items():
        context, page = open_as(
            browser, live_server, business.owner, language, {"width": 1280, "height": 900}
        )
        try:
            page.goto("/loans/apply/")
            amount = page.locator("input[name=amount]")
            amount.click()
            amount.press_sequentially("5000000000")
            assert amount.input_value() == grouped
            said = page.locator("#id_amount_words")
            assert said.inner_text() == words
            assert said.get_attribute("aria-live") == "polite"
            assert "id_amount_words" in amount.get_attribute("aria-describedby").split()
            # the caret stays at the end while the separators move in front of it
            amount.press_sequentially("0")
            assert amount.input_value() == ("۵۰٬۰۰۰٬۰۰۰٬۰۰۰" if language == "fa" else "50,000,000,000")
            amount.press("Backspace")
            assert amount.input_value() == grouped

            # when: the application is saved with the grouped amount, in either language's digits
            page.select_option("select[name=scheme]", schemes[language].code)
            page.fill("textarea[name=purpose]", "Solar panels")
            page.get_by_test_id("save-application").click()
            page.wait_for_url(lambda url: "/loans/apply/" not in url)
        finally:
            context.close()

    # then: the server read both as five billion Rials
    assert list(LoanApplication.objects.values_list("amount", flat=True)) == [5_000_000_000, 5_000_000_000]

    # and the scheme editor's budget, for an MCLS manager
    context, page = open_as(
        browser, live_server, make_staff("MCLS", "manager"), "en", {"width": 1280, "height": 900}
    )
    try:
        page.goto("/loans/schemes/new/")
        budget = page.locator("input[name=budget]")
        budget.click()
        budget.press_sequentially("120000000000")
        assert budget.input_value() == "120,000,000,000"
        assert page.locator("#id_budget_words").inner_text() == "one hundred twenty billion rials"
    finally:
        context.close()
