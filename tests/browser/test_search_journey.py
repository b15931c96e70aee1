"""Staff search in the real browser: a loan by its tracking number typed in Persian digits from the
navigation's box, a person by national ID, and nothing of what another agency's role may not open."""

import pytest

from greenjobs.text import to_persian_digits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def search_from_navigation(page, typed):
    page.goto("/accounts/dashboard/")
    box = page.get_by_test_id("nav-search").locator("input[name=q]")
    if not box.is_visible():  # the navigation is collapsed on narrow screens
        page.locator(".navbar-toggler").click()
    box.fill(typed)
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")


def test_mcls_finds_a_loan_and_its_applicant_and_tvto_finds_neither(login, demo_data):
    from incentives.models import LoanApplication, Stage

    loan = (
        LoanApplication.objects.exclude(stage=Stage.DRAFT)
        .exclude(applicant__national_id=None)
        .select_related("scheme", "applicant")
        .order_by("pk")
        .first()
    )
    officer = login("mcls_officer")

    search_from_navigation(officer, to_persian_digits(loan.reference))
    results = officer.get_by_test_id("search-result")
    officer.locator(f'[data-testid=search-result][data-kind=loans][data-pk="{loan.pk}"] a').click()
    officer.wait_for_url(f"**/loans/applications/{loan.pk}/")
    assert loan.reference in officer.content()

    search_from_navigation(officer, to_persian_digits(loan.applicant.national_id))
    people = officer.locator("[data-testid=search-result][data-kind=people]")
    assert people.count() == 1
    assert people.first.get_attribute("data-pk") == str(loan.applicant.pk)
    assert results.count() >= 2  # the person and at least this loan

    tvto = login("tvto_officer")
    search_from_navigation(tvto, loan.reference)
    assert tvto.get_by_test_id("search-empty").is_visible()
    assert tvto.locator("[data-testid=search-result][data-kind=loans]").count() == 0
